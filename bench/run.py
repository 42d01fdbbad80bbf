"""The benchmark: this project against Hugo and MkDocs on the same synthetic answers, side by side in one run.

    bash bench/run.sh [--sizes 1000,2000,10000] [--search-sizes 1000,10000]

For each N: writes N answers (bench/synth.py) and builds them with this project and with Hugo
(taxonomies minister, party and year), three full builds each, in turns, the medians compared; then
with this project a rebuild with nothing changed, a rebuild after editing one answer (on each of the
three full builds' sites) and three more after editing others (made from the spare site, as every
edit after the first is), the median of each three, and a full
build on one core without cache (the plain path); then with MkDocs (search plugin, lang: sv), once.
The same full builds, the rebuild with nothing changed and three edits are also handed to a warm
process (`svarsarkivet warm`), in turns with the cold ones.
It records wall time, with nothing sampling the process, and peak memory from one more full build of
each (the sum over the process and its workers as proportional set size, sampled every 50 ms; MkDocs'
one run every second), then the search figures in the real browser. Results go to
bench/results.json and the tables in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import yaml

from generator.build import SETTLED_NS

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
TOOLS = BENCH.parent / ".bench-venv" / "bin"


ROUNDS = 3  # full builds of ours and of Hugo, in turns; the median of each is compared
EDITS = 3  # edits made from the spare site, one after another; the median is reported
# ext4 passes over inodes freed in the last 5 s (10 s while their table block is unwritten); measured
# here on 2026-12-02, the builds after deleting a size's folders were slower for 30 s and more (each
# size's first full build of ours up to twice its third, Hugo's too), so nothing is deleted mid-run
SETTLE_SECONDS = 30
MKDOCS_LIMIT = 1200  # seconds; MkDocs' build time grows faster than linearly with the number of pages


def hugo_binary() -> str:
    found = list((BENCH.parent / ".bench-venv").glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return str(found[0]) if found else str(TOOLS / "hugo")


SAMPLE_SECONDS = 0.05  # how often a memory run samples: each sample costs the machine about 8 ms of CPU per process


def measure(cmd: list[str], cwd: Path | None = None, timeout: float | None = None, sample_every: float | None = None,
            env: dict[str, str] | None = None) -> dict:
    """Wall seconds of one command, and with `sample_every` its peak memory (MiB, summed over the process
    tree, sampled that often); a command still running after `timeout` seconds is stopped and recorded
    as such. A timed run samples nothing: reading every process's memory map 20 times a second takes a
    fifth of a core, which the tool measured would lose (more for ours, four processes, than for Hugo)."""
    os.sync()  # so that no tool pays for writing out what the one before it left in memory
    started = time.monotonic()
    proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})})
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
                # PSS, not RSS: forked workers share the parent's pages, and RSS would count them twice
                peak = max(peak, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                pass
            time.sleep(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_every:
        sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for p in [*proc.children(recursive=True), proc]:
            p.kill()
        proc.communicate()
        done.set()
        if sample_every:
            sampler.join()
        return {"seconds": None, "stopped_after": timeout, "peak_mib": round(peak / 2**20, 1) if sample_every else None, "stdout": ""}
    seconds = time.monotonic() - started
    done.set()
    if sample_every:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return {"seconds": round(seconds, 3), "peak_mib": round(peak / 2**20, 1) if sample_every else None, "stdout": out.decode()[-300:]}


def settle() -> None:
    """Wait until the deletions just made no longer slow the making of files (see build_figures)."""
    os.sync()
    time.sleep(SETTLE_SECONDS)


def our_build(seeds: Path, out: Path, cache: Path, *extra: str, sample_every: float | None = None, warm: Path | None = None) -> dict:
    """A build from the command line: handed to the warm process whose socket is in the folder `warm`,
    or cold (a folder where no warm process is, not even one the user left up)."""
    return measure([PYTHON, "-m", "generator", "build", "--seeds", str(seeds), "--out", str(out), "--cache", str(cache), *extra],
                   cwd=PROJECT, sample_every=sample_every, env={"XDG_RUNTIME_DIR": str(warm or NO_WARM_PROCESS)})


NO_WARM_PROCESS = Path("/nonexistent-svarsarkivet-bench")


@contextlib.contextmanager
def warm_process(run: Path) -> Iterator[Path]:
    """`svarsarkivet warm` with its socket in the folder `run`, up until the block ends."""
    run.mkdir(parents=True, exist_ok=True)
    log = run / "warm.log"
    with log.open("wb") as output:
        proc = subprocess.Popen([PYTHON, "-m", "generator", "warm"], cwd=PROJECT, stdout=output, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONHASHSEED": "0", "XDG_RUNTIME_DIR": str(run)})
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops it" not in log.read_text(encoding="utf-8"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the warm process did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.05)
        yield run
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    builds = sum(" build " in line for line in log.read_text(encoding="utf-8").splitlines())
    print(f"the warm process made {builds} builds", flush=True)


def hugo_build(work: Path, destination: Path, sample_every: float | None = None) -> dict:
    return measure([hugo_binary(), "--quiet", "--source", str(work / "hugo"), "--destination", str(destination)],
                   sample_every=sample_every)


def front_matter_and_body(md: Path) -> tuple[dict, str]:
    text = md.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def write_mkdocs_project(site: Path, folder: Path) -> None:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Svarsarkivet\n", encoding="utf-8")
    for md in sorted(site.glob("svar/*/*.md")):
        meta, body = front_matter_and_body(md)
        (docs / md.name).write_text(f"# {meta['title']}\n\n{meta['designation']}, {meta['answered_by']}, {meta['date']}\n\n{body}",
                                    encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Svarsarkivet\nplugins:\n  - search:\n      lang: sv\n", encoding="utf-8")


HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                            "<body>{{ block \"main\" . }}{{ end }}</body></html>",
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.designation }} · '
                            '{{ range .Params.ministrar }}{{ . }}{{ end }} · {{ .Date.Format "2006-01-02" }}</p>{{ .Content }}{{ end }}',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
                          "{{ .Title }}</a> {{ .Params.designation }}</li>{{ end }}</ol>{{ end }}",
    "_default/terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
                           '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}',
}


def write_hugo_project(site: Path, folder: Path) -> None:
    content = folder / "content" / "svar"
    content.mkdir(parents=True)
    for md in sorted(site.glob("svar/*/*.md")):
        meta, body = front_matter_and_body(md)
        head = {"title": meta["title"], "date": str(meta["date"]), "designation": meta["designation"],
                "ministrar": [meta["answered_by"]], "partier": [meta["asker_party"]], "ar": [str(meta["date"])[:4]]}
        (content / md.name).write_text("---\n" + yaml.safe_dump(head, allow_unicode=True) + "---\n\n" + body, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / rel).write_text(text, encoding="utf-8")
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "sv"\ntitle = "Svarsarkivet"\ndisableKinds = ["RSS"]\n'
        '[taxonomies]\nminister = "ministrar"\nparti = "partier"\nar = "ar"\n', encoding="utf-8")


def edit_one(seeds: Path, which: int) -> None:
    """Add to the title of one answer (the middle one, `which` further on)."""
    path = sorted(seeds.iterdir())[len(list(seeds.iterdir())) // 2 + which]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] += " (rättad)"
    path.write_text("\n".join(lines), encoding="utf-8")


def build_figures(n: int, work: Path) -> dict:
    from bench.synth import write_answers

    seeds = work / "seeds"
    write_answers(n, seeds)
    # as an editor's files are: a build trusts the status (size, times) of an input only when it was
    # last changed SETTLED_NS before it was read, so the first edit after a build that read files
    # written a moment before reads and hashes every input again (measured here: 375-399 ms against
    # 316-346 ms for the edits after it, three runs at 2,000 answers)
    time.sleep(SETTLED_NS / 1e9 + 0.5)
    figures = {"n": n}
    ours, hugo, warm = [], [], []
    with warm_process(work / "warm-run") as run:
        # Every full build writes into a folder of its own, as a first build does, and nothing is deleted
        # until all are done: on this machine's ext4 (no journal), files made in the seconds after many
        # were deleted cost several times more system time (ialloc passes over the freed inodes, see
        # generator/write.py:discarded), and whichever tool came right after a deletion would pay for it.
        for turn in range(ROUNDS):  # ours (cold, then warm) and Hugo in turns, so that all meet the machine's moods alike
            cache, site = work / f"full-{turn}" / "cache", last_full_site(work, turn)
            ours.append(our_build(seeds, site, cache))
            warm.append(our_build(seeds, work / f"warm-{turn}" / "site", work / f"warm-{turn}" / "cache", warm=run))
            if turn == 0:
                write_hugo_project(site, work / "hugo")
            hugo.append(hugo_build(work, work / f"full-{turn}" / "public"))
        figures["ours_full_warm"] = median_run(warm)
        # peak memory from one more full build of each, sampled (the timed ones are not: see measure)
        memory = work / "full-memory"
        figures["ours_full"] = {**median_run(ours), "peak_mib": our_build(seeds, memory / "site", memory / "cache",
                                                                          sample_every=SAMPLE_SECONDS)["peak_mib"]}
        figures["hugo"] = {**median_run(hugo), "peak_mib": hugo_build(work, memory / "public", sample_every=SAMPLE_SECONDS)["peak_mib"]}
        figures["ours_nochange"] = our_build(seeds, site, cache)
        figures["ours_nochange_warm"] = our_build(seeds, site, cache, warm=run)
        # An edit is timed on each of the three full builds' sites (the first after a full build: no
        # spare site yet), then three more on the last one (made from the spare, as every edit after
        # is); the median of each three, as for the full builds. One edit is a few tenths of a second,
        # and one run of it moved by a third from run to run. Those three are taken in turns with three
        # handed to the warm process, on the same site (each edits another answer).
        edit_one(seeds, 0)
        figures["ours_edit_one"] = median_run([our_build(seeds, last_full_site(work, turn), work / f"full-{turn}" / "cache")
                                               for turn in range(ROUNDS)])
        edits, warm_edits = [], []
        for which in range(1, EDITS + 1):
            edit_one(seeds, which)
            edits.append(our_build(seeds, site, cache))
            edit_one(seeds, EDITS + which)
            warm_edits.append(our_build(seeds, site, cache, warm=run))
        figures["ours_edit_another"] = median_run(edits)
        figures["ours_edit_warm"] = median_run(warm_edits)
    figures["ours_plain_one_core"] = our_build(seeds, work / "plain", work / "unused", "--no-cache", "--jobs", "1")
    write_mkdocs_project(site, work / "mkdocs")
    # one run, timed and sampled: once a second, which costs a run of minutes under 1 % of a core
    figures["mkdocs"] = measure([str(TOOLS / "mkdocs"), "build", "--quiet", "-f", str(work / "mkdocs" / "mkdocs.yml")],
                                timeout=MKDOCS_LIMIT, sample_every=1.0)
    figures["pages"] = {"ours": count_html(site), "hugo": count_html(work / "full-0" / "public"),
                        "mkdocs": count_html(work / "mkdocs" / "site") if (work / "mkdocs" / "site").exists() else 0}
    return figures


def last_full_site(work: Path, turn: int = ROUNDS - 1) -> Path:
    """The site of a full build (the last one is also rebuilt after the edits)."""
    return work / f"full-{turn}" / "site"


def median_run(runs: list[dict]) -> dict:
    """The run of median time, and every run's seconds."""
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "runs": [r["seconds"] for r in runs]}


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_figures(n: int, site: Path) -> dict:
    """Index sizes, and in Chromium: bytes fetched for one-word queries, load and query times."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(PROJECT / "tests"))
    from sitetools import CHROMIUM, CHROMIUM_ARGS, serve

    shards = sorted(site.glob("assets/search-shard.*.js"))
    manifest = next(site.glob("assets/search-index.*.js"))
    docs = sorted((site / "sok" / "svar").glob("*.js"))
    figures = {
        "n": n, "shards": len(shards),
        "index_bytes": sum(p.stat().st_size for p in shards) + manifest.stat().st_size,
        "index_gzip": sum(map(gz, shards)) + gz(manifest),
        "largest_shard": max(p.stat().st_size for p in shards), "largest_shard_gzip": max(map(gz, shards)),
        "manifest_bytes": manifest.stat().st_size, "manifest_gzip": gz(manifest),
        "docs_bytes": sum(p.stat().st_size for p in docs),
        "queries": {},
    }
    words = ["regeringen", "polismyndigheten", "skjutningar", "segregation", "norrkoping"]
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for word in words:
            page = browser.new_page(bypass_csp=True)  # the timing below runs a script in the page
            fetched: list[str] = []
            page.on("requestfinished", lambda r, fetched=fetched: fetched.append(r.url))
            started = time.monotonic()
            page.goto(base + "sok/index.html")
            page.wait_for_load_state("load")
            loaded = time.monotonic() - started
            fetched.clear()
            started = time.monotonic()
            page.fill("#q", word)
            page.press("#q", "Enter")
            page.locator("#search-status").filter(has_text=re.compile(r"svar för")).wait_for(timeout=60000)
            first_query = time.monotonic() - started
            # once the shards are in, timed in the page: lunr.js building the index of the query's shards,
            # then the query on it (search keeps the index of the shards it used last)
            warm = page.evaluate("""(word) => {
                const m = window.SVARSARKIVET_DATA.manifest, S = window.SvarsarkivetSearch;
                const data = window.SVARSARKIVET_DATA;
                const doc = (n) => Promise.resolve(data["d" + n]);
                const loaded = Object.keys(data).filter((key) => key.startsWith("assets/search-shard"));
                const t0 = performance.now();
                S.shardsIndex(m, loaded.map((key) => data[key]));
                const t1 = performance.now();
                const shard = (n) => Promise.resolve(data[m.shards[n][1]]);
                return S.search(m, shard, doc, word).then((found) => [t1 - t0, performance.now() - t1, found.hits.length]);
            }""", word)
            files = [site / u.removeprefix(base) for u in fetched if u.startswith(base)]
            figures["queries"][word] = {
                "files": len(files), "bytes": sum(f.stat().st_size for f in files if f.is_file()),
                "gzip": sum(gz(f) for f in files if f.is_file()),
                "hits": warm[2], "page_load_s": round(loaded, 3), "first_query_s": round(first_query, 3),
                "index_ms": round(warm[0], 1), "query_ms_loaded": round(warm[1], 1),
            }
            page.close()
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,10000")
    parser.add_argument("--search-sizes", default="1000,10000")
    parser.add_argument("--keep", type=Path, default=None, help="keep the work folders here")
    parser.add_argument("--search-only", action="store_true", help="only the search figures (builds this project only), "
                        "replacing those of the same sizes in results.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    search_sizes = {int(s) for s in args.search_sizes.split(",") if s}
    results = {"machine": f"{os.cpu_count()} cores", "date": time.strftime("%Y-%m-%d"), "builds": [], "search": []}
    root = args.keep or Path(tempfile.mkdtemp(prefix="svarsarkivet-bench-"))
    if args.search_only:
        results = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
        from bench.synth import write_answers

        for n in sorted(search_sizes):
            work = root / str(n)
            write_answers(n, work / "seeds")
            our_build(work / "seeds", work / "site", work / "cache")
            results["search"] = [s for s in results["search"] if s["n"] != n] + [search_figures(n, work / "site")]
            shutil.rmtree(work, ignore_errors=True)
        results["search"].sort(key=lambda s: s["n"])
        (BENCH / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
        return
    settle()  # after whatever was deleted before the run
    for n in sizes:
        work = root / str(n)
        if work.exists():
            shutil.rmtree(work)
            settle()
        print(f"N={n}: building ...", flush=True)
        figures = build_figures(n, work)
        results["builds"].append(figures)
        print(json.dumps({k: v for k, v in figures.items()}, default=str)[:600], flush=True)
        if n in search_sizes:
            results["search"].append(search_figures(n, last_full_site(work)))
            print(json.dumps(results["search"][-1])[:600], flush=True)
    if not args.keep:  # only now: the builds after a deletion would pay for it (see build_figures)
        shutil.rmtree(root, ignore_errors=True)
    (BENCH / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print("wrote bench/results.json; bench/report.py turns it into the tables of bench/RESULTS.md")


if __name__ == "__main__":
    main()
