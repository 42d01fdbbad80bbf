"""Answers as Markdown with YAML front matter: written for every answer, and read from an editor's curated `.md` copy."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from generator.errors import SourceError
from generator.model import Answer, ParsedAnswer, Question, RawDoc, answer_record

# Fields an editor writes in a curated copy; the rest of the record is derived from them.
REQUIRED = ("doc_type", "chamber", "designation", "title", "asker", "asker_party", "answered_by", "date")
OPTIONAL = ("addressed_to", "answered_by_role", "place", "questions", "handed_over")
DERIVED = ("slug", "url", "session", "number", "year", "source", "source_url", "ocr_restored", "text")
DOC_TYPES = ("skriftlig fråga", "interpellation")


@cache
def yaml_dumper() -> type:
    """PyYAML's dumper as front_matter uses it. PyYAML is imported when first needed: an edit writes
    the front matter of its answer by the quick path, and importing it took 10-11 ms of its start."""
    import yaml

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter is ten times faster, same output
        pass

    def represent_str(dumper, value):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


def yaml_dump(record: dict) -> str:
    import yaml

    return yaml.dump(record, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False, width=YAML_WIDTH)


def answer_markdown(answer: Answer) -> str:
    """The answer page's Markdown source: every record field but the text in front matter, the body below."""
    record = answer_record(answer)
    del record["text"]
    return f"---\n{front_matter(record)}---\n\n{answer.body_markdown}\n"


def front_matter(record: dict) -> str:
    """The record as YAML, exactly as yaml.dump writes it, ten times quicker for the usual record:
    one whose strings all fit on a line and need no escapes (see simple_front_matter)."""
    return simple_front_matter(record) or yaml_dump(record)


YAML_WIDTH = 100
# What yaml.dump writes plain or in single quotes, unchanged, whatever its position on a line: a letter
# or digit first (no indicator such as - ? : # & * ! | > ' " % @ `), then no ": ", " #", control or
# special character, and no space or colon at the end.
_SIMPLE = re.compile(r"[^\W_](?:[\w .,;/()+'%&=?!\-–—]|:(?! ))*(?<![ :])")
# What YAML 1.1 reads as other than text, of the strings _SIMPLE matches (a letter or digit first):
# PyYAML's implicit resolvers (yaml/resolver.py) for booleans, null, floats, integers and timestamps,
# less the forms that start with a sign, a dot, '~', '<' or '=' (PyYAML picks its patterns by the
# first character, ASCII only: a string that starts with another letter or digit is text).
_NOT_TEXT = re.compile(r"""
    yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
  | null|Null|NULL
  | [0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
  | [0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
  | 0b[0-1_]+ | 0[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(?::[0-5]?[0-9])+
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
  | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
""", re.VERBOSE)


def simple_scalar(value, column: int) -> str | None:
    """`value` as yaml.dump writes it at `column`, or None if this cannot tell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if not isinstance(value, str):
        return None
    if " " in value and column + len(value) + 2 > YAML_WIDTH:  # yaml.dump would break it at a space
        return None
    return short_string(value) if len(value) <= YAML_WIDTH else plain_string(value)


def plain_string(value: str) -> str | None:
    """`value` as yaml.dump writes it where it fits on the line, or None if this cannot tell."""
    if not _SIMPLE.fullmatch(value):
        return None
    if not _NOT_TEXT.fullmatch(value):
        return value
    return "'" + value.replace("'", "''") + "'"  # it would be read as a number, a date, a boolean...


# names, parties, roles and dates recur in every record, and the keys in every one: each is looked at once per build
short_string = lru_cache(maxsize=50_000)(plain_string)


@lru_cache(maxsize=1_000)
def simple_name(key: str) -> bool:
    return _SIMPLE.fullmatch(key) is not None


def simple_front_matter(record: dict) -> str | None:
    """yaml.dump's output for a record of scalars and lists of flat mappings; None where yaml.dump
    might write any of it otherwise (a long or special string), which then writes it all."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                if not isinstance(item, dict) or not item:
                    return None
                for number, (name, field_value) in enumerate(item.items()):
                    lead = "- " if number == 0 else "  "
                    scalar = simple_scalar(field_value, len(lead) + len(name) + 2)
                    if scalar is None or not simple_name(name):
                        return None
                    lines.append(f"{lead}{name}: {scalar}")
            continue
        scalar = simple_scalar(value, len(key) + 2)
        if scalar is None or not simple_name(key):
            return None
        lines.append(f"{key}: {scalar}")
    return "\n".join(lines) + "\n"


def split_front_matter(doc: RawDoc) -> tuple[dict, str, int]:
    """(front matter, body, line where the body starts) of a curated `.md` answer."""
    text = doc.text
    if not text.startswith("---\n"):
        raise SourceError(doc.path, 1, "no front matter: a .md answer starts with '---', the fields, and '---'")
    end = re.search(r"^---\s*$", text[4:], re.MULTILINE)
    if not end:
        raise SourceError(doc.path, 1, "the front matter is not closed: expected a line '---' after the fields")
    head = text[4: 4 + end.start()]
    body = text[4 + end.end():]
    import yaml

    try:
        fields = yaml.safe_load(head)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(e, "problem", None) or "cannot be read"
        raise SourceError(doc.path, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(fields, dict):
        raise SourceError(doc.path, 2, "front matter must be fields ('title: ...'), one per line")
    return fields, body, head.count("\n") + 3


def parse_markdown_answer(doc: RawDoc) -> ParsedAnswer:
    """A curated `.md` answer as a ParsedAnswer, so it is checked like any text."""
    fields, body, body_line = split_front_matter(doc)
    lines = {key: _line_of(doc.text, key) for key in fields}
    unknown = sorted(set(fields) - set(REQUIRED) - set(OPTIONAL) - set(DERIVED) - {"text"})
    if unknown:
        raise SourceError(doc.path, lines[unknown[0]], f"unknown field '{unknown[0]}': expected only {', '.join(REQUIRED + OPTIONAL)}")
    missing = [key for key in REQUIRED if fields.get(key) in (None, "")]
    if missing:
        raise SourceError(doc.path, 1, f"front matter misses {', '.join(missing)}")
    for key in REQUIRED + ("addressed_to", "answered_by_role", "place"):
        value = fields.get(key)
        if value is not None and not isinstance(value, (str, int, float, dt.date)):
            raise SourceError(doc.path, lines.get(key, 1), f"'{key}' must be a single value, not a list or a mapping")
    if fields["doc_type"] not in DOC_TYPES:
        raise SourceError(doc.path, lines["doc_type"], f"doc_type '{fields['doc_type']}': expected one of {', '.join(DOC_TYPES)}")
    date = str(fields["date"])
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise SourceError(doc.path, lines["date"], f"date '{date}': expected YYYY-MM-DD")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise SourceError(doc.path, lines["date"], f"impossible date: {date} is not a date") from None
    designation = str(fields["designation"])
    if not re.fullmatch(r"\d{4}(/\d{2})?:\d+", designation):
        raise SourceError(doc.path, lines["designation"], f"designation '{designation}': expected like 2016/17:1527 or 2016:28")
    questions = _questions(doc, fields, lines)
    blocks = tuple(b.strip() for b in re.split(r"\n\s*\n", body) if b.strip())
    if not blocks:
        raise SourceError(doc.path, body_line, "the answer has no text below the front matter")
    return ParsedAnswer(
        source=doc.name,
        doc_type=fields["doc_type"],
        chamber=str(fields["chamber"]),
        questions=questions,
        addressed_to=str(fields.get("addressed_to") or ""),
        answered_by=str(fields["answered_by"]),
        answered_by_role=str(fields.get("answered_by_role") or ""),
        date=date,
        place=str(fields["place"]) if fields.get("place") else None,
        body=blocks,
        handed_over=bool(fields.get("handed_over", False)),
        line_of={"heading": lines.get("designation", 1), "date": lines["date"], "answered_by": lines["answered_by"],
                 "addressed_to": lines.get("addressed_to", 1)},
    )


def _questions(doc: RawDoc, fields: dict, lines: dict) -> tuple[Question, ...]:
    first = Question(str(fields["designation"]), str(fields["asker"]), str(fields["asker_party"]), str(fields["title"]))
    given = fields.get("questions") or []
    if not isinstance(given, list) or not all(isinstance(q, dict) for q in given):
        raise SourceError(doc.path, lines.get("questions", 1), "questions: expected a list of {designation, asker, asker_party, title}")
    questions = [first]
    for q in given:
        if str(q.get("designation")) == first.designation:
            continue
        missing = [k for k in ("designation", "asker", "asker_party", "title") if not q.get(k)]
        if missing:
            raise SourceError(doc.path, lines.get("questions", 1), f"a question misses {', '.join(missing)}")
        questions.append(Question(str(q["designation"]), str(q["asker"]), str(q["asker_party"]), str(q["title"])))
    return tuple(questions)


def _line_of(text: str, key: str) -> int:
    m = re.search(rf"^{re.escape(str(key))}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1
