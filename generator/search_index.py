"""The search index: answers -> Lunr index shards that lunr.js (with lunr-languages' Swedish) loads on demand.

Terms are made as lunr.py's Builder makes them, with the browser's parts: lunr-languages' Swedish
trimmer (word characters plus digits), its stop words and the Snowball Swedish stemmer of the same
generation (Snowball 2.2, compiled: PyStemmer 2.2; 3.x strips '-et' and would disagree with lunr.sv.js). Weights are
Lunr's BM25 field vectors; tests/test_search_index.py checks them against lunr.py's own Builder.

At 10,000 answers one Lunr index is megabytes, so it is split by term into shards of about
SHARD_BYTES, named by their content. A shard holds, per term, the answers and fields it occurs in
and how often; the manifest holds every answer's field lengths. A query loads the shards of its
words, and the browser makes them one Lunr index, weighing each term with Lunr's own formula
(lunr.idf, BM25 against the average field length over all answers): every word of the query is in
it with the whole index's weights, so lunr.js ranks as the whole index would (a test compares with
lunr.py's Builder). Weighed in the browser rather than at build time, a shard stays as it was when an
edit leaves its terms alone, though every weight depends on every answer. Display data and texts
(for snippets and phrases) come per answer, only for the hits shown.
Every file is a script, so a page opened from disk (file://) can load it.

`search` is the query logic of static/search.js in Python; a test checks both give the same hits.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import pickle
import re
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.model import Answer, Output, answer_digest, key_of

if TYPE_CHECKING:
    import lunr
    from lunr.token import Token

WORD_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c\u1d62-\u1d65"
    "\u1d6b-\u1d77\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a\u212b\u2132\u214e"
    "\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787\ua78b-\ua7ad\ua7b0-\ua7b7\ua7f7-\ua7ff\uab30-\uab5a"
    "\uab5c-\uab64\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a0-9"
)
_TRIM_START = re.compile(f"^[^{WORD_CHARACTERS}]+")
_TRIM_END = re.compile(f"[^{WORD_CHARACTERS}]+$")
SEPARATORS = " \t\n\r\f\v\xa0-"  # lunr.py's tokenizer splits on exactly these
STOP_WORDS = frozenset(
    "alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där "
    "då efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke "
    "ingen inom inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något "
    "några och om oss på samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till under upp "
    "ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än "
    "är åt över".split()
)

FIELDS = (("title", 10), ("designation", 10), ("asker", 4), ("minister", 4), ("party", 2), ("text", 1), ("folded", 1))
K1, B = 1.2, 0.75  # Lunr's BM25 defaults
SHARD_BYTES = 40_000  # a shard's size in JSON, on average
SHARD_MIN, SHARD_MAX = SHARD_BYTES // 2, SHARD_BYTES * 4
DOC_FOLDER = "sok/svar"  # per-answer search files; not in assets/ because they are not content-hashed
DATA_GLOBAL = "SVARSARKIVET_DATA"
PHRASE_CHECKS = 400  # a phrase is checked in this many of the best candidates (their texts are loaded one by one)


def trim(token: str) -> str:
    return _TRIM_END.sub("", _TRIM_START.sub("", token))


def stem(word: str) -> str:
    return swedish_stemmer().stemWord(word)


@lru_cache(maxsize=1)
def swedish_stemmer():
    """Snowball's C stemmer (PyStemmer), imported when first asked for: a build that reads no answer
    anew stems nothing. The pure-Python snowballstemmer gives the same stems (24,590 words of the
    seeds and corpus compared) at 7.4 us a word against 1.4, and its import, which loads all its 29
    languages, took 12-16 ms against 1."""
    import Stemmer

    return Stemmer.Stemmer("swedish")


# lunr's pipeline functions, registered under lunr.sv.js's labels so both sides name the same parts.
def trimmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: trim(s))


def stop_word_filter_sv(token: Token, i=None, tokens=None) -> Token | None:
    return None if not str(token) or str(token) in STOP_WORDS else token


def stemmer_sv(token: Token, i=None, tokens=None) -> Token:
    return token.update(lambda s, m: stem(s))


@lru_cache(maxsize=1)
def lunr_py():
    """lunr.py, with the Swedish pipeline functions registered: only the query side needs it (the
    tests, against lunr.js), and importing it would cost every build."""
    import lunr
    from lunr.pipeline import Pipeline

    for fn, label in ((trimmer_sv, "trimmer-sv"), (stop_word_filter_sv, "stopWordFilter-sv"), (stemmer_sv, "stemmer-sv")):
        if label not in Pipeline.registered_functions:
            Pipeline.register_function(fn, label)
    return lunr


@lru_cache(maxsize=500_000)
def index_term(token: str) -> str | None:
    """The term a lower-cased token is indexed as (trimmer, stop words, stemmer), or None."""
    word = trim(token)
    return None if not word or word in STOP_WORDS else stem(word)


def tokens(value: str) -> list[str]:
    """`value` split at SEPARATORS, with empty strings where they run (index_term drops those).
    str.replace and str.split: twice as fast as a regular expression's split."""
    for separator in SEPARATORS[1:]:
        value = value.replace(separator, " ")
    return value.split(" ")


def term_counts(value: str) -> Counter:
    """How often each term occurs in `value`, the terms in the order they first occur."""
    return Counter(filter(None, map(index_term, tokens(value.lower()))))


def fold(text: str) -> str:
    """Without diacritics, as readers type: 'Norrköping' -> 'Norrkoping'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_document(answer: Answer) -> dict[str, str]:
    """The text of each field. `folded` holds only the words that lose a diacritic when folded,
    so that 'omraden' finds 'områden' without doubling every plain word."""
    names = f"{answer.asker} {answer.answered_by} {answer.addressed_to}"
    words = tokens(f"{answer.title} {names} {answer.text}")
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
    # ASCII words never change
    return [folded for word in words if not word.isascii() and (folded := fold_word(word)) != word]


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


def stored_terms(answer: Answer) -> bytes:
    """answer_terms, pickled, as the build cache keeps them: a cache of 10,000 answers loads 0.1 s
    quicker holding 10,000 byte strings than 140,000 strings and arrays, which only a search index
    made anew needs (see terms_of)."""
    return pickle.dumps(answer_terms(answer), protocol=pickle.HIGHEST_PROTOCOL)


def terms_of(stored: bytes) -> Terms:
    return pickle.loads(stored)


def answer_terms(answer: Answer) -> Terms:
    document = search_document(answer)
    fields = []
    for name, _boost in FIELDS:
        counts = term_counts(document[name])
        fields.append((" ".join(counts), array("I", counts.values())))
    return tuple(fields)


@dataclass
class Postings:
    """Where each term occurs, as Lunr's inverted index holds it: term -> field number -> the
    (document number, term frequency) pairs, flat and in document order; and each field's length in
    every document (lengths[field][number]). No weights: the browser weighs the terms of the shards
    it loads (see module doc), so an edit leaves the entries of the terms it does not touch as they were."""

    entries: dict[str, dict[int, array]]
    lengths: list[array]

    def flattened(self) -> tuple:
        """The postings as a few flat arrays, which pickle and load many times quicker than thousands of small ones."""
        terms, fields, sizes, flat = [], array("B"), array("I"), array("I")
        for term, by_field in self.entries.items():
            for f, pairs in by_field.items():
                terms.append(term)
                fields.append(f)
                sizes.append(len(pairs))
                flat.extend(pairs)
        return " ".join(terms), fields, sizes, flat, self.lengths

    @classmethod
    def from_flattened(cls, flat_record: tuple) -> Postings:
        joined, fields, sizes, flat, lengths = flat_record
        entries: dict[str, dict[int, array]] = {}
        start = 0
        for term, f, size in zip(field_terms_of(joined), fields, sizes, strict=True):
            entries.setdefault(term, {})[f] = flat[start:start + size]
            start += size
        return cls(entries, lengths)


def field_terms_of(terms: str) -> list[str]:
    return terms.split(" ") if terms else []


def build_postings(answers: list[Answer], known: Mapping[str, bytes] | None = None) -> Postings:
    """`known` maps an answer's source file to its stored_terms, where already counted."""
    known = known or {}
    entries: dict[str, dict[int, array]] = defaultdict(dict)
    lengths = [array("I") for _ in FIELDS]
    for number, answer in enumerate(ordered(answers)):
        stored = known.get(answer.source)
        for f, (joined, tfs) in enumerate(terms_of(stored) if stored else answer_terms(answer)):
            lengths[f].append(sum(tfs))
            for term, tf in zip(field_terms_of(joined), tfs, strict=True):
                by_field = entries[term]
                pairs = by_field.get(f)
                if pairs is None:
                    pairs = by_field[f] = array("I")
                pairs.append(number)
                pairs.append(tf)
    return Postings(entries, lengths)


def changed_terms(changed: Mapping[int, tuple[Terms, Terms]]) -> frozenset[str]:
    """The terms whose entries update_postings(postings, changed) changes: those a document gained or
    lost in a field, or now holds there a different number of times (an edit of a few words leaves
    the other terms' entries as they were)."""
    terms: set[str] = set()
    for old, new in changed.values():
        for (was, was_tfs), (now, now_tfs) in zip(old, new, strict=True):
            before = dict(zip(field_terms_of(was), was_tfs, strict=True))
            after = dict(zip(field_terms_of(now), now_tfs, strict=True))
            terms.update(term for term in before.keys() | after.keys() if before.get(term) != after.get(term))
    return frozenset(terms)


def update_postings(postings: Postings, changed: Mapping[int, tuple[Terms, Terms]]) -> Postings:
    """`postings` (changed in place) with the terms of some documents replaced: number -> (the terms
    they were built with, the new ones). The same postings as build_postings makes of the new
    documents; ValueError if a document's old terms are not where they should be."""
    entries, lengths = postings.entries, postings.lengths
    for number, (old, new) in sorted(changed.items()):
        for f, (joined, _tfs) in enumerate(old):
            for term in field_terms_of(joined):
                by_field = entries.get(term, {})
                pairs = by_field.get(f, ())
                i = pair_index(pairs, number)
                if i == len(pairs) or pairs[i] != number:
                    raise ValueError(f"document {number} is not in the postings of {term!r}")
                del pairs[i:i + 2]
                if not pairs:
                    del by_field[f]
                    if not by_field:
                        del entries[term]
        for f, (joined, tfs) in enumerate(new):
            lengths[f][number] = sum(tfs)
            for term, tf in zip(field_terms_of(joined), tfs, strict=True):
                pairs = entries.setdefault(term, {}).setdefault(f, array("I"))
                i = pair_index(pairs, number)
                pairs[i:i] = array("I", (number, tf))
    return postings


def pair_index(pairs: Sequence[int], number: int) -> int:
    """Where in `pairs` (document number, frequency, ...; in document order) `number` is or would go."""
    low, high = 0, len(pairs) // 2
    while low < high:
        middle = (low + high) // 2
        if pairs[2 * middle] < number:
            low = middle + 1
        else:
            high = middle
    return 2 * low


def term_entry(by_field: dict[int, array]) -> dict[str, list[list[int]]]:
    """{field: [document number gaps, term frequencies]} for one term."""
    entry = {}
    for f in sorted(by_field):
        numbers = by_field[f][0::2]
        gaps = [numbers[0]] + [b - a for a, b in zip(numbers, numbers[1:], strict=False)]
        entry[FIELDS[f][0]] = [gaps, by_field[f][1::2].tolist()]
    return entry


def entry_bytes(term: str, by_field: dict[int, array]) -> int:
    """About the size of a term's entry in JSON: a gap and a frequency are a few digits each."""
    return len(term) + 8 + sum(12 + len(pairs) * 5 // 2 for pairs in by_field.values())


def ends_shard_before(term: str, size: int) -> bool:
    """Whether a shard that has grown past SHARD_MIN ends before `term`, whose entry is `size` bytes.
    The choice depends on the term alone (as in rsync's content-defined chunks), with a chance in
    proportion to its size, so shards grow by SHARD_BYTES - SHARD_MIN on average past SHARD_MIN."""
    return zlib.crc32(term.encode()) * (SHARD_BYTES - SHARD_MIN) < size << 32


def shard_terms(postings: Postings) -> list[list[str]]:
    """The terms in the browser's order, in consecutive runs of about SHARD_BYTES of JSON. Where a run
    ends depends on the terms there, not on all the terms before: an edit changes the shards of the
    terms it changes (and at most the next), and every other shard keeps its bytes and its name."""
    runs: list[list[str]] = [[]]
    size = 0
    for term in sorted(postings.entries, key=utf16_key):
        cost = entry_bytes(term, postings.entries[term])
        if size >= SHARD_MIN and (ends_shard_before(term, cost) or size >= SHARD_MAX):
            runs.append([])
            size = 0
        runs[-1].append(term)
        size += cost
    return runs


def shard_key(code: str, postings: Postings, terms: list[str]) -> str:
    """A digest of a shard's terms and entries, quicker to make than the shard itself."""
    h = hashlib.sha256(code.encode())
    for term in terms:
        h.update(term.encode() + b"\0")
        for f, pairs in sorted(postings.entries[term].items()):
            h.update(b"%d:%d:" % (f, len(pairs)) + pairs.tobytes())
    return h.hexdigest()


def shard_script(path: str, postings: Postings, terms: list[str]) -> bytes:
    # each entry joined as to_json would join the whole shard (the terms are in UTF-16 order, which
    # for JSON's sorted keys is no matter: the browser sorts them again)
    entries = ",".join(f"{to_json(term)}:{to_json(term_entry(postings.entries[term]))}" for term in sorted(terms))
    return json_script(path, "{" + entries + "}")


SHARD_PREFIX = "assets/search-shard."  # a shard is SHARD_PREFIX + its key's start + ".js"


@dataclass(frozen=True)
class SearchIndex:
    """The search manifest (a script), and each shard's (site path, key, bytes); the bytes are None
    for a shard the caller said it has (`reusable`). `spans`: each shard's terms, as (first, last,
    how many), for the next index to know its shards by (index_of)."""

    manifest: bytes
    shards: list[tuple[str, str, bytes | None]]
    spans: list[tuple[str, str, int]] = field(default_factory=list, compare=False)


def make_index(answers: list[Answer], known: Mapping[str, bytes] | None = None,
               reusable: frozenset[tuple[str, str]] = frozenset(), code: str = "") -> SearchIndex:
    """The index of `answers` (`known` as for build_postings); a shard named by its key. A shard whose
    (path, key) is in `reusable` is not made (the caller takes it from an earlier build)."""
    return index_of(build_postings(answers, known), answers, reusable, code)


def index_of(postings: Postings, answers: list[Answer], reusable: frozenset[tuple[str, str]] = frozenset(),
             code: str = "", known: Mapping[tuple[str, str, int], str] | None = None,
             changed: frozenset[str] | None = None) -> SearchIndex:
    """The index of `answers`, whose postings are given (as make_index). `known` maps the spans of the
    last index made by this code (SearchIndex.spans) to their shards' keys, and `changed` holds the
    terms whose entries changed since (update_postings): a shard of the same span with none of them
    has the same terms and entries, and so the same key, which is not made again (at 2,000 answers
    an edit's index kept 56 of 58)."""
    shards, shard_list, spans = [], [], []
    for terms in shard_terms(postings):
        span = (terms[0], terms[-1], len(terms))
        key = known.get(span) if known and changed is not None and changed.isdisjoint(terms) else None
        key = key or shard_key(code, postings, terms)
        spans.append(span)
        path = f"{SHARD_PREFIX}{key[:10]}.js"
        shards.append((path, key, None if (path, key) in reusable else shard_script(path, postings, terms)))
        shard_list.append([terms[0] if shard_list else "", path])
    manifest = {
        "fields": [name for name, _ in FIELDS], "boosts": [boost for _, boost in FIELDS], "k1": K1, "b": B,
        "n": len(answers), "lengths": [packed(column) for column in postings.lengths],
        "shards": shard_list, "docs": DOC_FOLDER, "facets": facets(answers),
    }
    return SearchIndex(data_script("manifest", manifest), shards, spans)


def facets(answers: list[Answer]) -> dict:
    """Per document number: minister, party, year and type (as indexes into value lists), for the filters."""
    docs = ordered(answers)
    columns = {"m": [a.answered_by for a in docs], "p": [a.asker_party for a in docs],
               "y": [str(a.year) for a in docs], "k": [a.doc_type for a in docs]}
    out: dict = {}
    for key, values in columns.items():
        names = sorted(set(values))
        position = {v: i for i, v in enumerate(names)}
        out[key] = {"names": names, "of": packed([position[v] for v in values])}
    return out


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def packed(column: Sequence[int]) -> str:
    """A column of numbers, one per answer, as one string: its width, then each number in base 36 in
    that many digits. About a third of a JSON list's bytes, and the manifest is loaded before any search."""
    width = 1
    while max(column, default=0) >= 36 ** width:
        width += 1
    return str(width) + "".join(base36(n, width) for n in column)


@lru_cache(maxsize=4096)
def base36(n: int, width: int) -> str:
    digits = []
    for _ in range(width):
        n, digit = divmod(n, 36)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits))


def unpacked(column: str) -> list[int]:
    width = int(column[0])
    return [int(column[i:i + width], 36) for i in range(1, len(column), width)]


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


def document_files(answers: list[Answer], code: str = "", answer_key: Callable[[Answer], str] = answer_digest,
                   known_key: Callable[[str, tuple[str]], str | None] = lambda path, slugs: None,
                   only: Collection[str] | None = None) -> list[Output]:
    """Each answer's hit data and text, in a file of its own (made when written); with `only`, those
    of the answers whose slugs it holds. `known_key` gives the key of a file whose answer has not
    changed, if known (render.SiteRenderer.known_key)."""
    files = []
    for number, answer in enumerate(ordered(answers)):
        if only is not None and answer.slug not in only:
            continue
        path = f"{DOC_FOLDER}/{number}.js"
        files.append(Output(path, known_key(path, (answer.slug,)) or key_of(code, "hit", str(number), answer_key(answer)),
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


def lunr_weight(manifest: dict, lengths: list[list[int]], averages: list[float], f: int, idf: float, tf: int, number: int) -> float:
    """Lunr's BM25 weight of a term in a field, operation for operation as lunr.js's Builder makes it."""
    k1, b = manifest["k1"], manifest["b"]
    score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[f][number] / averages[f])) + tf)
    score *= manifest["boosts"][f]
    return js_round(score * 1000) / 1000


def js_round(x: float) -> int:
    """JavaScript's Math.round: to the nearest integer, halves up."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def shards_index(manifest: dict, shards: list[dict]) -> lunr.index.Index:
    """The shards a query needs as one lunr.py Index, built as static/search.js builds it for lunr.js:
    the weights made from the term frequencies and field lengths as Lunr's Builder makes them for the
    whole index. Every term of the query is in it, so Lunr scores each answer as the whole index would."""
    lunr = lunr_py()
    from lunr.idf import idf

    fields = manifest["fields"]
    lengths = [unpacked(column) for column in manifest["lengths"]]
    averages = [sum(column) / manifest["n"] for column in lengths]
    inverted, vectors = [], {}
    for i, (term, entry) in enumerate(sorted(((t, e) for shard in shards for t, e in shard.items()), key=lambda te: utf16_key(te[0]))):
        posting = {"_index": i, **{f: {} for f in fields}}
        numbers = {}
        for name, (gaps, _tfs) in entry.items():
            numbers[name] = list(itertools.accumulate(gaps))
            posting[name] = {str(n): {} for n in numbers[name]}
        term_idf = idf(posting, manifest["n"])
        for name, (_gaps, tfs) in entry.items():
            f = fields.index(name)
            for number, tf in zip(numbers[name], tfs, strict=True):
                vectors.setdefault(f"{name}/{number}", []).extend([i, lunr_weight(manifest, lengths, averages, f, term_idf, tf, number)])
        inverted.append([term, posting])
    return lunr.index.Index.load({"version": lunr.__TARGET_JS_VERSION__, "fields": fields, "invertedIndex": inverted,
                       "fieldVectors": list(vectors.items()), "pipeline": ["stemmer-sv"]})


def query_index(index: lunr.index.Index, words: list[str]) -> dict[str, tuple[float, set[str]]]:
    """Lunr's hits for the words: ref -> (score, the terms matched). Each word as typed in every
    field, and folded in the folded field."""
    q = lunr_py().query.Query(index.fields)
    for word in words:
        q.term(word, use_pipeline=True)
        q.term(fold(word), use_pipeline=True, fields=["folded"])
    return {r["ref"]: (r["score"], set(r["match_data"].metadata)) for r in index.query(q)}


def search(load: Callable[[str], dict], query: str) -> list[int]:
    """Document numbers for `query`, best first: every word must match, in any field.

    `load(key)` gives a data file's content: "manifest", a shard's path, "d12" (answer 12).
    """
    words, phrases = query_terms(query)
    if not words:
        return []
    manifest = load("manifest")
    wanted = [word_forms(w) for w in words]
    numbers = sorted({shard_of(manifest, form) for forms in wanted for form in forms})
    found = query_index(shards_index(manifest, [load(manifest["shards"][n][1]) for n in numbers]), words)
    refs = sorted((ref for ref, (_score, matched) in found.items() if all(forms & matched for forms in wanted)),
                  key=lambda ref: (-found[ref][0], int(ref)))
    if not phrases:
        return [int(ref) for ref in refs]
    hits = []
    for ref in refs[:PHRASE_CHECKS]:  # phrases are checked in the best candidates' texts only
        doc = load(f"d{ref}")
        text = " ".join(fold(doc["x"] + " " + doc["t"]).lower().split())
        if all(" ".join(fold(p).lower().split()) in text for p in phrases):
            hits.append(int(ref))
    return hits
