"""The site's plan: made from the answers' placements alone, so that an edit of a text reuses the last
build's plan, and a change of where an answer goes makes it anew; both give a plain build's bytes."""

from __future__ import annotations

import dataclasses
import re
import shutil

from test_incremental import retitle, same_tree

import generator.cache
from bench.synth import write_answers
from generator.build import BuildConfig, build, read_answers
from generator.plan import placement, plan_key, site_plan


def test_an_edited_text_reuses_the_plan_and_a_new_date_makes_it_anew(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_answers(120, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    made = []
    monkeypatch.setattr(generator.cache, "site_plan", lambda placements: made.append(1) or site_plan(placements))

    def plan_made_by_a_build_as_plain() -> bool:
        """Whether a cached build made the plan anew; and it gives a plain build's bytes."""
        before = len(made)
        build(config)
        anew = len(made) > before
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
        assert same_tree(tmp_path / "site", tmp_path / "plain") == []
        return anew

    assert plan_made_by_a_build_as_plain()
    edited = sorted(seeds.iterdir())[5]
    retitle(edited)
    assert not plan_made_by_a_build_as_plain(), "a new title left every answer where it was: the plan is the last build's"
    text = edited.read_text(encoding="utf-8")
    day = re.search(r" den (\d+) ", text)
    edited.write_text(text.replace(day.group(0), f" den {1 if day.group(1) != '1' else 2} ", 1), encoding="utf-8")
    assert plan_made_by_a_build_as_plain(), "a new date moves the answer in its lists: the plan is made anew"


def test_the_plan_key_is_of_values_not_of_objects(tmp_path):
    """Equal placements give one key however their strings were made (read from the cache or parsed anew)."""
    seeds = tmp_path / "seeds"
    write_answers(30, seeds)
    placements = [placement(a) for a in read_answers(seeds).answers]
    copied = [p._replace(**{name: "".join(list(value)) for name, value in p._asdict().items() if isinstance(value, str)})
              for p in placements]
    assert all(c.slug is not p.slug for c, p in zip(copied, placements, strict=True))
    assert plan_key(copied) == plan_key(placements)
    assert plan_key(placements[::-1]) != plan_key(placements)


def test_an_edit_places_only_the_answers_it_changed_and_other_code_makes_the_plan_anew(tmp_path, monkeypatch):
    """After an edit, only the edited answers are placed (and their last versions, from the cache): the
    others' inputs are those the plan was made from. A plan made by other code (plan.py's page size,
    say) is never taken, though every placement be the same."""
    monkeypatch.setattr("generator.build.SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    write_answers(120, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    placed, made = [], []
    monkeypatch.setattr(generator.cache, "placement", lambda a: placed.append(a.slug) or placement(a))
    monkeypatch.setattr(generator.cache, "site_plan", lambda placements: made.append(1) or site_plan(placements))
    for number in (5, 6):
        retitle(sorted(seeds.iterdir())[number])
        placed.clear()
        build(config)
        assert 0 < len(placed) <= 4 and not made, placed  # the edited answers, before and after
    answers = read_answers(seeds).answers
    inputs = [f"key of {a.source}" for a in answers]
    generator.cache.BuildCache(config.cache).site_plan(answers, "this code", inputs)
    assert len(made) == 1
    generator.cache.BuildCache(config.cache).site_plan(answers, "this code", inputs)
    assert len(made) == 1, "the same code and inputs: the plan it kept"
    generator.cache.BuildCache(config.cache).site_plan(answers, "other code", inputs)
    assert len(made) == 2, "other code: made anew"
