"""Hostile input shows as text everywhere; a killed build leaves the old site whole; order, hash seed and
file times change no byte; odd and oversized inputs get a clear answer."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import PROJECT, SEEDS, run_build
from sitetools import CHROMIUM, CHROMIUM_ARGS, PageWatch, serve
from test_build_errors import tree_digest

from bench.synth import write_answers

TITLE = 'Skjutvapen "><svg onload=alert(5)> {{ 7*7 }} <script>alert(1)</script> &amp; \'x\''
HOSTILE = f"""Svar på fråga 2016/17:999 av Anna <b>Fet</b> Ond (M)
{TITLE}
Anna <b>Fet</b> Ond har frågat mig om skjutvapen och <script>alert(3)</script>.
Texten har en [länk](javascript:alert(4)) och <img src="x" onerror="alert(6)"> och {{{{ config }}}} och </script><script>alert(8)</script>.
<div onclick="alert(7)">Ett block med rå HTML</div>
<!-- en kommentar --> ![bild](javascript:alert(9)) <javascript:alert(10)> <a href="javascript:alert(11)">a</a>
# Rubrik? {{% include 'base.html' %}}
Stockholm den 14 juni 2017

Morgan Johansson
"""
HOSTILE_PAGES = ["svar/2016-17-999/index.html", "fragestallare/anna-b-fet-b-ond/index.html", "index.html",
                 "ar/2017/index.html", "minister/morgan-johansson/index.html", "parti/m/index.html",
                 "sok/index.html?q=skjutvapen", "sok/index.html?q=%22alert(3)%22", "sok/index.html?q=%3Cscript%3E"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "999_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    result = run_build("--seeds", str(seeds), "--out", str(folder / "site"))
    assert result.returncode == 0, result.stderr
    return folder / "site"


INSPECT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) bad.push(el.tagName + " " + a.name);
      if (/^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + " " + a.name + "=" + a.value);
    }
    if (el.tagName === "SCRIPT" && !/\\/assets\\/|\\/sok\\/svar\\//.test(el.src)) bad.push("script " + el.outerHTML.slice(0, 80));
    if (["IMG", "SVG", "IFRAME", "OBJECT", "EMBED"].includes(el.tagName) && !el.closest("header, footer")) bad.push(el.tagName);
  }
  return bad;
}"""


@pytest.mark.parametrize("mode", ["http", "file"])
def test_hostile_text_is_only_ever_text_in_the_browser(hostile_site, mode):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p, serve(hostile_site) as url:
        base = url if mode == "http" else hostile_site.as_uri() + "/"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in HOSTILE_PAGES:
            page = browser.new_page(bypass_csp=mode == "file")  # the inspection runs a script; over http the CSP holds
            watch = PageWatch(page)
            page.goto(base + path)
            if "sok/" in path:
                page.locator("#search-status").filter(has_text=__import__("re").compile(r"\S")).wait_for()
            else:
                page.wait_for_load_state("load")
            if mode == "file":
                assert page.evaluate(INSPECT) == [], path
            assert not watch.dialogs and not watch.errors, (path, watch.dialogs, watch.errors)
            page.close()
        page = browser.new_page()
        page.goto(base + "svar/2016-17-999/index.html")
        assert page.locator("h1").inner_text() == TITLE.replace(" 'x'", " 'x")  # as written (a closing quote is trimmed)
        body = page.locator(".body").inner_text()
        assert "<script>alert(3)</script>" in body and '<div onclick="alert(7)">' in body and "[länk](javascript:alert(4))" in body
        page.goto(base + "sok/index.html?q=skjutvapen")
        page.locator("[data-search-results] li").first.wait_for()
        assert "<script>alert(1)</script>" in page.locator("[data-search-results] li a").first.inner_text()
        browser.close()


def test_hostile_text_is_escaped_in_feeds_data_and_search_files(hostile_site):
    for feed in ("feed.xml", "minister/morgan-johansson/feed.xml", "parti/m/feed.xml"):
        titles = [e.text for e in ET.parse(hostile_site / feed).getroot().iter("{http://www.w3.org/2005/Atom}title")]
        assert TITLE.rstrip("'") + " (2016/17:999)" in titles, feed
    records = json.loads((hostile_site / "data" / "answers.json").read_text(encoding="utf-8"))
    assert any(r["title"] == TITLE.rstrip("'") for r in records)
    for script in (hostile_site / "sok" / "svar").glob("*.js"):
        assert "</script" not in script.read_text(encoding="utf-8").lower()
    md = (hostile_site / "svar" / "2016-17-999" / "2016-17-999.md").read_text(encoding="utf-8")
    assert "<script>" not in md.split("---", 2)[2]  # the Markdown body carries no raw HTML for other renderers


def test_a_killed_build_leaves_the_old_site_whole(tmp_path):
    seeds = tmp_path / "seeds"
    write_answers(400, seeds)
    out = tmp_path / "site"
    started = time.monotonic()
    assert run_build("--seeds", str(seeds), "--out", str(out), "--no-cache").returncode == 0
    duration = time.monotonic() - started  # the kills land within a build's time, however quick this machine is
    before = tree_digest(out)
    (seeds / sorted(os.listdir(seeds))[3]).write_text(HOSTILE, encoding="utf-8")  # the next build would change things
    rng = random.Random(7)
    killed = 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--out", str(out), "--no-cache"],
                                cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                env={"PATH": "/usr/bin:/bin"})
        time.sleep(rng.uniform(0.1, 1.0) * duration)
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers
        killed += proc.wait() == -signal.SIGKILL
        if tree_digest(out) != before:  # the build got to its one-step swap: then the new site is whole
            assert (out / "svar" / "2016-17-999" / "index.html").is_file()
            before = tree_digest(out)
    assert killed >= 3, "most kills must land in the middle of a build"
    assert run_build("--seeds", str(seeds), "--out", str(out), "--no-cache").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds", "site"], "no temporary folders left behind"


def until_staged(folder: Path, proc: subprocess.Popen, deadline: float) -> None:
    """Wait until the build has moved the spare aside to make the new site in it (or has ended)."""
    while not any(folder.glob(".site.new-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)


def test_a_killed_cached_build_leaves_a_whole_site_and_a_cache_that_still_serves(tmp_path):
    """With the cache, a build is made from the spare site (the one before): a kill while it is changed
    leaves the site whole, and the next build gives what a plain build gives."""
    seeds = tmp_path / "seeds"
    write_answers(1000, seeds)
    out = tmp_path / "site"
    cached = ["--seeds", str(seeds), "--out", str(out), "--cache", str(tmp_path / "cache")]
    names = sorted(os.listdir(seeds))
    rng = random.Random(11)
    killed = while_writing = 0
    for i in range(15):
        edited = seeds / names[10 * i]
        lines = edited.read_text(encoding="utf-8").split("\n")
        lines[1] += f" (rättelse {i})"
        edited.write_text("\n".join(lines), encoding="utf-8")
        before = tree_digest(out) if out.exists() else None
        if i < 3:  # a site, a spare, and the time of a build made from the spare, to kill within
            started = time.monotonic()
            assert run_build(*cached).returncode == 0
            duration = time.monotonic() - started
            continue
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", *cached], cwd=PROJECT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, env={"PATH": "/usr/bin:/bin"})
        if i % 2:  # anywhere in the second half of a build
            time.sleep(rng.uniform(0.45, 0.95) * duration)
        else:  # while the spare is made into the new site: a few hundredths of a second once an edit is keyed
            until_staged(tmp_path, proc, deadline=time.monotonic() + 3 * duration)
            time.sleep(rng.uniform(0, 0.01))
        os.killpg(proc.pid, signal.SIGKILL)
        killed += proc.wait() == -signal.SIGKILL
        while_writing += any(tmp_path.glob(".site.new-*"))  # the spare, moved aside to be made into the new site
        if tree_digest(out) != before:  # it got to its swap: then the new site is whole, this edit in it
            assert any(f"(rättelse {i})" in p.read_text(encoding="utf-8") for p in out.glob("svar/*/index.html"))
    assert killed >= 4 and while_writing >= 2, f"{killed} of 12 kills in a build, {while_writing} while it wrote"
    assert run_build(*cached).returncode == 0
    assert run_build("--seeds", str(seeds), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
    assert tree_digest(out) == tree_digest(tmp_path / "plain")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "cache", "plain", "seeds", "site"]


def test_order_hash_seed_and_file_times_change_no_byte(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    copy = tmp_path / "seeds"
    copy.mkdir()
    for i, p in enumerate(sorted(SEEDS.iterdir(), reverse=True)):  # made in the other order, with other times
        (copy / p.name).write_bytes(p.read_bytes())
        os.utime(copy / p.name, (1_000_000 + i * 999, 1_000_000 + i * 777))
    assert run_build("--seeds", str(SEEDS), "--out", str(a), "--no-cache").returncode == 0
    assert run_build("--seeds", str(copy), "--out", str(b), "--no-cache", "--jobs", "1", env={"PYTHONHASHSEED": "12345"}).returncode == 0
    assert tree_digest(a) == tree_digest(b)


def test_an_oversized_input_gets_a_clear_message(tmp_path, seeds_copy):
    big = seeds_copy / "big.txt"
    with big.open("wb") as f:
        f.write(b"Svar p\xc3\xa5 fr\xc3\xa5ga 2016/17:1 av A B (M)\n" + b"x" * (50 * 1024 * 1024))
    result = run_build("--seeds", str(seeds_copy), "--out", str(tmp_path / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "big.txt:0: is 51200 kB; an answer is at most" in result.stderr


def test_a_hundred_thousand_lines_build_or_fail_cleanly_and_fast(tmp_path, seeds_copy):
    lines = (SEEDS / "000_c685651a6e047703.txt").read_text(encoding="utf-8").splitlines()
    filler = ["Regeringen följer frågan noga."] * 100_000
    (seeds_copy / "000_c685651a6e047703.txt").write_text("\n".join(lines[:3] + filler + lines[3:]), encoding="utf-8")
    started = time.monotonic()
    result = run_build("--seeds", str(seeds_copy), "--out", str(tmp_path / "site"))
    assert time.monotonic() - started < 120
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "svar" / "2016-17-1527" / "index.html").read_text(encoding="utf-8")
    assert page.count("Regeringen följer frågan noga.") == 100_000


@pytest.mark.parametrize("name", ["svar med mellanslag.txt", "svar-å-ä-ö.txt", "svar-\u0061\u030a-nfd.txt", "svar\u200b-zwsp.txt",
                                  "-svar.txt", "svar'\";<b>.txt"])
def test_odd_file_names_build(tmp_path, seeds_copy, name):
    source = seeds_copy / "004_a3e8633d8479b537.txt"
    source.rename(seeds_copy / name)
    result = run_build("--seeds", str(seeds_copy), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    record = next(r for r in json.loads((tmp_path / "site" / "data" / "answers.json").read_text(encoding="utf-8"))
                  if r["designation"] == "2017/18:112")
    assert record["source"] == name
    page = (tmp_path / "site" / "svar" / "2017-18-112" / "index.html").read_text(encoding="utf-8")
    assert "<b>.txt" not in page
