"""The people registry: ministers, members of the Riksdag and councillors, with dated roles and parties.

Kept as data in generator/registry/: the open-data files as published, plus our checked corrections.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

REGISTRY = Path(__file__).parent / "registry"

PARTIES = {
    "S": "Socialdemokraterna",
    "M": "Moderaterna",
    "SD": "Sverigedemokraterna",
    "C": "Centerpartiet",
    "V": "Vänsterpartiet",
    "KD": "Kristdemokraterna",
    "L": "Liberalerna",
    "FP": "Folkpartiet liberalerna",
    "MP": "Miljöpartiet de gröna",
    "NYD": "Ny demokrati",
    "-": "Obunden",
}


class Period(NamedTuple):
    """One person holding one role (or party membership) from `start` to `end` (ISO; "" = open). A
    named tuple: the registry holds 7,000 of them, and an edit unpickles it (13 ms as dataclasses, 3 ms so)."""

    name: str
    party: str
    role: str
    start: str
    end: str
    chamber: str = "Riksdagen"

    def covers(self, date: str) -> bool:
        return bool(self.start) and self.start <= date and (not self.end or date < self.end)


@dataclass(frozen=True)
class Registry:
    ministers: tuple[Period, ...]
    titles: tuple[Period, ...]  # official titles by period, where combining roles is wrong
    not_titles: frozenset[str]
    members: tuple[Period, ...]
    councillors: tuple[Period, ...]
    # lookup tables made on first use, per chamber (see name_tables)
    tables: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class NameTables:
    names: frozenset[str]
    folded: dict[str, str]  # folded spelling -> name
    ocr: dict[str, list[str]]  # OCR key -> names


def name_tables(registry: Registry, chamber: str) -> NameTables:
    """The names known in `chamber` (its councillors, all ministers and members), indexed once."""
    if chamber not in registry.tables:
        pool = [p for p in registry.councillors if p.chamber == chamber] if chamber != "Riksdagen" else []
        pool += list(registry.ministers) + list(registry.members)
        names = sorted({p.name for p in pool})
        ocr: dict[str, list[str]] = {}
        for n in names:
            ocr.setdefault(_ocr_key(n), []).append(n)
        registry.tables[chamber] = NameTables(frozenset(names), {fold(n): n for n in names}, ocr)
    return registry.tables[chamber]


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def load_registry(folder: Path = REGISTRY) -> Registry:
    """Read the registry files once; the result never changes during a run. (PyYAML is imported
    here: a build after an edit takes the registry from the cache.)"""
    import yaml

    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader: a fifth of the pure-Python one's time
    fixes = yaml.load((folder / "ministers-corrections.yaml").read_text(encoding="utf-8"), Loader=safe_loader)
    dates = {(f["name"], f["role"]): (str(f["start"]), str(f["end"])) for f in fixes["fill_dates"]}
    parties = {f["name"]: f["party"] for f in fixes["parties"]}
    ministers = []
    for row in _read_csv(folder / "ministers.csv"):
        start, end = row["start"], row["end"]
        if not start or not end:
            start, end = dates.get((row["name"], row["role"]), (start, end))
        ministers.append(Period(row["name"], row["party"] or parties.get(row["name"], ""), row["role"], start, end))
    titles = tuple(
        Period(t["name"], "", t["title"], str(t["start"]), str(t["end"])) for t in fixes["titles"]
    )
    members = tuple(
        Period(r["name"], r["party"], "riksdagsledamot", r["start"], r["end"])
        for r in _read_csv(folder / "members.csv")
    )
    council = yaml.load((folder / "councillors.yaml").read_text(encoding="utf-8"), Loader=safe_loader)
    councillors = tuple(
        Period(c["name"], c["party"], c["role"], str(c["start"]), str(c["end"]), c["chamber"]) for c in council
    )
    return Registry(tuple(ministers), titles, frozenset(fixes["not_titles"]), members, councillors)


def fold(text: str) -> str:
    """Lower case without diacritics: how OCR and hurried typists write names."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Letters OCR reads instead of å, ä and ö (seen in the council answers).
OCR_VOWEL = re.compile(r"[aäåáàéeoöóòdi&468]")


def _ocr_key(name: str) -> str:
    return OCR_VOWEL.sub("*", fold(name).replace("aa", "a"))


def canonical_name(written: str, registry: Registry, chamber: str = "Riksdagen") -> str | None:
    """The registry's spelling of a name written in a text, or None when nobody matches.

    Exact matches first, then the same letters without diacritics, then OCR misreadings.
    """
    written = " ".join(written.split())
    tables = name_tables(registry, chamber)
    if written in tables.names:
        return written
    folded = tables.folded
    if fold(written) in folded:
        return folded[fold(written)]
    candidates = tables.ocr.get(_ocr_key(written), [])
    if len(candidates) == 1:
        return candidates[0]
    close = difflib.get_close_matches(fold(written), list(folded), n=2, cutoff=0.88)
    if len(close) == 1 and chamber != "Riksdagen":
        return folded[close[0]]
    return None


def title_case(shouted: str) -> str:
    """'JAN BJÖRKLUND' -> 'Jan Björklund', keeping hyphenated parts ('ELMSÄTER-SVÄRD')."""
    return "-".join(" ".join(w.capitalize() for w in part.split(" ")) for part in shouted.split("-"))


def combine_titles(roles: list[str]) -> str:
    """['justitieminister', 'migrationsminister'] -> 'justitie- och migrationsminister'."""
    if len(roles) == 1:
        return roles[0]
    if all(r.endswith("minister") and " " not in r for r in roles):
        stems = [r[: -len("minister")] + "-" for r in roles[:-1]]
        head = ", ".join(stems[:-1])
        return (head + ", " if head else "") + stems[-1] + " och " + roles[-1]
    return " och ".join(roles)


def minister_title(registry: Registry, name: str, date: str) -> str:
    """The official title of minister `name` on `date`, or "" when the registry does not know."""
    for t in registry.titles:
        if t.name == name and t.covers(date):
            return t.role
    roles = []
    for p in registry.ministers:
        if p.name == name and p.covers(date) and p.role not in registry.not_titles and p.role not in roles:
            roles.append(p.role)
    return combine_titles(roles) if roles else ""


def councillor(registry: Registry, name: str, date: str) -> Period | None:
    for p in registry.councillors:
        if p.name == name and (p.covers(date) or not p.start):
            return p
    return None


def party_on(registry: Registry, name: str, date: str) -> str | None:
    """The party `name` belonged to on `date`: as minister, councillor or member; None if unknown."""
    for pool in (registry.ministers, registry.councillors, registry.members):
        for p in pool:
            if p.name == name and p.covers(date) and p.party:
                return p.party
    for pool in (registry.ministers, registry.councillors, registry.members):
        parties = {p.party for p in pool if p.name == name and p.party}
        if len(parties) == 1:
            return parties.pop()
    return None


def minister_by_role(registry: Registry, role: str, date: str) -> str | None:
    """Who held `role` ('justitieministern' or 'justitieminister') on `date`, or None."""
    role = role.lower().removesuffix("n") if role.lower().endswith("ministern") else role.lower()
    holders = sorted({p.name for p in registry.ministers if p.covers(date) and p.role.lower() == role})
    if not holders:
        holders = sorted({
            t.name for t in registry.titles if t.covers(date) and role in t.role.replace("-", "").split()
        })
    return holders[0] if len(holders) == 1 else None
