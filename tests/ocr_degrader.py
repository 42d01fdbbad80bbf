"""Damage clean answers the way the scanner damaged seed 003, and measure how well the build restores them.

The confusion rates are counted from seed 003's misread words (about 60 å, 70 ä and 45 ö): å mostly
became a, sometimes é; ä became é, i, a or d, now and then & or 4; ö became o, d or 6. Lines are
hard-wrapped at about 70 characters with a blank line between paragraphs, as in the scan, now and
then a word is hyphenated across a line end, and every 30 lines a page break leaves a page number,
a running header (also at the top of the first page) and a stray mark in the middle of the text.

    python -m tests.ocr_degrader   # prints the figures (bench/RESULTS.md records them)
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from generator.check import check_answer
from generator.ingest import read_input
from generator.parse import parse_answer
from generator.people import load_registry

PROJECT = Path(__file__).resolve().parent.parent
CLEAN_TEXTS = [PROJECT / "seeds" / n for n in ("000_c685651a6e047703.txt", "001_6cc6f9bb12d67c73.txt",
                                               "002_ded3dadb03399102.txt", "004_a3e8633d8479b537.txt")]
CLEAN_TEXTS += sorted((PROJECT / "tests" / "corpus").glob("r0[1-5]_*.txt"))  # the typed ones; r06, r07 are protocols

CONFUSIONS = {
    "å": (("a", 75), ("é", 14), ("4", 3), ("i", 3), ("å", 5)),
    "ä": (("é", 33), ("i", 27), ("a", 16), ("d", 12), ("&", 4), ("4", 2), ("ä", 6)),
    "ö": (("o", 74), ("d", 12), ("6", 8), ("é", 3), ("ö", 3)),
    "Å": (("A", 90), ("Å", 10)),
    "Ä": (("A", 80), ("Ä", 20)),
    "Ö": (("O", 80), ("Ö", 20)),
}
WORD = re.compile(r"[\wåäöÅÄÖé&]+")


def degrade_char(c: str, rng: random.Random) -> str:
    if c not in CONFUSIONS:
        return c
    choices, weights = zip(*CONFUSIONS[c], strict=True)
    return rng.choices(choices, weights)[0]


def wrap(line: str, rng: random.Random, width: int = 70) -> list[str]:
    out, current = [], ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > width:
            if len(word) > 9 and rng.random() < 0.15:  # hyphenated across the line end
                cut = len(word) // 2
                out.append(f"{current} {word[:cut]}-")
                current = word[cut:]
                continue
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return out + [current]


RUNNING_HEADER = "Regeringskansliet Justitiedepartementet"
PAGE_LINES = 30  # wrapped lines per scanned page


def degrade(text: str, seed: int = 1, furniture: bool = True) -> str:
    """The text as the scanner would have given it: misread letters, hard-wrapped paragraphs, and on
    every page break a page number, the running header and a stray mark."""
    rng = random.Random(seed)
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        damaged = "".join(degrade_char(c, rng) for c in line)
        if i < 2 or len(line) < 80 or line.startswith("Svar"):  # headings and short lines stay as laid out
            out.append(damaged)
        else:
            out += [*wrap(damaged, rng), ""]
    if not furniture:
        return "\n".join(out)
    with_breaks, page = [RUNNING_HEADER, ""], 1
    for i, line in enumerate(out, start=1):
        with_breaks.append(line)
        if i % PAGE_LINES == 0 and i + 5 < len(out):
            page += 1
            with_breaks += [f"- {page} -", RUNNING_HEADER, rng.choice(["|", "~", "'", "."])]
    return "\n".join(with_breaks)


@dataclass
class Figures:
    damaged: int = 0  # words with å/ä/ö that the scanner damaged
    restored: int = 0  # ... that came out right
    words: int = 0  # words in the output
    wrong: int = 0  # output words unlike the clean text's
    metadata_wrong: list = None

    def add(self, other: Figures) -> None:
        self.damaged += other.damaged
        self.restored += other.restored
        self.words += other.words
        self.wrong += other.wrong
        self.metadata_wrong = (self.metadata_wrong or []) + (other.metadata_wrong or [])


def answer_of(path: Path):
    return check_answer(parse_answer(read_input(path, path.parent)), str(path), load_registry())


def measure(clean_path: Path, folder: Path, seed: int = 1) -> Figures:
    """Degrade one clean text, build it, and compare word by word with the clean text's build."""
    clean = answer_of(clean_path)
    damaged_path = folder / clean_path.name
    damaged_text = degrade(clean_path.read_text(encoding="utf-8-sig"), seed)
    damaged_path.write_text(damaged_text, encoding="utf-8")
    restored = answer_of(damaged_path)
    clean_words, out_words = WORD.findall(clean.text), WORD.findall(restored.text)
    scanned = WORD.findall(degrade(clean.text, seed, furniture=False))  # the same words as the scanner gave them
    figures = Figures(words=len(out_words), metadata_wrong=[])
    matcher = difflib.SequenceMatcher(a=clean_words, b=out_words, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        figures.wrong += max(a1 - a0, b1 - b0) if tag != "equal" else 0
    for word, seen in zip(clean_words, scanned, strict=False):
        if re.search("[åäöÅÄÖ]", word) and seen != word:
            figures.damaged += 1
    damaged_right = {i for i, (w, s) in enumerate(zip(clean_words, scanned, strict=False)) if re.search("[åäöÅÄÖ]", w) and s != w}
    for tag, a0, a1, _b0, _b1 in matcher.get_opcodes():
        if tag == "equal":
            figures.restored += sum(1 for i in range(a0, a1) if i in damaged_right)
    for field in ("title", "designation", "date", "asker", "asker_party", "answered_by", "addressed_to"):
        if getattr(clean, field) != getattr(restored, field):
            figures.metadata_wrong.append(f"{clean_path.name}: {field} {getattr(restored, field)!r} for {getattr(clean, field)!r}")
    return figures


def measure_all(folder: Path, seeds: range = range(1, 4)) -> Figures:
    total = Figures(metadata_wrong=[])
    for path in CLEAN_TEXTS:
        for seed in seeds:
            total.add(measure(path, folder, seed))
    return total


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        f = measure_all(Path(folder))
    print(f"{len(CLEAN_TEXTS)} texts x 3 degradations: {f.damaged} damaged å/ä/ö words, {f.restored} restored "
          f"({f.restored / f.damaged:.1%}); {f.wrong} of {f.words} output words wrong ({f.wrong / f.words:.2%}); "
          f"metadata wrong: {f.metadata_wrong or 'none'}")
