"""Editor preview: build, serve on loopback, rebuild on every saved change and reload the open pages.

A failed rebuild keeps the last good site served and shows its errors over the page; the next good
save takes them away. The preview is built into a temporary folder unless --out names one; that
folder is removed when the server stops (Ctrl-C, or a TERM signal).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler

from generator.build import PROJECT, BuildConfig, build
from generator.cache import BuildCache, default_cache_folder
from generator.errors import BuildError
from generator.write import MARKER, OutputRefused

STATUS_FILE = "_preview/status.json"


@dataclass
class Preview:
    """The preview's state: its build settings, and what the open pages learn from _preview/status.json."""

    config: BuildConfig
    follow: bool = False  # take the open pages to an answer just edited
    builds: int = 0
    edited: str | None = None  # the answer the last save changed
    lock: threading.Lock = field(default_factory=threading.Lock)  # one build at a time
    cache: BuildCache | None = None  # the build cache, read once and kept between builds


def rebuild(preview: Preview) -> list[str]:
    """Build once after a save; the error lines (FILE:LINE: message), empty on success. Says what it did."""
    with preview.lock:
        started = time.monotonic()
        try:
            if preview.cache is None:
                preview.cache = BuildCache.open(preview.config.cache)
            report = build(preview.config, cache=preview.cache)
        except BuildError as e:
            errors = [str(err) for err in e.errors] or [str(e)]
        except (OutputRefused, OSError) as e:
            errors = [str(e)]
        else:
            preview.builds += 1
            preview.edited = report.fresh[0] if len(report.fresh) == 1 else None
            print(f"Built in {time.monotonic() - started:.2f} s: {report.parsed} of {report.answers} answers read, "
                  f"{report.made} files made, {report.reused} unchanged"
                  + (f"; edited: {preview.edited}" if preview.edited else "") + ".", flush=True)
            write_status(preview.config.out, [], {"build": preview.builds, "edited": preview.edited if preview.follow else None})
            return []
        for line in errors:
            print(line, file=sys.stderr, flush=True)
        print("Build failed; the last good site is still served.", file=sys.stderr, flush=True)
        write_status(preview.config.out, errors, {"build": preview.builds, "edited": None})
        return errors


def write_status(out: Path, errors: list[str], extra: dict | None = None) -> None:
    """Tell the open pages about the errors (the site itself stays as it was)."""
    status = out / STATUS_FILE
    if not out.exists():  # the first build failed: mark the folder as ours so the next build may replace it
        out.mkdir(parents=True)
        (out / MARKER).write_text("Written by svarsarkivet serve.\n", encoding="utf-8")
    status.parent.mkdir(parents=True, exist_ok=True)
    partial = status.with_suffix(".partial")
    partial.write_text(json.dumps({"errors": errors, **(extra or {})}, ensure_ascii=False), encoding="utf-8")
    partial.replace(status)  # the pages poll this file: never let them read half of it


def serve(args) -> int:
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: anyone who can reach this machine can read the preview", file=sys.stderr)
    temporary = None if args.out else Path(tempfile.mkdtemp(prefix="svarsarkivet-preview-"))
    signal.signal(signal.SIGTERM, stop_on_signal)  # as Ctrl-C, so that the temporary folder goes too
    # but not in the build's forked workers, which a pool ends with TERM when its work is done
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    try:
        out = args.out or temporary / "site"
        cache = args.cache or (temporary / "cache" if temporary else default_cache_folder(out))
        config = BuildConfig(seeds=args.seeds, out=out, base_url=f"http://{args.host}:{args.port}/", preview=True, cache=cache)
        preview = Preview(config, follow=args.follow)
        rebuild(preview)
        # livereload ignores a reload that comes within seconds of the previous one; every save must show.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
        server = Server()
        for folder in (args.seeds, config.templates, config.static, PROJECT / "generator"):
            server.watch(str(folder), lambda: rebuild(preview))
        print(f"Serving {out} on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
        server.serve(port=args.port, host=args.host, root=str(out), restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        if temporary:  # a site and a cache of tens of megabytes, of no use once the preview is gone
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


def stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt
