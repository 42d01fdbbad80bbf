"""The five seeds: every field, pinned by a golden answers.json (regenerate with UPDATE_GOLDEN=1 and review the diff)."""

import json
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "answers.json"


def test_answers_json_matches_golden(seed_site):
    # the golden file is indented, one field to a line, so that a change shows as a readable diff
    built = json.loads((seed_site / "data" / "answers.json").read_text(encoding="utf-8"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert built == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_answers_json_holds_one_answer_to_a_line(seed_site):
    lines = (seed_site / "data" / "answers.json").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    assert [json.loads(line.rstrip(","))["slug"] for line in lines[1:-2]] == [r["slug"] for r in json.loads("\n".join(lines))]


def by_source(seed_site):
    return {r["source"]: r for r in json.loads((seed_site / "data" / "answers.json").read_text(encoding="utf-8"))}


def test_seed_fields_checked_by_hand(seed_site):
    rows = by_source(seed_site)
    expected = {
        "000_c685651a6e047703.txt": ("2016/17:1527", "Trygghet i socialt utsatta områden", "Lars-Arne Staxäng", "M",
                                     "Morgan Johansson", "Anders Ygeman", "inrikesminister", "2017-06-14"),
        "001_6cc6f9bb12d67c73.txt": ("2021/22:46", "Fler utsatta områden i Norrköping", "Jonas Andersson i Linghem", "SD",
                                     "Mikael Damberg", "Mikael Damberg", "inrikesminister", "2021-10-06"),
        "002_ded3dadb03399102.txt": ("2016/17:1729", "Ökad utsatthet", "Cecilia Widegren", "M",
                                     "Åsa Regnér", "Åsa Regnér", "barn-, äldre- och jämställdhetsminister", "2017-08-03"),
        "003_44c8c329d554dc7c.txt": ("2016:28", "Utsatta områden i Stockholms stad", "Johanna Sjö", "M",
                                     "Karin Wanngård", "Karin Wanngård", "finansborgarråd", "2016-04-20"),
        "004_a3e8633d8479b537.txt": ("2017/18:112", "Samarbete mellan polis och militär", "Mikael Cederbratt", "M",
                                     "Morgan Johansson", "Morgan Johansson", "justitie- och inrikesminister", "2017-10-25"),
    }
    fields = ("designation", "title", "asker", "asker_party", "addressed_to", "answered_by", "answered_by_role", "date")
    for source, values in expected.items():
        assert tuple(rows[source][f] for f in fields) == values, source
    assert rows["000_c685651a6e047703.txt"]["handed_over"] is True
    council = rows["003_44c8c329d554dc7c.txt"]
    assert (council["slug"], council["chamber"], council["session"], council["doc_type"], council["source_url"]) == (
        "stockholm-2016-28", "Stockholms stad", "2016", "interpellation", None)
    assert rows["001_6cc6f9bb12d67c73.txt"]["source_url"].endswith("_H91246/")


def test_seed_bodies_are_clean(seed_site):
    rows = by_source(seed_site)
    for row in rows.values():
        assert "[bookmark" not in row["text"]
        assert "Stockholm den" not in row["text"]
    lists = (seed_site / "svar" / "2016-17-1729" / "2016-17-1729.md").read_text(encoding="utf-8")
    assert "\n- uppdrag till den nationella samordnaren" in lists
    council = rows["003_44c8c329d554dc7c.txt"]["text"]
    assert "känna sig trygga" in council and "Alla, oavsett var man bor" in council
    assert len(council.split("\n\n")) == 7  # the seven paragraphs of the scan, re-joined


def test_markdown_pages_have_front_matter_with_every_field(seed_site):
    import yaml

    md = (seed_site / "svar" / "2016-17-1527" / "2016-17-1527.md").read_text(encoding="utf-8")
    head, body = md.split("---\n", 2)[1:]
    meta = yaml.safe_load(head)
    assert meta["designation"] == "2016/17:1527" and meta["answered_by"] == "Anders Ygeman"
    assert meta["questions"][0]["asker_party"] == "M"
    assert body.strip().startswith("Lars-Arne Staxäng har frågat")


GOLDEN_PAGES = ["svar/2016-17-1527/index.html", "minister/morgan-johansson/index.html", "parti/index.html"]


def test_pages_match_golden_html(seed_site):
    """A few pages pinned byte for byte (UPDATE_GOLDEN=1 rewrites them; review the diff)."""
    for page in GOLDEN_PAGES:
        golden = GOLDEN.parent / "pages" / page.replace("/", "__")
        built = (seed_site / page).read_text(encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(built, encoding="utf-8")
        assert built == golden.read_text(encoding="utf-8"), page
