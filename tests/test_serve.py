"""The editor preview in a real browser: a saved change shows by itself; a broken input shows an overlay and
the server lives on; mending it takes the overlay away."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sitetools import CHROMIUM, CHROMIUM_ARGS, PROJECT

from bench.synth import write_answers
from generator.parallel import MIN_ITEMS

playwright = pytest.importorskip("playwright.sync_api")
SEED = "004_a3e8633d8479b537.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_process(seeds, port: int, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "serve", "--seeds", str(seeds), "--port", str(port), *extra],
                            cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def start_server(tmp_path, seeds_copy, *extra):
    port = free_port()
    proc = serve_process(seeds_copy, port, "--out", str(tmp_path / "preview"), "--cache", str(tmp_path / "cache"), *extra)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "index.html", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return url, proc


@pytest.fixture
def server(request, tmp_path, seeds_copy):
    """`serve` on a copy of the seeds, with the options a test gives by indirect parametrization."""
    url, proc = start_server(tmp_path, seeds_copy, *getattr(request, "param", ()))
    yield url, seeds_copy, proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_edit_break_and_mend(server, browser):
    url, seeds, proc = server
    original = (seeds / SEED).read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "svar/2017-18-112/index.html")
    assert page.locator("h1").inner_text() == "Samarbete mellan polis och militär"
    time.sleep(1.5)  # let the watcher take its first look at the files

    (seeds / SEED).write_text(original.replace("polis och militär", "polis och försvar", 1), encoding="utf-8")
    page.locator("h1", has_text="Samarbete mellan polis och försvar").wait_for(timeout=15000)

    (seeds / SEED).write_text(original.replace("Stockholm den 25 oktober 2017", "Stockholm den 35 oktober 2017"), encoding="utf-8")
    overlay = page.locator("#preview-errors")
    overlay.wait_for(timeout=15000)
    assert re.search(r"004_a3e8633d8479b537\.txt:\d+: impossible date", overlay.inner_text())
    assert page.locator("h1").inner_text() == "Samarbete mellan polis och försvar"  # the last good site
    assert proc.poll() is None

    (seeds / SEED).write_text(original, encoding="utf-8")
    page.locator("h1", has_text="Samarbete mellan polis och militär").wait_for(timeout=15000)
    overlay.wait_for(state="detached", timeout=15000)
    page.close()


def test_reload_keeps_the_scroll_position(server, browser):
    url, seeds, proc = server
    original = (seeds / SEED).read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 360, "height": 500})
    page.goto(url + "svar/2017-18-112/index.html")
    time.sleep(1.5)
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    before = page.evaluate("window.scrollY")
    assert before > 300
    (seeds / SEED).write_text(original.replace("Regeringen har inte för avsikt", "Regeringen har inte alls för avsikt"), encoding="utf-8")
    page.locator("text=inte alls för avsikt").wait_for(timeout=15000)
    page.wait_for_timeout(500)
    assert abs(page.evaluate("window.scrollY") - before) < 5
    page.close()


@pytest.mark.parametrize("server", [["--follow"]], indirect=True)
def test_follow_takes_the_page_to_the_edited_answer(server, browser):
    url, seeds, proc = server
    original = (seeds / SEED).read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "index.html")
    time.sleep(1.5)
    (seeds / SEED).write_text(original.replace("polis och militär", "polis och hemvärn", 1), encoding="utf-8")
    page.wait_for_url("**/svar/2017-18-112/index.html", timeout=15000)
    page.locator("h1", has_text="polis och hemvärn").wait_for(timeout=15000)
    page.close()
    out = proc.stdout.readline() + proc.stdout.readline()
    assert "answers read" in out


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_temporary_preview_folder_is_removed_when_the_server_stops(seeds_copy, stop):
    proc = serve_process(seeds_copy, free_port())
    try:
        for line in proc.stdout:
            served = re.match(r"Serving (\S+) on ", line)
            if served:
                break
        site = Path(served.group(1))
        assert (site / "index.html").is_file() and (site.parent / "cache").is_dir()
        proc.send_signal(stop)
        assert proc.wait(timeout=20) == 0
        assert not site.parent.exists(), "the preview's site and cache are removed"
    finally:
        proc.kill()
        proc.communicate()


def test_a_rebuild_on_both_cores_prints_no_worker_tracebacks(tmp_path):
    """The server stops on TERM as on Ctrl-C; the pool's workers, which the pool ends with TERM, must not."""
    seeds = tmp_path / "seeds"
    write_answers(MIN_ITEMS + 20, seeds)
    _url, proc = start_server(tmp_path, seeds)
    status = tmp_path / "preview" / "_preview" / "status.json"
    try:
        for path in seeds.iterdir():  # every answer read again, on the workers
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        for _ in range(150):
            time.sleep(0.2)
            if json.loads(status.read_text(encoding="utf-8")).get("build") == 2:
                break
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    builds = output.split("Built in ")
    assert len(builds) == 3 and f"{MIN_ITEMS + 20} of {MIN_ITEMS + 20} answers read" in builds[2], output
    assert "Traceback" not in output, output
