"""Dates said in a message, resolved against a date the caller passes in, and the
cheap digit test that lets most messages skip the date and phone patterns.

The pattern reads ISO dates, day/month numbers, a day with a month name either way
round, weekdays and relative days (today, tomorrow), case-blind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

_DIGIT = re.compile(r"\d")

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
    "wed": 2, "weds": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_RELATIVE = {"today": 0, "tomorrow": 1, "day after tomorrow": 2, "yesterday": -1}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    r"(?<![\w/-])(?:"
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<sa>\d{1,2})/(?P<sb>\d{1,2})(?:/(?P<sy>\d{4}|\d{2}))?"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<dm>{_MONTH_RE})\.?(?:,?\s+(?P<dy>\d{{4}}))?"
    rf"|(?P<mm>{_MONTH_RE})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<my>\d{{4}}))?"
    r"|(?P<rel>day after tomorrow|today|tomorrow|yesterday)"
    rf"|(?P<wd>{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})"
    r")(?!\w)",
    re.IGNORECASE,
)

# Every ASCII byte but the digits: deleted, they leave the digits of an ASCII text.
_NOT_DIGITS = bytes(b for b in range(128) if not chr(b).isdecimal())


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a ``\\d`` digit (ASCII text, the common case, in C)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _NOT_DIGITS))
    return _DIGIT.search(text) is not None


def digit_count(text: str) -> int:
    """How many ``\\d`` digits ``text`` holds (ASCII text, the common case, in C)."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NOT_DIGITS))
    return len(_DIGIT.findall(text))


def _future(today: dt.date, month: int, day: int) -> dt.date:
    """A day and month with no year: its next occurrence on or after ``today``."""
    for year in range(today.year, today.year + 9):
        try:
            found = dt.date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise ValueError("no such day")


def _named(table: Mapping[str, int], word: str) -> int:
    """A month, weekday or relative day by name. The pattern ignores case the Unicode
    way (a long s, U+017F, is an "s"; a dotless i, U+0131, an "i"), so the name is
    looked up folded the same way; a fold that still names nothing is no date."""
    found = table.get(word.lower())
    if found is None:
        found = table.get(word.casefold().replace("\u0131", "i").replace("i\u0307", "i"))
    if found is None:
        raise ValueError(f"no day or month is called {word!r}")
    return found


def _resolve(match: re.Match[str], today: dt.date) -> dt.date:
    """The date one ``_DATE`` match names; ValueError if it names no real day."""
    group = match.group
    if group("iy"):
        return dt.date(int(group("iy")), int(group("im")), int(group("id")))
    if group("sa"):
        first, second = int(group("sa")), int(group("sb"))
        # Day first ("12/03" is 12 March), unless only month-first makes a date.
        day, month = (second, first) if first <= 12 < second else (first, second)
        year = group("sy")
        if year is None:
            return _future(today, month, day)
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    if group("dm") or group("mm"):
        month = _named(_MONTHS, group("dm") or group("mm"))
        day = int(group("dd") or group("md"))
        year = group("dy") or group("my")
        return dt.date(int(year), month, day) if year else _future(today, month, day)
    if group("rel"):
        return today + dt.timedelta(days=_named(_RELATIVE, " ".join(group("rel").split())))
    ahead = (_named(_WEEKDAYS, group("wd")) - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead)


# Without digits, a date is a weekday or a relative day said as a word of its own.
_DAY_WORDS = frozenset(_WEEKDAYS) | frozenset(phrase.split()[-1] for phrase in _RELATIVE)
_NOT_WORD = {point: " " for point in range(128) if not (chr(point).isalnum() or chr(point) == "_")}


def _words_of(ascii_text: str) -> list[str]:
    """The runs of ``\\w`` characters of an ASCII text, lower-cased."""
    return ascii_text.lower().translate(_NOT_WORD).split()


def find_date(text: str, today: dt.date) -> str | None:
    """The first date named, resolved against ``today``, as ISO ``YYYY-MM-DD``.

    A weekday means the next such day after today (never today itself); a day and
    month without a year means the next such date on or after today; "12/03" is read
    day first (12 March) unless only the month-first reading is a date ("03/25").
    """
    if text.isascii() and not has_digit(text) and _DAY_WORDS.isdisjoint(_words_of(text)):
        return None  # most messages: no need to run the pattern
    for found in _DATE.finditer(text):
        try:
            return _resolve(found, today).isoformat()
        except ValueError:
            continue
    return None
