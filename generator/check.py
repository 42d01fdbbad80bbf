"""Check what a text states against the people registry and the rules of the record; make the Answer.

The text as written wins for what it states; the registry fills what it omits (a party, a role,
a minister named only by role) and gives names their real spelling (OCR's "Wanngard").
"""

from __future__ import annotations

import re

from generator import ocr, people
from generator.errors import SourceError
from generator.model import Answer, ParsedAnswer, Question
from generator.people import PARTIES, Registry

PARTY_ALIASES = {"–": "-", "OBUNDEN": "-"}  # how independents are also written
RIKSDAGEN_DOC_TYPES = {"skriftlig fråga": ("12", "svar-pa-skriftlig-fraga"), "interpellation": ("10", "interpellation")}


def check_answer(parsed: ParsedAnswer, path: str, registry: Registry) -> Answer:
    """The checked Answer for one parsed text, or SourceError for the first problem found."""
    line = parsed.line_of
    date = parsed.date
    questions = tuple(check_question(q, path, line.get("heading", 1), date, parsed.chamber, registry) for q in parsed.questions)
    answered_by = known_name(parsed.answered_by, parsed.chamber, registry)
    if not answered_by:
        raise SourceError(path, line.get("answered_by") or 1, "no answering minister: expected a name in the signature")
    addressed_to = resolve_addressee(parsed, answered_by, path, registry)
    role = parsed.answered_by_role or registry_role(answered_by, date, parsed.chamber, registry)
    body, restored = parsed.body, parsed.ocr_restored
    if restored:  # names the scanner misread, now that the registry has given their spelling
        names = [answered_by, addressed_to, *(q.asker for q in questions)]
        fixed = [ocr.restore_names(block, names) for block in body]
        body, restored = tuple(b for b, _ in fixed), restored + sum(n for _, n in fixed)
    first = questions[0]
    session, number = first.designation.split(":")
    slug = make_slug(parsed.chamber, first.designation)
    body_markdown = "\n\n".join(body)
    text = plain_text(body)
    if text == body_markdown:  # one string, not two equal ones: the build cache pickles it once
        text = body_markdown
    return Answer(
        slug=slug,
        url=f"svar/{slug}/index.html",
        doc_type=parsed.doc_type,
        chamber=parsed.chamber,
        session=session,
        number=number,
        designation=first.designation,
        title=first.title,
        asker=first.asker,
        asker_party=first.asker_party,
        addressed_to=addressed_to,
        answered_by=answered_by,
        answered_by_role=role,
        date=date,
        year=int(date[:4]),
        place=parsed.place,
        questions=questions,
        source=parsed.source,
        source_url=official_url(parsed, first),
        text=text,
        body_markdown=body_markdown,
        handed_over=parsed.handed_over or (addressed_to != answered_by),
        ocr_restored=restored,
        original=parsed.original if restored else None,
    )


def check_question(q: Question, path: str, line: int, date: str, chamber: str, registry: Registry) -> Question:
    if not q.asker:
        raise SourceError(path, line, f"{q.designation}: no asker: expected 'av NAME (PARTY)' in the heading or 'NAME har frågat' in the text")
    asker = known_name(q.asker, chamber, registry) or " ".join(q.asker.split())
    party = normalise_party(q.asker_party, path, line) if q.asker_party else registry_party(asker, date, path, line, registry)
    return Question(q.designation, asker, party, q.title)


def normalise_party(written: str, path: str, line: int) -> str:
    code = written.strip().upper()
    code = PARTY_ALIASES.get(code, code)
    if code not in PARTIES:
        known = ", ".join(sorted(PARTIES))
        raise SourceError(path, line, f"unknown party code '({written})': expected one of {known}")
    return code


def registry_party(name: str, date: str, path: str, line: int, registry: Registry) -> str:
    party = people.party_on(registry, name, date)
    if party is None:
        raise SourceError(
            path, line, f"no party for '{name}': the text gives none and the registry does not know this person on {date}; write 'NAME (PARTY)'"
        )
    return party


def known_name(written: str, chamber: str, registry: Registry) -> str:
    """The registry's spelling where it knows the person; the text's own otherwise."""
    written = " ".join(written.split())
    if not written:
        return ""
    return people.canonical_name(written, registry, chamber) or written


def resolve_addressee(parsed: ParsedAnswer, answered_by: str, path: str, registry: Registry) -> str:
    written = parsed.addressed_to
    if not written:
        return answered_by
    if written[:1].isupper():
        return known_name(written, parsed.chamber, registry)
    holder = people.minister_by_role(registry, written, parsed.date)
    if holder is None:
        raise SourceError(
            path, parsed.line_of.get("addressed_to", 1),
            f"the question was put to '{written}', and the registry knows no single holder of that role on {parsed.date}",
        )
    return holder


def registry_role(name: str, date: str, chamber: str, registry: Registry) -> str:
    if chamber != "Riksdagen":
        found = people.councillor(registry, name, date)
        return found.role if found else ""
    return people.minister_title(registry, name, date)


def make_slug(chamber: str, designation: str) -> str:
    """'2016/17:1527' -> '2016-17-1527'; a council's '2016:28' -> 'stockholm-2016-28'."""
    base = re.sub(r"[/:]", "-", designation)
    if chamber == "Riksdagen":
        return base
    city = people.fold(chamber.split()[0]).removesuffix("s")
    return f"{re.sub(r'[^a-z0-9]+', '-', city)}-{base}"


def riksdagen_code(session: str) -> str:
    """riksdagen.se's two-character session code: 2010/11 -> 'GY', 2018/19 -> 'H6' (base 36, +1 a year)."""
    value = 610 + int(session[:4]) - 2010
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return digits[value // 36] + digits[value % 36]


def official_url(parsed: ParsedAnswer, first: Question) -> str | None:
    """The riksdagen.se page of the answer (of the question, for interpellations); None for councils."""
    if parsed.chamber != "Riksdagen":
        return None
    designation = parsed.header_designation or first.designation
    session, number = designation.split(":")
    type_code, section = RIKSDAGEN_DOC_TYPES[parsed.doc_type]
    title = next((q.title for q in parsed.questions if q.designation == designation), first.title)
    words = re.sub(r"[^a-z0-9]+", "-", people.fold(title)).strip("-")
    return f"https://www.riksdagen.se/sv/dokument-och-lagar/dokument/{section}/{words}_{riksdagen_code(session)}{type_code}{number}/"


LIST_MARKER = re.compile(r"^- ", re.MULTILINE)
ESCAPED = re.compile(r"\\(.)")  # "." stops at a line's end, as the escapes do


def plain_text(blocks: tuple[str, ...]) -> str:
    """The body without Markdown: list markers and escapes removed."""
    text = LIST_MARKER.sub("", "\n\n".join(blocks))
    return ESCAPED.sub(r"\1", text).replace("&lt;", "<").replace("&amp;", "&")
