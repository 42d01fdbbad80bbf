"""Editor preview: build, serve on loopback, rebuild on every saved change and reload the open pages.

A failed rebuild keeps the last good site served and shows its errors over the page; the next good
save takes them away. The preview is built into a temporary folder unless --out names one.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from jinja2 import TemplateError
from livereload import Server
from livereload.handlers import LiveReloadHandler

from generator.build import PROJECT, BuildConfig, build
from generator.errors import BuildError
from generator.write import MARKER, OutputRefused

STATUS_FILE = "_preview/status.json"


def rebuild(config: BuildConfig) -> list[str]:
    """Build once; the error lines (FILE:LINE: message), empty on success. Says what it did."""
    started = time.monotonic()
    try:
        report = build(config)
    except BuildError as e:
        errors = [str(err) for err in e.errors] or [str(e)]
    except (OutputRefused, OSError) as e:
        errors = [str(e)]
    except TemplateError as e:
        errors = [f"{getattr(e, 'filename', None) or 'templates'}:{getattr(e, 'lineno', 0) or 0}: template error: {e}"]
    else:
        print(f"Rebuilt {report.answers} answers, {report.pages} pages in {time.monotonic() - started:.2f} s.", flush=True)
        return []
    for line in errors:
        print(line, file=sys.stderr, flush=True)
    print("Build failed; the last good site is still served.", file=sys.stderr, flush=True)
    write_status(config.out, errors)
    return errors


def write_status(out: Path, errors: list[str]) -> None:
    """Tell the open pages about the errors (the site itself stays as it was)."""
    status = out / STATUS_FILE
    if not out.exists():  # the first build failed: mark the folder as ours so the next build may replace it
        out.mkdir(parents=True)
        (out / MARKER).write_text("Written by svarsarkivet serve.\n", encoding="utf-8")
    status.parent.mkdir(parents=True, exist_ok=True)
    status.write_text(json.dumps({"errors": errors}, ensure_ascii=False), encoding="utf-8")


def serve(args) -> int:
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: anyone who can reach this machine can read the preview", file=sys.stderr)
    out = args.out or Path(tempfile.mkdtemp(prefix="svarsarkivet-preview-")) / "site"
    config = BuildConfig(seeds=args.seeds, out=out, base_url=f"http://{args.host}:{args.port}/", preview=True)
    rebuild(config)
    # livereload ignores a reload that comes within seconds of the previous one; every save must show.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server()
    for folder in (args.seeds, config.templates, config.static, PROJECT / "generator"):
        server.watch(str(folder), lambda: rebuild(config))
    print(f"Serving {out} on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve(port=args.port, host=args.host, root=str(out), restart_delay=0)
    except KeyboardInterrupt:
        pass
    return 0
