"""Fuzzing: thousands of mutated seeds (byte flips, truncation, repeated headers, huge lines, control
characters, mixed encodings). Every one ends in answers that render, or in FILE:LINE: errors; never an
exception of another kind, never a hang."""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import BuildConfig, read_answers, render_site
from generator.errors import BuildError, SourceError

SEED_BYTES = [p.read_bytes() for p in sorted(SEEDS.iterdir())]
ERROR_LINE = re.compile(r"^.+\.txt:\d+: \S.*$", re.S)


@st.composite
def mutated_seed(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "repeat_header", "huge_line", "control", "cp1252", "utf16", "delete_line"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind == "repeat_header":
            head = bytes(data).split(b"\n", 2)[:2]
            data[0:0] = b"\n".join(head) * draw(st.integers(2, 50)) + b"\n"
        elif kind == "huge_line":
            piece = draw(st.sampled_from([b"x", b"\xc3\xa5", b"- ", b"Svar p\xc3\xa5 fr\xc3\xa5ga "]))
            data[at:at] = b"\n" + piece * draw(st.integers(1000, 200_000))
        elif kind == "control":
            data[at:at] = bytes([draw(st.sampled_from([0, 1, 7, 8, 11, 12, 27, 127, 0x85]))])
        elif kind == "cp1252":
            data[at:at] = "Jämför år".encode("cp1252")
        elif kind == "utf16":
            data[at:at] = "Ändå".encode("utf-16")
        elif kind == "delete_line":
            lines = bytes(data).split(b"\n")
            if len(lines) > 1:
                del lines[at % len(lines)]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@contextmanager
def time_limit(seconds: int):
    def hang(signum, frame):
        raise TimeoutError(f"no result after {seconds} s")
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_in_memory(folder: Path, render: bool):
    """read -> parse -> check, and when `render` every output made; the errors' lines, checked for form."""
    try:
        inputs = read_answers(folder, workers=1)
    except BuildError as e:
        return [str(e)]
    for error in inputs.errors:
        assert isinstance(error, SourceError) and ERROR_LINE.match(str(error)), str(error)
    if render and inputs.answers:
        for output in render_site(inputs.answers, BuildConfig(seeds=folder, out=folder / "out", workers=1)):
            assert isinstance(output.make(), bytes)
    return inputs.errors


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """One folder for every example (pytest's, so that it is cleaned up as its other folders are)."""
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=2500, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=mutated_seed())
def test_mutated_seeds_parse_or_fail_cleanly(folder, data):
    (folder / "fuzz.txt").write_bytes(data)
    with time_limit(20):
        build_in_memory(folder, render=False)


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=mutated_seed())
def test_mutated_seeds_render_or_fail_cleanly(folder, data):
    (folder / "fuzz.txt").write_bytes(data)
    with time_limit(30):
        build_in_memory(folder, render=True)
