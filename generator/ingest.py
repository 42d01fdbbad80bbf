"""Read the input folder: every file becomes a RawDoc with clean Unicode text, or a SourceError.

This is the only module that reads input files.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from generator.errors import SourceError
from generator.model import RawDoc

INPUT_SUFFIXES = (".txt", ".md")
MAX_INPUT_BYTES = 5 * 1024 * 1024  # the longest real answer is ~30 kB; anything this size is not one

# Word leaves these behind when a document is saved as text.
WORD_ARTEFACTS = re.compile(r"\[bookmark: [^\]\n]*\]|\[(?:image|picture|figure): [^\]\n]*\]")
# Invisible characters that break words apart in search and in the page.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a regex: str.translate with a table is 15 times slower
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def list_inputs(seeds: Path) -> list[str]:
    """The names of the input files in `seeds`, sorted; hidden files and editor backups are not inputs."""
    with os.scandir(seeds) as entries:  # its entries know whether they are folders without a stat each
        return sorted(e.name for e in entries if not e.name.startswith((".", "#", "~")) and not e.name.endswith("~") and not e.is_dir())


def read_input(path: Path, seeds: Path, data: bytes | None = None) -> RawDoc:
    """Read and decode one input file (`data`: its bytes, when the caller has read them already)."""
    shown = str(path)
    if path.suffix.lower() not in INPUT_SUFFIXES:
        raise SourceError(shown, 0, f"not an answer file: expected a .txt or .md file, got '{path.suffix or 'no suffix'}'")
    if path.is_symlink() and not path.resolve().is_relative_to(seeds.resolve()):
        raise SourceError(shown, 0, "is a link to a file outside the seeds folder; copy the file in instead")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise SourceError(shown, 0, f"is {size // 1024} kB; an answer is at most {MAX_INPUT_BYTES // 1024} kB (is this the right file?)")
        if data is None:
            data = path.read_bytes()
    except OSError as e:
        raise SourceError(shown, 0, f"cannot be read: {e.strerror}") from None
    text = clean_text(decode(data, shown), shown)
    return RawDoc(path=shown, name=path.name, text=text, is_markdown=path.suffix.lower() == ".md")


def read_bytes(path: str) -> bytes:
    """The bytes of the file at `path`. Four system calls where open() and read() make seven (they
    also ask for its block size, whether it is a terminal and where it is): 7 ms less of a build's
    first, single-core part at 2,000 inputs."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode(data: bytes, shown: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 from Word."""
    if not data.strip():
        raise SourceError(shown, 0, "is empty: expected the text of an answer")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(shown, 0, "starts like UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data:
        raise SourceError(shown, 0, "is a binary file, not text: save the answer as plain text (UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise SourceError(shown, line, "cannot be decoded: expected UTF-8 or Windows-1252 text") from None


def clean_text(text: str, shown: str) -> str:
    """Normalise line ends and Unicode, and drop Word artefacts and invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = WORD_ARTEFACTS.sub("", text)
    text = text.replace("\t", " ").replace("\u00a0", " ").replace("\u202f", " ")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise SourceError(shown, line, f"holds a control character (U+{ord(bad.group()):04X}): is this a text file?")
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).rstrip("\n") + "\n"
