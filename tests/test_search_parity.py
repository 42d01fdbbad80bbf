"""The same queries through lunr.py and through the real lunr.js in node give the same hits in the same order."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index
from sitetools import PROJECT

from generator import search_index

QUERIES = ["utsatta", "skjutning", "skjutningar", "norrkoping", "Norrköping", "omraden", "områden", "2016/17:1527",
           '"sluta skjut"', '"skjut sluta"', "polis militär", "Wallström", "Wanngard", "Staxäng", "regeringen",
           "och att", "title:", "*", "~x", "^", "+polis", "-polis", '"', "ÅÄÖ", "x" * 300, "2017", "moderaterna M"]


def built_index(seed_site: Path) -> Path:
    return next((seed_site / "assets").glob("search-index.*.js"))


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_python_and_lunr_js_agree(seed_site, tmp_path):
    script = built_index(seed_site)
    payload = json.loads(script.read_text(encoding="utf-8").removeprefix("window.SVARSARKIVET_SEARCH=").rstrip(";\n"))
    index = Index.load(payload["index"])
    python_hits = [search_index.search(index, payload["store"], q) for q in QUERIES]
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(QUERIES), encoding="utf-8")
    result = subprocess.run(["node", str(PROJECT / "tests" / "parity.js"), str(script), str(queries)],
                            capture_output=True, text=True, timeout=60, check=True)
    js_hits = json.loads(result.stdout)
    assert python_hits == js_hits
    assert python_hits[QUERIES.index("skjutningar")] == ["2021-22-46"]
    assert python_hits[QUERIES.index('"skjut sluta"')] == []
    assert sum(map(len, python_hits)) > 10  # the queries do find things


def test_stemmer_matches_lunr_sv_generation():
    # Snowball 3 strips '-et' ("statsrådet" -> "statsråd"); lunr.sv.js, and so the index, must not.
    assert search_index._STEMMER.stemWord("statsrådet") == "statsrådet"
