"""Dates as news text writes them: ISO, "July 11, 2025", "11 July 2025", "Tue, 2 Jul 2024 10:32 BST", 03/14/2025.

All-numeric dates are read only when one reading is possible: `14/03/2025` is 14 March
(no 14th month), `03/14/2025` is 14 March too, but `03/04/2025` could be 3 April or
4 March and is refused (problem "ambiguous"), never guessed. Dotted dates (`03.04.2025`)
are day-first: that is how every country that writes dots writes them. Two-digit years
are refused.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass

from ..errors import ArticleError

_MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
        ("november", "nov"), ("december", "dec"),
    ])
    for name in names
}
#: a clock time after a date: ", 10:32 BST", " at 2:15 p.m. EDT", "T08:00:00Z", " 10.32am (GMT+8)"
TIME = (r"(?:(?:,|\s+at|\s+um|\s+à|\s*T|\s*-)?\s*(?:\d{1,2}(?:[:.]\d{2}){1,2}(?:\.\d+)?|\d{1,2}h\d{2})\s*(?:[ap]\.?\s?m\.?)?"
        r"|,?\s+\d{1,2}\s*[ap]\.?m\.?)"
        r"(?:\s*\(?(?:Z\b|Uhr\b|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?")
#: languages whose month names dates written in Latin script use ("5. November 2023", "17 de marzo de 2020")
LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "da", "sv", "nb", "fi", "pl", "ro", "ca", "cs", "hr", "hu", "id", "tr")
_EN_WEEKDAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"


@functools.cache
def _foreign_names() -> tuple[dict[str, int], tuple[str, ...]]:
    """Return month names -> number, and weekday names, from dateparser's locale data (full names only).

    Abbreviations are left out (Spanish "ago" and Portuguese "set" are English words), and
    so is a name two languages give different months (Polish and Croatian "listopad").
    Without dateparser, dates are read in English only.
    """
    try:
        from dateparser.languages.loader import default_loader
    except ImportError:  # pragma: no cover - dateparser comes with trafilatura
        return {}, ()
    months: dict[str, set[int]] = {}
    weekdays: set[str] = set()
    keys = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december")
    for locale in default_loader.get_locales(languages=list(LANGUAGES)):
        for number, key in enumerate(keys, start=1):
            for name in locale.info.get(key) or ():
                name = name.casefold().rstrip(".")
                if len(name) >= 4 and name.isalpha() and name not in _MONTHS:
                    months.setdefault(name, set()).add(number)
        for key in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            for name in locale.info.get(key) or ():
                name = name.casefold().rstrip(".")
                if len(name) >= 4 and name.isalpha():
                    weekdays.add(name)
    return {name: numbers.pop() for name, numbers in months.items() if len(numbers) == 1}, tuple(sorted(weekdays))


@functools.cache
def _pattern() -> re.Pattern:
    foreign, weekdays = _foreign_names()
    names = sorted({*_MONTHS, *foreign}, key=len, reverse=True)
    month = r"(?P<month>" + "|".join(map(re.escape, names)) + r")\.?"
    weekday = r"(?:(?:" + "|".join([_EN_WEEKDAYS, *map(re.escape, weekdays)]) + r")\.?,?\s+)?"
    return re.compile(
        r"(?<![\w/.-])" + weekday + r"(?:"
        r"(?P<iso>(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2}))(?![\d/.-]\d)"
        r"|" + month + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
        r"|(?P<day2>\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?" + month.replace("month", "month2")
        + r",?\s+(?:de\s+|del\s+)?(?P<year2>\d{4})"
        r"|(?P<num>(?P<a>\d{1,2})(?P<nsep>[/.-])(?P<b>\d{1,2})(?P=nsep)(?P<c>\d{4}|\d{2}))(?![\d/.-]\d)"
        r")(?P<time>" + TIME + r")?(?!\w)",
        re.IGNORECASE,
    )


def _month(name: str) -> int:
    key = name.casefold()
    return _MONTHS.get(key) or _foreign_names()[0][key]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date written in a text: its value (None when it cannot be read for sure), span and why not."""

    value: _dt.date | None
    span: tuple[int, int]
    #: why `value` is None: "ambiguous" (03/04/2025), "two-digit year", "impossible" (31 February)
    problem: str | None = None


def scan_dates(text: str) -> list[DateMatch]:
    """Return every date-shaped run of `text` in order, read or marked as unreadable."""
    out: list[DateMatch] = []
    for match in _pattern().finditer(text):
        try:
            if match.group("iso"):
                value = _dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            elif match.group("month"):
                value = _dt.date(int(match.group("year")), _month(match.group("month")), int(match.group("day")))
            elif match.group("month2"):
                value = _dt.date(int(match.group("year2")), _month(match.group("month2")), int(match.group("day2")))
            else:
                a, b, year = int(match.group("a")), int(match.group("b")), match.group("c")
                if len(year) == 2:
                    out.append(DateMatch(None, match.span(), "two-digit year"))
                    continue
                if match.group("nsep") == ".":  # dotted dates are day-first wherever they are written (14.03.2025)
                    day, month = a, b
                elif a > 12 >= b:
                    day, month = a, b
                elif b > 12 >= a:
                    day, month = b, a
                elif a == b:
                    day = month = a
                else:
                    out.append(DateMatch(None, match.span(), "ambiguous"))
                    continue
                value = _dt.date(int(year), month, day)
        except ValueError:
            out.append(DateMatch(None, match.span(), "impossible"))
            continue
        out.append(DateMatch(value, match.span()))
    return out


def find_date(text: str) -> tuple[_dt.date, tuple[int, int]] | None:
    """Return the first real calendar date written in `text` and its span, or None."""
    for found in scan_dates(text):
        if found.value is not None:
            return found.value, found.span
    return None


def parse_published(value: str | _dt.date) -> _dt.date:
    """Return the date of an ISO `YYYY-MM-DD` string (what `--published` takes).

    Raises `ArticleError` when `value` is not one.
    """
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ArticleError(f"'{value}' is not an ISO date such as 2025-07-03", code="ingest.date")
