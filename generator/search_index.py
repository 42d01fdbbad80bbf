"""The search index: answers -> a Lunr index (lunr.py) that lunr.js with lunr-languages' Swedish loads in the browser.

The Python pipeline is built from the same parts as the browser's: lunr-languages' Swedish trimmer
(word characters plus digits), its stop words, and the Snowball Swedish stemmer of the same
generation (snowballstemmer 2.2; 3.x strips '-et' and would disagree with lunr.sv.js). The labels
match lunr.sv.js's, so lunr.js finds the same functions by name. `search` is the query logic of
static/search.js in Python, so tests can check both give the same hits in the same order.
"""

from __future__ import annotations

import json
import re
import unicodedata

import snowballstemmer
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.query import Query
from lunr.token import Token

from generator.model import Answer

WORD_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c\u1d62-\u1d65"
    "\u1d6b-\u1d77\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a\u212b\u2132\u214e"
    "\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787\ua78b-\ua7ad\ua7b0-\ua7b7\ua7f7-\ua7ff\uab30-\uab5a"
    "\uab5c-\uab64\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a0-9"
)
_TRIM_START = re.compile(f"^[^{WORD_CHARACTERS}]+")
_TRIM_END = re.compile(f"[^{WORD_CHARACTERS}]+$")
STOP_WORDS = frozenset(
    "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där "
    "då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke "
    "ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något "
    "några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till under upp "
    "ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än "
    "är åt över".split()
)
_STEMMER = snowballstemmer.stemmer("swedish")

FIELDS = (("title", 10), ("designation", 10), ("asker", 4), ("minister", 4), ("party", 2), ("text", 1), ("folded", 1))


def trim(token: str) -> str:
    return _TRIM_END.sub("", _TRIM_START.sub("", token))


def trimmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: trim(s))


def stop_word_filter_sv(token: Token, i=None, tokens=None) -> Token | None:
    return None if str(token) in STOP_WORDS else token


def stemmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: _STEMMER.stemWord(s))


for _fn, _label in ((trimmer_sv, "trimmer-sv"), (stop_word_filter_sv, "stopWordFilter-sv"), (stemmer_sv, "stemmer-sv")):
    if _label not in Pipeline.registered_functions:
        Pipeline.register_function(_fn, _label)


def fold(text: str) -> str:
    """Without diacritics, as readers type: 'Norrköping' -> 'Norrkoping'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_document(answer: Answer) -> dict:
    names = f"{answer.asker} {answer.answered_by} {answer.addressed_to}"
    return {
        "slug": answer.slug,
        "title": " ".join(q.title for q in answer.questions),
        "designation": " ".join(q.designation for q in answer.questions),
        "asker": " ".join(q.asker for q in answer.questions),
        "minister": f"{answer.answered_by} {answer.addressed_to}",
        "party": " ".join(q.asker_party for q in answer.questions),
        "text": answer.text,
        "folded": fold(f"{answer.title} {names} {answer.text}"),
    }


def build_index(answers: list[Answer]):
    """A lunr.py Index over the answers (ref: slug)."""
    builder = Builder()
    builder.pipeline.add(trimmer_sv, stop_word_filter_sv, stemmer_sv)
    builder.search_pipeline.add(stemmer_sv)
    builder.ref("slug")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for answer in sorted(answers, key=lambda a: a.slug):
        builder.add(search_document(answer))
    return builder.build()


def store_entry(answer: Answer) -> dict:
    """What a hit shows, and what the filters and the phrase check need."""
    return {
        "t": answer.title, "d": answer.designation, "m": answer.answered_by, "p": answer.asker_party,
        "y": answer.year, "k": answer.doc_type, "dt": answer.date, "u": answer.url, "x": answer.text,
    }


def index_script(answers: list[Answer]) -> str:
    """The index and the store as one script, so that a page opened from disk (file://) can load it."""
    payload = {
        "index": build_index(answers).serialize(),
        "store": {a.slug: store_entry(a) for a in sorted(answers, key=lambda a: a.slug)},
    }
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.SVARSARKIVET_SEARCH={data};\n"


# --- the query logic of static/search.js -------------------------------------------------------


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """(words, phrases) of a reader's query: quoted parts are phrases, and their words are words too."""
    phrases = [p.strip() for p in re.findall(r'"([^"]*)"', query) if p.strip()]
    words = []
    for raw in re.split(r"[\s\-]+", query.replace('"', " ").lower()):
        word = trim(raw)
        if word and word not in STOP_WORDS:
            words.append(word)
    return words, phrases


def search(index, store: dict, query: str) -> list[str]:
    """Slugs of the answers for `query`, best first: every word must match, in any field."""
    words, phrases = query_terms(query)
    if not words:
        return []
    q = Query(index.fields)
    for word in words:
        q.term(word, use_pipeline=True)
        q.term(fold(word), use_pipeline=True, fields=["folded"])
    results = index.query(q)
    wanted = [{_STEMMER.stemWord(word), _STEMMER.stemWord(fold(word))} for word in words]
    hits = []
    for r in results:
        matched = set(r["match_data"].metadata)
        if not all(forms & matched for forms in wanted):
            continue
        text = fold(store[r["ref"]]["x"] + " " + store[r["ref"]]["t"]).lower()
        if all(" ".join(fold(p).lower().split()) in " ".join(text.split()) for p in phrases):
            hits.append(r["ref"])
    return hits
