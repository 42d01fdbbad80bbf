"""The index builder makes Lunr's own weights, and sharding changes no hit and no order."""

import dataclasses
import json

import pytest
from conftest import SEEDS
from lunr.builder import Builder
from test_search_parity import js_hits, site_loader

from bench.synth import write_answers
from generator import search_index
from generator.build import read_answers
from generator.search_index import FIELDS, search_document, stemmer_sv, stop_word_filter_sv, trimmer_sv


def lunr_py_vectors(answers):
    """The slow path: lunr.py's Builder with the same pipeline -> {(term, field, doc number): weight}."""
    return index_vectors(lunr_py_index(answers))


def lunr_py_index(answers):
    """The whole index, as lunr.py's Builder makes it with the same pipeline."""
    builder = Builder()
    builder.pipeline.add(trimmer_sv, stop_word_filter_sv, stemmer_sv)
    builder.search_pipeline.add(stemmer_sv)  # as the browser loads the index
    builder.ref("number")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for number, answer in enumerate(search_index.ordered(answers)):
        builder.add({"number": number, **search_document(answer)})
    return builder.build()


def index_vectors(index):
    terms = {posting["_index"]: term for term, posting in index.inverted_index.items()}
    out = {}
    for ref, vector in index.field_vectors.items():
        field, number = ref.split("/")
        elements = vector.serialize()
        for i in range(0, len(elements), 2):
            out[(terms[elements[i]], field, int(number))] = elements[i + 1]
    return out


def shard_vectors(answers):
    """The fast path: the shards as the browser weighs them (search_index.shards_index, which mirrors static/search.js)."""
    made = search_index.make_index(answers)
    manifest = script_data(made.manifest)
    out = {}
    for _path, _key, content in made.shards:
        out.update(index_vectors(search_index.shards_index(manifest, [script_data(content)])))
    return out, manifest


def script_data(script: bytes):
    text = script.decode()
    return json.loads(text[text.index("]=") + 2:].rstrip(";\n"))


def test_weights_are_lunr_builders(tmp_path):
    write_answers(40, tmp_path)
    synthetic, seeds = read_answers(tmp_path), read_answers(SEEDS)
    assert not synthetic.errors and not seeds.errors
    answers = synthetic.answers + seeds.answers
    (shards, _manifest), whole = shard_vectors(answers), lunr_py_vectors(answers)
    assert whole.keys() == shards.keys()
    # the same but where lunr.py's round() and JavaScript's Math.round() take a half differently
    differing = [k for k in whole if abs(whole[k] - shards[k]) > 0.0011]
    assert not differing, differing[:5]
    assert sum(whole[k] != shards[k] for k in whole) < len(whole) / 1000
    assert "" not in {term for term, _f, _n in shards}


def test_an_edit_changes_the_shards_of_its_terms_only(tmp_path):
    write_answers(600, tmp_path)
    answers = read_answers(tmp_path).answers
    before = search_index.make_index(answers)
    edited = search_index.ordered(answers)[300]
    after = search_index.make_index([dataclasses.replace(a, title=a.title + " Lagrådsremissen") if a is edited else a
                                     for a in answers])
    assert len(before.shards) > 10
    changed = {path for path, _k, _c in after.shards} - {path for path, _k, _c in before.shards}
    assert 1 <= len(changed) <= 3, changed  # the new word's shard, and the title words' (their counts changed)
    assert before.manifest != after.manifest  # the field lengths are there
    made = search_index.make_index(answers, reusable=frozenset((path, key) for path, key, _c in before.shards))
    assert all(content is None for _path, _key, content in made.shards)
    assert [(p, k) for p, k, _c in made.shards] == [(p, k) for p, k, _c in before.shards]


def test_postings_updated_after_edits_are_the_postings_made_anew(tmp_path):
    write_answers(300, tmp_path)
    answers = search_index.ordered(read_answers(tmp_path).answers)
    edits = {  # the first and last documents (the ends of every term's pairs), and one in between
        0: lambda a: dataclasses.replace(a, title=a.title + " Lagrådsremissen"),  # a word no other answer has
        150: lambda a: dataclasses.replace(a, text="Kort svar.", body_markdown="Kort svar."),  # terms lose it; some go
        299: lambda a: dataclasses.replace(a, text=a.text.replace(" och ", " samt "), asker=answers[3].asker),
    }
    after = [edits[n](a) if n in edits else a for n, a in enumerate(answers)]
    assert [a.slug for a in after] == [a.slug for a in search_index.ordered(after)]
    kept = search_index.Postings.from_flattened(search_index.build_postings(answers).flattened())
    changed = {n: (search_index.answer_terms(answers[n]), search_index.answer_terms(after[n])) for n in edits}
    updated = search_index.update_postings(kept, changed)
    anew = search_index.build_postings(after)
    assert "lagradsremiss" in updated.entries or "lagrådsremiss" in updated.entries
    assert updated.entries == anew.entries and updated.lengths == anew.lengths
    assert search_index.index_of(updated, after) == search_index.make_index(after)
    wrong = {5: (search_index.answer_terms(answers[0]), search_index.answer_terms(answers[5]))}  # not its old terms
    with pytest.raises(ValueError, match="document 5"):
        search_index.update_postings(search_index.build_postings(answers), wrong)


def test_a_query_over_several_shards_ranks_as_the_whole_lunr_index(tmp_path):
    write_answers(300, tmp_path)
    answers = read_answers(tmp_path).answers
    made = search_index.make_index(answers)
    files = {"manifest": script_data(made.manifest), **{path: script_data(content) for path, _key, content in made.shards}}
    firsts = [first for first, _path in files["manifest"]["shards"]]
    whole = lunr_py_index(answers)
    queries = ["regeringen polisen", "trygghet samverkan", "åtgärder segregation", f"{firsts[1]} {firsts[-1]}",
               "utsatta områden polisen", "polismyndigheten"]
    spanning = 0
    for query in queries:
        words, _phrases = search_index.query_terms(query)
        spanning += len({search_index.shard_of(files["manifest"], search_index.stem(w)) for w in words}) > 1
        found = search_index.query_index(whole, words)
        wanted = [search_index.word_forms(w) for w in words]
        expected = sorted((ref for ref, (_s, matched) in found.items() if all(forms & matched for forms in wanted)),
                          key=lambda ref: (-found[ref][0], int(ref)))
        hits = search_index.search(files.__getitem__, query)
        assert hits and hits == [int(ref) for ref in expected], query
    assert spanning >= 3  # the words of most queries are in different shards


def test_shards_are_about_their_size(tmp_path):
    write_answers(600, tmp_path)
    made = search_index.make_index(read_answers(tmp_path).answers)
    sizes = sorted(len(content) for _path, _key, content in made.shards)
    middle = sizes[len(sizes) // 2]
    assert search_index.SHARD_MIN < middle < 2 * search_index.SHARD_BYTES, sizes
    assert sizes[-1] < 2 * search_index.SHARD_MAX, sizes


def test_shards_split_the_terms_and_agree_with_lunr_js(synthetic_site, tmp_path):
    load = site_loader(synthetic_site)
    manifest = load("manifest")
    assert len(manifest["shards"]) > 3
    # words from the start, middle and end of the vocabulary, so that queries span several shards
    firsts = [first for first, _path in manifest["shards"]]
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
