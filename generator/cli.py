"""Command line: `python -m generator build|serve`. Turns errors into messages and exit codes."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from pathlib import Path

from generator.build import BuildConfig, BuildReport, Loaded, build, default_base_url
from generator.cache import default_cache_folder
from generator.errors import BuildError
from generator.write import OutputRefused


@functools.cache  # made once by a process that runs many commands (the warm process)
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="svarsarkivet", description="Build the Svarsarkivet site from answer texts.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site into a folder")
    b.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of answer texts (default: seeds)")
    b.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    b.add_argument("--keep-going", action="store_true", help="build the good answers and list the bad ones")
    b.add_argument("--base-url", default=None, help="the site's public address, for feeds and the sitemap")
    b.add_argument("--cache", type=Path, default=None,
                   help="build cache folder: unchanged answers and pages are not made again (default: .NAME.cache "
                        "beside the output folder NAME)")
    b.add_argument("--no-cache", action="store_true", help="a full build: read and make everything, keep no cache")
    b.add_argument("--jobs", type=int, default=None, help="processes to use (default: one per core; 1: no workers)")
    s = sub.add_parser("serve", help="build, serve on loopback and rebuild on every change")
    s.add_argument("--seeds", type=Path, default=Path("seeds"))
    s.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary folder)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1", help="address to serve on (default: loopback only)")
    s.add_argument("--follow", action="store_true", help="take the open pages to the answer you just saved")
    s.add_argument("--cache", type=Path, default=None, help="build cache folder (default: .NAME.cache beside the output folder)")
    sub.add_parser("warm", help="stay up with the program loaded: every build from the command line then starts at once")
    return p


def progress_bar(width: int = 30):
    """A one-line progress bar on the terminal for writing the site (quiet when not a terminal)."""
    shown = {"at": 0.0}

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - shown["at"] < 0.1:
            return
        shown["at"] = now
        filled = width * done // max(total, 1)
        end = "\r\033[K" if done >= total else ""
        print(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} files{end}", end="", file=sys.stderr, flush=True)
    return show


def run() -> None:
    """The command, then the process ends without tearing the interpreter down, which would free
    every object of the build one by one and collect them once more (40 ms of a 0.6 s rebuild)."""
    code, _report = command(sys.argv[1:])  # the report holds the build's objects until the end
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    return command(argv)[0]


def command(argv: list[str] | None, loaded: Loaded | None = None) -> tuple[int, BuildReport | None]:
    """The exit code, and the report of the build (None for serve, or when it failed). `loaded`: what
    the warm process that runs the command made before it (see build)."""
    args = parser().parse_args(argv)
    if args.command == "serve":
        from generator.serve import serve

        return serve(args), None
    if args.command == "warm":
        from generator.warm import keep_warm

        return keep_warm(), None
    cache = None if args.no_cache else (args.cache or default_cache_folder(args.out))
    config = BuildConfig(seeds=args.seeds, out=args.out, keep_going=args.keep_going,
                         base_url=args.base_url or default_base_url(), cache=cache, workers=args.jobs)
    try:
        report = build(config, progress_bar() if sys.stderr.isatty() else None, loaded=loaded)
    except BuildError as e:
        for err in e.errors:
            print(err, file=sys.stderr)
        print(f"error: {e}", file=sys.stderr)
        return 1, None
    except OutputRefused as e:
        print(f"error: {e}", file=sys.stderr)
        return 2, None
    for source, words in report.restored:
        print(f"{source}: restored from OCR, {words} words changed (the scanned text is kept as original.txt beside the page)")
    for err in report.skipped:
        print(f"skipped: {err}", file=sys.stderr)
    reused = f" ({report.reused} files unchanged, {report.made} made)" if report.reused else ""
    print(f"Built {report.answers} answers, {report.pages} pages into {args.out} in {report.seconds:.2f} s{reused}.")
    if report.skipped:
        print(f"{len(report.skipped)} input(s) skipped (--keep-going); see above.", file=sys.stderr)
        return 1, report
    return 0, report
