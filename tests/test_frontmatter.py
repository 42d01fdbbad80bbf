"""Front matter: the quick writer gives exactly what yaml.dump gives, or declines."""

from __future__ import annotations

import yaml
from conftest import CORPUS, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import read_answers
from generator.frontmatter import YAML_WIDTH, _Dumper, front_matter, simple_front_matter
from generator.model import answer_record


def dumped(record: dict) -> str:
    return yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH)


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
