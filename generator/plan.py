"""The site's structure: which pages there are and which answers each one lists, made from each
answer's Placement (where it goes: its slug, date, ministers, askers...) and nothing else.

Editing an answer's text or title leaves every Placement as it was, and so the plan: a build after
such an edit takes the plan from the cache (see cache.BuildCache.site_plan) instead of grouping and
paginating every answer again. Pages are made from a plan in render.py.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from generator.model import Answer
from generator.people import PARTIES, fold

PAGE_SIZE = 50  # answers per list page; long lists continue on sida-2.html, sida-3.html ...
FEED_SIZE = 50
NEWEST_ON_HOME = 10
SEARCH_PAGE = "sok/index.html"

KIND_TITLES = {
    "minister": ("Ministrar", "Svar per minister"),
    "parti": ("Partier", "Frågor per frågeställarens parti"),
    "ar": ("År", "Svar per år"),
    "riksmote": ("Riksmöten", "Svar per riksmöte"),
    "fragestallare": ("Frågeställare", "Frågor per frågeställare"),
}
FEED_KINDS = ("minister", "parti")


class Placement(NamedTuple):
    """What of an answer decides where it appears in the site (the attributes are the Answer's own)."""

    slug: str
    date: str
    year: int
    session: str
    chamber: str
    number: str
    answered_by: str
    addressed_to: str
    questions: tuple[tuple[str, str], ...]  # each question's asker and party
    has_original: bool


def placement(a: Answer) -> Placement:
    return Placement(a.slug, a.date, a.year, a.session, a.chamber, a.number, a.answered_by, a.addressed_to,
                     tuple((q.asker, q.asker_party) for q in a.questions), a.has_original)


def plan_key(placements: list[Placement]) -> str:
    """A digest of the placements, in order (a group's name is the last one given for it). marshal's
    version 0 writes values alone (later versions mark shared and interned strings), and plain
    tuples: twice as quick as pickling the named ones."""
    return hashlib.sha256(marshal.dumps([tuple(p) for p in placements], 0)).hexdigest()


@lru_cache(maxsize=50_000)
def name_slug(name: str) -> str:
    """'Åsa Regnér' -> 'asa-regner'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-") or "okand"


def party_slug(code: str) -> str:
    return "obunden" if code == "-" else code.lower()


BY_DATE = attrgetter("date", "slug")  # (a.date, a.slug), made in C: lists are sorted by it some 100,000 times


def newest_first(answers) -> tuple:
    return tuple(sorted(answers, key=BY_DATE, reverse=True))


def slugs(placements) -> tuple[str, ...]:
    return tuple(p.slug for p in placements)


@dataclass(frozen=True)
class Group:
    """A set of answers that gets its own index page: one minister, party, year, session or asker."""

    kind: str  # "minister", "parti", "ar", "riksmote", "fragestallare"
    key: str  # path segment
    name: str
    answers: tuple[Placement, ...]  # newest first
    handed_over: tuple[Placement, ...] = ()  # for ministers: put to them, answered by someone else


class AnswerPage(NamedTuple):
    slug: str
    previous: str | None  # the answers before and after it by date
    following: str | None


class GroupPage(NamedTuple):
    """One page of a group's list of answers."""

    path: str
    kind: str
    key: str
    name: str
    total: int  # answers in the group
    number: int  # this page's number, from 1
    pages: int
    chunk: tuple[str, ...]  # the slugs of the answers on this page, newest first
    handed_over: tuple[str, ...]  # on a minister's first page: put to them, answered by someone else


class Overview(NamedTuple):
    """The page that lists every group of a kind."""

    path: str
    kind: str
    rows: tuple[dict, ...]


class Feed(NamedTuple):
    path: str
    name: str  # "" for the whole site's
    entries: tuple[str, ...]  # the newest answers' slugs


class Home(NamedTuple):
    newest: tuple[str, ...]
    count: int
    counts: dict[str, int]  # groups of each kind
    years: tuple[dict, ...]
    parties: tuple[dict, ...]


@dataclass(frozen=True)
class SitePlan:
    """Every page of the site but the search page and 404.html, by kind, with the answers each lists."""

    answers: tuple[AnswerPage, ...]  # in date order
    originals: frozenset[str]  # the slugs of the answers with an original (OCR) text beside the page
    overviews: tuple[Overview, ...]
    groups: tuple[GroupPage, ...]
    feeds: tuple[Feed, ...]  # the site's first
    home: Home
    html_paths: tuple[str, ...]  # every page but 404.html, sorted: the sitemap's
    by_record: tuple[str, ...]  # slugs in the order of the open data files (record_order)


def site_plan(placements: list[Placement]) -> SitePlan:
    groups = group_answers(placements)
    answers = answer_pages(placements)
    overviews = tuple(Overview(f"{kind}/index.html", kind, overview_rows(kind, kind_groups)) for kind, kind_groups in groups.items())
    pages = tuple(page for kind_groups in groups.values() for g in kind_groups for page in group_pages(g))
    feeds = (Feed("feed.xml", "", slugs(newest_first(placements)[:FEED_SIZE])),
             *(Feed(f"{kind}/{g.key}/feed.xml", g.name, slugs(g.answers[:FEED_SIZE])) for kind in FEED_KINDS for g in groups[kind]))
    html = ["index.html", SEARCH_PAGE, *(f"svar/{a.slug}/index.html" for a in answers), *(o.path for o in overviews),
            *(p.path for p in pages)]
    return SitePlan(answers, frozenset(p.slug for p in placements if p.has_original), overviews, pages, feeds,
                    home(placements, groups), tuple(sorted(html)), slugs(record_order(placements)))


def plain_plan(plan: SitePlan) -> tuple:
    """The plan in plain tuples, dicts and strings: marshal writes and reads them ten times quicker
    than pickle writes and reads the named tuples (31 ms to pickle the plan of 2,000 answers)."""
    return (tuple(map(tuple, plan.answers)), plan.originals, tuple(map(tuple, plan.overviews)), tuple(map(tuple, plan.groups)),
            tuple(map(tuple, plan.feeds)), tuple(plan.home), plan.html_paths, plan.by_record)


def plan_of_plain(plain: tuple) -> SitePlan:
    """plain_plan's plan; ValueError or TypeError if `plain` is not what it gives."""
    answers, originals, overviews, groups, feeds, home, html_paths, by_record = plain
    return SitePlan(tuple(map(AnswerPage._make, answers)), frozenset(originals), tuple(map(Overview._make, overviews)),
                    tuple(map(GroupPage._make, groups)), tuple(map(Feed._make, feeds)), Home._make(home), html_paths, by_record)


def group_answers(placements: list[Placement]) -> dict[str, list[Group]]:
    by: dict[str, dict[str, list]] = {kind: defaultdict(list) for kind in KIND_TITLES}
    names: dict[tuple[str, str], str] = {}
    handed: dict[str, list] = defaultdict(list)
    for a in placements:
        added: set[tuple[str, str]] = set()  # a joint answer's askers may share a party or be one person
        for kind, key, name in (
            ("minister", name_slug(a.answered_by), a.answered_by),
            ("ar", str(a.year), str(a.year)),
            ("riksmote", a.session.replace("/", "-"), a.session if a.chamber == "Riksdagen" else f"{a.chamber} {a.session}"),
        ):
            by[kind][key].append(a)
            names[(kind, key)] = name
        for asker, party in a.questions:
            for kind, key, name in (("parti", party_slug(party), PARTIES[party]), ("fragestallare", name_slug(asker), asker)):
                if (kind, key) not in added:
                    added.add((kind, key))
                    by[kind][key].append(a)
                names[(kind, key)] = name
        if a.addressed_to != a.answered_by:
            handed[name_slug(a.addressed_to)].append(a)
            names.setdefault(("minister", name_slug(a.addressed_to)), a.addressed_to)
    for key in handed:
        by["minister"].setdefault(key, [])
    groups = {}
    for kind, keyed in by.items():
        order = sorted(keyed, reverse=kind in ("ar", "riksmote"))
        groups[kind] = [
            Group(kind, key, names[(kind, key)], newest_first(keyed[key]),
                  newest_first(handed.get(key, [])) if kind == "minister" else ())
            for key in order
        ]
    return groups


def answer_pages(placements: list[Placement]) -> tuple[AnswerPage, ...]:
    ordered = slugs(sorted(placements, key=BY_DATE))
    return tuple(AnswerPage(slug, ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)
                 for i, slug in enumerate(ordered))


def paginate(items: tuple, size: int = PAGE_SIZE) -> list[tuple]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [()]


def page_file(number: int) -> str:
    return "index.html" if number == 1 else f"sida-{number}.html"


def group_pages(g: Group) -> list[GroupPage]:
    chunks = paginate(slugs(g.answers))
    return [GroupPage(f"{g.kind}/{g.key}/{page_file(number)}", g.kind, g.key, g.name, len(g.answers), number, len(chunks),
                      chunk, slugs(g.handed_over) if number == 1 else ())
            for number, chunk in enumerate(chunks, start=1)]


def overview_rows(kind: str, kind_groups: list[Group]) -> tuple[dict, ...]:
    return tuple({
        "name": g.name, "href": f"{g.key}/index.html", "count": len(g.answers),
        "handed_over": len(g.handed_over),
        "first": g.answers[-1].date if g.answers else None, "last": g.answers[0].date if g.answers else None,
        "party": PARTIES.get(g.key.upper(), "") if kind == "parti" else "",
    } for g in kind_groups)


def home(placements: list[Placement], groups: dict[str, list[Group]]) -> Home:
    return Home(slugs(newest_first(placements)[:NEWEST_ON_HOME]), len(placements), {kind: len(g) for kind, g in groups.items()},
                tuple({"name": g.name, "href": f"ar/{g.key}/index.html", "count": len(g.answers)} for g in groups["ar"]),
                tuple({"name": g.name, "code": g.key, "href": f"parti/{g.key}/index.html", "count": len(g.answers)}
                      for g in groups["parti"]))


def record_order(answers: list) -> list:
    """Answers (or placements) in the order of the open data files."""
    return sorted(answers, key=lambda a: (a.date, a.chamber, a.session, a.number.zfill(6), a.slug))
