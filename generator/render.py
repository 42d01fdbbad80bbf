"""Pages: checked answers -> {site path: bytes} for every HTML page, feed, sitemap and data file.

Every link is relative and names a file (`../ar/2017/index.html`) so the site works hosted and from
disk alike. Templates get plain dicts built here, never the dataclasses themselves.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.dates import swedish_date
from generator.frontmatter import answer_markdown
from generator.model import Answer, Output, answer_digest, answer_record, digest, key_of, made
from generator.people import PARTIES, fold

PAGE_SIZE = 50  # answers per list page; long lists continue on sida-2.html, sida-3.html ...
FEED_SIZE = 50
SITE_NAME = "Svarsarkivet"
SEARCH_ONLY = frozenset({"search-index.js", "search.js", "lunr.js", "lunr.stemmer.support.js", "lunr.sv.js"})
SEARCH_PAGE = "sok/index.html"


@dataclass(frozen=True)
class Group:
    """A set of answers that gets its own index page: one minister, party, year, session or asker."""

    kind: str  # "minister", "parti", "ar", "riksmote", "fragestallare"
    key: str  # path segment
    name: str
    answers: tuple[Answer, ...]  # newest first
    handed_over: tuple[Answer, ...] = ()  # for ministers: put to them, answered by someone else


KIND_TITLES = {
    "minister": ("Ministrar", "Svar per minister"),
    "parti": ("Partier", "Frågor per frågeställarens parti"),
    "ar": ("År", "Svar per år"),
    "riksmote": ("Riksmöten", "Svar per riksmöte"),
    "fragestallare": ("Frågeställare", "Frågor per frågeställare"),
}


@lru_cache(maxsize=50_000)
def name_slug(name: str) -> str:
    """'Åsa Regnér' -> 'asa-regner'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-") or "okand"


def party_slug(code: str) -> str:
    return "obunden" if code == "-" else code.lower()


BY_DATE = attrgetter("date", "slug")  # (a.date, a.slug), made in C: lists are sorted by it some 100,000 times


def newest_first(answers) -> tuple[Answer, ...]:
    return tuple(sorted(answers, key=BY_DATE, reverse=True))


def make_environment(templates: Path, compiled: Path | None = None) -> Environment:
    """`compiled`: a folder to keep the compiled templates in (keyed by their source), for the next build."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["svdate"] = swedish_date
    env.filters["party_name"] = lambda code: PARTIES.get(code, code)
    to_html = text_markdown()
    env.filters["markdown_html"] = lambda text: Markup(to_html(text))
    return env


def text_markdown() -> Callable[[str], str]:
    """Markdown to HTML with raw HTML, links and images switched off: input can only ever be text.
    One converter serves every page, reset between texts: a new one per text made Markdown a third
    slower. It is made for the first text that is more than plain paragraphs: most builds after an
    edit have none, and importing Markdown takes 18 ms."""
    converter = []

    def to_html(body_markdown: str) -> str:
        text = body_markdown.replace("&lt;", "<").replace("&amp;", "&")
        plain = plain_paragraphs(text)
        if plain is not None:
            return plain
        if not converter:
            converter.append(markdown_converter())
        return converter[0].reset().convert(text)
    return to_html


def markdown_converter():
    import markdown

    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    for pattern in ("html", "link", "image_link", "image_reference", "reference", "short_reference",
                    "short_image_ref", "autolink", "automail", "entity"):
        if pattern in md.inlinePatterns:
            md.inlinePatterns.deregister(pattern)
    return md


# What Markdown would read as markup in a paragraph, or as the start of another kind of block. A body
# without any of it is plain paragraphs, which is most answers; Markdown takes the rest.
MARKUP_CHARACTER = re.compile(r"[\\`*_\[\]<>&{}\x00-\x09\x0b-\x1f\x7f]")  # one character class: a quick first look
NOT_PLAIN = re.compile(r"\\\\|(?<!\\)[`*_\[\]<>&{}]|[\x00-\x09\x0b-\x1f\x7f]|\\(?![`*_{}\[\]()#+\-.!>])")
BLOCK_START = re.compile(r"^(?:[ \t]|[#>=\-+*]|\d+[.)])", re.MULTILINE)
ESCAPED = re.compile(r"\\([`*_{}\[\]()#+\-.!>])")


def plain_paragraphs(text: str) -> str | None:
    """The HTML Markdown makes of `text` if it is only paragraphs of plain words (tests/test_render.py
    compares the two); None if it holds anything else. Ten times quicker than Markdown."""
    if not text.strip() or text != text.strip() or " \n" in text or "\n\n\n" in text or BLOCK_START.search(text):
        return None
    if MARKUP_CHARACTER.search(text) and NOT_PLAIN.search(text):  # escapes ("\\*") are plain; anything else is not
        return None
    unescaped = ESCAPED.sub(r"\1", text).replace(">", "&gt;")
    return "\n".join(f"<p>{block}</p>" for block in unescaped.split("\n\n"))


def group_answers(answers: list[Answer]) -> dict[str, list[Group]]:
    by: dict[str, dict[str, list]] = {kind: defaultdict(list) for kind in KIND_TITLES}
    names: dict[tuple[str, str], str] = {}
    handed: dict[str, list] = defaultdict(list)
    for a in answers:
        added: set[tuple[str, str]] = set()  # a joint answer's askers may share a party or be one person
        for kind, key, name in (
            ("minister", name_slug(a.answered_by), a.answered_by),
            ("ar", str(a.year), str(a.year)),
            ("riksmote", a.session.replace("/", "-"), a.session if a.chamber == "Riksdagen" else f"{a.chamber} {a.session}"),
        ):
            by[kind][key].append(a)
            names[(kind, key)] = name
        for q in a.questions:
            for kind, key, name in (("parti", party_slug(q.asker_party), PARTIES[q.asker_party]),
                                    ("fragestallare", name_slug(q.asker), q.asker)):
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


def answer_view(a: Answer, root: str) -> dict:
    """What a template shows of one answer, with links relative to the page (`root` leads to the top)."""
    return {
        "slug": a.slug, "title": a.title, "designation": a.designation, "doc_type": a.doc_type,
        "chamber": a.chamber, "date": a.date, "asker": a.asker, "asker_party": a.asker_party,
        "answered_by": a.answered_by, "answered_by_role": a.answered_by_role, "addressed_to": a.addressed_to,
        "handed_over": a.addressed_to != a.answered_by, "session": a.session, "year": a.year,
        "href": f"{root}{a.url}",
        "minister_href": f"{root}minister/{name_slug(a.answered_by)}/index.html",
        "addressed_href": f"{root}minister/{name_slug(a.addressed_to)}/index.html",
        "questions": [
            {"designation": q.designation, "title": q.title, "asker": q.asker, "asker_party": q.asker_party,
             "asker_href": f"{root}fragestallare/{name_slug(q.asker)}/index.html",
             "party_href": f"{root}parti/{party_slug(q.asker_party)}/index.html"}
            for q in a.questions
        ],
    }


def paginate(items: tuple, size: int = PAGE_SIZE) -> list[tuple]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [()]


def page_file(number: int) -> str:
    return "index.html" if number == 1 else f"sida-{number}.html"


class SiteRenderer:
    """Renders every page of the site. Holds only what does not change during one build."""

    def __init__(self, env: Environment, assets: dict[str, str], base_url: str, preview: bool = False, code_key: str = "",
                 digests: dict[str, str] | None = None):
        self.env = env
        self.code_key = code_key  # digest of the templates and the code: a page's key includes it
        self.preview = preview
        self.assets = assets  # logical name ("style.css") -> hashed file path ("assets/style.1a2b3c4d.css")
        self.base_url = base_url.rstrip("/") + "/"
        self.digests: dict[str, str] = {}  # slug -> answer_digest, each made once per build
        self.page_assets = {n: h for n, h in assets.items() if n not in SEARCH_ONLY}  # what every page but search links to
        self.page_assets_key = digest(self.page_assets)
        self.made_digests = digests or {}  # input file name -> answer_digest, made on the read workers

    def keys_by_slug(self, answers: list[Answer]) -> dict[str, str]:
        """slug -> answer_key of every answer, for the loops that look them up by the hundred thousand."""
        for a in answers:
            self.answer_key(a)
        return self.digests

    def answer_key(self, a: Answer | None) -> str | None:
        if a is None:
            return None
        if a.slug not in self.digests:
            self.digests[a.slug] = self.made_digests.get(a.source) or answer_digest(a)
        return self.digests[a.slug]

    def page(self, template: str, path: str, **context) -> Output:
        return self.lazy_page(template, path, lambda: context)

    def search_page(self, index_path: str) -> Output:
        """The one page that loads the search files (other pages must not change when the index does);
        made apart from the others, so they need not wait for the index."""
        return self.lazy_page("search.html", SEARCH_PAGE, lambda: {"description": f"Sök i {SITE_NAME}."},
                              assets={**self.assets, "search-index.js": index_path})

    def lazy_page(self, template: str, path: str, make_context: Callable[[], dict], made_from: tuple[str, ...] | None = None,
                  assets: dict[str, str] | None = None) -> Output:
        """A page whose context is made once for its key and again when it is rendered, so that the
        contexts of thousands of list pages are never all held at once. `made_from`, if given, is
        what `make_context` makes the context from (digests of answers, as strings): the key is made
        from it instead, and the context only when the page is made."""
        # Netlify serves 404.html at any depth, so it alone links from the site's top.
        root = "/" if path == "404.html" else "../" * path.count("/")
        names = assets or self.page_assets

        def context() -> dict:
            return {**make_context(), "root": root, "path": path, "site_name": SITE_NAME, "base_url": self.base_url,
                    "preview": self.preview, "asset": {name: root + hashed for name, hashed in names.items()}}
        if made_from is None:
            key = digest(self.code_key, template, context())
        else:
            names_key = digest(assets) if assets else self.page_assets_key
            key = key_of(self.code_key, template, path, self.base_url, "preview" if self.preview else "", names_key, *made_from)
        return Output(path, key, lambda: self.env.get_template(template).render(**context()).encode("utf-8"))

    def answer_pages(self, answers: list[Answer], keys: dict[str, str]) -> list[Output]:
        """Each answer's page and Markdown file; `keys` as keys_by_slug gives them."""
        ordered = sorted(answers, key=BY_DATE)
        out = []
        for i, a in enumerate(ordered):
            path = f"svar/{a.slug}/index.html"
            out.append(Output(f"svar/{a.slug}/{a.slug}.md", key_of(self.code_key, "md", keys[a.slug]),
                              lambda a=a: answer_markdown(a).encode("utf-8")))
            if a.original:
                out.append(made(f"svar/{a.slug}/original.txt", a.original.encode("utf-8")))
            previous, following = ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None
            out.append(self.lazy_page("answer.html", path, functools.partial(self.answer_context, a, previous, following),
                                      (keys[a.slug], keys[previous.slug] if previous else "", keys[following.slug] if following else "")))
        return out

    def group_pages(self, groups: dict[str, list[Group]], keys: dict[str, str]) -> list[Output]:
        out = []
        for kind, kind_groups in groups.items():
            plural, heading = KIND_TITLES[kind]
            path = f"{kind}/index.html"
            rows = [{
                "name": g.name, "href": f"{g.key}/index.html", "count": len(g.answers),
                "handed_over": len(g.handed_over),
                "first": g.answers[-1].date if g.answers else None, "last": g.answers[0].date if g.answers else None,
                "party": PARTIES.get(g.key.upper(), "") if kind == "parti" else "",
            } for g in kind_groups]
            out.append(self.page("overview.html", path, kind=kind, heading=heading, plural=plural, rows=rows,
                                 description=f"{heading} i {SITE_NAME}."))
            for g in kind_groups:
                pages = paginate(g.answers)
                for number, chunk in enumerate(pages, start=1):
                    path = f"{kind}/{g.key}/{page_file(number)}"
                    handed_over = g.handed_over if number == 1 else ()
                    made_from = (kind, plural, g.key, g.name, str(len(g.answers)), str(number), str(len(pages)),
                                 *[keys[a.slug] for a in chunk], "handed over:", *[keys[a.slug] for a in handed_over])
                    out.append(self.lazy_page("group.html", path, functools.partial(
                        self.group_context, kind, plural, g, chunk, number, len(pages)), made_from))
                if kind in ("minister", "parti"):
                    out.append(self.feed(f"{kind}/{g.key}/feed.xml", f"{SITE_NAME}: {g.name}", g.answers, keys))
        return out

    def answer_context(self, a: Answer, previous: Answer | None, following: Answer | None) -> dict:
        root = "../../"
        return dict(
            a=answer_view(a, root), body_markdown=a.body_markdown,
            place=a.place, source_url=a.source_url, markdown_href=f"{a.slug}.md",
            year_href=f"{root}ar/{a.year}/index.html",
            session_href=f"{root}riksmote/{a.session.replace('/', '-')}/index.html",
            previous=answer_view(previous, root) if previous else None,
            next=answer_view(following, root) if following else None,
            citation=citation(a, self.base_url), ocr_restored=a.ocr_restored, source=a.source,
            original_href="original.txt" if a.original else None,
            description=f"{a.answered_by}s svar på {a.doc_type} {a.designation} av {a.asker} ({a.asker_party}): {a.title}",
        )

    @staticmethod
    def group_context(kind: str, plural: str, g: Group, chunk: tuple, number: int, pages: int) -> dict:
        root = "../../"
        return dict(
            kind=kind, plural=plural, group_name=g.name,
            party_name=PARTIES.get(g.key.upper(), "") if kind == "parti" else "",
            answers=[answer_view(a, root) for a in chunk],
            handed_over=[answer_view(a, root) for a in g.handed_over] if number == 1 else [],
            total=len(g.answers), number=number, pages=pages,
            page_links=[{"number": n, "href": page_file(n)} for n in range(1, pages + 1)],
            feed_href="feed.xml" if kind in ("minister", "parti") else None,
            description=f"{len(g.answers)} svar: {g.name}.",
        )

    def feed(self, path: str, title: str, answers, keys: Mapping[str, str]) -> Output:
        """An Atom feed of the newest answers, keyed by them (`keys`: slug -> answer key), as pages are."""
        entries = newest_first(answers)[:FEED_SIZE]

        def make() -> bytes:
            context = dict(
                title=title, self_url=self.base_url + path, base_url=self.base_url,
                updated=entries[0].date if entries else "2000-01-01",
                entries=[{"title": a.title, "url": self.base_url + a.url, "date": a.date, "id": self.base_url + a.url,
                          "summary": a.text[:400], "author": a.answered_by, "designation": a.designation} for a in entries],
            )
            return self.env.get_template("feed.xml").render(**context).encode("utf-8")
        return Output(path, key_of(self.code_key, "feed.xml", path, title, self.base_url, *[keys[a.slug] for a in entries]), make)

    def home(self, answers: list[Answer], groups: dict[str, list[Group]]) -> Output:
        newest = newest_first(answers)[:10]
        return self.page(
            "home.html", "index.html", newest=[answer_view(a, "") for a in newest], count=len(answers),
            counts={kind: len(g) for kind, g in groups.items()},
            years=[{"name": g.name, "href": f"ar/{g.key}/index.html", "count": len(g.answers)} for g in groups["ar"]],
            parties=[{"name": g.name, "code": g.key, "href": f"parti/{g.key}/index.html", "count": len(g.answers)} for g in groups["parti"]],
            description="Ett sökbart arkiv över ministrarnas svar på riksdagsledamöternas skriftliga frågor och interpellationer.",
        )

    def render_all(self, answers: list[Answer]) -> list[Output]:
        """Every page and feed of the site but the search page (made when asked); data_outputs gives the data files."""
        groups = group_answers(answers)
        keys = self.keys_by_slug(answers)
        out = self.answer_pages(answers, keys)
        out += self.group_pages(groups, keys)
        out.append(self.home(answers, groups))
        out.append(self.page("404.html", "404.html", description="Sidan finns inte."))
        out.append(self.feed("feed.xml", SITE_NAME, answers, keys))
        out.append(self.sitemap(sorted([SEARCH_PAGE, *(o.path for o in out if o.path.endswith(".html") and o.path != "404.html")])))
        out.append(made("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.base_url}sitemap.xml\n".encode()))
        return out

    def data_outputs(self, answers: list[Answer], records: Mapping[str, tuple[bytes, bytes]] | None = None) -> list[Output]:
        """The open data files, keyed record by record: tens of megabytes at 10,000 answers, joined
        from each answer's data_record (`records`: input file name -> it, made on the read workers)."""
        ordered = sorted_answers(answers)
        each = [self.answer_key(a) for a in ordered]
        both = functools.cache(lambda: data_files(ordered, records))
        return [Output(path, digest(self.code_key, kind, *each), lambda p=path: both()[p]) for path, kind in DATA_FILES.items()]

    def sitemap(self, paths: list[str]) -> Output:
        urls = [self.base_url + (p[:-len("index.html")] if p == "index.html" or p.endswith("/index.html") else p) for p in paths]
        return Output("sitemap.xml", digest(self.code_key, "sitemap.xml", urls),
                      lambda: self.env.get_template("sitemap.xml").render(urls=urls).encode("utf-8"))


def citation(a: Answer, base_url: str) -> str:
    who = f"{a.answered_by}, {a.answered_by_role}" if a.answered_by_role else a.answered_by
    kind = "Svar på skriftlig fråga" if a.doc_type == "skriftlig fråga" else "Svar på interpellation"
    return f"{who}. {kind} {a.designation}, {a.title}. {a.chamber}, {swedish_date(a.date)}. {base_url}{a.url.removesuffix('index.html')}"


def sorted_answers(answers: list[Answer]) -> list[Answer]:
    return sorted(answers, key=lambda a: (a.date, a.chamber, a.session, a.number.zfill(6), a.slug))


def data_record(answer: Answer) -> tuple[bytes, bytes]:
    """The answer's line of answers.json and its row of answers.csv. Made once per answer on a read
    worker and kept in the build cache: a build joins them instead of encoding every answer again."""
    row = io.StringIO()
    csv.writer(row, lineterminator="\n").writerow([_csv_safe(str(getattr(answer, c) or "")) for c in CSV_COLUMNS])
    return json.dumps(answer_record(answer), ensure_ascii=False).encode(), row.getvalue().encode()


def data_files(ordered: list[Answer], records: Mapping[str, tuple[bytes, bytes]] | None = None) -> dict[str, bytes]:
    """answers.json, a list with one answer to a line (easy to grep and to diff), and answers.csv, of
    answers in sorted_answers order."""
    records = records or {}
    rows = [records.get(a.source) or data_record(a) for a in ordered]
    return {"data/answers.json": b"[\n" + b",\n".join(line for line, _row in rows) + b"\n]\n",
            "data/answers.csv": CSV_HEADER + b"".join(row for _line, row in rows)}


CSV_COLUMNS = ("slug", "designation", "doc_type", "chamber", "date", "title", "asker", "asker_party",
               "addressed_to", "answered_by", "answered_by_role", "source_url")
CSV_HEADER = (",".join(CSV_COLUMNS) + "\n").encode()
DATA_FILES = {"data/answers.json": "json", "data/answers.csv": "csv"}  # path: kind, in the files' keys


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with =, +, - or @ as formulas: quote them."""
    return "'" + value if value[:1] in ("=", "+", "@") or (value[:1] == "-" and len(value) > 1) else value
