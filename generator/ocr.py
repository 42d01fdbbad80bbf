"""OCR restoration: give scanned answers back their å, ä and ö.

Scanners read å, ä and ö as a, o, d, i, é, &, 4, 6 ... ("kdnna sig trygga i var stad"). A word is
replaced only when the text as a whole looks damaged and a spelling with å/ä/ö is clearly more
common Swedish than the one written (word frequencies from the `wordfreq` package).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from wordfreq import zipf_frequency

# What each misread character may stand for (it may also be itself).
CONFUSIONS = {
    "a": "aåä", "o": "oö", "d": "däåö", "i": "iäå", "é": "äåöé", "&": "äå", "4": "åä", "6": "ö",
    "0": "ö",
}
WORD = re.compile(r"[\wåäöÅÄÖé&]+")
DIACRITIC = re.compile("[åäöÅÄÖ]")
MAX_SUBSTITUTIONS = 7  # positions tried per word; more would try thousands of spellings
MARGIN = 0.6  # how much more common (zipf, a log scale) the restored spelling must be


def looks_damaged(text: str) -> bool:
    """Swedish prose has å, ä or ö in about one word in six; OCR output in almost none."""
    words = WORD.findall(text)
    if len(words) < 40:
        return False
    with_diacritics = sum(1 for w in words if not w.isascii() and DIACRITIC.search(w))
    return with_diacritics / len(words) < 0.04


@lru_cache(maxsize=50_000)
def frequency(word: str) -> float:
    return zipf_frequency(word, "sv")


@lru_cache(maxsize=50_000)
def restore_word(word: str) -> str:
    """The most likely intended spelling of one word (case kept)."""
    lower = word.lower()
    if not re.search(r"[a-zåäöé]", lower) or lower.isdigit():
        return word
    positions = [i for i, c in enumerate(lower) if c in CONFUSIONS][:MAX_SUBSTITUTIONS]
    if not positions:
        return word
    best, best_freq = lower, frequency(lower)
    for choice in itertools.product(*(CONFUSIONS[lower[i]] for i in positions)):
        chars = list(lower)
        for i, c in zip(positions, choice, strict=True):
            chars[i] = c
        candidate = "".join(chars)
        f = frequency(candidate)
        if f > best_freq:
            best, best_freq = candidate, f
    if best == lower or best_freq < frequency(lower) + MARGIN or re.search(r"[&4]|\d", best):
        return word
    return match_case(word, best)


def match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def restore_line(line: str) -> str:
    return WORD.sub(lambda m: restore_word(m.group(0)), line)


def count_changes(text: str) -> int:
    """How many words restoration changes in `text`."""
    return sum(1 for w in WORD.findall(text) if restore_word(w) != w)
