"""The sample project tells the truth: what it states can be found in the articles it was made from.

The sample articles (`articles/*.md`) are written in this project's own words from five
published articles, kept beside the checkout in `../shared/seeds`. These tests read the
seeds at run time and check that every number (figures, percentages, years, counts in
digits) and every date in the article files, and in the sample briefs' own prose
(`text:` sections and `judgements:`), occurs in some seed. A number or date nobody
published fails the test, wherever it hides (body, front matter, an origin's date).

They also pin how the Sources list shows what the publisher did not state: an undated
article says "undated", a relayed report's date is named as that report's, a derived
title is shown as a summary and an inferred field says so, in every format.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SEEDS, article_text

MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I),  # a month: "June 2023" (day None)
]
#: a digit group separator between a digit and exactly three more: "24,800", "24 800" (no-break,
#: thin or narrow no-break space), "24'800"; a plain space is not one ("in 2024 100 firms")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u2009\u202f'](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    """Return `text` with every decimal digit in ASCII and thousands separators removed."""
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    return _THOUSANDS.sub("", text)


def _canonical(number: str) -> str:
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def dates_in(text: str) -> tuple[set[tuple[int | None, int, int]], str]:
    """Return the dates in `text` as (year or None, month, day or None), and the text with them blanked out."""
    found = set()
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = int(m["m"]) if "m" in m.groupdict() else MONTHS[m["month"].lower()]
            day = int(m["day"]) if m.groupdict().get("day") else None
            if 1 <= month <= 12 and (day is None or 1 <= day <= 31):
                found.add((int(m["year"]) if m["year"] else None, month, day))
        text = pattern.sub(lambda m: " " * len(m[0]), text)
    return found, text


def numbers_in(text: str) -> set[str]:
    return {_canonical(n) for n in _NUMBER.findall(text)}


def facts_of(texts) -> tuple[set[str], set]:
    """Return every number (dates' parts included) and every date in the seed texts."""
    numbers, dates = set(), set()
    for text in texts:
        text = normalise(text)
        numbers |= numbers_in(text)
        dates |= dates_in(text)[0]
    return numbers, dates


def unsupported(text: str, seed_numbers: set[str], seed_dates: set) -> list[str]:
    """Return the numbers and dates in `text` that no seed has. A date without a year is
    supported by the same day and month in any year; a date with one needs that year; a month
    ("June 2023") needs a seed date in that month and year."""
    text = normalise(text)
    dates, rest = dates_in(text)
    missing = []
    for year, month, day in sorted(dates, key=str):
        if not any(m == month and (day is None or d == day) and (year is None or y == year) for y, m, d in seed_dates):
            missing.append(f"{year or '????'}-{month:02d}" + (f"-{day:02d}" if day else ""))
    missing += sorted(n for n in numbers_in(rest) if n not in seed_numbers)
    return missing


def spec_prose(path: Path) -> str:
    """Return a brief spec's own prose (`text:` sections and `judgements:`), Jinja expressions removed."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    parts = [s.get("text") or "" for s in spec.get("sections") or [] if isinstance(s, dict)]
    parts += [j for j in spec.get("judgements") or [] if isinstance(j, str)]
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", "\n".join(parts), flags=re.S)


@pytest.fixture(scope="module")
def seed_facts():
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS} (CI keeps shared/ beside the checkout)")
    return facts_of(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("path", sorted((REPO / "articles").glob("*.md")), ids=lambda p: p.name)
def test_every_number_and_date_in_a_sample_article_is_in_a_seed(path, seed_facts):
    assert unsupported(path.read_text(encoding="utf-8"), *seed_facts) == []


@pytest.mark.parametrize("path", sorted((REPO / "briefs").glob("*.yaml")), ids=lambda p: p.name)
def test_every_number_in_a_sample_brief_s_own_prose_is_in_a_seed(path, seed_facts):
    assert unsupported(spec_prose(path), *seed_facts) == []


def test_the_check_finds_an_invented_figure_or_date():
    """On fixtures of our own: what no seed says is reported, whatever its form."""
    seeds = facts_of(["Output rose 12.5% to 24,800 tonnes in Q1 2025, the board said on March 3, 2025."])
    assert unsupported("Output rose 12.5% to 24\u00a0800 tonnes in Q1 2025 (3 March 2025).", *seeds) == []
    assert unsupported("Output rose １２.５% to ２４,８００ tonnes.", *seeds) == []  # full-width digits
    assert unsupported("The board met on March 3.", *seeds) == []  # no year: the seed's day and month
    assert unsupported("Output rose 13% to 24,800 tonnes.", *seeds) == ["13"]
    assert unsupported("Output reached 24,900 tonnes by June 2023.", *seeds) == ["2023-06", "24900"]
    assert unsupported("The board met in March 2025.", *seeds) == []
    assert unsupported("published: 2025-03-04\n", *seeds) == ["2025-03-04"]
    assert unsupported("The board met on 3 March 2024.", *seeds) == ["2024-03-03"]
    assert unsupported("Projects [1, 2] run to (2026–2030).", *facts_of(["Sources 1 and 2."])) == ["2026", "2030"]


def test_the_sample_articles_invent_no_publication_date():
    """No seed states when it was published, so no sample article may give a `published` date."""
    for path in sorted((REPO / "articles").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---")[1]
        assert not re.search(r"^published:", front, re.M), path.name


# --- the Sources list -------------------------------------------------------------------------

def _sources(make_project, articles: dict[str, str]) -> list[str]:
    import reegen
    from reegen.model import plain_text

    ids = "; ".join(f"@{i}" for i in articles)
    spec = make_project(articles, f"""\
        title: T
        date: 2026-01-01
        articles: [{", ".join(articles)}]
        sections:
          - title: S
            text: "Claims [{ids}]."
        """)
    document = reegen.load_document(str(spec))
    return [plain_text(entry.children) for entry in document.sources]


def test_the_sources_list_never_passes_off_a_derived_title_or_inferred_field_as_stated(make_project):
    entries = _sources(make_project, {
        "stated": article_text("stated", title="Stated Title", publisher="Outlet", published="2025-07-11"),
        "derived": article_text("derived", title="A summary of the text", publisher="Outlet", published=None,
                                extra="provenance: {title: derived, publisher: inferred}"),
        "relay": article_text("relay", title="Relay", publisher=None, published=None,
                              extra="origin: [{name: Daily Paper, kind: state-affiliated, date: 2025-07-11}]"),
        "guessed": article_text("guessed", title="Guessed", publisher="Outlet", published="2025-05-01",
                                extra="provenance: {published: inferred}"),
    })
    assert entries[0] == "Outlet, Stated Title, 11 July 2025."
    assert entries[1] == "Outlet (publisher inferred), title not stated (summary: A summary of the text), undated."
    assert entries[2] == ("Publisher not stated, Relay, undated. "
                          "Relays a report by Daily Paper (state-affiliated) dated 11 July 2025.")
    assert entries[3] == "Outlet, Guessed, 1 May 2025 (date inferred)."


def test_the_sample_brief_shows_its_summary_titles_as_summaries_in_every_format(sample_project):
    """The marks live in the document model, so each writer prints them."""
    import json

    import reegen

    result = reegen.build(str(sample_project / "briefs" / "baotou-executive.yaml"), formats=["md", "json", "html"])
    for fmt in ("md", "json", "html"):
        text = result.outputs[fmt].read_text(encoding="utf-8")
        if fmt == "json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert "title not stated (summary: " in text, fmt
        assert "dated 11 July 2025" in text, fmt
        assert "(publisher inferred)" in text, fmt


def test_strict_validation_of_the_sample_reports_only_its_untraced_citations(sample_project):
    """What the README's "Strictness" section promises: the sample's one known problem (an
    article citing references it does not list) and nothing else, not even its missing dates."""
    import reegen

    specs = sorted(str(p) for p in (sample_project / "briefs").glob("*.yaml"))
    report = reegen.validate(specs, strict=True)
    problems = {(d.code, Path(d.location.path).name if d.location else None) for d in report}
    assert problems == {("citation.unresolved", "baotou-circular-chain.md")}
    assert report.errors  # strict turns them into errors: the gate fails, as documented
    assert not reegen.validate(specs).errors
