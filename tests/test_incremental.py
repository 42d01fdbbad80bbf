"""What a change touches: an edit remakes its answer's page and the lists, feeds and search files it is on,
nothing else; and the fast paths (cache, workers, in-place preview) give the same bytes as a plain build."""

import dataclasses
import filecmp
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_build

from bench.synth import write_answers
from generator.build import BuildConfig, read_answers, render_site
from generator.plan import PAGE_SIZE, name_slug, party_slug


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incremental") / "seeds"
    write_answers(300, folder)
    return folder


def keys(answers, tmp: Path) -> dict[str, str]:
    config = BuildConfig(seeds=tmp, out=tmp / "unused")
    return {o.path: o.key for o in render_site(answers, config, "code")}


def touched(before: dict, after: dict) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def group_page(kind: str, key: str, answers, answer) -> str:
    """The list page (index.html, sida-2.html ...) of group `key` that shows `answer`."""
    members = sorted((a for a in answers if group_key(kind, a) == key), key=lambda a: (a.date, a.slug), reverse=True)
    number = members.index(answer) // PAGE_SIZE + 1
    return f"{kind}/{key}/" + ("index.html" if number == 1 else f"sida-{number}.html")


def group_key(kind: str, a) -> str:
    return {"minister": name_slug(a.answered_by), "ar": str(a.year), "riksmote": a.session.replace("/", "-"),
            "parti": party_slug(a.asker_party), "fragestallare": name_slug(a.asker)}[kind]


def test_a_new_title_touches_its_page_its_lists_and_the_search(synthetic, tmp_path):
    answers = read_answers(synthetic).answers
    by_date = sorted(answers, key=lambda a: (a.date, a.slug))
    edited = by_date[len(by_date) // 3]  # an old answer: not on the home page, not in the feeds
    changed = [dataclasses.replace(a, title=a.title + " (rättad)") if a is edited else a for a in answers]
    paths = touched(keys(answers, tmp_path), keys(changed, tmp_path))

    i = by_date.index(edited)
    neighbours = {f"svar/{by_date[i - 1].slug}/index.html", f"svar/{by_date[i + 1].slug}/index.html"}  # prev/next links
    own = {f"svar/{edited.slug}/index.html", f"svar/{edited.slug}/{edited.slug}.md"}
    lists = {group_page(kind, group_key(kind, edited), answers, edited) for kind in ("minister", "ar", "riksmote", "parti", "fragestallare")}
    html = {p for p in paths if p.endswith(".html")}
    assert html == own - {f"svar/{edited.slug}/{edited.slug}.md"} | neighbours | lists | {"sok/index.html"}  # it loads the new manifest
    assert own <= paths
    assert {"data/answers.json", "data/answers.csv"} <= paths
    assert any(p.startswith("assets/search-index.") for p in paths)  # the manifest names the new shards
    assert not {"index.html", "feed.xml", "sitemap.xml"} & paths
    assert len([p for p in paths if "search-shard" not in p]) < 25, sorted(paths)
    # the shards hold term frequencies, weighed in the browser: only the shard of the new word changes
    # (and the next one, should the cut between them move)
    assert 1 <= len([p for p in paths if "search-shard" in p]) <= 4, sorted(paths)


def test_a_new_answer_touches_the_home_page_and_the_feeds(synthetic, tmp_path):
    answers = read_answers(synthetic).answers
    newest = max(answers, key=lambda a: (a.date, a.slug))
    fewer = [a for a in answers if a is not newest]
    paths = touched(keys(fewer, tmp_path), keys(answers, tmp_path))
    assert {"index.html", "feed.xml", "sitemap.xml", f"svar/{newest.slug}/index.html"} <= paths
    assert f"minister/{name_slug(newest.answered_by)}/feed.xml" in paths
    untouched_answer = min(answers, key=lambda a: (a.date, a.slug))
    assert f"svar/{untouched_answer.slug}/index.html" not in paths


def same_tree(a: Path, b: Path) -> list[str]:
    """Paths that differ between two folders (missing on one side, or other bytes)."""
    left = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = sorted(str(p) for p in left ^ right)
    differ += sorted(str(p) for p in left & right if not filecmp.cmp(a / p, b / p, shallow=False))
    return differ


def retitle(answer: Path) -> None:
    """Edit an answer's title line (the second line of the text)."""
    answer.write_text(answer.read_text(encoding="utf-8").replace("\n", " (rättad)\n", 2).replace(" (rättad)\n", "\n", 1),
                      encoding="utf-8")


def test_cached_and_parallel_builds_give_the_same_bytes_as_a_plain_one(synthetic, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    cache = str(tmp_path / "cache")
    fast = ["--seeds", str(seeds), "--out", str(tmp_path / "fast"), "--cache", cache, "--jobs", "2"]
    slow = ["--seeds", str(seeds), "--out", str(tmp_path / "slow"), "--no-cache", "--jobs", "1"]
    for args in (fast, slow):
        assert run_build(*args).returncode == 0
    assert same_tree(tmp_path / "fast", tmp_path / "slow") == []
    # Each rebuild is made from the spare (the site two builds back) and the current site, by linking:
    # an edit, a removal, an edit undone. After each, the bytes are a plain build's, and the spare is
    # still the site it replaced: making the new site wrote into no file the two share.
    first, second = sorted(seeds.iterdir())[7], sorted(seeds.iterdir())[40]
    original = first.read_text(encoding="utf-8")
    changes = [lambda: first.write_text(original.replace("\n", "\nEn ny mening i svaret.\n", 3), encoding="utf-8"),
               second.unlink,
               lambda: first.write_text(original, encoding="utf-8")]
    for change in changes:
        shutil.rmtree(tmp_path / "before", ignore_errors=True)
        shutil.copytree(tmp_path / "fast", tmp_path / "before")
        change()
        again = run_build(*fast)
        assert again.returncode == 0 and "unchanged" in again.stdout, again.stdout
        assert run_build(*slow).returncode == 0
        assert same_tree(tmp_path / "fast", tmp_path / "slow") == []
        assert same_tree(tmp_path / ".fast.spare", tmp_path / "before") == []


def test_a_full_build_keeps_a_linked_twin_of_its_site_as_the_spare_the_first_edit_is_made_from(synthetic, tmp_path, monkeypatch):
    """A build that writes the whole site (an empty cache) links each file it writes into a twin kept as
    the spare, so the first edit after it needs no copy of the site (see the next test); a build
    without a cache keeps none."""
    import generator.build
    from generator.build import build

    copies = []
    monkeypatch.setattr(generator.build, "link_tree", lambda *args: copies.append(args))
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=2)
    build(config)
    assert same_tree(tmp_path / ".site.spare", tmp_path / "site") == []
    page = Path("svar", sorted((tmp_path / "site" / "svar").iterdir())[0].name, "index.html")
    assert (tmp_path / ".site.spare" / page).stat().st_ino == (tmp_path / "site" / page).stat().st_ino  # linked, not copied
    before = tmp_path / "before"
    shutil.copytree(tmp_path / "site", before)
    retitle(sorted(seeds.iterdir())[5])
    report = build(config)
    assert copies == [] and report.parsed == 1 and 0 < report.made < 40
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []
    assert same_tree(tmp_path / ".site.spare", before) == []  # made from the twin, the edit wrote into no file of the site
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "before", "cache", "plain", "seeds", "site"]


def test_a_file_system_without_hard_links_gives_up_the_twin_not_the_build(synthetic, tmp_path, monkeypatch):
    """Some file systems (FAT on a memory stick) have no hard links: the full build keeps no spare,
    and the builds after make the files they would have linked."""
    import os

    from generator.build import build

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "seeds", "site"]
    retitle(sorted(seeds.iterdir())[5])
    assert build(config).parsed == 1
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_a_site_with_no_spare_is_copied_by_links_while_the_inputs_are_parsed(synthetic, tmp_path, monkeypatch):
    """A site with no spare (someone removed it) is copied by links while the inputs are parsed, and
    the copy is the spare the new site is made from; only when the inputs changed, and a build that
    fails leaves no copy behind."""
    import generator.build
    from generator.build import build
    from generator.errors import BuildError

    copies = []
    link_tree = generator.build.link_tree
    monkeypatch.setattr(generator.build, "link_tree", lambda *args: copies.append(args) or link_tree(*args))
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)  # so that the cache holds the status of every input
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    shutil.rmtree(tmp_path / ".site.spare")
    build(config)  # nothing changed: nothing to copy for
    assert copies == []
    edited = sorted(seeds.iterdir())[5]
    retitle(edited)
    before = tmp_path / "before"
    shutil.copytree(tmp_path / "site", before)
    report = build(config)
    assert len(copies) == 1 and report.parsed == 1 and 0 < report.made < 40
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []
    assert same_tree(tmp_path / ".site.spare", before) == []  # the copy was made into the new site, not the old one
    shutil.rmtree(tmp_path / ".site.spare")  # the next build has no spare again, and one input is bad
    (seeds / "bad.txt").write_text("Inköpslista\n", encoding="utf-8")
    shutil.rmtree(before)
    shutil.copytree(tmp_path / "site", before)
    with pytest.raises(BuildError):
        build(config)
    assert len(copies) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["before", "cache", "plain", "seeds", "site"]
    assert same_tree(tmp_path / "site", before) == []


def test_a_copy_that_fails_leaves_the_writer_to_link_the_tree(synthetic, tmp_path, monkeypatch):
    import generator.build
    from generator.build import build

    def fails(live, paths, into):
        Path(into, "svar").mkdir(parents=True)  # a start, then the disk says no
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(generator.build, "link_tree", fails)
    monkeypatch.setattr(generator.build, "SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    shutil.rmtree(tmp_path / ".site.spare")
    edited = sorted(seeds.iterdir())[9]
    retitle(edited)
    assert build(config).parsed == 1
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "cache", "plain", "seeds", "site"]


def test_a_preview_build_after_an_edit_updates_the_site_in_place_index_included(synthetic, tmp_path):
    from generator.build import build

    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", preview=True)
    build(config)
    shards_before = sorted(p.name for p in (tmp_path / "site" / "assets").glob("search-shard.*"))
    edited = sorted(seeds.iterdir())[11]
    retitle(edited)
    report = build(config)
    assert report.parsed == 1 and 0 < report.made < 40
    assert sorted(p.name for p in (tmp_path / "site" / "assets").glob("search-shard.*")) != shards_before
    plain = dataclasses.replace(config, out=tmp_path / "plain", cache=None)
    build(plain)
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_a_shard_gone_from_the_site_is_made_again(synthetic, tmp_path):
    """The index process leaves unmade the shards the site in place already has, for the writer to
    link; one that is gone by then (someone deleted it) is made by the build itself."""
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    cached = ["--seeds", str(seeds), "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "cache")]
    assert run_build(*cached).returncode == 0
    shards = sorted((tmp_path / "site" / "assets").glob("search-shard.*.js"))
    assert len(shards) >= 3
    for shard in shards[::2]:
        shard.unlink()
    edited = sorted(seeds.iterdir())[5]
    lines = edited.read_text(encoding="utf-8").split("\n")
    lines[1] += " (rättad)"
    edited.write_text("\n".join(lines), encoding="utf-8")
    again = run_build(*cached)
    assert again.returncode == 0 and "unchanged" in again.stdout, again.stdout
    # a shard is named by its content: one of the deleted names back is one made again, not an edited one
    assert any(shard.is_file() for shard in shards[::2])
    assert run_build("--seeds", str(seeds), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_a_file_deleted_from_the_site_is_made_again_by_the_builds_after(synthetic, tmp_path):
    """The site replaced by a build becomes the spare the next one is made from: a file someone deleted
    from it must not go missing from the site made from it."""
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    cached = ["--seeds", str(seeds), "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "cache")]
    assert run_build(*cached).returncode == 0
    gone = [tmp_path / "site" / "parti" / "index.html", next((tmp_path / "site" / "svar").glob("*/*.md")),
            next((tmp_path / "site" / "assets").glob("search-shard.*.js"))]
    for path in gone:
        path.unlink()
    assert run_build(*cached).returncode == 0  # nothing changed, but files are missing
    assert all(path.is_file() for path in gone)
    for path in gone:
        path.unlink()
    for i, name in enumerate(sorted(seeds.iterdir())[20:23]):
        lines = name.read_text(encoding="utf-8").split("\n")
        lines[1] += f" (rättad {i})"
        name.write_text("\n".join(lines), encoding="utf-8")
        assert run_build(*cached).returncode == 0
        assert run_build("--seeds", str(seeds), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
        assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_an_edit_updates_the_last_postings_instead_of_counting_all_terms_again(synthetic, tmp_path, monkeypatch):
    """The index's postings are kept in the cache; after an edit only the edited answer's terms change
    in them. Removing an answer renumbers the documents: then they are made anew."""
    from generator import search_index
    from generator.build import build

    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    counted, keyed = [], []
    made_anew, keying = search_index.build_postings, search_index.shard_key
    monkeypatch.setattr(search_index, "build_postings", lambda *args: counted.append(1) or made_anew(*args))
    monkeypatch.setattr(search_index, "shard_key", lambda *args: keyed.append(1) or keying(*args))
    edited = sorted(seeds.iterdir())[9]
    edited.write_text(edited.read_text(encoding="utf-8").replace(" och ", " samt "), encoding="utf-8")
    assert build(config).parsed == 1 and counted == []
    shards = len(list((tmp_path / "site" / "assets").glob("search-shard.*.js")))
    assert 0 < len(keyed) < shards / 2, "the shards of terms the edit left alone keep their keys"
    build(dataclasses.replace(config, out=tmp_path / "edited", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "edited") == []
    sorted(seeds.iterdir())[30].unlink()
    counted.clear()
    keyed.clear()
    build(config)
    assert counted == [1] and len(keyed) >= shards - 1, "renumbered: every shard keyed anew"
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_a_preview_build_that_remakes_every_page_after_an_edit(synthetic, tmp_path):
    """A template changed and an answer edited while the preview runs: the pages are made on forked
    workers and the data files by another process, whose bytes a worker cannot receive."""
    from generator.build import PROJECT, build

    seeds, templates = tmp_path / "seeds", tmp_path / "templates"
    shutil.copytree(synthetic, seeds)
    shutil.copytree(PROJECT / "templates", templates)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", preview=True, templates=templates, workers=2)
    build(config)
    (templates / "base.html").write_text((templates / "base.html").read_text(encoding="utf-8") + "{# changed #}", encoding="utf-8")
    edited = sorted(seeds.iterdir())[12]
    lines = edited.read_text(encoding="utf-8").split("\n")
    lines[1] += " (rättad)"
    edited.write_text("\n".join(lines), encoding="utf-8")
    assert build(config).made > 1000
    build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
    assert same_tree(tmp_path / "site", tmp_path / "plain") == []


def test_the_keys_a_build_takes_from_the_last_one_are_those_it_would_make(synthetic, tmp_path, monkeypatch):
    """A build after an edit keys anew only the outputs of the answers whose digest changed, and takes
    the others' keys from the last build (model.KnownKeys). After each change of a run (texts, titles,
    the newest and the oldest answer, a date, two answers at once, one removed and back, the site's
    address), every key and every byte is what a build with an empty cache makes."""
    from generator import render, search_index
    from generator.build import build
    from generator.cache import BuildCache

    monkeypatch.setattr("generator.build.SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=2)
    build(config)
    files = sorted(seeds.iterdir())
    by_date = sorted(read_answers(seeds).answers, key=lambda a: (a.date, a.slug))
    newest, oldest = (seeds / by_date[-1].source), (seeds / by_date[0].source)
    removed = files[50].read_text(encoding="utf-8")

    def add_sentence(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace("\n", "\nEn mening till.\n", 3), encoding="utf-8")

    def redate(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"den \d+ (\w+) (\d{4})", r"den 1 \1 \2", text), encoding="utf-8")

    changes = [
        ("a title", lambda: retitle(files[10])),
        ("a text", lambda: add_sentence(files[20])),
        ("the newest answer", lambda: retitle(newest)),
        ("the oldest answer", lambda: add_sentence(oldest)),
        ("a date", lambda: redate(files[30])),
        ("two answers", lambda: (retitle(files[40]), add_sentence(files[41]))),
        ("one removed", files[50].unlink),
        ("and back", lambda: files[50].write_text(removed, encoding="utf-8")),
        ("the address", lambda: None),
    ]
    keyed = []
    counting = render.key_of
    monkeypatch.setattr(render, "key_of", lambda *parts: keyed.append(1) or counting(*parts))
    monkeypatch.setattr(search_index, "key_of", lambda *parts: keyed.append(1) or counting(*parts))
    for number, (what, change) in enumerate(changes):
        change()
        if what == "the address":
            config = dataclasses.replace(config, base_url="https://example.org/arkiv/")
        keyed.clear()
        report = build(config)
        if what in ("a title", "a text", "two answers"):  # the plan is the last one: the others' keys are taken
            assert 0 < len(keyed) < 100 and report.made < 40, (what, len(keyed), report.made)
        full = dataclasses.replace(config, out=tmp_path / f"full{number}", cache=tmp_path / f"empty{number}")
        build(full)
        assert BuildCache.open(config.cache).pages == BuildCache.open(full.cache).pages, what
        assert same_tree(config.out, full.out) == [], what


def test_an_output_an_edit_takes_from_the_last_build_is_made_again_when_its_file_is_gone(synthetic, tmp_path, monkeypatch):
    """After an edit only the outputs that show the edited answer are keyed anew; the others are the
    last build's (build.planned_outputs). One whose file is gone from the site and from the spare is
    made all the same, and the same bytes as a plain build's."""
    from generator import build as building
    from generator.build import build, planned_outputs

    monkeypatch.setattr("generator.build.SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=2)
    build(config)
    retitle(sorted(seeds.iterdir())[10])
    build(config)  # the full build's site is now the spare
    taken = []
    monkeypatch.setattr(building, "planned_outputs", lambda *args: taken.append(planned_outputs(*args)) or taken[-1])
    remade = []
    monkeypatch.setattr(building, "made_anew", lambda outputs, path: remade.append(path) or outputs()[path].make())
    far = sorted((config.out / "svar").iterdir())[-1].name  # an answer the edit below does not touch
    gone = [f"svar/{far}/{far}.md", f"svar/{far}/index.html"]
    for path in gone:
        for site in (config.out, tmp_path / ".site.spare"):
            (site / path).unlink()
    retitle(sorted(seeds.iterdir())[20])
    build(config)
    outputs, planned = taken[0]
    assert len(planned) > 1_000 and set(planned) <= {o.path for o in outputs}
    assert sorted(remade) == sorted(gone)
    assert run_build("--seeds", str(seeds), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
    assert same_tree(config.out, tmp_path / "plain") == []


def test_an_edit_makes_the_data_files_from_the_last_ones_with_the_edited_records_replaced(synthetic, tmp_path, monkeypatch):
    """The open data files after an edit are the last build's with the edited answers' records
    replaced (render.data_file_spliced), not every record gathered again; one that is not the file
    the last build wrote (another size) is made from every record. Both give a plain build's bytes."""
    from generator import render
    from generator.build import build

    monkeypatch.setattr("generator.build.SETTLED_NS", 0)
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic, seeds)
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", cache=tmp_path / "cache", workers=1)
    build(config)
    gathered = []
    joining = render.data_files
    monkeypatch.setattr(render, "data_files", lambda *args: gathered.append(1) or joining(*args))

    def as_plain() -> bool:
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        build(dataclasses.replace(config, out=tmp_path / "plain", cache=None))
        return same_tree(config.out, tmp_path / "plain") == []

    records = json.loads((config.out / "data" / "answers.json").read_text(encoding="utf-8"))
    for record in (records[0], records[len(records) // 2], records[-1]):  # the first, a middle and the last record
        retitle(seeds / record["source"])
        gathered.clear()
        build(config)
        assert not gathered, "spliced, not gathered"
        assert as_plain()
    data = config.out / "data" / "answers.json"
    text = data.read_bytes()
    data.unlink()  # a new file in its place (the site's files are links shared with the spare)
    data.write_bytes(text + b"\n")
    retitle(sorted(seeds.iterdir())[4])
    gathered.clear()
    build(config)
    assert gathered, "not the last build's file: gathered"
    assert as_plain()
