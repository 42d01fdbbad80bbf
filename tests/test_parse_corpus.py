"""Every field of every corpus text, against MANIFEST.tsv (checked by hand against the texts)."""

import csv
from pathlib import Path

import pytest

from generator.check import check_answer
from generator.ingest import read_input
from generator.parse import parse_answer
from generator.people import load_registry

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))

# What the manifest does not hold, read off the texts by hand.
ROLES = {
    "r01_bromma_flygplats.txt": "bostads-, stadsutvecklings- och it-minister",
    "r02_forvar_gemensamt_svar.txt": "justitie- och migrationsminister",
    "r03_riksvag40_2011.txt": "infrastrukturminister",
    "r04_verkstallighetshinder.txt": "inrikesminister",
    "r05_ny_landsbygdsminister.txt": "statsminister",
    "r06_int_avgifter_i_skolan.txt": "utbildningsminister",
    "r07_int_arbetsloshetsmalet.txt": "arbetsmarknadsminister",
}
SOURCE_URL_IDS = {
    "r01_bromma_flygplats.txt": "utredningen-om-bromma-flygplats_H3121070",
    "r02_forvar_gemensamt_svar.txt": "forvar-i-norra-sverige_H612103",
    "r03_riksvag40_2011.txt": "utbyggnad-av-riksvag-40_GY12680",
    "r04_verkstallighetshinder.txt": "avhjalpande-av-verkstallighetshinder_H712304",
    "r05_ny_landsbygdsminister.txt": "en-ny-landsbygdsminister_H8123480",
    "r06_int_avgifter_i_skolan.txt": "avgifter-i-skolan_GY10255",
    "r07_int_arbetsloshetsmalet.txt": "arbetsloshetsmalet_H61016",
}


def answer_for(name):
    doc = read_input(CORPUS / name, CORPUS)
    return check_answer(parse_answer(doc), doc.path, load_registry())


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_corpus_fields_match_manifest(row):
    a = answer_for(row["file"])
    numbers = row["number"].split(";")
    assert a.doc_type == row["doc_type"]
    assert a.chamber == "Riksdagen"
    assert a.session == row["session"]
    assert [q.designation for q in a.questions] == [f"{row['session']}:{n}" for n in numbers]
    assert [q.asker for q in a.questions] == row["asker"].split(";")
    assert [q.asker_party for q in a.questions] == row["asker_party"].split(";")
    assert [q.title for q in a.questions] == row["title"].split(";")
    assert (a.designation, a.number, a.title, a.asker) == (
        f"{row['session']}:{numbers[0]}", numbers[0], row["title"].split(";")[0], row["asker"].split(";")[0])
    assert a.addressed_to == row["addressed_to"]
    assert a.answered_by == row["answered_by"]
    assert a.date == row["date"]
    assert a.year == int(row["date"][:4])
    assert a.answered_by_role == ROLES[row["file"]]
    assert a.source == row["file"]
    assert a.source_url.endswith(SOURCE_URL_IDS[row["file"]] + "/")
    assert not a.handed_over


def test_protocol_answer_keeps_only_the_ministers_speech():
    a = answer_for("r06_int_avgifter_i_skolan.txt")
    assert a.text.startswith("Herr talman! Rossana Dinamarca har frågat")
    assert a.text.endswith("är frivilliga.")


def test_pdf_split_words_are_rejoined():
    a = answer_for("r07_int_arbetsloshetsmalet.txt")
    assert "6 procent" in a.text and "sedan 1981" in a.text and "ca 60 miljarder" in a.text
    assert " seda n" not in a.text and "pr ocent" not in a.text


def test_page_furniture_stays_out_of_the_body():
    for name in ("r01_bromma_flygplats.txt", "r04_verkstallighetshinder.txt", "r05_ny_landsbygdsminister.txt"):
        a = answer_for(name)
        furniture = ("Till riksdagen", "Näringsdepartementet", "Justitiedepartementet", "SB2021", "/POL", "besvarad av")
        assert not any(w in a.text for w in furniture), name
        assert "har frågat mig" in a.text.split("\n")[0]


def test_joint_answer_keeps_all_questions():
    a = answer_for("r02_forvar_gemensamt_svar.txt")
    assert len(a.questions) == 2
    assert a.slug == "2018-19-77"
    assert "Jag väljer att besvara frågorna i ett gemensamt svar." in a.text
