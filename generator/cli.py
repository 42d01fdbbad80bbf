"""Command line: `python -m generator build|serve`. Turns errors into messages and exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jinja2 import TemplateError

from generator.build import BuildConfig, build, default_base_url
from generator.errors import BuildError
from generator.write import OutputRefused


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="svarsarkivet", description="Build the Svarsarkivet site from answer texts.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site into a folder")
    b.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of answer texts (default: seeds)")
    b.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    b.add_argument("--keep-going", action="store_true", help="build the good answers and list the bad ones")
    b.add_argument("--base-url", default=None, help="the site's public address, for feeds and the sitemap")
    s = sub.add_parser("serve", help="build, serve on loopback and rebuild on every change")
    s.add_argument("--seeds", type=Path, default=Path("seeds"))
    s.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary folder)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1", help="address to serve on (default: loopback only)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "serve":
        from generator.serve import serve

        return serve(args)
    config = BuildConfig(seeds=args.seeds, out=args.out, keep_going=args.keep_going,
                         base_url=args.base_url or default_base_url())
    try:
        report = build(config)
    except BuildError as e:
        for err in e.errors:
            print(err, file=sys.stderr)
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OutputRefused as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except TemplateError as e:
        print(f"{getattr(e, 'filename', None) or 'templates'}:{getattr(e, 'lineno', 0) or 0}: template error: {e}", file=sys.stderr)
        return 1
    for err in report.skipped:
        print(f"skipped: {err}", file=sys.stderr)
    print(f"Built {report.answers} answers, {report.pages} pages into {args.out} in {report.seconds:.2f} s.")
    if report.skipped:
        print(f"{len(report.skipped)} input(s) skipped (--keep-going); see above.", file=sys.stderr)
        return 1
    return 0
