"""The build cache: an edit adds to a small record instead of writing every answer again."""

from __future__ import annotations

import shutil

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
