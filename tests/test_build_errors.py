"""Bad input: a FILE:LINE: message, a non-zero exit, no traceback, and the output folder exactly as it was."""

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, run_build

GOOD = (SEEDS / "000_c685651a6e047703.txt").read_text(encoding="utf-8")


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


CASES = {
    "empty": (b"", "empty.txt:0: is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt:0: is a binary file"),
    "undecodable": ("Svar på fråga".encode() + b"\x81\x8d\x8f\n", "undecodable.txt:1: cannot be decoded"),
    "not_an_answer": ("Inköpslista\n\nMjölk\nBröd\n".encode(), "not_an_answer.txt:1: not an answer"),
    "truncated": ("\n".join(GOOD.splitlines()[:3]).encode(), "truncated.txt:3: no date"),
    "no_signature": (GOOD.rsplit("Anders Ygeman", 1)[0].encode(), "no_signature.txt:8: no signature"),
    "unknown_party": (GOOD.replace("Staxäng (M)", "Staxäng (XY)", 1).encode(), "unknown_party.txt:1: unknown party code '(XY)'"),
    "impossible_date": (GOOD.replace("14 juni 2017", "31 juni 2017").encode(), "impossible_date.txt:8: impossible date"),
    "bad_yaml": (b"---\ntitle: [unclosed\n---\nText\n", "bad_yaml.md:3: front matter is not valid YAML"),
    "missing_fields": (b"---\ntitle: Bara en titel\n---\nText\n", "missing_fields.md:1: front matter misses doc_type"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_cleanly(case, tmp_path, seeds_copy):
    content, expected = CASES[case]
    suffix = ".md" if case in ("bad_yaml", "missing_fields") else ".txt"
    (seeds_copy / f"{case}{suffix}").write_bytes(content)
    out = tmp_path / "site"
    assert run_build("--seeds", str(SEEDS), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    result = run_build("--seeds", str(seeds_copy), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{seeds_copy}/{expected}" in result.stderr, result.stderr
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.*-*"))  # no staging folder left (the cache, .site.cache, stays)


def test_duplicate_designation_names_both_files(tmp_path, seeds_copy):
    shutil.copy(seeds_copy / "000_c685651a6e047703.txt", seeds_copy / "999_copy.txt")
    result = run_build("--seeds", str(seeds_copy), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "2016/17:1527 (Riksdagen) is answered twice: in 000_c685651a6e047703.txt and 999_copy.txt" in result.stderr
    assert not (tmp_path / "site").exists()


def test_keep_going_builds_the_good_answers_and_lists_the_bad(tmp_path, seeds_copy):
    (seeds_copy / "broken.txt").write_text("Inget svar här.\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build("--seeds", str(seeds_copy), "--out", str(out), "--keep-going")
    assert result.returncode == 1
    assert "skipped:" in result.stderr and "broken.txt:1: not an answer" in result.stderr
    assert (out / "svar" / "2016-17-1527" / "index.html").is_file()


def test_every_problem_is_reported_not_just_the_first(tmp_path, seeds_copy):
    (seeds_copy / "a.txt").write_bytes(b"")
    (seeds_copy / "b.txt").write_text("Hej\n", encoding="utf-8")
    result = run_build("--seeds", str(seeds_copy), "--out", str(tmp_path / "site"))
    assert "a.txt:0:" in result.stderr and "b.txt:1:" in result.stderr


@pytest.mark.parametrize("where", ["seeds", "foreign"])
def test_refuses_output_folders_it_did_not_write(tmp_path, seeds_copy, where):
    if where == "seeds":
        out = seeds_copy
    else:
        out = tmp_path / "mine"
        out.mkdir()
        (out / "thesis.docx").write_bytes(b"important")
    before = tree_digest(out)
    result = run_build("--seeds", str(seeds_copy), "--out", str(out))
    assert result.returncode == 2 and "error:" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(out) == before


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_build("--seeds", str(SEEDS), "--out", str(a)).returncode == 0
    assert run_build("--seeds", str(SEEDS), "--out", str(b)).returncode == 0
    assert tree_digest(a) == tree_digest(b)


def test_rebuild_replaces_the_site_whole(tmp_path, seeds_copy):
    out = tmp_path / "site"
    assert run_build("--seeds", str(seeds_copy), "--out", str(out)).returncode == 0
    (seeds_copy / "004_a3e8633d8479b537.txt").unlink()
    assert run_build("--seeds", str(seeds_copy), "--out", str(out)).returncode == 0
    assert not (out / "svar" / "2017-18-112").exists()
    # no half-written folders; the site before is kept whole as the spare, to make the next one from
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.cache", ".site.spare", "seeds", "site"]
    assert (tmp_path / ".site.spare" / "svar" / "2017-18-112" / "index.html").is_file()
    assert run_build("--seeds", str(seeds_copy), "--out", str(out)).returncode == 0  # made from that spare
    assert not (out / "svar" / "2017-18-112").exists()



BROKEN_TEMPLATES = {
    "undefined, rendered in-process": (" {{ a.no_such_field.deeper }}", 1, "answer.html:3: template error: "),
    "undefined, rendered on two workers": (" {{ a.no_such_field.deeper }}", 2, "answer.html:3: template error: "),
    "syntax": (" {% if %}", 2, "answer.html:3: template error: "),
    "not UTF-8": (" \xe4ndrad".encode("cp1252"), 2, "answer.html:3: template error: not UTF-8 text (byte 0xe4)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_TEMPLATES))
def test_a_broken_template_is_named_with_its_line_and_the_site_is_left_as_it_was(tmp_path, case):
    """A template error reaches the editor as TEMPLATE:LINE: message (the CLI and the preview print
    the BuildError), never as a traceback, and the site in place stays whole."""
    from bench.synth import write_answers
    from generator.build import BuildConfig, build
    from generator.errors import BuildError

    added, workers, expected = BROKEN_TEMPLATES[case]
    seeds, templates, out = tmp_path / "seeds", tmp_path / "templates", tmp_path / "site"
    write_answers(60, seeds)  # enough pages for the writer to start its workers
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    config = BuildConfig(seeds=seeds, out=out, templates=templates, cache=None, workers=workers)
    build(config)
    before = tree_digest(out)
    answer = templates / "answer.html"
    lines = answer.read_bytes().split(b"\n")
    lines[2] += added if isinstance(added, bytes) else added.encode("utf-8")
    answer.write_bytes(b"\n".join(lines))
    with pytest.raises(BuildError) as raised:
        build(config)
    assert f"{templates}/{expected}" in str(raised.value)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds", "site", "templates"], "no half-made folder left"


def test_a_first_build_that_fails_while_writing_leaves_no_folder_behind(tmp_path):
    """A page that cannot be made (here, an undefined value met while the pages are written) stops the
    first build with a cache, which also links a twin of the site: neither half-made folder is left."""
    from bench.synth import write_answers
    from generator.build import BuildConfig, build
    from generator.errors import BuildError

    seeds, templates = tmp_path / "seeds", tmp_path / "templates"
    write_answers(60, seeds)
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    answer = templates / "answer.html"
    answer.write_text(answer.read_text(encoding="utf-8").replace("\n", " {{ a.no_such_field.deeper }}\n", 3), encoding="utf-8")
    config = BuildConfig(seeds=seeds, out=tmp_path / "site", templates=templates, cache=tmp_path / "cache", workers=2)
    with pytest.raises(BuildError):
        build(config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "seeds", "templates"]
