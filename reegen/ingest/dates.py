"""Dates as news text writes them: ISO, "July 11, 2025", "11 July 2025", "Tue, 2 Jul 2024 10:32 BST", 03/14/2025.

All-numeric dates are read only when one reading is possible: `14/03/2025` is 14 March
(no 14th month), `03/14/2025` is 14 March too, but `03/04/2025` could be 3 April or
4 March and is refused (problem "ambiguous"), never guessed. Dotted dates (`03.04.2025`)
are day-first: that is how every country that writes dots writes them. Two-digit years
are refused.
"""

from __future__ import annotations

import datetime as _dt
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
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = r"(?P<month>" + _MONTH_NAMES + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
#: a clock time after a date: ", 10:32 BST", " at 2:15 p.m. EDT", "T08:00:00Z", " 10.32am (GMT+8)"
TIME = (r"(?:(?:,|\s+at|\s+um|\s+à|\s*T|\s*-)?\s*(?:\d{1,2}(?:[:.]\d{2}){1,2}(?:\.\d+)?|\d{1,2}h\d{2})\s*(?:[ap]\.?\s?m\.?)?"
        r"|,?\s+\d{1,2}\s*[ap]\.?m\.?)"
        r"(?:\s*\(?(?:Z\b|Uhr\b|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?")
_DATE = re.compile(
    r"(?<![\w/.-])" + _WEEKDAY + r"(?:"
    r"(?P<iso>(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2}))(?![\d/.-]\d)"
    r"|" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.replace("month", "month2") + r",?\s+(?P<year2>\d{4})"
    r"|(?P<num>(?P<a>\d{1,2})(?P<nsep>[/.-])(?P<b>\d{1,2})(?P=nsep)(?P<c>\d{4}|\d{2}))(?![\d/.-]\d)"
    r")(?P<time>" + TIME + r")?(?!\w)",
    re.IGNORECASE,
)


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
    for match in _DATE.finditer(text):
        try:
            if match.group("iso"):
                value = _dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            elif match.group("month"):
                value = _dt.date(int(match.group("year")), _MONTHS[match.group("month").casefold()], int(match.group("day")))
            elif match.group("month2"):
                value = _dt.date(int(match.group("year2")), _MONTHS[match.group("month2").casefold()], int(match.group("day2")))
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
