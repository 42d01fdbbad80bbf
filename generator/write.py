"""The only writer: a whole site, {path: bytes}, goes to disk atomically.

The new site is made in a folder beside the output and swapped in by renaming, so a reader (or a
killed build) never sees half a site, and a failed build leaves the old one as it was. The site it
replaces is kept as the spare, from which the next build makes its own (see write_site).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Output
from generator.parallel import Background, ordered_map

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


@dataclass(frozen=True)
class WriteReport:
    made: int  # files made anew
    reused: int  # unchanged files linked from the previous site
    stamp: str  # digest of every (path, key): identifies this site for the next build's cache
    replaced: bool = True  # False: the site in the output folder was already this one, and was left alone
    spare: Generation | None = None  # a linked twin of the site, kept as the spare (write_site's keep_spare)


def site_stamp(out: Path) -> str | None:
    """The stamp of the site in `out`, as its marker file records it; None if there is none."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"^stamp: ([0-9a-f]{64})$", text, re.MULTILINE)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Generation:
    """A site written by an earlier build, as the build cache records it: its stamp and the key of each file."""

    stamp: str
    keys: dict[str, str]
    # every file in `keys` was seen in the folder by this build (build.ready_spare, on another core):
    # the writer need not look for each again (7,000 stats at 2,000 answers)
    checked: bool = field(default=False, compare=False)


def spare_folder(out: Path) -> Path:
    """Where the site before the current one is kept, to be made into the next one."""
    return out.parent / f".{out.name}.spare"


def write_site(outputs: list[Output], out: Path, current: Generation | None = None, spare: Generation | None = None,
               workers: int | None = None, progress: Callable[[int, int], None] | None = None,
               late: Callable[[], list[Output]] | None = None, keep_spare: bool = False) -> WriteReport:
    """Write `outputs` as the whole content of `out`, replacing what was there in one rename.

    The new site is made in a staging folder. With `current` (the site in `out`, as the cache knows
    it), the replaced site is kept as the spare (spare_folder), and the next build makes its staging
    folder from it: a file whose key is the spare's stays, one whose key is the current site's is
    linked from there, and only the rest is made. So a build after a small change touches a few
    files, not the whole tree. The bytes are the same whichever way a file comes. A site that is
    already the one in `out` (the same stamp) is left as it is.

    `late`, if given, gives the rest of the outputs (the search files, whose index another process
    is making): they are asked for once the workers have made the others.

    With `keep_spare`, a site written whole (no spare to make it from, and no `current` site to keep
    as the next one's spare) is also linked, file by file as the workers write it, into a twin kept
    as the spare: the first build after a full one is then made from it like every other, instead
    of waiting for a linked copy of the whole site (build.ready_spare: 285 ms on this disk at 2,000
    answers). The links add 3-6% to the full build (1,651 -> 1,707 ms on the disk, 1,750 -> 1,856 ms
    on a RAM disk); WriteReport.spare is the twin, if it was kept.
    """
    out = out.absolute()
    if late is None:
        stamp = site_digest(outputs)
        if current and current.stamp == stamp and site_stamp(out) == stamp and all(os.path.isfile(f"{out}/{o.path}") for o in outputs):
            return WriteReport(0, len(outputs), stamp, replaced=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    base = staging_from_spare(out, staging, spare)
    twin = staging.with_name(staging.name + "-twin") if keep_spare and not current and not base.keys else None
    try:
        outputs, made_count, reused, twinned = staged_site(outputs, out, staging, base, current, twin, workers, progress, late)
    except BaseException:  # a page that cannot be made (a template error): no half-made folder is left behind
        for folder in (staging, twin):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        raise
    stamp = site_digest(outputs)
    (staging / MARKER).write_text(marker_text(stamp), encoding="utf-8")
    if not out.exists():
        staging.rename(out)
    elif exchange(staging, out):  # staging now holds the old site
        if current:
            staging.rename(spare_folder(out))
        else:
            shutil.rmtree(staging)
    else:  # no renameat2: two renames, with a moment in between when `out` is missing
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    kept = twin is not None and twinned and kept_as_spare(twin, out, stamp)
    if twin and not kept:
        shutil.rmtree(twin, ignore_errors=True)
    shutil.rmtree(discarded(out), ignore_errors=True)
    return WriteReport(made_count, reused, stamp, spare=Generation(stamp, {o.path: o.key for o in outputs}, checked=True) if kept else None)


def staged_site(outputs: list[Output], out: Path, staging: Path, base: Generation, current: Generation | None,
                twin: Path | None, workers: int | None, progress: Callable[[int, int], None] | None,
                late: Callable[[], list[Output]] | None) -> tuple[list[Output], int, int, bool]:
    """Make `staging`, holding the spare (`base`) or nothing, into the site of `outputs` (and of what
    `late` gives), linking each file made into `twin` if given: (every output, how many were made,
    how many reused, whether the twin holds every file)."""
    linkable = current.keys if current else {}
    outputs = sorted(outputs, key=lambda o: o.path)
    to_make = placed_or_to_make(outputs, out, staging, base, linkable)
    reused = len(outputs) - len(to_make)
    # each worker writes what it makes: the bytes never travel between processes
    staged, linked = str(staging), twin and str(twin)
    twinned = True  # every file made was linked into the twin (where there is one)
    for number, in_twin in enumerate(ordered_map(lambda o: write_output(staged, o, linked), to_make, workers), start=1):
        twinned = twinned and in_twin
        if progress:
            progress(reused + number, len(outputs))
    made_count = len(to_make)
    if late:
        more = late()
        to_make = placed_or_to_make(more, out, staging, base, linkable)
        for output in to_make:
            twinned = write_output(staged, output, linked) and twinned
        outputs, reused, made_count = outputs + more, reused + len(more) - len(to_make), made_count + len(to_make)
    for path in sorted(set(base.keys) - {o.path for o in outputs}, reverse=True):
        remove_file(staging, path)
    return outputs, made_count, reused, twinned


def kept_as_spare(twin: Path, out: Path, stamp: str) -> bool:
    """Make `twin`, the site written to `out` linked file by file, its spare: its marker last, so that
    a half-made twin never passes for a site (a leftover, removed by the next build). False if it
    could not be (the caller removes it)."""
    try:
        (twin / MARKER).write_text(marker_text(stamp), encoding="utf-8")
        folder = spare_folder(out)
        if folder.exists():  # a spare the cache does not know: removed once the new site is in place
            folder.rename(discarded(out))
        twin.rename(folder)
        return True
    except OSError:
        return False


def placed_or_to_make(outputs: list[Output], out: Path, staging: Path, base: Generation, linkable: dict[str, str]) -> list[Output]:
    """Put in `staging` each output the spare (`base`) or the current site already has; return the others."""
    to_make, folders = [], set()
    # joined as strings: pathlib's `/` costs more than the checks and the links, thousands of times
    staged, live = str(staging), str(out)
    for o in outputs:
        # the spare is the site a build replaced, as the cache knows it: a file deleted from it since is made
        if base.keys.get(o.path) == o.key and (base.checked or os.path.isfile(f"{staged}/{o.path}")):
            continue
        target = f"{staged}/{o.path}"
        if base.keys:  # never write into a file of the spare: it may be a link to a file of the live site
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        if linkable.get(o.path) == o.key:
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            if link(f"{live}/{o.path}", target):
                continue
        to_make.append(o)
    return to_make


def write_output(staged: str, output: Output, twin: str | None = None) -> bool:
    """Make one output and write it into the staging folder `staged`, and its folder if that is not
    there yet: the workers make the folders as they write (made one by one before they start, the
    2,900 folders of 2,000 answers kept both cores waiting 30 ms). With `twin`, the file is also
    linked into that folder (see write_site's keep_spare); False if it could not be (a file system
    without hard links: the twin is then given up, not the build)."""
    path = f"{staged}/{output.path}"
    content = output.make()
    in_its_folder(lambda: write_new_file(path, content), path)
    if not twin:
        return True
    linked = f"{twin}/{output.path}"
    try:
        in_its_folder(lambda: os.link(path, linked), linked)
    except OSError:
        return False
    return True


def in_its_folder(make: Callable[[], None], path: str) -> None:
    """make() the file at `path`, making its folder first if make() finds it missing."""
    try:
        make()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)  # exist_ok: the other worker may make it first
        make()


def write_new_file(path: str, content: bytes) -> None:
    """Write `content` to the file at `path`, made if missing. Three system calls where open() makes
    six (it also asks whether the file is a terminal, where it is, and what block size it has):
    thousands of files a build, and each call costs the most on the disk the site is written to."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def copy_folder(out: Path) -> Path:
    """Where a copy of the current site is made to serve as the spare (see build.ready_spare); a
    killed build's copy is a leftover (remove_leftovers)."""
    return out.parent / f".{out.name}.old-{os.getpid()}-copy"


def link_tree(live: str, paths: list[str], into: str) -> list[str]:
    """Hard-link the files `paths` of the site in `live` into `into`, folders made as needed; a file
    gone from the site is left out, and returned (the spare is then short of it, and the build makes it)."""
    folders, missing = set(), []
    for path in paths:
        target = f"{into}/{path}"
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if not link(f"{live}/{path}", target):
            missing.append(path)
    return missing


def missing_files(folder: str, paths: list[str]) -> list[str]:
    """The files of `paths` that are not in `folder`."""
    return [path for path in paths if not os.path.isfile(f"{folder}/{path}")]


def checked_generation(site: Generation, missing: list[str]) -> Generation:
    """`site` as its folder was found to hold it: without the files `missing` from it."""
    gone = set(missing)
    return Generation(site.stamp, {path: key for path, key in site.keys.items() if path not in gone}, checked=True)


def keep_spare_copy(out: Path, current: Generation | None, spare: Generation | None, readying: Background) -> Generation | None:
    """The spare to make the new site from, as `readying` (build.ready_spare) gives it: the `spare`,
    checked; or a copy of the `current` site made the spare, its marker last, so that a half-made copy
    never passes for a site; or `spare` unchecked, or None, if it gives neither."""
    into = copy_folder(out)
    try:
        made, stamp, missing = readying() or (None, None, [])
    except Exception:  # the copy and the check are a head start: without them the writer links the tree, or checks, as it writes
        made, stamp, missing = None, None, []
    if made == "checked":
        return checked_generation(spare, missing) if spare and stamp == spare.stamp else spare
    try:
        if spare or current is None or made != "copied" or stamp != current.stamp:
            shutil.rmtree(into, ignore_errors=True)
            return spare
        (into / MARKER).write_text(marker_text(current.stamp), encoding="utf-8")
        folder = spare_folder(out)
        if folder.exists():  # a spare the cache does not know: removed once the new site is in place
            folder.rename(discarded(out))
        into.rename(folder)
    except OSError:
        shutil.rmtree(into, ignore_errors=True)
        return None
    return checked_generation(current, missing)


def drop_spare_copy(out: Path, copying: Background) -> None:
    """Stop making the copy and remove it (the build failed)."""
    copying.cancel()
    shutil.rmtree(copy_folder(out), ignore_errors=True)


def staging_from_spare(out: Path, staging: Path, spare: Generation | None) -> Generation:
    """Move the spare site to `staging` if it is the one the cache knows; else start from an empty folder.
    Its marker goes first, so a build killed while changing it leaves no folder that passes for a site."""
    folder = spare_folder(out)
    if spare and site_stamp(folder) == spare.stamp:
        (folder / MARKER).unlink()
        folder.rename(staging)
        return spare
    if folder.exists():  # removed once the new site is in place (see discard)
        folder.rename(discarded(out))
    staging.mkdir()
    return Generation("", {})


def discarded(out: Path) -> Path:
    """Where a stale spare waits to be removed until the new site is written: on ext4 without a
    journal, files made just after many were deleted are several times slower to make (inode
    allocation passes over the inodes freed in the last seconds; `recently_deleted` in ialloc.c)."""
    return out.parent / f".{out.name}.old-{os.getpid()}-spare"


def remove_file(root: Path, path: str) -> None:
    """Remove a file of a site, and the folders it leaves empty."""
    (root / path).unlink(missing_ok=True)
    folder = (root / path).parent
    while folder != root:
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE), so that at every moment
    `b` is a whole site, the old one or the new; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace_file(target: Path, content: bytes) -> None:
    """Write beside and rename over: a reader sees the old file or the new, never half of one."""
    partial = target.parent / f".{target.name}.partial"
    write_new_file(str(partial), content)
    partial.replace(target)


def update_site(outputs: list[Output], out: Path, previous: dict[str, str], workers: int | None = None) -> WriteReport:
    """The editor preview's fast path: change in place only the files whose key changed, and remove
    the ones no longer made. Each file is replaced whole (written beside it, then renamed), but a
    reader may briefly see old and new pages side by side; a published build uses write_site."""
    outputs = sorted(outputs, key=lambda o: o.path)
    live = str(out)  # joined as a string: pathlib's `/` took twice the check's time, thousands of times a save
    to_make = [o for o in outputs if previous.get(o.path) != o.key or not os.path.isfile(f"{live}/{o.path}")]
    for output in to_make:
        (out / output.path).parent.mkdir(parents=True, exist_ok=True)
    for _done in ordered_map(lambda o: replace_file(out / o.path, o.make()), to_make, workers):
        pass
    current = {o.path for o in outputs}
    for path in sorted(set(previous) - current):
        (out / path).unlink(missing_ok=True)
    stamp = site_digest(outputs)
    (out / MARKER).write_text(marker_text(stamp), encoding="utf-8")
    return WriteReport(len(to_make), len(outputs) - len(to_make), stamp)


def site_digest(outputs: list[Output]) -> str:
    return hashlib.sha256("\n".join(f"{o.path} {o.key}" for o in sorted(outputs, key=lambda o: o.path)).encode()).hexdigest()


def marker_text(stamp: str) -> str:
    return f"Written by svarsarkivet build; replaced whole on every build.\nstamp: {stamp}\n"


def link(old: str, new: str) -> bool:
    """Hard-link an unchanged file of the old site into the new one (False: make it instead)."""
    try:
        os.link(old, new)
        return True
    except OSError:
        return False


def remove_leftovers(out: Path) -> None:
    """Folders a killed build left beside the output."""
    for p in out.parent.glob(f".{out.name}.*-*"):
        if p.is_dir() and (p.name.startswith(f".{out.name}.new-") or p.name.startswith(f".{out.name}.old-")):
            shutil.rmtree(p, ignore_errors=True)
