"""The build cache: an edit adds to a small record instead of writing every answer again."""

from __future__ import annotations

import dataclasses
import marshal
import os
import pickle
import shutil
import time

import pytest
from conftest import SEEDS
from test_incremental import retitle, same_tree

import generator.build
import generator.parallel
from bench.synth import write_answers
from generator.build import BuildConfig, build, read_answers
from generator.cache import AT_HAND, RECENT_SHARE, BuildCache, StoredAnswer, code_key
from generator.plan import placement

SEARCH = {"key": "k1", "manifest": b"m", "shards": [("assets/search-shard.a.js", "x")]}


def saved(folder, answers: dict, search: dict = SEARCH) -> BuildCache:
    BuildCache.open(folder).save(answers, search, {"index.html": "p"}, "stamp")
    return BuildCache.open(folder)


def test_an_edit_writes_the_recent_record_and_leaves_the_base(tmp_path):
    answers = {f"key{i}": ("answer", i) for i in range(100)}
    saved(tmp_path, answers)
    base = (tmp_path / "answers.pickle").read_bytes()
    edited = {**{k: v for k, v in answers.items() if k != "key7"}, "key7b": ("answer", "7 edited")}
    cache = saved(tmp_path, edited, {**SEARCH, "key": "k2"})
    assert (tmp_path / "answers.pickle").read_bytes() == base
    assert cache.answers.items() >= edited.items() and cache.search["key"] == "k2"


def test_the_base_is_written_again_once_the_recent_answers_are_many(tmp_path):
    answers = {f"key{i}": ("answer", i) for i in range(100)}
    saved(tmp_path, answers)
    for i in range(100 // RECENT_SHARE + 1):
        answers = {**answers, f"new{i}": ("answer", f"new {i}")}
        del answers[f"key{i}"]
        cache = saved(tmp_path, answers, {**SEARCH, "key": f"k{i}"})
    assert cache.answers == answers  # the base written again holds only the answers in use
    assert BuildCache.open(tmp_path).answers == answers


def test_a_recent_record_of_another_base_is_left_out(tmp_path):
    """A build killed between writing the base and the recent record: the base holds every answer."""
    saved(tmp_path, {"a": 1, "b": 2})
    shutil.copy(tmp_path / "recent.pickle", tmp_path / "old-recent")
    for i in range(20):  # enough to write the base again
        saved(tmp_path, {"a": 1, "b": 2, **{f"n{j}": j for j in range(i + 1)}}, {**SEARCH, "key": f"k{i}"})
    shutil.copy(tmp_path / "old-recent", tmp_path / "recent.pickle")
    cache = BuildCache.open(tmp_path)
    assert cache.answers == {"a": 1, "b": 2, **{f"n{j}": j for j in range(20)}}
    assert cache.search == {}  # the index is made again


def damaged_header_kept(path):
    """The record's header kept, so that it is read and used, and the postings made nonsense."""
    version, code, docs, _postings, keys = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((version, code, docs, None, keys)))


def damaged_documents(path):
    version, code, docs, postings, keys = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((version, code, [slug for slug, _key in docs], postings, keys)))


def damaged_shard_keys(path):
    version, code, docs, postings, _keys = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((version, code, docs, postings, [("a", "b", 1)])))


DAMAGES = {
    "garbage": lambda path: path.write_bytes(b"not a cache record"),
    "cut short": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "another shape": lambda path: path.write_bytes(pickle.dumps({"version": 7})),
}


def damaged_keying(path):
    """A pages record that reads, of this version, with the answers' digests of its keying made nonsense."""
    record = pickle.loads(path.read_bytes())
    record["keyed"]["digests"] = sorted(record["keyed"]["digests"].items())
    path.write_bytes(pickle.dumps(record))


def damaged_spare(path):
    """A pages record that reads, of this version, whose spare names a page the site has not."""
    record = pickle.loads(path.read_bytes())
    record["spare"] = {"stamp": "0" * 64, "difference": ({}, ["no/such/page.html"])}
    path.write_bytes(pickle.dumps(record))


def damaged_plan(path):
    """A plan record that reads, with the key, code and inputs of the plan it replaced, but holds no plan."""
    version, key, code, inputs, _plain = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((version, key, code, inputs, (("a",),) * 8)))


def damaged_plan_inputs(path):
    """A plan record whose input keys are not keys."""
    version, key, code, inputs, plain = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((version, key, code, tuple([i] for i in range(len(inputs))), plain)))


@pytest.mark.parametrize("record", ["answers.pickle", "recent.pickle", "pages.pickle", "postings.pickle", "inputs.pickle", "plan.marshal"])
def test_a_damaged_cache_record_is_ignored(tmp_path, record, monkeypatch):
    """Whatever happened to a cache file, the next build succeeds and gives a plain build's bytes."""
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)  # so that inputs.pickle holds every input
    seeds = tmp_path / "seeds"
    write_answers(40, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    shutil.copytree(tmp_path / "cache", tmp_path / "good")
    damages = {**DAMAGES, "header kept": damaged_header_kept, "documents": damaged_documents,
                   "shard keys": damaged_shard_keys} if record == "postings.pickle" else DAMAGES
    if record == "plan.marshal":
        damages = {**damages, "its own key, another shape": damaged_plan, "its inputs damaged": damaged_plan_inputs}
    if record == "pages.pickle":
        damages = {**damages, "its keying damaged": damaged_keying, "its spare damaged": damaged_spare}
    edited = sorted(seeds.iterdir())[3]
    for i, damage in enumerate(damages.values()):
        shutil.rmtree(tmp_path / "cache")
        shutil.copytree(tmp_path / "good", tmp_path / "cache")
        damage(tmp_path / "cache" / record)
        lines = edited.read_text(encoding="utf-8").split("\n")
        lines[1] += f" (rättad {i})"
        edited.write_text("\n".join(lines), encoding="utf-8")
        build(config)
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
        assert same_tree(tmp_path / "site", tmp_path / "plain") == []


@pytest.mark.parametrize("record", ["answers", "recent"])
def test_a_blobs_file_gone_or_cut_short_is_ignored(tmp_path, record):
    """The answers' byte strings are in a blobs file beside their record (cache.save_with_blobs): one
    that is missing or shorter than its record says makes the record unreadable, and the build a full one."""
    seeds = tmp_path / "seeds"
    write_answers(40, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    edited = sorted(seeds.iterdir())[3]
    for i, damage in enumerate([lambda path: path.unlink(), DAMAGES["cut short"]]):
        (blobs,) = (tmp_path / "cache").glob(f"{record}-*.blobs")  # one each: the ones before are removed
        damage(blobs)
        lines = edited.read_text(encoding="utf-8").split("\n")
        lines[1] += f" (rättad {i})"
        edited.write_text("\n".join(lines), encoding="utf-8")
        assert build(config).parsed == (40 if record == "answers" else 1)
        shutil.rmtree(tmp_path / "plain")
        build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
        assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_a_cache_kept_between_builds_holds_what_reading_its_folder_gives(tmp_path):
    """The preview server reads the cache once and builds with it again and again: after every build
    it must hold what a build that reads the folder would find (and perhaps answers since edited)."""
    seeds = tmp_path / "seeds"
    write_answers(40, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    kept = BuildCache.open(config.cache)
    build(config, cache=kept)
    for i, edited in enumerate(sorted(seeds.iterdir())[:12]):  # enough edits to write the base again
        lines = edited.read_text(encoding="utf-8").split("\n")
        lines[1] += f" (rättad {i})"
        edited.write_text("\n".join(lines), encoding="utf-8")
        assert build(config, cache=kept).parsed == 1
        read = BuildCache.open(config.cache)
        assert read.answers.items() <= kept.answers.items()
        assert (read.search, read.pages, read.stamp, read.spare, read.base, read.in_base) == \
            (kept.search, kept.pages, kept.stamp, kept.spare, kept.base, kept.in_base)
    assert len(kept.answers) < 40 + 12  # the base written again dropped the answers edited before it
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def reread(seeds, last, code="code") -> generator.build.Inputs:
    return read_answers(seeds, last.results if last else None, code, 1, last.seen if last else None)


def test_inputs_unchanged_since_they_were_last_read_are_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)  # every file counts as settled once written
    seeds = tmp_path / "seeds"
    write_answers(20, seeds)
    first = reread(seeds, None)
    assert (first.read, len(first.seen)) == (20, 20)
    again = reread(seeds, first)
    assert (again.read, again.parsed, again.seen) == (0, 0, first.seen)
    assert [a.title for a in again.answers] == [a.title for a in first.answers]
    # the same size and modification time, other bytes: the change time tells
    edited = sorted(seeds.iterdir())[5]
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\n", "\nX", 1)[:-1], encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size and edited.stat().st_mtime_ns == before.st_mtime_ns
    after = reread(seeds, again)
    assert (after.read, after.parsed) == (1, 1)
    assert "X" in after.answers[sorted(seeds.iterdir()).index(edited)].title


def test_an_input_changed_just_before_it_was_read_is_read_again(tmp_path):
    """Its next change may come within the file system's clock resolution, and keep its times."""
    seeds = tmp_path / "seeds"
    write_answers(5, seeds)
    first = reread(seeds, None)
    assert first.read == 5 and first.seen == {}
    assert reread(seeds, first).read == 5


def test_a_build_keeps_the_status_of_its_inputs_for_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    write_answers(20, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    code = code_key(generator.build.PROJECT / "generator")
    seen = BuildCache.open(config.cache).seen_inputs(code)
    assert sorted(seen) == sorted(str(p) for p in seeds.iterdir())
    assert BuildCache.open(config.cache).seen_inputs("another code") == {}  # its keys are not this code's


def test_the_registry_is_made_on_another_core_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_answers(20, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=2)
    made_in = []
    real = generator.cache.load_registry
    monkeypatch.setattr(generator.cache, "load_registry", lambda: made_in.append(os.getpid()) or real())
    build(config)
    assert not made_in, "made in a process of its own, not in the build's"
    assert (config.cache / "registry.pickle").is_file()
    retitle(sorted(seeds.iterdir())[3])
    monkeypatch.setattr(generator.cache, "load_registry", lambda: pytest.fail("the cache holds the registry"))
    assert build(config).parsed == 1


def test_a_build_that_fails_before_parsing_leaves_no_registry_process(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "notes.pdf").write_bytes(b"not an answer")
    config = BuildConfig(seeds=tmp_path / "seeds", out=tmp_path / "site", cache=tmp_path / "cache", workers=2)
    before = set(generator.parallel._started)
    with pytest.raises(generator.build.BuildError):
        build(config)
    # a process whose result nobody asks for would wait for ever to send it, unless stopped
    deadline = time.monotonic() + 10
    while generator.parallel._started - before and time.monotonic() < deadline:
        time.sleep(0.05)
        generator.parallel.reap_ended()
    assert generator.parallel._started <= before, "every process this build started has ended"


def test_a_build_with_nothing_changed_stops_before_reading_the_answers(tmp_path, monkeypatch):
    """Nothing changed since the last build (code, templates, assets, settings, inputs, the site): the
    build reports what the last one did without reading the answers; anything changed, it does its work."""
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)  # so that inputs.pickle holds every input
    seeds = tmp_path / "seeds"
    write_answers(30, seeds)
    (seeds / "zz-not-an-answer.txt").write_text("Hej!\n", encoding="utf-8")  # so that the report has a skipped input
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1, keep_going=True)
    first = build(config)
    reads = []
    real = BuildCache.read_answers
    monkeypatch.setattr(BuildCache, "read_answers", lambda self: reads.append(1) or real(self))
    site = {p: p.stat().st_mtime_ns for p in config.out.rglob("*")}
    again = build(config)
    assert reads == [] and {p: p.stat().st_mtime_ns for p in config.out.rglob("*")} == site
    assert (again.answers, again.pages, [str(e) for e in again.skipped], again.restored, again.made, again.reused) == \
        (first.answers, first.pages, [str(e) for e in first.skipped], first.restored, 0, first.made)
    assert again.skipped and again.answers == 30
    an_input = sorted(seeds.iterdir())[4]
    changes = {
        "a file gone from the site": lambda: (config.out / "ar" / "index.html").unlink(),
        "an input's status": lambda: os.utime(an_input, ns=(an_input.stat().st_atime_ns, an_input.stat().st_mtime_ns + 10**9)),
        "a setting": lambda: dataclasses.replace(config, base_url="https://example.org/arkiv/"),
    }
    for name, change in changes.items():
        changed = change()
        reads.clear()
        build(changed if isinstance(changed, BuildConfig) else config)
        assert reads == [1], name
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        build(dataclasses.replace(changed if isinstance(changed, BuildConfig) else config, out=tmp_path / "plain", cache=None))
        assert same_tree(config.out, tmp_path / "plain") == [], name


def test_a_stored_answer_stands_in_for_the_answer_and_unpickles_it_only_when_asked():
    for answer in read_answers(SEEDS, workers=1).answers:
        stored = pickle.loads(pickle.dumps(StoredAnswer.of(answer)))
        assert [getattr(stored, name) for name in AT_HAND] == [getattr(answer, name) for name in AT_HAND]
        assert placement(stored) == placement(answer) and stored._whole is None  # at hand: not unpickled
        assert stored.body_markdown == answer.body_markdown and stored == answer and hash(stored) == hash(answer)


def test_an_edit_unpickles_only_the_answers_it_shows(tmp_path, monkeypatch):
    """Every whole-site pass (placing, grouping, counting, checking) reads only what a StoredAnswer
    has at hand: an edit unpickles the answers of the pages it makes, not all of them."""
    seeds = tmp_path / "seeds"
    write_answers(400, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    unpickled = []
    real = StoredAnswer.whole
    monkeypatch.setattr(StoredAnswer, "whole", lambda self: unpickled.append(self.slug) or real(self))
    retitle(sorted(seeds.iterdir())[200])
    assert build(config).parsed == 1
    assert 0 < len(set(unpickled)) < 200  # the edited answer's neighbours and its feeds' entries, not all 400
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []
