"""Reading: encodings, line ends and Word artefacts."""

import pytest

from generator.errors import SourceError
from generator.ingest import read_input

TEXT = "Svar på fråga 2016/17:1 av Åsa Öberg (M) Väg\r\n[bookmark: _GoBack]Första stycket.\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_encodings_and_line_ends_read_the_same(tmp_path, encoding, newline):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.replace("\r\n", newline).encode(encoding))
    doc = read_input(p, tmp_path)
    assert doc.text == "Svar på fråga 2016/17:1 av Åsa Öberg (M) Väg\nFörsta stycket.\n"


def test_other_suffixes_are_refused(tmp_path):
    p = tmp_path / "a.docx"
    p.write_bytes(b"PK")
    with pytest.raises(SourceError, match="expected a .txt or .md file"):
        read_input(p, tmp_path)


def test_link_out_of_the_seeds_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").symlink_to(outside)
    with pytest.raises(SourceError, match="outside the seeds folder"):
        read_input(seeds / "a.txt", seeds)
