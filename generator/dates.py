"""Swedish dates as written in answers: 'Stockholm den 14 juni 2017', 'Fredagen den 15 april', 'den 14 september'."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
WEEKDAYS = {"måndagen": 0, "tisdagen": 1, "onsdagen": 2, "torsdagen": 3, "fredagen": 4, "lördagen": 5, "söndagen": 6}
MONTH_NAMES = {v: k for k, v in MONTHS.items()}

_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
# "Stockholm den 14 juni 2017" (place optional), "Fredagen den 15 april", "den 14 september"
DATE_LINE = re.compile(
    r"^(?:(?P<weekday>" + "|".join(WEEKDAYS) + r")\s+|(?P<place>[A-ZÅÄÖ][\wåäöÅÄÖé\- ]{1,40}?)\s+)?"
    r"den\s+(?P<day>\d{1,2})(?::e|:a)?\s+" + _MONTH + r"(?:\s+(?P<year>\d{4}))?\s*$",
    re.IGNORECASE,
)


class DateProblem(ValueError):
    pass


def match_date_line(line: str) -> re.Match | None:
    return DATE_LINE.match(line)


def resolve_date(m: re.Match, session: str | None) -> dt.date:
    """The date a matched line means; a date without a year takes it from the session.

    A Riksdag session ('2010/11') runs from its opening in September to the next one: months from
    October on belong to its first year, January to August to its second. In September, the first
    half belongs to the second year (the old session's last days), the second half to the first.
    A weekday, where the text gives one, settles the year.
    """
    day, month = int(m["day"]), MONTHS[m["month"].lower()]
    if m["year"]:
        return _make(int(m["year"]), month, day)
    if not session:
        raise DateProblem(f"'{m.group(0)}' has no year, and no session to take it from")
    first = int(session[:4])
    candidates = [first, first + 1] if "/" in session else [first]
    if m["weekday"]:
        weekday = WEEKDAYS[m["weekday"].lower()]
        fitting = [y for y in candidates if _valid(y, month, day) and dt.date(y, month, day).weekday() == weekday]
        if len(fitting) == 1:
            return dt.date(fitting[0], month, day)
        if not fitting:
            raise DateProblem(f"'{m.group(0)}': that weekday does not fall on that date in session {session}")
    if len(candidates) == 1:
        return _make(first, month, day)
    second_year = month < 9 or (month == 9 and day <= 15)
    return _make(first + 1 if second_year else first, month, day)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _make(year: int, month: int, day: int) -> dt.date:
    if not _valid(year, month, day):
        raise DateProblem(f"{day} {MONTH_NAMES[month]} {year} is not a date")
    return dt.date(year, month, day)


def swedish_date(iso: str) -> str:
    """'2017-06-14' -> '14 juni 2017'."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"
