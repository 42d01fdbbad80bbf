"""OCR restoration: give scanned answers back their å, ä and ö.

Scanners read å, ä and ö as a, o, d, i, é, &, 4, 6 ... ("kdnna sig trygga i var stad"). Only a text
that as a whole looks damaged is touched. Each word is restored to the spelling with å/ä/ö that is
clearly more common Swedish (word frequencies from the `wordfreq` package), or, for a compound the
word list lacks ("anhdrigstdd"), whose two parts are both common words ("anhörig" + "stöd"). A word
that is a real word either way ("var"/"vår", "har"/"här", "lagt"/"lågt") is decided by the words
around it. A spelling that is not a known word or a compound of known words is never produced.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

# What each misread character may stand for (it may also be itself).
CONFUSIONS = {
    "a": "aåä", "o": "oö", "d": "däåö", "i": "iäå", "é": "äåöé", "&": "äå", "4": "åä", "6": "ö",
    "0": "ö",
}
# Two characters the scanner made of one ("hiar" for "här", "ldaget" for "läget", "é&r" for "är").
PAIR_CONFUSIONS = {"ia": "ä", "da": "ä", "é&": "ä"}
WORD = re.compile(r"[\wåäöÅÄÖé&]+")
DIACRITIC = re.compile("[åäöÅÄÖ]")
MAX_SUBSTITUTIONS = 7  # positions tried per word; more would try thousands of spellings
MARGIN = 0.6  # how much more common (zipf, a log scale) the restored spelling must be
KNOWN = 1.5  # zipf below which a spelling is not taken for a word ("häär" is 1.1, "överklagad" 1.7)
COMPOUND_PART = 2.5  # each part of a compound must be at least this common
COMPOUND_PENALTY = 1.0  # a compound counts as a little less certain than a listed word
MIN_PART = 4  # shorter parts make false compounds ("år|endet")
MAX_WORD = 40  # longer runs of letters are not words (and would make the compound search deep)

PREPOSITIONS = frozenset("i av för till med om på från inom under över mot genom ur vid åt efter hos utan bland kring enligt trots".split())
MODALS = frozenset("att ska skall kan kunna måste bör skulle kommer vill får kunde borde torde lär verkar tycks behöver brukar".split())
DETERMINERS = frozenset("de den det detta dessa denna".split())
NOT_A_NOUN = frozenset(
    "och en ett det den de man som att inte också han hon jag vi ni i på av för till med om så där när nog redan aldrig "
    "alltid ju haft varit gjort fått sagt tagit gett givit blivit kommit lett fattat beslutat infört ökat minskat".split()
)
LOW_BEFORE = frozenset("ofta mycket för så relativt väldigt alltför lika är var varit vara blir blivit förhållandevis särskilt".split())
SUBJECTS = frozenset("det detta som vilket den de man".split())
COUNTED = frozenset("per varje förra nästa samma detta flera många några två tre fyra fem sex tio senaste kommande".split())
COMPARATIVES = frozenset("mer mindre fler färre annat snarare hellre längre bättre sämre större".split())


def looks_damaged(text: str) -> bool:
    """Swedish prose has å, ä or ö in one word in four to seven (the clean seeds: 14-37 %); OCR output
    in almost none, and many of its words turn into common words when given them back."""
    words = WORD.findall(text)
    if len(words) < 40:
        return False
    # counted until there are enough: clean prose has them within its first half
    with_diacritics = 0
    for w in words:
        if not w.isascii() and DIACRITIC.search(w):
            with_diacritics += 1
            if with_diacritics / len(words) >= 0.08:
                return False
    return sum(1 for w in words if restore_word(w) != w) / len(words) > 0.05


@lru_cache(maxsize=100_000)
def frequency(word: str) -> float:
    # imported here: loading wordfreq takes longer than a rebuild of one answer, and clean texts never need it
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "sv")


@lru_cache(maxsize=100_000)
def score(word: str) -> float:
    """How surely `word` is Swedish: its frequency, or for an unlisted compound that of its weaker part."""
    listed = frequency(word)
    if listed >= KNOWN or not 2 * MIN_PART <= len(word) <= MAX_WORD:
        return listed
    best = listed
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:i], word[i:]
        heads = (head, head[:-1]) if head.endswith("s") and len(head) > MIN_PART else (head,)  # "samhälls|service"
        part = max(score(h) for h in heads)
        rest = score(tail)  # parts may be compounds themselves: "trafik|slags|övergripande"
        if part >= COMPOUND_PART and rest >= COMPOUND_PART:
            best = max(best, min(part, rest) - COMPOUND_PENALTY)
    return best


def spellings(lower: str, pairs: bool = False) -> set[str]:
    """Every spelling the scanner may have read as `lower`; with `pairs`, also where it made two
    characters of one (tried only when no one-for-one reading is a word: "dar" is "där", not "är")."""
    bases = {lower}
    if pairs:
        for pair, letter in PAIR_CONFUSIONS.items():
            if pair in lower:
                bases |= {b.replace(pair, letter, 1) for b in bases}
        bases.discard(lower)
    out = set()
    for base in bases:
        positions = [i for i, c in enumerate(base) if c in CONFUSIONS][:MAX_SUBSTITUTIONS]
        for choice in itertools.product(*(CONFUSIONS[base[i]] for i in positions)):
            chars = list(base)
            for i, c in zip(positions, choice, strict=True):
                chars[i] = c
            out.add("".join(chars))
    return out


@lru_cache(maxsize=50_000)
def restore_word(word: str) -> str:
    """The most likely intended spelling of one word, without context (case kept).

    Listed words first: a spelling with å/ä/ö that is clearly more common than the one written.
    Only when neither is a listed word, compounds: the spelling whose parts are most common."""
    lower = word.lower()
    if not re.search(r"[a-zåäöé]", lower) or lower.isdigit() or (word.isupper() and len(word) <= 4) or len(word) > MAX_WORD:
        return word  # numbers, acronyms such as party codes ("SD"), and runs of letters no word is as long as
    if not any(c in CONFUSIONS for c in lower) and not any(p in lower for p in PAIR_CONFUSIONS):
        return word
    candidates = [c for c in sorted(spellings(lower)) if c != lower and not re.search(r"[&4é]|\d", c)]
    written = frequency(lower)
    best = max(candidates, key=frequency, default=lower)
    if frequency(best) < KNOWN:
        candidates += [c for c in sorted(spellings(lower, pairs=True)) if not re.search(r"[&4é]|\d", c)]
        best = max(candidates, key=frequency, default=lower)
    if frequency(best) >= KNOWN and frequency(best) >= written + MARGIN:
        return match_case(word, best)
    if written >= KNOWN or frequency(best) >= KNOWN:
        return word
    best = max(candidates, key=score, default=lower)
    if score(best) >= KNOWN and score(best) >= score(lower) + MARGIN / 2:
        return match_case(word, best)
    return word


def in_context(word: str, before: list[str], after: str) -> str:
    """A real word that is also the misreading of another: the words around it decide."""
    lower, prev = word.lower(), (before[-1] if before else "")
    noun_next = bool(after) and after.islower() and after not in NOT_A_NOUN
    restored = None
    if lower == "var" and prev in PREPOSITIONS and noun_next:
        restored = "vår"
    elif lower == "vart" and prev in PREPOSITIONS and noun_next:
        restored = "vårt"
    elif lower == "vara" and (prev in PREPOSITIONS or prev == "och") and noun_next and not MODALS & set(before[-3:]):
        restored = "våra"
    elif lower == "har" and prev in DETERMINERS and noun_next and not after.endswith("t"):
        restored = "här"
    elif lower == "lagt" and prev in LOW_BEFORE:
        restored = "lågt"
    elif lower == "foder" and prev in SUBJECTS:
        restored = "föder"
    elif lower == "laget" and prev in PREPOSITIONS:
        restored = "läget"
    elif lower == "ar" and (prev.isdigit() or prev in COUNTED):
        restored = "år"
    elif lower == "in" and (prev in COMPARATIVES or (prev.endswith("re") and len(prev) > 4)):
        restored = "än"
    return match_case(word, restored) if restored else word


def match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def restore_text(text: str) -> tuple[str, int]:
    """The text with its words restored, and how many words changed. Line breaks stay where they were."""
    parts = WORD.split(text)
    words = WORD.findall(text)
    lowered = [w.lower() for w in words]
    out, changed = [], 0
    for i, word in enumerate(words):
        new = restore_word(word)
        if new == word:
            new = in_context(word, [restore_word(w).lower() for w in lowered[max(0, i - 3):i]],
                             restore_word(lowered[i + 1]) if i + 1 < len(words) else "")
        if new != word and new[:1] in "ÅÄÖ" and word[:1] in "AO" and not sentence_start(parts[i], out):
            new = new[:1].lower() + new[1:]  # "se Over" was "se över": the scanner took ö for O
        changed += new != word
        out.append(parts[i])
        out.append(new)
    out.append(parts[-1])
    return "".join(out), changed


def sentence_start(gap: str, before: list[str]) -> bool:
    """Whether a word follows the start of the text, a sentence's end or a line break."""
    text = "".join(before[-2:]) + gap
    return not text.strip() or bool(re.search(r"[.!?:”\"]\s*$|\n\s*$", text))


# What the scanner made of each letter with a diacritic, for finding a known name in the text.
MISREAD_AS = {"å": "aåé4i", "ä": "aäéid&4", "ö": "oödé6", "Å": "AÅ", "Ä": "AÄ", "Ö": "OÖ", "é": "eé"}


def restore_names(text: str, names: list[str]) -> tuple[str, int]:
    """Give the names of the answer's people (from the registry) their real spelling in the text:
    'Staxang' and 'Staxdng' are 'Staxäng'. Returns the text and how many words changed."""
    changed = 0

    def fix(match: re.Match, part: str) -> str:
        nonlocal changed
        changed += match.group(0) != part
        return part

    for part in sorted({p for name in names for p in re.split(r"[\s-]+", name) if not p.isascii() and len(p) > 2}):
        pattern = "".join(f"[{re.escape(MISREAD_AS[c])}]" if c in MISREAD_AS else re.escape(c) for c in part)
        regex = re.compile(rf"(?<![\wåäöÅÄÖé&]){pattern}(?![\wåäöÅÄÖé&])")
        text = regex.sub(lambda m, part=part: fix(m, part), text)
    return text, changed
