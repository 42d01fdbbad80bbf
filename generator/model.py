"""Plain data passed between the stages."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class RawDoc:
    """One input file, decoded: `lines` are its lines with artefacts removed, numbered from 1."""

    path: str  # as given on the command line, for messages
    name: str  # the file's name, the record's `source`
    text: str
    is_markdown: bool = False


@dataclass(frozen=True)
class Question:
    designation: str
    asker: str
    asker_party: str
    title: str


@dataclass(frozen=True)
class ParsedAnswer:
    """What the text itself states, spelled as written; the registry has not been asked yet."""

    source: str
    doc_type: str
    chamber: str
    questions: tuple[Question, ...]
    addressed_to: str  # a name, a role ("justitieministern"), or "" for "me"
    answered_by: str
    answered_by_role: str
    date: str  # ISO
    place: str | None
    body: tuple[str, ...]  # blocks of Markdown: paragraphs and lists
    handed_over: bool
    ocr_restored: int = 0  # words changed by OCR restoration
    original: str | None = None  # the text as scanned, kept when it was restored
    header_designation: str | None = None  # the document's own number (joint answers)
    line_of: dict = field(default_factory=dict, compare=False)  # field -> source line


@dataclass(frozen=True)
class Answer:
    """One checked answer: the record of the public contract (see `record_fields`)."""

    slug: str
    url: str
    doc_type: str
    chamber: str
    session: str
    number: str
    designation: str
    title: str
    asker: str
    asker_party: str
    addressed_to: str
    answered_by: str
    answered_by_role: str
    date: str
    year: int
    place: str | None
    questions: tuple[Question, ...]
    source: str
    source_url: str | None
    text: str  # plain text of the body
    body_markdown: str
    handed_over: bool
    ocr_restored: int = 0
    original: str | None = None  # the text as scanned, when OCR restoration changed it (published beside the page)

    @property
    def has_original(self) -> bool:
        return self.original is not None


RECORD_FIELDS = (
    "slug", "url", "doc_type", "chamber", "session", "number", "designation", "title",
    "asker", "asker_party", "addressed_to", "answered_by", "answered_by_role", "date", "year",
    "place", "questions", "source", "source_url", "handed_over", "ocr_restored", "text",
)


def answer_record(answer: Answer) -> dict:
    """The answer as the JSON/front-matter record, fields in contract order."""
    record = {}
    for name in RECORD_FIELDS:
        value = getattr(answer, name)
        if name == "questions":
            value = [
                {"designation": q.designation, "asker": q.asker, "asker_party": q.asker_party, "title": q.title}
                for q in value
            ]
        record[name] = value
    return record


@dataclass(frozen=True)
class Output:
    """One file of the site, not made yet: `key` is a digest of everything its bytes are made from,
    so a build can take an unchanged file from the previous build instead of making it again."""

    path: str
    key: str
    make: Callable[[], bytes]


@dataclass(frozen=True)
class KnownKeys:
    """How the last build keyed its outputs: the signature of what every key shares (see
    render.SiteRenderer.signature), each answer's digest (slug -> answer_digest) and each output's key
    (path -> key). Under the same signature, an output whose answers kept their digests has the key
    it had: a build after an edit keys anew only the pages of the answers it changed (at 2,000
    answers, some 60 of 7,000 outputs)."""

    signature: str
    digests: Mapping[str, str]
    keys: Mapping[str, str]
    # the paths of the outputs made from the plan (every page, feed and search hit file: see
    # build.planned_outputs), which the same signature gives again
    planned: tuple[str, ...] = ()
    # each open data file's layout: its records' lengths, in order, as array("I") bytes (render.data_outputs)
    layouts: Mapping[str, bytes] = field(default_factory=dict)


def made(path: str, content: bytes) -> Output:
    """An output already made (small files, and files whose content is its own key)."""
    return Output(path, hashlib.sha256(content).hexdigest(), lambda: content)


def digest(*parts) -> str:
    return hashlib.sha256(_DIGESTED.encode(parts).encode("utf-8")).hexdigest()


def key_of(*parts: str) -> str:
    """A digest of strings that hold no NUL: for the keys made by the ten thousand, a quarter of what
    digest's JSON costs."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


# one encoder for every digest (json.dumps would make one per call, tens of thousands per build)
_DIGESTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def answer_digest(answer: Answer) -> str:
    """A digest of every field of an answer. Files made from one answer are keyed by it, which is
    quicker than digesting their contexts: each of those holds the whole text again."""
    return digest([getattr(answer, name) for name in ANSWER_FIELDS])  # questions digest as their repr


ANSWER_FIELDS = tuple(f.name for f in fields(Answer))
