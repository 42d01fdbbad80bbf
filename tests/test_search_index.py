"""The index builder makes Lunr's own weights, and sharding changes no hit and no order."""

import math

from conftest import SEEDS
from lunr.builder import Builder
from test_search_parity import js_hits, site_loader

from bench.synth import write_answers
from generator import search_index
from generator.build import read_answers
from generator.search_index import FIELDS, WEIGHT_SCALE, search_document, stemmer_sv, stop_word_filter_sv, trimmer_sv


def lunr_py_vectors(answers):
    """The slow path: lunr.py's Builder with the same pipeline -> {(term, field, doc number): weight / |vector|}."""
    builder = Builder()
    builder.pipeline.add(trimmer_sv, stop_word_filter_sv, stemmer_sv)
    builder.ref("number")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for number, answer in enumerate(search_index.ordered(answers)):
        builder.add({"number": number, **search_document(answer)})
    index = builder.build()
    terms = {posting["_index"]: term for term, posting in index.inverted_index.items()}
    out = {}
    for ref, vector in index.field_vectors.items():
        field, number = ref.split("/")
        elements = vector.serialize()
        magnitude = math.sqrt(sum(v * v for v in elements[1::2])) or 1.0
        for i in range(0, len(elements), 2):
            out[(terms[elements[i]], field, int(number))] = round(elements[i + 1] / magnitude * WEIGHT_SCALE)
    return out


def fast_vectors(answers):
    postings = search_index.build_postings(answers)
    out = {}
    for term, by_field in postings.docs.items():
        for f, numbers in by_field.items():
            for number, weight in zip(numbers, postings.weights[term][f], strict=True):
                out[(term, FIELDS[f][0], number)] = weight
    return out


def test_weights_are_lunr_builders(tmp_path):
    write_answers(40, tmp_path)
    synthetic, seeds = read_answers(tmp_path), read_answers(SEEDS)
    assert not synthetic.errors and not seeds.errors
    answers = synthetic.answers + seeds.answers
    slow, fast = lunr_py_vectors(answers), fast_vectors(answers)
    assert slow.keys() == fast.keys()
    differing = [k for k in slow if abs(slow[k] - fast[k]) > 1]  # the same up to rounding of the last digit
    assert not differing, differing[:5]
    assert "" not in {term for term, _f, _n in fast}


def test_shards_split_the_terms_and_agree_with_lunr_js(synthetic_site, tmp_path):
    load = site_loader(synthetic_site)
    manifest = load("manifest")
    assert len(manifest["shards"]) > 3
    # words from the start, middle and end of the vocabulary, so that queries span several shards
    firsts = [first for first, _ in manifest["shards"]]
    queries = ["polismyndigheten", "regeringen skjutningar", "åtgärder", "atgarder", "trygghet samverkan",
               '"utsatta områden"', "segregation polis", "2012/13:5", "Östergötland", "ostergotland"]
    queries += [firsts[len(firsts) // 2], firsts[-1], f"{firsts[1]} {firsts[-1]}"]
    python_hits = [search_index.search(load, q) for q in queries]
    assert python_hits == js_hits(synthetic_site, queries, tmp_path)
    assert all(python_hits[:5]), "the common words are found"
    assert set(python_hits[2]) <= set(python_hits[3]), "without diacritics finds at least as much"


def test_a_phrase_is_checked_in_the_best_candidates_only(synthetic_site, monkeypatch):
    load = site_loader(synthetic_site)
    candidates = search_index.search(load, "utsatta områden")
    everywhere = search_index.search(load, '"utsatta områden"')
    assert len(candidates) > 20 and everywhere
    monkeypatch.setattr(search_index, "PHRASE_CHECKS", 10)
    assert search_index.search(load, '"utsatta områden"') == [n for n in everywhere if n in candidates[:10]]
