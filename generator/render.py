"""Pages: the site's plan and its answers -> every HTML page, feed, sitemap and data file, each
keyed by what it is made from and made when it is written.

Every link is relative and names a file (`../ar/2017/index.html`) so the site works hosted and from
disk alike. Templates get plain records built here (View), never the dataclasses themselves.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import mmap
import os
import re
import sys
import traceback
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.dates import swedish_date
from generator.frontmatter import answer_markdown
from generator.model import Answer, KnownKeys, Output, answer_record, digest, key_of, made
from generator.people import PARTIES
from generator.plan import (
    FEED_KINDS,
    KIND_TITLES,
    SEARCH_PAGE,
    AnswerPage,
    Feed,
    GroupPage,
    Home,
    Overview,
    SitePlan,
    name_slug,
    page_file,
    party_slug,
)

if TYPE_CHECKING:
    from jinja2 import Environment

SITE_NAME = "Svarsarkivet"
SEARCH_ONLY = frozenset({"search-index.js", "search.js", "lunr.js", "lunr.stemmer.support.js", "lunr.sv.js"})


def make_environment(templates: Path, compiled: Path | None = None) -> Environment:
    """`compiled`: a folder to keep the compiled templates in (keyed by their source), for the next build."""
    # imported here: a build that makes no page (nothing changed) does without (30-60 ms to import)
    from jinja2 import Environment, FileSystemBytecodeCache, StrictUndefined, select_autoescape

    env = Environment(
        loader=template_loader(templates),
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # a build makes its environment anew: checking each template's file for changes every time a
        # page asks for it (7,000 times at 2,000 answers) would only cost
        auto_reload=False,
    )
    env.filters["svdate"] = swedish_date
    env.filters["party_name"] = lambda code: PARTIES.get(code, code)
    to_html = text_markdown()
    env.filters["markdown_html"] = lambda text: Markup(to_html(text))
    return env


def template_loader(templates: Path):
    """Jinja's loader of the template files, for which a file that is not UTF-8 (Notepad and Word save
    Windows-1252) is a template error naming its file and line, as any other, not a UnicodeDecodeError."""
    from jinja2 import FileSystemLoader, TemplateSyntaxError

    class Utf8Loader(FileSystemLoader):
        def get_source(self, environment, template):
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as e:
                line = e.object.count(b"\n", 0, e.start) + 1
                raise TemplateSyntaxError(f"not UTF-8 text (byte {e.object[e.start]:#04x}); save the file as UTF-8",
                                          line, template, str(templates / template)) from None
    return Utf8Loader(str(templates))


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


# What a template reads as `a.title`: Jinja tries an attribute first and a key second, so a dict
# costs it a failed attribute lookup (an exception) for every field shown; hundreds of thousands per build.
View = SimpleNamespace


def answer_view(a: Answer, root: str) -> View:
    """What a template shows of one answer, with links relative to the page (`root` leads to the top)."""
    return View(
        slug=a.slug, title=a.title, designation=a.designation, doc_type=a.doc_type,
        chamber=a.chamber, date=a.date, asker=a.asker, asker_party=a.asker_party,
        answered_by=a.answered_by, answered_by_role=a.answered_by_role, addressed_to=a.addressed_to,
        handed_over=a.addressed_to != a.answered_by, session=a.session, year=a.year,
        href=f"{root}{a.url}",
        minister_href=f"{root}minister/{name_slug(a.answered_by)}/index.html",
        addressed_href=f"{root}minister/{name_slug(a.addressed_to)}/index.html",
        questions=[
            View(designation=q.designation, title=q.title, asker=q.asker, asker_party=q.asker_party,
                 asker_href=f"{root}fragestallare/{name_slug(q.asker)}/index.html",
                 party_href=f"{root}parti/{party_slug(q.asker_party)}/index.html")
            for q in a.questions
        ],
    )


class SiteRenderer:
    """Renders every page of the site from its plan. Holds only what does not change during one build."""

    def __init__(self, env: Environment, assets: dict[str, str], base_url: str, preview: bool = False, code_key: str = "",
                 keys: Mapping[str, str] | None = None, plan_key: str = "", known: KnownKeys | None = None):
        self.env = env
        self.code_key = code_key  # digest of the templates and the code: a page's key includes it
        self.preview = preview
        self.assets = assets  # logical name ("style.css") -> hashed file path ("assets/style.1a2b3c4d.css")
        self.base_url = base_url.rstrip("/") + "/"
        self.keys = keys or {}  # slug -> answer_digest: the pages made from an answer are keyed by it
        self.page_assets = {n: h for n, h in assets.items() if n not in SEARCH_ONLY}  # what every page but search links to
        self.page_assets_key = digest(self.page_assets)
        self.items: dict[tuple[str, str], Markup] = {}  # (slug, root) -> the answer's item in a list of answers
        self.item_macro: Callable[[View], Markup] | None = None  # loaded when first needed (in each worker)
        # what every output's key shares besides the answers it shows: the code and templates, the
        # settings, the assets and the plan (whose digest, plan_key, is that of every answer's
        # placement: the same plan, the same pages listing the same answers, in the same order)
        self.signature = key_of(code_key, self.base_url, "preview" if preview else "", self.page_assets_key, plan_key) if plan_key else ""
        reusable = known is not None and self.signature and known.signature == self.signature
        self.known_keys = known.keys if reusable else {}
        self.known_planned = known.planned if reusable else ()
        self.known_layouts = known.layouts if reusable else {}
        self.layouts: dict[str, bytes] = {}  # this build's data files' layouts (data_outputs), for the next
        self.changed = frozenset(slug for slug, key in self.keys.items() if known.digests.get(slug) != key) if reusable else frozenset()

    def known_key(self, path: str, slugs: Collection[str | None] = ()) -> str | None:
        """The key the last build gave the output at `path`, made from the answers `slugs` (and the
        signature), if none of them changed since; else None, and the output is keyed anew."""
        return self.known_keys.get(path) if self.known_keys and self.changed.isdisjoint(slugs) else None

    def keyed(self, planned: tuple[str, ...] = ()) -> KnownKeys | None:
        """How this build keys its outputs, for the next one (`planned`: see KnownKeys); the keys are
        added once known."""
        return KnownKeys(self.signature, self.keys, {}, planned, self.layouts) if self.signature else None

    def answer_items(self, slugs: tuple[str, ...], answers: Mapping[str, Answer], root: str) -> list[Markup]:
        """The answers' items for a list (the answer_item macro): each made once per process and root,
        for an answer is listed on five pages or more (its minister's, year's, party's...)."""
        if self.item_macro is None:
            self.item_macro = self.env.get_template("_macros.html").module.answer_item
        for slug in slugs:
            if (slug, root) not in self.items:
                self.items[(slug, root)] = self.item_macro(answer_view(answers[slug], root))
        return [self.items[(slug, root)] for slug in slugs]

    def page(self, template: str, path: str, **context) -> Output:
        return self.lazy_page(template, path, lambda: context)

    def search_page(self, index_path: str) -> Output:
        """The one page that loads the search files (other pages must not change when the index does);
        made apart from the others, so they need not wait for the index."""
        return self.lazy_page("search.html", SEARCH_PAGE, lambda: {"description": f"Sök i {SITE_NAME}."},
                              assets={**self.assets, "search-index.js": index_path})

    def lazy_page(self, template: str, path: str, make_context: Callable[[], dict], made_from: tuple[str, ...] | None = None,
                  assets: dict[str, str] | None = None, key: str | None = None) -> Output:
        """A page whose context is made once for its key and again when it is rendered, so that the
        contexts of thousands of list pages are never all held at once. `made_from`, if given, is
        what `make_context` makes the context from (digests of answers, as strings): the key is made
        from it instead, and the context only when the page is made. `key`, if given, is the key
        (known_key), and `made_from` is not needed."""
        # Netlify serves 404.html at any depth, so it alone links from the site's top.
        root = "/" if path == "404.html" else "../" * path.count("/")
        names = assets or self.page_assets

        def context() -> dict:
            return {**make_context(), "root": root, "path": path, "site_name": SITE_NAME, "base_url": self.base_url,
                    "preview": self.preview, "asset": {name: root + hashed for name, hashed in names.items()}}
        if key is None and made_from is None:
            key = digest(self.code_key, template, context())
        elif key is None:
            names_key = digest(assets) if assets else self.page_assets_key
            key = key_of(self.code_key, template, path, self.base_url, "preview" if self.preview else "", names_key, *made_from)
        return Output(path, key, lambda: self.env.get_template(template).render(**context()).encode("utf-8"))

    def answer_pages(self, pages: Iterable[AnswerPage], originals: frozenset[str], answers: Mapping[str, Answer]) -> list[Output]:
        """Each answer's page and Markdown file, and the scanned original where there is one (`originals`)."""
        keys, known_key, out = self.keys, self.known_key, []
        for page in pages:
            slug, previous, following = page
            own = (slug,)
            path = f"svar/{slug}/{slug}.md"
            out.append(Output(path, known_key(path, own) or key_of(self.code_key, "md", keys[slug]),
                              lambda slug=slug: answer_markdown(answers[slug]).encode("utf-8")))
            if slug in originals:
                path = f"svar/{slug}/original.txt"
                out.append(Output(path, known_key(path, own) or key_of("original", keys[slug]),
                                  lambda slug=slug: answers[slug].original.encode("utf-8")))
            path = f"svar/{slug}/index.html"
            key = known_key(path, page)
            made_from = None if key else (keys[slug], keys[previous] if previous else "", keys[following] if following else "")
            out.append(self.lazy_page("answer.html", path, functools.partial(self.answer_context, page, answers), made_from, key=key))
        return out

    def group_pages(self, overviews: Iterable[Overview], groups: Iterable[GroupPage], answers: Mapping[str, Answer]) -> list[Output]:
        keys = self.keys
        out = [self.page("overview.html", o.path, kind=o.kind, heading=KIND_TITLES[o.kind][1], plural=KIND_TITLES[o.kind][0],
                         rows=list(o.rows), description=f"{KIND_TITLES[o.kind][1]} i {SITE_NAME}.") for o in overviews]
        for page in groups:
            if self.changed.isdisjoint(page.handed_over) and (key := self.known_key(page.path, page.chunk)):
                out.append(self.lazy_page("group.html", page.path, functools.partial(self.group_context, page, answers), key=key))
                continue
            made_from = (page.kind, KIND_TITLES[page.kind][0], page.key, page.name, str(page.total), str(page.number), str(page.pages),
                         *[keys[slug] for slug in page.chunk], "handed over:", *[keys[slug] for slug in page.handed_over])
            out.append(self.lazy_page("group.html", page.path, functools.partial(self.group_context, page, answers), made_from))
        return out

    def answer_context(self, page: AnswerPage, answers: Mapping[str, Answer]) -> dict:
        root = "../../"
        a = answers[page.slug]
        previous = answers[page.previous] if page.previous else None
        following = answers[page.following] if page.following else None
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

    def group_context(self, page: GroupPage, answers: Mapping[str, Answer]) -> dict:
        root = "../../"
        return dict(
            kind=page.kind, plural=KIND_TITLES[page.kind][0], group_name=page.name,
            party_name=PARTIES.get(page.key.upper(), "") if page.kind == "parti" else "",
            answers=self.answer_items(page.chunk, answers, root),
            handed_over=self.answer_items(page.handed_over, answers, root),
            total=page.total, number=page.number, pages=page.pages,
            page_links=[View(number=n, href=page_file(n)) for n in range(1, page.pages + 1)],
            feed_href="feed.xml" if page.kind in FEED_KINDS else None,
            description=f"{page.total} svar: {page.name}.",
        )

    def feed(self, feed: Feed, answers: Mapping[str, Answer]) -> Output:
        """An Atom feed of the newest answers, keyed by them, as pages are."""
        title = f"{SITE_NAME}: {feed.name}" if feed.name else SITE_NAME

        def make() -> bytes:
            entries = [answers[slug] for slug in feed.entries]
            context = dict(
                title=title, self_url=self.base_url + feed.path, base_url=self.base_url,
                updated=entries[0].date if entries else "2000-01-01",
                entries=[View(title=a.title, url=self.base_url + a.url, date=a.date, id=self.base_url + a.url,
                              summary=a.text[:400], author=a.answered_by, designation=a.designation) for a in entries],
            )
            return self.env.get_template("feed.xml").render(**context).encode("utf-8")
        key = self.known_key(feed.path, feed.entries) or key_of(self.code_key, "feed.xml", feed.path, title, self.base_url,
                                                                *[self.keys[slug] for slug in feed.entries])
        return Output(feed.path, key, make)

    def home(self, home: Home, answers: Mapping[str, Answer]) -> Output:
        key = self.known_key("index.html", home.newest)
        made_from = None if key else (str(home.count), digest(home.counts, home.years, home.parties),
                                      *[self.keys[slug] for slug in home.newest])
        return self.lazy_page("home.html", "index.html", lambda: dict(
            newest=self.answer_items(home.newest, answers, ""), count=home.count, counts=home.counts,
            years=list(home.years), parties=list(home.parties),
            description="Ett sökbart arkiv över ministrarnas svar på riksdagsledamöternas skriftliga frågor och interpellationer.",
        ), made_from, key=key)

    def render_all(self, plan: SitePlan, answers: Mapping[str, Answer], only_changed: bool = False) -> list[Output]:
        """Every page and feed of the site but the search page (made when asked) in `plan`, of
        `answers` (slug -> Answer); data_outputs gives the data files. With `only_changed`, of the
        answers' pages, the list pages and the feeds only those that show an answer that changed
        since the last build, and no overview (the same plan, the same overviews): the others' keys
        are known (see build.planned_outputs)."""
        pages, overviews, groups, feeds = plan.answers, plan.overviews, plan.groups, plan.feeds
        if only_changed:
            changed, overviews = self.changed, ()
            pages = [page for page in pages if not changed.isdisjoint(page)]
            groups = [page for page in groups if not (changed.isdisjoint(page.chunk) and changed.isdisjoint(page.handed_over))]
            feeds = [feed for feed in feeds if not changed.isdisjoint(feed.entries)]
        out = self.answer_pages(pages, plan.originals, answers)
        out += self.group_pages(overviews, groups, answers)
        out += [self.feed(feed, answers) for feed in feeds]
        out.append(self.home(plan.home, answers))
        out.append(self.page("404.html", "404.html", description="Sidan finns inte."))
        out.append(self.sitemap(plan.html_paths))
        out.append(made("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.base_url}sitemap.xml\n".encode()))
        return out

    def data_outputs(self, plan: SitePlan, answers: Mapping[str, Answer], records: Mapping[str, tuple[bytes, bytes]] | None = None,
                     live: Path | None = None) -> list[Output]:
        """The open data files, keyed record by record: tens of megabytes at 10,000 answers, joined
        from each answer's data_record (`records`: input file name -> it, made on the read workers).
        `live`, the site in the output folder if it is the last build's: under the same signature its
        data files are these with the changed answers' records replaced (data_file_spliced), which is
        made from them without gathering every record."""
        records = records or {}

        def record(slug: str) -> tuple[bytes, bytes]:
            answer = answers[slug]
            return records.get(answer.source) or data_record(answer)
        each = [self.keys[slug] for slug in plan.by_record]
        rows = functools.cache(lambda: [record(slug) for slug in plan.by_record])
        both = functools.cache(lambda: data_files(rows()))
        changed = {number: record(slug) for number, slug in enumerate(plan.by_record) if slug in self.changed}
        outputs = []
        for part, (path, kind) in enumerate(DATA_FILES.items()):
            whole = functools.partial(lambda p: both()[p], path)
            last = self.known_layouts.get(path)
            if live is not None and last is not None and self.known_keys.get(path) and len(last) == LENGTH_BYTES * len(plan.by_record):
                replaced = {number: row[part] for number, row in changed.items()}
                lengths = array("I", last)
                for number, row in replaced.items():
                    lengths[number] = len(row)
                make = functools.partial(data_file_spliced, live / path, kind, array("I", last), replaced, whole)
            else:
                lengths = array("I", [len(row[part]) for row in rows()])
                make = whole
            self.layouts[path] = lengths.tobytes()
            outputs.append(Output(path, key_of(self.code_key, kind, *each), make))
        return outputs

    def sitemap(self, paths: tuple[str, ...]) -> Output:
        def urls() -> list[str]:
            return [self.base_url + (p[:-len("index.html")] if p == "index.html" or p.endswith("/index.html") else p) for p in paths]
        key = self.known_key("sitemap.xml") or digest(self.code_key, "sitemap.xml", urls())
        return Output("sitemap.xml", key, lambda: self.env.get_template("sitemap.xml").render(urls=urls()).encode("utf-8"))


def template_problem(error: Exception) -> str | None:
    """TEMPLATE:LINE: what is wrong, if `error` is a template's; else None. A syntax error names its
    line; an error while rendering (an undefined value) does not, but Jinja puts the template's lines
    in the traceback, which a worker sends back as text (multiprocessing's RemoteTraceback)."""
    jinja2 = sys.modules.get("jinja2")  # not imported: no template was loaded, so it cannot be one
    if jinja2 is None or not isinstance(error, jinja2.TemplateError):
        return None
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not filename:
        frames = TEMPLATE_FRAME.findall("".join(traceback.format_exception(error)))
        filename, line = frames[-1] if frames else (None, None)
    return f"{filename or 'templates'}:{line or 0}: template error: {error}"


TEMPLATE_FRAME = re.compile(r'File "([^"]+\.(?:html|xml))", line (\d+)')


def citation(a: Answer, base_url: str) -> str:
    who = f"{a.answered_by}, {a.answered_by_role}" if a.answered_by_role else a.answered_by
    kind = "Svar på skriftlig fråga" if a.doc_type == "skriftlig fråga" else "Svar på interpellation"
    return f"{who}. {kind} {a.designation}, {a.title}. {a.chamber}, {swedish_date(a.date)}. {base_url}{a.url.removesuffix('index.html')}"


def data_record(answer: Answer) -> tuple[bytes, bytes]:
    """The answer's line of answers.json and its row of answers.csv. Made once per answer on a read
    worker and kept in the build cache: a build joins them instead of encoding every answer again."""
    row = io.StringIO()
    csv.writer(row, lineterminator="\n").writerow([_csv_safe(str(getattr(answer, c) or "")) for c in CSV_COLUMNS])
    return json.dumps(answer_record(answer), ensure_ascii=False).encode(), row.getvalue().encode()


def data_files(rows: list[tuple[bytes, bytes]]) -> dict[str, bytes]:
    """answers.json, a list with one answer to a line (easy to grep and to diff), and answers.csv, of
    the answers' data_record rows in plan.record_order, each in its DATA_FRAMES."""
    files = {}
    for part, (path, kind) in enumerate(DATA_FILES.items()):
        start, between, end = DATA_FRAMES[kind]
        # joined once from a list of its parts: joined in steps, answers.json (6 MB at 2,000 answers)
        # was copied three times, and the edits that remade it took 12-16 ms, not 5-6 ms
        parts = [start]
        for row in rows:
            parts += (row[part], between)
        if rows:
            parts.pop()  # no separator after the last
        parts.append(end)
        files[path] = b"".join(parts)
    return files


def data_file_spliced(last: Path, kind: str, lengths: Sequence[int], replaced: Mapping[int, bytes], whole: Callable[[], bytes]) -> bytes:
    """The data file the last build wrote (`last`), its records `lengths` long, with the records
    at the positions of `replaced` replaced: one copy of the file, where gathering every record from
    the cache touched all of it (at 2,000 answers, 10 of an edit's 150 ms). whole() makes it
    from every record, should `last` not be the file those lengths describe (its size is another)."""
    start, gap, end = (len(frame) for frame in DATA_FRAMES[kind])
    try:
        with open(last, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if not lengths or size != start + sum(lengths) + gap * (len(lengths) - 1) + end:
                return whole()
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as old, memoryview(old) as view:
                offsets = list(itertools.accumulate((length + gap for length in lengths), initial=start))
                parts, done = [], 0
                for number in sorted(replaced):
                    parts += (view[done:offsets[number]], replaced[number])
                    done = offsets[number] + lengths[number]
                parts.append(view[done:])
                content = b"".join(parts)
                del parts
                return content
    except (OSError, ValueError):
        return whole()


CSV_COLUMNS = ("slug", "designation", "doc_type", "chamber", "date", "title", "asker", "asker_party",
               "addressed_to", "answered_by", "answered_by_role", "source_url")
CSV_HEADER = (",".join(CSV_COLUMNS) + "\n").encode()
DATA_FILES = {"data/answers.json": "json", "data/answers.csv": "csv"}  # path: kind, in the files' keys; in data_record's order
LENGTH_BYTES = array("I").itemsize  # a record's length in a data file's layout (KnownKeys.layouts)
# each kind's frame (see data_files): the bytes before the first record, between two, after the last
DATA_FRAMES = {"json": (b"[\n", b",\n", b"\n]\n"), "csv": (CSV_HEADER, b"", b"")}


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with =, +, - or @ as formulas: quote them."""
    return "'" + value if value[:1] in ("=", "+", "@") or (value[:1] == "-" and len(value) > 1) else value
