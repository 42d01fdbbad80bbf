"""bench/results.json -> the measured tables between the markers in bench/RESULTS.md (the prose around them stays)."""

from __future__ import annotations

import json
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parent
START, END = "<!-- results: start -->", "<!-- results: end -->"


def ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}×" if b else "–"


def seconds(m: dict) -> str:
    return f"{m['seconds']:.2f} s" if m["seconds"] is not None else f"> {m['stopped_after']:.0f} s (stopped)"


def build_table(builds: list[dict]) -> list[str]:
    rows = ["| N | ours, full | ours, nothing changed | ours, one answer edited: first, then another "
            "| ours, one core, no cache | Hugo | MkDocs | full ÷ Hugo | full ÷ MkDocs | edit ÷ full: first, another "
            "| peak memory (ours full / Hugo / MkDocs) |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for b in builds:
        full, hugo, mkdocs = b["ours_full"]["seconds"], b["hugo"]["seconds"], b["mkdocs"]["seconds"]
        vs_mkdocs = ratio(full, mkdocs) if mkdocs else "< " + ratio(full, b["mkdocs"]["stopped_after"])
        rows.append(
            f"| {b['n']:,} | {full:.2f} s | {b['ours_nochange']['seconds']:.2f} s | {b['ours_edit_one']['seconds']:.2f} s, "
            f"{b['ours_edit_another']['seconds']:.2f} s "
            f"| {b['ours_plain_one_core']['seconds']:.2f} s | {hugo:.2f} s | {seconds(b['mkdocs'])} "
            f"| {ratio(full, hugo)} | {vs_mkdocs} | {ratio(b['ours_edit_one']['seconds'], full)}, "
            f"{ratio(b['ours_edit_another']['seconds'], full)} "
            f"| {b['ours_full']['peak_mib']:.0f} / {b['hugo']['peak_mib']:.0f} / {b['mkdocs']['peak_mib']:.0f} MiB |")
    rows.append("")
    rows.append("Pages written: " + "; ".join(
        f"N={b['n']:,}: ours {b['pages']['ours']:,}, Hugo {b['pages']['hugo']:,}, MkDocs {b['pages']['mkdocs']:,}" for b in builds))
    return rows


def warm_table(builds: list[dict]) -> list[str]:
    """The same builds handed to the warm process (`svarsarkivet warm`), its edits taken in turns with
    the cold ones (the table above's "another")."""
    rows = ["| N | full, cold / warm | nothing changed, cold / warm | one answer edited, cold / warm (in turns) "
            "| edit ÷ full: cold, warm |", "|---|---|---|---|---|"]
    for b in builds:
        if "ours_edit_warm" not in b:
            continue
        full, warm = b["ours_full"]["seconds"], b["ours_full_warm"]["seconds"]
        cold_edit, warm_edit = b["ours_edit_another"]["seconds"], b["ours_edit_warm"]["seconds"]
        rows.append(f"| {b['n']:,} | {full:.2f} s / {warm:.2f} s | {b['ours_nochange']['seconds']:.2f} s / "
                    f"{b['ours_nochange_warm']['seconds']:.2f} s | {cold_edit:.3f} s / {warm_edit:.3f} s "
                    f"| {ratio(cold_edit, full)}, {ratio(warm_edit, warm)} |")
    rows.append("")
    rows.append("Every warm build's seconds, full / edits: " + "; ".join(
        f"N={b['n']:,}: {', '.join(f'{t:.2f}' for t in b['ours_full_warm'].get('runs', []))} / "
        f"{', '.join(f'{t:.3f}' for t in b['ours_edit_warm'].get('runs', []))}" for b in builds if "ours_edit_warm" in b) + ".")
    return rows


def search_table(search: list[dict]) -> list[str]:
    rows = ["| N | shards | index (shards + manifest) | largest shard | manifest | query | hits | fetched by the query "
            "(shards + 10 hits) | with the manifest | first query, typed to shown | shard index built | query once built |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in search:
        for word, q in s["queries"].items():
            rows.append(
                f"| {s['n']:,} | {s['shards']} | {s['index_bytes'] / 1e6:.1f} MB ({s['index_gzip'] / 1e6:.2f} MB gzip) "
                f"| {s['largest_shard'] / 1e3:.0f} kB ({s['largest_shard_gzip'] / 1e3:.0f} kB gzip) "
                f"| {s['manifest_bytes'] / 1e3:.0f} kB ({s['manifest_gzip'] / 1e3:.0f} kB gzip) | {word} | {q['hits']:,} "
                f"| {q['bytes'] / 1e3:.0f} kB ({q['gzip'] / 1e3:.0f} kB gzip) "
                f"| {(q['bytes'] + s['manifest_bytes']) / 1e3:.0f} kB ({(q['gzip'] + s['manifest_gzip']) / 1e3:.0f} kB gzip) "
                f"| {q['first_query_s'] * 1000:.0f} ms | {q.get('index_ms', 0):.1f} ms | {q['query_ms_loaded']:.1f} ms |")
    return rows


def main() -> None:
    results = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    lines = [START, f"Measured {results['date']} on this machine ({results['machine']}), one run, all tools side by side; "
             f"ours full and Hugo: the median of {len(results['builds'][0]['hugo'].get('runs', [0]))} builds each, taken in turns.",
             "Every full build's seconds, ours / Hugo: " + "; ".join(
                 f"N={b['n']:,}: {', '.join(f'{t:.2f}' for t in b['ours_full'].get('runs', []))} / "
                 f"{', '.join(f'{t:.2f}' for t in b['hugo'].get('runs', []))}" for b in results["builds"]) + ".",
             "Every edit's seconds (the median of each three is in the table), first on each full build's site / then "
             "three more from the spare: " + "; ".join(
                 f"N={b['n']:,}: {', '.join(f'{t:.2f}' for t in b['ours_edit_one'].get('runs', []))} / "
                 f"{', '.join(f'{t:.2f}' for t in b['ours_edit_another'].get('runs', []))}" for b in results["builds"]) + ".", "",
             "### Builds", "", *build_table(results["builds"]), "",
             "### Handed to the warm process (`svarsarkivet warm`)", "", *warm_table(results["builds"]), "",
             "### Search (Chromium, served over http)", "",
             *search_table(results["search"]), END]
    path = BENCH / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: "\n".join(lines), text, flags=re.S)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
