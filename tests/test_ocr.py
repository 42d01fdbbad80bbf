"""OCR restoration: measured on clean answers damaged as seed 003 was, and on seed 003 itself."""

from pathlib import Path

import pytest
from ocr_degrader import CLEAN_TEXTS, answer_of, degrade, measure_all

from generator import ocr

SEED_003 = Path(__file__).resolve().parent.parent / "seeds" / "003_44c8c329d554dc7c.txt"


def test_restores_the_damaged_words_and_makes_up_none(tmp_path):
    f = measure_all(tmp_path)
    assert f.damaged > 1000
    assert f.restored / f.damaged >= 0.90, f"{f.restored}/{f.damaged} å/ä/ö words restored"
    assert f.wrong / f.words <= 0.03, f"{f.wrong}/{f.words} output words wrong"
    assert f.metadata_wrong == []


@pytest.mark.parametrize("path", CLEAN_TEXTS, ids=lambda p: p.name[:12])
def test_clean_texts_are_left_alone(path):
    text = path.read_text(encoding="utf-8-sig")
    assert not ocr.looks_damaged(text)
    assert ocr.looks_damaged(degrade(text, 1))
    assert answer_of(path).ocr_restored == 0


def test_seed_003_reads_as_clean_swedish():
    a = answer_of(SEED_003)
    assert (a.title, a.asker, a.answered_by) == ("Utsatta områden i Stockholms stad", "Johanna Sjö", "Karin Wanngård")
    for phrase in ("känna sig trygga i vår stad", "i de här områdena", "Förtroendet för Polisen är ofta lågt",
                   "Detta föder en oro", "bild av läget i vår stad", "över våra mest utsatta områden",
                   "se över vår organisation och våra metoder", "anhörigstöd, individstöd", "Problemen är allvarliga",
                   "en utveckling där utsattheten ökat", "Kunskapshusen kommer därmed vara en källa"):
        assert phrase in a.text, phrase
    for scanned in ("kdnna", " var stad", "hiar", "foder", "&r", "é&r", "6kar", "ldaget", "häär", "mänga"):
        assert scanned not in a.text, scanned
    assert a.original and "kdnna sig trygga i var stad" in a.original  # the scan is kept


@pytest.mark.parametrize("written, before, after, expected", [
    ("var", ["oavsett"], "man", "var"), ("var", ["i"], "stad", "vår"), ("Det", [], "var", "Det"),
    ("vara", ["kommer", "därmed"], "en", "vara"), ("vara", ["över"], "mest", "våra"),
    ("har", ["de"], "områdena", "här"), ("har", ["de"], "haft", "har"), ("lagt", ["har"], "fram", "lagt"),
    ("lagt", ["ofta"], "i", "lågt"), ("ar", ["2016"], "sedan", "år"), ("in", ["mer"], "så", "än"), ("in", ["gick"], "i", "in"),
])
def test_context_decides_between_two_real_words(written, before, after, expected):
    assert ocr.in_context(written, before, after) == expected


def test_names_get_the_registry_spelling():
    text, changed = ocr.restore_names("Lars-Arne Staxang och Staxdng, men inte Staxangen.", ["Lars-Arne Staxäng"])
    assert text == "Lars-Arne Staxäng och Staxäng, men inte Staxangen." and changed == 2


def test_page_numbers_running_headers_and_debris_are_dropped(tmp_path):
    from ocr_degrader import RUNNING_HEADER

    clean = CLEAN_TEXTS[2]
    scanned = degrade(clean.read_text(encoding="utf-8-sig"), 2)
    assert "- 2 -" in scanned and scanned.count(RUNNING_HEADER) >= 2
    (tmp_path / clean.name).write_text(scanned, encoding="utf-8")
    text = answer_of(tmp_path / clean.name).text
    assert RUNNING_HEADER not in text and "- 2 -" not in text
    assert not any(line.strip() in ("|", "~", "'", ".") for line in text.split("\n"))
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / clean.name).write_text(degrade(clean.read_text(encoding="utf-8-sig"), 2, furniture=False), encoding="utf-8")
    assert text == answer_of(tmp_path / "plain" / clean.name).text  # as if the pages had never broken
