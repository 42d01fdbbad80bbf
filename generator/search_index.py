"""The search index: answers -> Lunr index shards that lunr.js (with lunr-languages' Swedish) loads on demand.

Terms are made as lunr.py's Builder makes them, with the browser's parts: lunr-languages' Swedish
trimmer (word characters plus digits), its stop words and the Snowball Swedish stemmer of the same
generation (snowballstemmer 2.2; 3.x strips '-et' and would disagree with lunr.sv.js). Weights are
Lunr's BM25 field vectors; tests/test_search_index.py checks them against lunr.py's own Builder.

At 10,000 answers one Lunr index is megabytes, so it is split by term into shards of about
SHARD_BYTES. A shard holds, per term, the answers and fields it occurs in with the weight divided by
the length of that field's whole vector: lunr.js scores a field by dot(query, vector) / |vector|,
which is linear in the terms, so a shard rebuilt in the browser as a Lunr index whose vectors have
magnitude 1 scores each answer exactly as the whole index would, and the scores of several shards
add up. Display data and texts (for snippets and phrases) come per answer, only for the hits shown.
Every file is a script, so a page opened from disk (file://) can load it.

`search` is the query logic of static/search.js in Python; a test checks both give the same hits.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from lunr import __TARGET_JS_VERSION__
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query
from lunr.token import Token

from generator.model import Answer, Output, answer_digest, digest

WORD_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c\u1d62-\u1d65"
    "\u1d6b-\u1d77\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a\u212b\u2132\u214e"
    "\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787\ua78b-\ua7ad\ua7b0-\ua7b7\ua7f7-\ua7ff\uab30-\uab5a"
    "\uab5c-\uab64\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a0-9"
)
_TRIM_START = re.compile(f"^[^{WORD_CHARACTERS}]+")
_TRIM_END = re.compile(f"[^{WORD_CHARACTERS}]+$")
_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")  # lunr.py's tokenizer splits on exactly these
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
K1, B = 1.2, 0.75  # Lunr's BM25 defaults
WEIGHT_SCALE = 100_000  # a shard's weights are integers: weight / |vector| * WEIGHT_SCALE
SHARD_BYTES = 40_000
DATA_GLOBAL = "SVARSARKIVET_DATA"
PHRASE_CHECKS = 400  # a phrase is checked in this many of the best candidates (their texts are loaded one by one)


def trim(token: str) -> str:
    return _TRIM_END.sub("", _TRIM_START.sub("", token))


def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


# lunr's pipeline functions, registered under lunr.sv.js's labels so both sides name the same parts.
def trimmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: trim(s))


def stop_word_filter_sv(token: Token, i=None, tokens=None) -> Token | None:
    return None if not str(token) or str(token) in STOP_WORDS else token


def stemmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: stem(s))


for _fn, _label in ((trimmer_sv, "trimmer-sv"), (stop_word_filter_sv, "stopWordFilter-sv"), (stemmer_sv, "stemmer-sv")):
    if _label not in Pipeline.registered_functions:
        Pipeline.register_function(_fn, _label)


@lru_cache(maxsize=500_000)
def index_term(token: str) -> str | None:
    """The term a lower-cased token is indexed as (trimmer, stop words, stemmer), or None."""
    word = trim(token)
    return None if not word or word in STOP_WORDS else stem(word)


def field_terms(value: str) -> list[str]:
    return [term for term in map(index_term, _SEPARATORS.split(value.lower())) if term]


def fold(text: str) -> str:
    """Without diacritics, as readers type: 'Norrköping' -> 'Norrkoping'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_document(answer: Answer) -> dict[str, str]:
    """The text of each field. `folded` holds only the words that lose a diacritic when folded,
    so that 'omraden' finds 'områden' without doubling every plain word."""
    names = f"{answer.asker} {answer.answered_by} {answer.addressed_to}"
    words = _SEPARATORS.split(f"{answer.title} {names} {answer.text}")
    return {
        "title": " ".join(q.title for q in answer.questions),
        "designation": " ".join(q.designation for q in answer.questions),
        "asker": " ".join(q.asker for q in answer.questions),
        "minister": f"{answer.answered_by} {answer.addressed_to}",
        "party": " ".join(q.asker_party for q in answer.questions),
        "text": answer.text,
        "folded": " ".join(changed_by_folding(words)),
    }


def changed_by_folding(words: list[str]) -> list[str]:
    out = []
    for word in words:
        if not word.isascii():  # ASCII words never change
            folded = fold_word(word)
            if folded != word:
                out.append(folded)
    return out


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    return fold(word)


def ordered(answers: list[Answer]) -> list[Answer]:
    """Answers in document-number order: the number is the position here."""
    return sorted(answers, key=lambda a: a.slug)


def utf16_key(text: str) -> bytes:
    """JavaScript compares strings by UTF-16 code units; sort the same way on both sides."""
    return text.encode("utf-16-be")


# --- building ----------------------------------------------------------------------------------


# Per field, in FIELDS order: (its terms joined by spaces, how often each occurs). Counted once per
# answer, on any core, and kept in the build cache with the answer, so a rebuild after one edit only
# weighs the terms anew. One string per field, not one per term: at 10,000 answers that is millions
# of objects fewer to hold and to pickle. (A term never holds a space: the tokenizer splits on it.)
Terms = tuple[tuple[str, array], ...]


def answer_terms(answer: Answer) -> Terms:
    document = search_document(answer)
    fields = []
    for name, _boost in FIELDS:
        counts: dict[str, int] = {}
        for term in field_terms(document[name]):
            counts[term] = counts.get(term, 0) + 1
        fields.append((" ".join(counts), array("I", counts.values())))
    return tuple(fields)


@dataclass
class Postings:
    """term -> field number -> (document numbers, scaled weights), in document order."""

    docs: dict[str, dict[int, array]]
    weights: dict[str, dict[int, array]]


def field_terms_of(terms: str) -> list[str]:
    return terms.split(" ") if terms else []


def inverse_document_frequencies(per_doc: list[Terms]) -> dict[str, float]:
    with_term: dict[str, int] = defaultdict(int)  # as Lunr counts it: once per field the term is in
    for fields in per_doc:
        for terms, _tfs in fields:
            for term in field_terms_of(terms):
                with_term[term] += 1
    count = len(per_doc)
    return {term: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for term, n in with_term.items()}


def build_postings(answers: list[Answer], known: Mapping[str, Terms] | None = None) -> Postings:
    """Every (term, field, document) with its Lunr weight divided by the field vector's magnitude.

    `known` maps an answer's source file to its answer_terms, where already counted."""
    known = known or {}
    per_doc = [known.get(a.source) or answer_terms(a) for a in ordered(answers)]
    idf = inverse_document_frequencies(per_doc)
    lengths = [[sum(tfs) for _terms, tfs in fields] for fields in per_doc]
    average = [sum(doc[f] for doc in lengths) / len(per_doc) for f in range(len(FIELDS))]
    docs: dict[str, dict[int, array]] = defaultdict(dict)
    weights: dict[str, dict[int, array]] = defaultdict(dict)
    for number, fields in enumerate(per_doc):
        for f, (joined, tfs) in enumerate(fields):
            if not tfs:
                continue
            terms = field_terms_of(joined)
            boost = FIELDS[f][1]
            norm = 1 - B + B * (lengths[number][f] / average[f])
            # Lunr's formula, operation for operation, so the rounding is Lunr's too
            scores = [round(idf[t] * ((K1 + 1) * tf) / (K1 * norm + tf) * boost, 3) for t, tf in zip(terms, tfs, strict=True)]
            magnitude = math.sqrt(sum(s * s for s in scores)) or 1.0
            for term, score in zip(terms, scores, strict=True):
                if f not in docs[term]:
                    docs[term][f], weights[term][f] = array("I"), array("I")
                docs[term][f].append(number)
                weights[term][f].append(round(score / magnitude * WEIGHT_SCALE))
    return Postings(docs, weights)


def term_entry(postings: Postings, term: str) -> dict[str, list[list[int]]]:
    """{field: [document number gaps, weights]} for one term."""
    entry = {}
    for f in sorted(postings.docs[term]):
        numbers = postings.docs[term][f]
        gaps = [numbers[0]] + [b - a for a, b in zip(numbers, numbers[1:], strict=False)]
        entry[FIELDS[f][0]] = [gaps, list(postings.weights[term][f])]
    return entry


def shards(postings: Postings) -> Iterator[tuple[str, dict[str, str]]]:
    """(first term, {term: its entry as JSON}) for consecutive runs of terms, each about SHARD_BYTES of
    JSON. The first shard's first term is "", so every term has a shard."""
    current: dict[str, str] = {}
    size = 0
    first = ""
    for term in sorted(postings.docs, key=utf16_key):
        entry = to_json(term_entry(postings, term))
        cost = len(entry) + len(term) + 4
        if current and size + cost > SHARD_BYTES:
            yield first, current
            current, size, first = {}, 0, term
        current[term] = entry
        size += cost
    yield first, current


def facets(answers: list[Answer]) -> dict:
    """Per document number: minister, party, year and type (as indexes into value lists), for the filters."""
    docs = ordered(answers)
    columns = {"m": [a.answered_by for a in docs], "p": [a.asker_party for a in docs],
               "y": [str(a.year) for a in docs], "k": [a.doc_type for a in docs]}
    out: dict = {"n": len(docs)}
    for key, values in columns.items():
        names = sorted(set(values))
        position = {v: i for i, v in enumerate(names)}
        out[key] = {"names": names, "of": [position[v] for v in values]}
    return out


def document_entry(answer: Answer) -> dict:
    """What a hit shows, and the text the snippet and the phrase check need."""
    return {
        "t": answer.title, "d": answer.designation, "m": answer.answered_by, "p": answer.asker_party,
        "y": answer.year, "k": answer.doc_type, "dt": answer.date, "u": answer.url, "x": answer.text,
    }


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def data_script(key: str, data) -> bytes:
    """A script that files `data` under `key`, for pages opened from disk as well as hosted."""
    return json_script(key, to_json(data))


def json_script(key: str, payload: str) -> bytes:
    payload = payload.replace("</", "<\\/")  # never close a script element, whatever the text holds
    return f'(window.{DATA_GLOBAL}=window.{DATA_GLOBAL}||{{}})["{key}"]={payload};\n'.encode()


DOC_FOLDER = "sok/svar"  # per-answer search files; not in assets/ because they are not content-hashed


def shard_files(answers: list[Answer], hashed_name: Callable[[str, bytes], str],
                known: Mapping[str, Terms] | None = None) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(the manifest script, [(site path, bytes)] of the index shards); `known` as for build_postings."""
    files = []
    shard_list = []
    for i, (first, shard) in enumerate(shards(build_postings(answers, known))):
        # the entries are JSON already (measured for the shard's size): joined as to_json would
        content = json_script(f"s{i}", "{" + ",".join(f"{to_json(term)}:{shard[term]}" for term in sorted(shard)) + "}")
        path = hashed_name(f"search-shard-{i}.js", content)
        files.append((path, content))
        shard_list.append([first, path])
    manifest = {"fields": [name for name, _ in FIELDS], "shards": shard_list, "docs": DOC_FOLDER, "facets": facets(answers)}
    return data_script("manifest", manifest), files


def document_files(answers: list[Answer], code: str = "", key_of: Callable[[Answer], str] = answer_digest) -> list[Output]:
    """Each answer's hit data and text, in a file of its own (made when written)."""
    files = []
    for number, answer in enumerate(ordered(answers)):
        files.append(Output(f"{DOC_FOLDER}/{number}.js", digest(code, "hit", number, key_of(answer)),
                            lambda number=number, answer=answer: data_script(f"d{number}", document_entry(answer))))
    return files


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


def word_forms(word: str) -> set[str]:
    """The index terms a query word may match: as typed, and folded."""
    return {stem(word), stem(fold(word))}


def shard_of(manifest: dict, term: str) -> int:
    firsts = [utf16_key(first) for first, _path in manifest["shards"]]
    key = utf16_key(term)
    position = 0
    for i, first in enumerate(firsts):
        if first <= key:
            position = i
    return position


def shard_index(manifest: dict, shard: dict) -> Index:
    """A shard as a lunr.py Index, built as static/search.js builds it for lunr.js."""
    fields = manifest["fields"]
    inverted, vectors = [], {}
    for i, term in enumerate(sorted(shard, key=utf16_key)):
        posting = {"_index": i, **{f: {} for f in fields}}
        for field, (gaps, weights) in shard[term].items():
            number = 0
            for gap, weight in zip(gaps, weights, strict=True):
                number += gap
                posting[field][str(number)] = {}
                vectors.setdefault(f"{field}/{number}", []).extend([i, weight / WEIGHT_SCALE])
        inverted.append([term, posting])
    index = Index.load({"version": __TARGET_JS_VERSION__, "fields": fields, "invertedIndex": inverted,
                        "fieldVectors": list(vectors.items()), "pipeline": ["stemmer-sv"]})
    for vector in index.field_vectors.values():
        vector._magnitude = 1  # the weights are already divided by the whole vector's length
    return index


def search(load: Callable[[str], dict], query: str) -> list[int]:
    """Document numbers for `query`, best first: every word must match, in any field.

    `load(key)` gives a data file's content: "manifest", "s3" (shard 3), "d12" (answer 12).
    """
    words, phrases = query_terms(query)
    if not words:
        return []
    manifest = load("manifest")
    wanted = [word_forms(w) for w in words]
    scores: dict[str, float] = defaultdict(float)
    matched: dict[str, set] = defaultdict(set)
    for number in sorted({shard_of(manifest, form) for forms in wanted for form in forms}):
        index = shard_index(manifest, load(f"s{number}"))
        q = Query(index.fields)
        for word in words:
            q.term(word, use_pipeline=True)
            q.term(fold(word), use_pipeline=True, fields=["folded"])
        for r in index.query(q):
            scores[r["ref"]] += r["score"]
            matched[r["ref"]] |= set(r["match_data"].metadata)
    refs = sorted((ref for ref in scores if all(forms & matched[ref] for forms in wanted)),
                  key=lambda ref: (-scores[ref], int(ref)))
    if not phrases:
        return [int(ref) for ref in refs]
    hits = []
    for ref in refs[:PHRASE_CHECKS]:  # phrases are checked in the best candidates' texts only
        doc = load(f"d{ref}")
        text = " ".join(fold(doc["x"] + " " + doc["t"]).lower().split())
        if all(" ".join(fold(p).lower().split()) in text for p in phrases):
            hits.append(int(ref))
    return hits
