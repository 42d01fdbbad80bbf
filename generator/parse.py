"""A raw answer text becomes a ParsedAnswer: what the text states, with the line each fact came from.

Three layouts are read (see tests/corpus and seeds/ for real examples):
- typed answers: "Svar på fråga 2016/17:1527 av NAME (M) TITLE" ... "Stockholm den 14 juni 2017" NAME,
  optionally under riksdagen.se page furniture ("Svar på skriftlig fråga ... besvarad av ..."),
  or the older layout with "Svar på fråga" / "2010/11:680 TITLE" / "Statsrådet NAME" and no signature;
- chamber protocols: "Riksdagens protokoll", "Fredagen den 15 april", "Anf. 1 ROLE NAME (P):";
- municipal interpellations from OCR'd PDFs: "Svar på interpellation (2016:28) av NAME (m) om TITLE".
Pure: no registry, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import ocr
from generator.dates import DateProblem, match_date_line, resolve_date
from generator.errors import SourceError
from generator.model import ParsedAnswer, Question, RawDoc
from generator.people import title_case

DESIGNATION = r"\(?(?P<des>\d{4}(?:/\d{2})?:\d+)\)?"
HEADING = re.compile(
    r"^svar\s+p[åa]\s+(?P<kind>skriftlig\s+fråga|skriftliga\s+frågor|fråg(?:a|orna)|interpellation(?:erna)?)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
PAGE_HEADER = re.compile(
    r"^svar på skriftlig fråga\s+(?P<des>\d{4}/\d{2}:\d+)\s+besvarad av\s+(?P<who>.+)$", re.IGNORECASE
)
QUESTION = re.compile(
    DESIGNATION
    + r"(?:\s+av\s+(?P<asker>[^()]+?)\s*\((?P<party>[^()]{0,4})\))?"
    + r"(?P<title>.*?)(?=\s+och\s+\(?\d{4}(?:/\d{2})?:\d+|$)"
)
ASKER_WITHOUT_PARTY = re.compile(r"^\s*av\s+[^()]+$")
SPEECH = re.compile(r"^Anf\.\s*\d+\s+(?P<who>.+?)\s*\((?P<party>[^()]{1,4})\)\s*:?\s*(?:\S.*)?$")
# "minister NAME (P)" / "Statsrådet NAME" / "Justitie- och migrationsminister NAME (S)"
ROLE_AND_NAME = re.compile(
    r"^(?P<role>(?:[A-ZÅÄÖa-zåäö\-,]+\s+)*?(?:[A-ZÅÄÖa-zåäö\-]*minister|[Ss]tatsrådet|[Ss]tatsråd))\s+"
    r"(?P<name>[A-ZÅÄÖÉ][^\s()]*(?:\s+[A-ZÅÄÖÉ][^\s()]*)+)(?:\s*\((?P<party>[^()]{1,4})\))?$"
)
ASKED = re.compile(
    r"(?P<asker>[A-ZÅÄÖÉ][\wåäöé\-]+(?:\s+[A-ZÅÄÖÉ][\wåäöé\-]+)+)\s+har\s+(?:i\s+en\s+interpellation\s+)?frågat\s+"
    r"(?P<whom>mig|om|hur|vad|vilka|vilken|vilket|när|varför|huruvida|"
    r"(?P<role>(?:[a-zåäö]+-?,?\s+(?:och\s+)?)*?[a-zåäö]*(?:ministern?|statsrådet))"
    r"(?:\s+(?P<name>[A-ZÅÄÖÉ][\wåäöé\-]+(?:\s+[A-ZÅÄÖÉ][\wåäöé\-]+)+))?)"
)
HANDED_OVER = re.compile(r"\b(?:frågan|frågorna|interpellationen)\s+har\s+överlämnats\s+till\s+mig", re.IGNORECASE)
BULLET = re.compile(r"^[·•–\-*▪◦●]\s+(?P<item>\S.*)$")
FURNITURE = re.compile(
    r"^(?:Till riksdagen|Dnr\b.*|\d{1,3}"
    r"|[-–—]\s*\d{1,3}\s*[-–—]|\d{1,3}\s*\(\d{1,3}\)|(?:sida|sid\.?)\s*\d{1,3}(?:\s*(?:av|\(|/)\s*\d{1,3}\)?)?"  # page numbers
    r"|[^\w\s]{1,3}|\w)$",  # scanner debris: a stray mark or letter on a line of its own
    re.IGNORECASE,
)
LETTER_RUN = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Line:
    number: int
    text: str


def parse_answer(doc: RawDoc) -> ParsedAnswer:
    """Parse one answer text, or raise SourceError naming the line and what was expected."""
    text, restored = ocr.restore_text(doc.text) if ocr.looks_damaged(doc.text) else (doc.text, 0)
    # after restoring: the scanner's "&r ett" is "är ett", not a split word "&rett"
    lines = [Line(i, t) for i, t in enumerate(rejoin_split_letters(text).split("\n"), start=1)]
    if not any(LETTER_RUN.search(line.text) for line in lines):
        raise SourceError(doc.path, 1, "holds no words: expected the text of an answer")
    if any(line.text.startswith("Anf.") for line in lines[:40]) or lines_start_with(lines, "Riksdagens protokoll"):
        return parse_protocol(doc, lines)
    return parse_typed(doc, lines, restored)


def lines_start_with(lines: list[Line], prefix: str) -> bool:
    return any(line.text.startswith(prefix) for line in lines[:5])


def non_empty(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.text]


def says_handed_over(text: str) -> bool:
    """Whether the answer says the question was handed over to its minister. A case-blind pattern
    that starts with a word boundary is tried at every position of the text (0.035 ms an answer);
    a word it needs, looked for first, rules most answers out in a tenth of that."""
    return "verlämnat" in text.lower() and HANDED_OVER.search(text) is not None


# --- typed answers -------------------------------------------------------------------------------


def parse_typed(doc: RawDoc, lines: list[Line], restored: int = 0) -> ParsedAnswer:
    header = find_page_header(lines)
    heading_at = next(
        (i for i, line in enumerate(lines) if HEADING.match(line.text) and not PAGE_HEADER.match(line.text)), None
    )
    if heading_at is None:
        raise SourceError(
            doc.path, first_text_line(lines),
            "not an answer: expected a heading like 'Svar på fråga 2016/17:1527 av NAME (M)' "
            "or 'Svar på interpellation 2016/17:12 av NAME (S)'",
        )
    heading_line = lines[heading_at]
    kind = HEADING.match(heading_line.text)["kind"].lower()
    doc_type = "interpellation" if kind.startswith("interpellation") else "skriftlig fråga"
    questions, after_heading = read_heading(doc, lines, heading_at)
    session = session_of(questions[0].designation)

    date_at = next((i for i in range(len(lines)) if match_date_line(lines[i].text)), None)
    if date_at is None:
        raise SourceError(
            doc.path, non_empty(lines)[-1].number,
            "no date: expected a line like 'Stockholm den 14 juni 2017' before the signature "
            "(is the text cut short?)",
        )
    date_m = match_date_line(lines[date_at].text)
    try:
        date = resolve_date(date_m, session).isoformat()
    except DateProblem as e:
        raise SourceError(doc.path, lines[date_at].number, f"impossible date: {e}") from None
    place = date_m["place"].strip() if date_m["place"] else None

    answered_by, role, signed_at = "", "", None
    if date_at > heading_at:  # current layout: body, date, signature
        body_lines = lines[after_heading:date_at]
        tail = non_empty(lines[date_at + 1:])
        if not tail:
            raise SourceError(
                doc.path, lines[date_at].number,
                "no signature: expected the answering minister's name after the date (is the text cut short?)",
            )
        answered_by, signed_at = " ".join(tail[0].text.split()), tail[0].number
        if len(tail) > 1:
            extra = tail[1]
            raise SourceError(doc.path, extra.number, f"unexpected text after the signature: '{extra.text[:60]}'")
    else:  # older layout: date at the top, "Statsrådet NAME" after the heading, no signature
        body_lines = lines[after_heading:]
        minister = next((line for line in non_empty(body_lines)[:2] if ROLE_AND_NAME.match(line.text)), None)
        if minister is None:
            raise SourceError(
                doc.path, lines[after_heading - 1].number,
                "no answering minister: expected 'Statsrådet NAME' after the heading, or a signature after the date",
            )
        m = ROLE_AND_NAME.match(minister.text)
        answered_by, signed_at = m["name"], minister.number
        role = role_of(m["role"])
        body_lines = [line for line in body_lines if line is not minister]
    if header:
        header_role = role_of(header["role"])
        role = role or header_role
    role = role or role_from_furniture(lines[:heading_at])

    body = body_blocks(body_lines, [line.text for line in lines])
    if not body:
        raise SourceError(doc.path, heading_line.number, "the answer has no text between the heading and the date")
    plain = " ".join(body)
    addressed_to, asked_line = addressee(plain, body_lines)
    questions = fill_askers(questions, plain)
    return ParsedAnswer(
        source=doc.name,
        doc_type=doc_type,
        chamber=chamber_of(questions[0].designation, plain),
        questions=questions,
        addressed_to=addressed_to,
        answered_by=answered_by,
        answered_by_role=role,
        date=date,
        place=place,
        body=body,
        handed_over=says_handed_over(plain),
        ocr_restored=restored,
        original=doc.text if restored else None,
        header_designation=header["des"] if header else None,
        line_of={
            "heading": heading_line.number, "date": lines[date_at].number, "answered_by": signed_at,
            "addressed_to": asked_line or heading_line.number,
        },
    )


def find_page_header(lines: list[Line]) -> dict | None:
    for line in lines[:12]:
        m = PAGE_HEADER.match(line.text)
        if m:
            who = ROLE_AND_NAME.match(m["who"])
            return {"des": m["des"], "role": who["role"] if who else "", "name": who["name"] if who else ""}
    return None


def read_heading(doc: RawDoc, lines: list[Line], at: int) -> tuple[tuple[Question, ...], int]:
    """The questions a heading names, joining the lines it runs over; and the index after it."""
    text = HEADING.match(lines[at].text)["rest"]
    i = at + 1
    while True:
        questions = heading_questions(text)
        if questions is not None and questions[-1].title:
            return questions, i
        following = next((j for j in range(i, min(i + 4, len(lines))) if lines[j].text), None)
        if following is None or (questions and questions[-1].title == "" and HEADING.match(lines[following].text)):
            break
        if questions is not None and match_date_line(lines[following].text):
            break
        text = f"{text} {lines[following].text}".strip()
        i = following + 1
        if i - at > 6:
            break
    questions = heading_questions(text)
    if questions is None:
        raise SourceError(
            doc.path, lines[at].number,
            "the heading names no question: expected a designation like '2016/17:1527' "
            "(or '(2016:28)' for a council), then 'av NAME (PARTY)'",
        )
    raise SourceError(doc.path, lines[at].number, "the heading has no title: expected the question's title after the asker")


def heading_questions(text: str) -> tuple[Question, ...] | None:
    """Questions in 'DES av NAME (P) TITLE och DES av NAME (P) TITLE'; None while incomplete."""
    text = " ".join(text.split())
    if not re.match(r"^\(?\d{4}(?:/\d{2})?:\d+", text):
        return None
    found = []
    for m in QUESTION.finditer(text):
        if not m["des"]:
            continue
        title = m["title"].strip()
        if ASKER_WITHOUT_PARTY.match(title):
            return None  # 'av Johanna Sjo' and the party on the next line
        found.append(Question(m["des"], (m["asker"] or "").strip(), (m["party"] or "").strip(), clean_title(title)))
    return tuple(found) or None


def clean_title(title: str) -> str:
    title = title.strip().strip("\"”“'").strip()
    if title.startswith("om "):
        title = title[3:]
    return title[:1].upper() + title[1:]


def session_of(designation: str) -> str:
    return designation.split(":")[0]


def chamber_of(designation: str, text: str) -> str:
    if "/" in designation:
        return "Riksdagen"
    m = re.search(r"\b([A-ZÅÄÖ][a-zåäö]+s)\s+(stad|kommun|region)\b", text)
    return f"{m[1]} {m[2]}" if m else "Stockholms stad"


def role_of(written: str) -> str:
    """'Justitie- och migrationsminister' -> 'justitie- och migrationsminister'; generic 'Statsrådet' -> ''."""
    role = " ".join(written.split()).strip(" ,")
    if role.lower() in ("statsrådet", "statsråd", ""):
        return ""
    role = role[:1].lower() + role[1:]
    return role.removesuffix("n") if role.endswith("ministern") else role


def role_from_furniture(lines: list[Line]) -> str:
    """riksdagen.se pages put the minister's title on a line of its own: 'Bostads-, ... och it-ministern'."""
    for line in lines:
        if re.match(r"^[A-ZÅÄÖ][\wåäö,\- ]*ministern$", line.text):
            return role_of(line.text)
    return ""


def addressee(plain: str, body_lines: list[Line]) -> tuple[str, int | None]:
    """Whom the question was put to: a name, a role ('justitieministern'), or '' for the answerer."""
    m = ASKED.search(plain)
    if not m:
        return "", None
    line = next((line.number for line in body_lines if "frågat" in line.text), None)
    if m["name"]:
        return m["name"], line
    if m["role"] and not m["role"].endswith("statsrådet"):
        return m["role"], line
    return "", line


def fill_askers(questions: tuple[Question, ...], plain: str) -> tuple[Question, ...]:
    """The old layout names the asker only in 'NAME har frågat mig ...'."""
    if all(q.asker for q in questions):
        return questions
    askers = [m["asker"] for m in ASKED.finditer(plain)]
    return tuple(
        q if q.asker or i >= len(askers) else Question(q.designation, askers[i], q.asker_party, q.title)
        for i, q in enumerate(questions)
    )


def first_text_line(lines: list[Line]) -> int:
    return next((line.number for line in lines if line.text), 1)


# --- chamber protocols ---------------------------------------------------------------------------

PROTOCOL_ITEM = re.compile(
    r"^(?:\d+\s*§|§\s*\d+)\s+Svar\s+på\s+interpellation(?:erna)?\s+(?P<des>\d{4}/\d{2}:\d+)\s+(?P<title>.+)$"
)


def parse_protocol(doc: RawDoc, lines: list[Line]) -> ParsedAnswer:
    item_at = next((i for i, line in enumerate(lines) if PROTOCOL_ITEM.match(line.text)), None)
    if item_at is None:
        raise SourceError(
            doc.path, first_text_line(lines),
            "a chamber protocol without an answer: expected a line like '5 § Svar på interpellation 2010/11:255 om TITLE'",
        )
    item = PROTOCOL_ITEM.match(lines[item_at].text)
    session = session_of(item["des"])
    date_line = next((line for line in lines[:item_at] if match_date_line(line.text)), None)
    if date_line is None:
        raise SourceError(doc.path, lines[item_at].number, "no date: expected the protocol's date line, like 'Fredagen den 15 april'")
    try:
        date = resolve_date(match_date_line(date_line.text), session).isoformat()
    except DateProblem as e:
        raise SourceError(doc.path, date_line.number, f"impossible date: {e}") from None

    speech_at = next((i for i in range(item_at + 1, len(lines)) if SPEECH.match(lines[i].text)), None)
    if speech_at is None:
        raise SourceError(doc.path, lines[item_at].number, "no answer speech: expected 'Anf. 1 ROLE NAME (PARTY):' after the item")
    speech = SPEECH.match(lines[speech_at].text)
    who = ROLE_AND_NAME.match(speech["who"])
    if not who:
        raise SourceError(doc.path, lines[speech_at].number, "the speech names no minister: expected 'Anf. 1 ROLE NAME (PARTY):'")
    end = next((i for i in range(speech_at + 1, len(lines)) if SPEECH.match(lines[i].text)), len(lines))
    body_lines = lines[speech_at + 1:end]
    body = body_blocks(body_lines)
    if not body:
        raise SourceError(doc.path, lines[speech_at].number, "the answer speech is empty")
    plain = " ".join(body)
    addressed_to, asked_line = addressee(plain, body_lines)
    asker = next((m["asker"] for m in ASKED.finditer(plain)), "")
    question = Question(item["des"], asker, "", clean_title(item["title"]))
    return ParsedAnswer(
        source=doc.name,
        doc_type="interpellation",
        chamber="Riksdagen",
        questions=(question,),
        addressed_to=addressed_to,
        answered_by=name_as_written(who["name"]),
        answered_by_role=role_of(who["role"]),
        date=date,
        place=None,
        body=body,
        handed_over=says_handed_over(plain),
        line_of={
            "heading": lines[item_at].number, "date": date_line.number,
            "answered_by": lines[speech_at].number, "addressed_to": asked_line or lines[speech_at].number,
        },
    )


def name_as_written(name: str) -> str:
    return title_case(name) if name.isupper() else name


# --- body ----------------------------------------------------------------------------------------


def body_blocks(lines: list[Line], document: list[str] | None = None) -> tuple[str, ...]:
    """Paragraphs and lists as Markdown blocks.

    Word exports put each paragraph on one line; OCR'd PDFs hard-wrap them and separate paragraphs
    with blank lines. Lines are re-joined only in the second case.
    """
    texts = [line.text for line in lines if not FURNITURE.match(line.text)]
    wrapped = is_hard_wrapped(texts)
    if wrapped:
        texts = without_running_headers(texts, document or texts)
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush_paragraph():
        if paragraph:
            blocks.append(escape_markdown(join_wrapped(paragraph)))
            paragraph.clear()

    def flush_items():
        if items:
            blocks.append("\n".join(f"- {escape_markdown(item)}" for item in items))
            items.clear()

    for text in texts:
        bullet = BULLET.match(text)
        if not text:
            flush_paragraph()
            flush_items()
        elif bullet:
            flush_paragraph()
            items.append(bullet["item"])
        elif items and wrapped and text[:1].islower():
            items[-1] = join_wrapped([items[-1], text])
        else:
            flush_items()
            paragraph.append(text)
            if not wrapped:
                flush_paragraph()
    flush_paragraph()
    flush_items()
    return tuple(blocks)


def without_running_headers(texts: list[str], document: list[str]) -> list[str]:
    """A scan repeats the page's header on every page ("Stockholms stad", "Dnr 123/2016 2016-04-20"):
    a short line that comes back in the document, and is no sentence, is dropped from the body."""
    counts: dict[str, int] = {}
    for t in document:
        counts[t] = counts.get(t, 0) + 1
    repeated = {t for t, n in counts.items() if n > 1 and t and len(t) < 60 and not re.search(r"[.!?:;,]$", t)
                and not BULLET.match(t)}
    return [t for t in texts if t not in repeated]


def is_hard_wrapped(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    if len(filled) < 4:
        return False
    long_lines = sum(len(t) > 100 for t in filled)
    return long_lines / len(filled) < 0.2


def join_wrapped(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        if out.endswith("-") and part[:1].islower() and not re.match(r"(och|eller|samt)\b", part):
            out = out[:-1] + part
        else:
            out = f"{out} {part}"
    return out


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]>])")
LINE_START_SPECIAL = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows exactly as written: no emphasis, links, HTML or headings from input."""
    # '<' as an entity, not '\<' (which Markdown does not unescape), so no renderer can take it for HTML
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;").replace("<", "&lt;")
    return LINE_START_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


# PDF text extraction leaves words split by spaces: "Svar p å interpellation", "a rbetslöshetsmålet", "pr ocent".
# A lone letter that is not a Swedish word (i, å, ö, o are), or two consonants before a vowel, is a fragment.
# Both match the space after (or before) a fragment, with the fragment in a lookbehind: a pattern
# that starts with a literal is searched for that literal, two to four times quicker than trying a
# lookbehind at every position. The fragment is group 1 (one letter) or 2 (two consonants).
LEADING_FRAGMENT = re.compile(r" (?=[a-zåäöé])(?:(?<=(?<![\w-])([a-hj-np-z]) )|(?<=(?<![\w-])([bcdfghjklmnpqrstvwxz]{2}) ))")
TRAILING_FRAGMENT = re.compile(r" (?<=[a-zåäö]{3} )([b-hj-np-z])(?=[\s.,;:]|$)")
ABBREVIATIONS = ("kr", "st", "mm", "nr", "dr", "fr", "tv", "cm", "km", "kg", "ms", "pm")


def rejoin_split_letters(text: str) -> str:
    """Join letters a PDF split off their word; the one-letter words of Swedish are left alone."""
    text = LEADING_FRAGMENT.sub(_join_if_fragment, text)
    return TRAILING_FRAGMENT.sub(r"\1", text)


def _join_if_fragment(m: re.Match) -> str:
    """The space after a fragment dropped (the fragment joined to the word after it), or kept."""
    fragment = m.group(1) or m.group(2)
    if fragment in ABBREVIATIONS or (len(fragment) == 2 and m.string[m.end():m.end() + 1] not in "aeiouyåäöé"):
        return " "
    return ""
