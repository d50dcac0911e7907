"""Dates as news text writes them: ISO, "July 11, 2025", "11 July 2025"."""

from __future__ import annotations

import datetime as _dt
import re

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
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"(?P<iso>(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}))"
    r"|" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.replace("month", "month2") + r",?\s+(?P<year2>\d{4})",
    re.IGNORECASE,
)


def find_date(text: str) -> tuple[_dt.date, tuple[int, int]] | None:
    """Return the first real calendar date written in `text` and its span, or None."""
    for match in _DATE.finditer(text):
        try:
            if match.group("iso"):
                value = _dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            elif match.group("month"):
                value = _dt.date(int(match.group("year")), _MONTHS[match.group("month").casefold()], int(match.group("day")))
            else:
                value = _dt.date(int(match.group("year2")), _MONTHS[match.group("month2").casefold()], int(match.group("day2")))
        except ValueError:
            continue
        return value, match.span()
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
