"""The only writer: a whole site, {path: bytes}, goes to disk atomically.

The new site is written into a fresh folder beside the output and swapped in by renaming, so a
reader (or a killed build) never sees half a site, and a failed build leaves the old one as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MARKER = ".svarsarkivet-site"  # marks a folder this program wrote, so it may replace it


class OutputRefused(Exception):
    pass


def check_output_folder(out: Path, seeds: Path, project: Path) -> None:
    """Refuse an output folder whose replacement would lose someone's files."""
    out_r, seeds_r = out.resolve(), seeds.resolve()
    if out_r == seeds_r or seeds_r.is_relative_to(out_r):
        raise OutputRefused(f"{out}: the output folder must not be, or hold, the seeds folder {seeds}")
    if out_r == project.resolve() or project.resolve().is_relative_to(out_r) or out_r == Path.home():
        raise OutputRefused(f"{out}: refusing to replace a folder that holds the project or your home folder")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(f"{out}: holds files this program did not write; choose an empty or new folder")


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write `files` as the whole content of `out`, replacing what was there in one rename."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    for rel in sorted(files):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    (staging / MARKER).write_text("Written by svarsarkivet build; replaced whole on every build.\n", encoding="utf-8")
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)


def remove_leftovers(out: Path) -> None:
    """Folders a killed build left beside the output."""
    for p in out.parent.glob(f".{out.name}.*-*"):
        if p.is_dir() and (p.name.startswith(f".{out.name}.new-") or p.name.startswith(f".{out.name}.old-")):
            shutil.rmtree(p, ignore_errors=True)
