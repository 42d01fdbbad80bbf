"""The same queries through lunr.py and through the real lunr.js in node give the same hits in the same order."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sitetools import PROJECT

from generator import search_index

QUERIES = ["utsatta", "skjutning", "skjutningar", "norrkoping", "Norrköping", "omraden", "områden", "2016/17:1527",
           '"sluta skjut"', '"skjut sluta"', "polis militär", "Wallström", "Wanngard", "Staxäng", "regeringen",
           "och att", "title:", "*", "~x", "^", "+polis", "-polis", '"', "ÅÄÖ", "x" * 300, "2017", "moderaterna M"]


def manifest_path(site: Path) -> str:
    page = (site / "sok" / "index.html").read_text(encoding="utf-8")
    return re.search(r'src="\.\./(assets/search-index\.[0-9a-f]+\.js)"', page).group(1)


def site_loader(site: Path):
    """search_index.search's `load`, reading the data scripts the build wrote."""
    manifest = read_data(site / manifest_path(site))

    def load(key: str):
        if key == "manifest":
            return manifest
        if key.startswith("assets/"):
            return read_data(site / key)
        return read_data(site / manifest["docs"] / f"{key[1:]}.js")
    return load


def read_data(path: Path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("]=") + 2:].rstrip(";\n"))


def js_hits(site: Path, queries: list[str], tmp_path: Path) -> list[list[int]]:
    file = tmp_path / "queries.json"
    file.write_text(json.dumps(queries), encoding="utf-8")
    result = subprocess.run(["node", str(PROJECT / "tests" / "parity.js"), str(site), manifest_path(site), str(file)],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_python_and_lunr_js_agree(seed_site, tmp_path):
    load = site_loader(seed_site)
    python_hits = [search_index.search(load, q) for q in QUERIES]
    assert python_hits == js_hits(seed_site, QUERIES, tmp_path)
    slugs = [load(f"d{n}")["u"] for n in python_hits[QUERIES.index("skjutningar")]]
    assert slugs == ["svar/2021-22-46/index.html"]
    assert python_hits[QUERIES.index('"skjut sluta"')] == []
    assert sum(map(len, python_hits)) > 10  # the queries do find things


def test_stemmer_matches_lunr_sv_generation():
    # Snowball 3 strips '-et' ("statsrådet" -> "statsråd"); lunr.sv.js, and so the index, must not.
    assert search_index.stem("statsrådet") == "statsrådet"


STEM_WORDS = """
const path = require("path");
const root = process.argv[1];
const lunr = require(path.join(root, "node_modules/lunr"));
require(path.join(root, "node_modules/lunr-languages/lunr.stemmer.support"))(lunr);
require(path.join(root, "node_modules/lunr-languages/lunr.sv"))(lunr);
const words = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(words.map((w) => lunr.sv.stemmer(new lunr.Token(w, {})).toString())));
"""


ENDINGS = ["a", "e", "en", "et", "ets", "ens", "er", "erna", "arna", "orna", "ornas", "heten", "heterna", "ande", "ade",
           "at", "ig", "lig", "ligt", "ligen", "löst", "els", "fullt", "ning", "ningar", "s", "t", "ast", "ernas"]


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_the_index_stems_every_word_of_the_seeds_and_corpus_as_the_browser_does():
    """The index is stemmed in Python, the queries in the browser by lunr.sv.js: a word the two stem
    apart is one a reader cannot find."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for folder in (PROJECT / "seeds", PROJECT / "tests" / "corpus")
             for p in sorted(folder.glob("*.txt"))]
    found = {search_index.trim(w) for text in texts for w in re.split(r"[\s\-]+", text.lower())} - {""}
    assert len(found) > 1_000
    # and each with the endings the stemmer's rules take off, or must leave
    words = sorted(found | {w + ending for w in found if w.isalpha() for ending in ENDINGS})
    browser = subprocess.run(["node", "-e", STEM_WORDS, str(PROJECT)], input=json.dumps(words), capture_output=True,
                             text=True, timeout=120, check=True)
    stems = json.loads(browser.stdout)
    assert [(w, search_index.stem(w)) for w, s in zip(words, stems, strict=True) if search_index.stem(w) != s] == []
