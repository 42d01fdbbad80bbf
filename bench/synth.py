"""Synthetic answers for benchmarks: N texts in the seeds' typed format, deterministic for a given N and seed.

Sentences come from the clean seeds (000, 001, 002, 004); ministers, askers and parties from the
people registry, each in office on the answer's date, so every text passes the build's checks.
About one answer in eight was put to another minister and handed over, as in seed 000.

    python bench/synth.py N OUTDIR [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

from generator.dates import MONTH_NAMES
from generator.people import load_registry, minister_title

PROJECT = Path(__file__).resolve().parent.parent
CLEAN_SEEDS = ("000_c685651a6e047703.txt", "001_6cc6f9bb12d67c73.txt", "002_ded3dadb03399102.txt", "004_a3e8633d8479b537.txt")
FIRST_DAY, LAST_DAY = date(2007, 1, 8), date(2024, 6, 14)
TITLE_WORDS = (
    "Trygghet", "Polisens närvaro", "Skjutningar", "Segregation", "Utsatta områden", "Brottsförebyggande arbete",
    "Kriminella nätverk", "Resurser till polisen", "Samverkan", "Landsbygdens service", "Vården", "Skolans resultat",
    "Bostadsbyggande", "Järnvägens underhåll", "Klimatomställning", "Energipriser", "Migrationsverkets handläggning",
    "Försvarets förmåga", "Arbetslöshet bland unga", "Äldreomsorgen", "Kulturarvet", "Vattenförsörjning",
)
PLACES = ("i Norrköping", "i Malmö", "i Göteborg", "i Östergötland", "i Norrland", "på landsbygden", "i förorten", "i Sverige",
          "i Skåne", "i Västra Götaland", "i Jämtland", "i Örebro län")


def seed_sentences() -> list[str]:
    """Whole sentences from the clean seeds' bodies (not headings, salutations or signatures)."""
    sentences = []
    for name in CLEAN_SEEDS:
        text = (PROJECT / "seeds" / name).read_text(encoding="utf-8")
        text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
        for line in text.splitlines()[2:]:
            line = line.strip()
            if len(line) < 80 or "har frågat" in line or not line[0].isupper():
                continue
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", line) if len(s.strip()) > 30]
    return sorted(set(sentences))


def session_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{str(start + 1)[2:]}"


def swedish_day(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def in_office(periods, day: str) -> list:
    return [p for p in periods if p.covers(day) and p.party]


def answer_text(rng: random.Random, sentences: list[str], registry, numbers: dict[str, int]) -> tuple[str, str]:
    """(file stem, text) of one synthetic answer."""
    while True:
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        if day.weekday() < 5:
            break
    iso = day.isoformat()
    ministers = sorted({p.name for p in in_office(registry.ministers, iso) if minister_title(registry, p.name, iso)})
    members = sorted({(p.name, p.party) for p in in_office(registry.members, iso)} - {(m, "") for m in ministers})
    minister = rng.choice(ministers)
    asker, party = rng.choice(members)
    session = session_of(day)
    numbers[session] = numbers.get(session, 0) + rng.randint(1, 3)
    designation = f"{session}:{numbers[session]}"
    title = f"{rng.choice(TITLE_WORDS)} {rng.choice(PLACES)}"
    surname = asker.split()[-1]
    if rng.random() < 0.125:
        # only one-word titles: "minister för X" does not name its holder in running text
        other = rng.choice([m for m in ministers if m != minister and " " not in minister_title(registry, m, iso)])
        asked = (f"{asker} har frågat {minister_title(registry, other, iso)} {other} vilka åtgärder som avses vidtas när det gäller "
                 f"{title.lower()}. Frågan har överlämnats till mig att besvara.")
    else:
        asked = f"{asker} har frågat mig vilka åtgärder jag avser att vidta när det gäller {title.lower()}."
    paragraphs = [" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(rng.randint(3, 7))]
    lines = [f"Svar på fråga {designation} av {asker} ({party})", title, asked, *paragraphs,
             f"Jag delar {surname}s uppfattning att frågan är viktig och följer utvecklingen noga.",
             f"Stockholm den {swedish_day(day)}", "", minister, ""]
    stem = f"{session.replace('/', '-')}-{numbers[session]:05d}"
    return stem, "\n".join(lines)


def write_answers(n: int, out: Path, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    sentences = seed_sentences()
    registry = load_registry()
    numbers: dict[str, int] = {}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for _ in range(n):
        stem, text = answer_text(rng, sentences, registry, numbers)
        path = out / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_answers(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
