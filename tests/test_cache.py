"""The build cache: an edit adds to a small record instead of writing every answer again."""

from __future__ import annotations

import dataclasses
import pickle
import shutil

import pytest
from test_incremental import same_tree

from bench.synth import write_answers
from generator.build import BuildConfig, build
from generator.cache import RECENT_SHARE, BuildCache

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
    version, code, docs, _postings = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((version, code, docs, None)))


def damaged_documents(path):
    version, code, docs, postings = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((version, code, [slug for slug, _key in docs], postings)))


DAMAGES = {
    "garbage": lambda path: path.write_bytes(b"not a cache record"),
    "cut short": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "another shape": lambda path: path.write_bytes(pickle.dumps({"version": 7})),
}


@pytest.mark.parametrize("record", ["answers.pickle", "recent.pickle", "pages.json", "postings.pickle"])
def test_a_damaged_cache_record_is_ignored(tmp_path, record):
    """Whatever happened to a cache file, the next build succeeds and gives a plain build's bytes."""
    seeds = tmp_path / "seeds"
    write_answers(40, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    shutil.copytree(tmp_path / "cache", tmp_path / "good")
    damages = {**DAMAGES, "header kept": damaged_header_kept, "documents": damaged_documents} if record == "postings.pickle" else DAMAGES
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
