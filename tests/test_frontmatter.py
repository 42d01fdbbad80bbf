"""Front matter: the quick writer gives exactly what yaml.dump gives, or declines."""

from __future__ import annotations

import yaml
from conftest import CORPUS, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import read_answers
from generator.frontmatter import front_matter, simple_front_matter, yaml_dump
from generator.model import answer_record


def dumped(record: dict) -> str:
    return yaml_dump(record)


def records_of(folder) -> list[dict]:
    records = [answer_record(a) for a in read_answers(folder, workers=1).answers]
    for record in records:
        del record["text"]
    return records


def test_seed_and_corpus_records_take_the_quick_path_and_match_yaml():
    records = records_of(SEEDS) + records_of(CORPUS)
    quick = [r for r in records if simple_front_matter(r) is not None]
    assert len(quick) >= len(records) - 2, f"only {len(quick)} of {len(records)} records took the quick path"
    for record in records:
        assert front_matter(record) == dumped(record)
        assert yaml.safe_load(front_matter(record)) == record


# Words, and everything YAML reads as more than text: indicators, quotes, numbers, dates, booleans,
# null, comments, colons, escapes, control and special characters, long and empty strings.
PIECES = st.sampled_from([
    "ord", "Åsa", "svar", "2017", "2017-06-14", "1.5", "0x1f", "1_000", "12:30", "yes", "No", "null", "~", "true", "on",
    "0", "010", "08", "0b101", "0o17", "1e5", "1.5e+3", "3.", "12:60", "1:2:3", "190:20:30.5", "2017-6-4 10:20:30",
    "2017-06-14T10:20:30Z", "2017-06-14 10:20:30 +01:00", "Null", "NULL", "OFF", "Yes", "y", "n", "e", "E", "+", "T", "Z",
    " ", "  ", ":", ": ", " #", "#", "-", "- ", "?", "? ", "!", "&", "*", "|", ">", "'", '"', "%", "@", "`", ",", "[", "]",
    "{", "}", "=", "<<", "\\", "\n", "\t", "\r", "\x85", "\u2028", "\ufeff", "\x07", "–", "é", "ß", "_", ".", "...", "---",
    "x" * 60, "ord " * 20, "ord " * 30,
])
TEXT = st.lists(PIECES, max_size=8).map("".join)
SCALARS = st.one_of(TEXT, TEXT, st.integers(-5, 3000), st.booleans(), st.none())
RECORDS = st.dictionaries(
    st.sampled_from(["slug", "title", "asker", "number", "date", "year", "handed_over", "place", "a_very_long_field_name"]),
    st.one_of(SCALARS, st.lists(st.dictionaries(st.sampled_from(["designation", "asker", "title"]), TEXT, min_size=1), max_size=3)),
    min_size=1,
)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(RECORDS)
def test_the_quick_writer_is_yaml_dump_or_declines(record):
    quick = simple_front_matter(record)
    if quick is not None:
        assert quick == dumped(record)


# Each form YAML 1.1 reads as other than text, and near misses that are text
LOOKALIKES = [
    "yes", "Yes", "YES", "yEs", "no", "NO", "nO", "true", "True", "TRUE", "tRue", "false", "on", "On", "ON", "off", "Off", "OFF",
    "y", "n", "null", "Null", "NULL", "nulL", "nul", "0", "00", "010", "08", "0_7", "7", "1_000", "1__", "0b101", "0b", "0b2",
    "0x1f", "0x", "0xg", "0o17", "1.5", "1.", "1._5", "1.5e+3", "1.5e3", "1e5", "3.14.15", "12:30", "12:60", "1:2:3", "0:30",
    "190:20:30.5", "190:20:30", "1:70.5", "2017", "2017-06-14", "2017-6-14", "2017-06-1", "20170-06-14", "2017-6-4 10:20:30",
    "2017-06-14T10:20:30Z", "2017-06-14t10:20:30.25", "2017-06-14 10:20:30 +01:00", "2017-06-14 10:20:30 -1", "2017-06-14 10:20",
    "2017-06-14 10:20:30 Z", "2016/17:1527", "2016/17", "1 000", "1,5", "Inf", "NaN", "e", "E1", "٣٢", "１２", "Ｙes",
]


def test_strings_yaml_reads_as_numbers_dates_booleans_or_null_are_quoted_as_yaml_dump_quotes_them():
    for value in LOOKALIKES:
        for record in ({"title": value}, {"questions": [{"designation": value}]}):
            quick = simple_front_matter(record)
            assert quick is not None, value
            assert quick == dumped(record), value
            assert yaml.safe_load(quick) == record, value
