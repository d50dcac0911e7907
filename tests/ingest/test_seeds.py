"""The five raw seeds (issue 3): titles, sections, metadata, repairs, boilerplate.

The seeds are read from shared/seeds at test time; expectations are checked against
their own lines or with short fragments, so their sentences are not copied here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pytest

from reegen.ingest import IngestResult, ingest_source
from reegen.ingest.repair import STAND_IN

from .conftest import seed_path

BOILERPLATE = (
    "Spread the word", "CATEGORIES", "Leave a Reply", "Your email address", "Required fields",
    "Comments", "No replies yet", "Loading new replies", "Moderator", "Join the full discussion",
    "opens in a new tab", "All Rights Reserved", "Source:", "Translated and reported", "Disclaimer:",
)


@lru_cache(maxsize=None)
def ingest_seed(prefix: str) -> IngestResult:
    path = seed_path(prefix)
    return ingest_source(path.read_bytes(), str(path))


def seed_lines(prefix: str) -> list[str]:
    return seed_path(prefix).read_text(encoding="utf-8").split("\n")


def section_titles(result: IngestResult) -> list[str]:
    return [s.title for s in result.draft.sections]


def kinds(result: IngestResult, kind: str) -> list:
    return result.report.of_kind(kind)


def highlight_levels(result: IngestResult) -> list[int]:
    return [b.level for b in result.draft.highlights]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_loses_all_boilerplate_lines_and_names_them(prefix):
    result = ingest_seed(prefix)
    for phrase in BOILERPLATE:
        assert phrase not in result.text, phrase
    body_lines = {line.strip() for line in seed_lines(prefix)}
    for entry in kinds(result, "boilerplate"):
        assert entry.line is not None
        assert seed_lines(prefix)[entry.line - 1].strip() in body_lines


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_has_a_title_that_is_never_highlights(prefix):
    title = ingest_seed(prefix).draft.title
    assert title and title.strip().lower() != "highlights"
    assert len(title) <= 140


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_seed_claims_a_publication_date(prefix):
    result = ingest_seed(prefix)
    assert result.draft.published is None
    assert "published:" not in result.text
    assert any(e.detail.startswith("published:") for e in kinds(result, "missing"))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_ingesting_what_reegen_wrote_changes_nothing(prefix):
    first = ingest_seed(prefix)
    again = ingest_source(first.text.encode("utf-8"), f"{first.article_id}.md")
    assert again.text == first.text


def test_seed_000_gets_a_derived_title_and_keeps_its_pull_quote():
    result = ingest_seed("000")
    first_line = seed_lines("000")[0]
    title = result.draft.title
    assert first_line.startswith(title) and title.endswith("factories") and len(title) <= 90
    assert kinds(result, "title")[0].detail.startswith("no title in the text; derived")
    assert section_titles(result) == []
    quotes = [b for b in result.draft.lead if b.kind == "quote"]
    assert len(quotes) == 1 and quotes[0].line == 7
    assert "\n> “" in result.text


def test_seed_000_markers_without_references_are_reported_not_invented():
    result = ingest_seed("000")
    assert "[1, 2]" in result.text and "[3]" in result.text
    assert result.draft.references == {}
    assert "references:" not in result.text
    assert sorted(e.detail.split("]")[0] for e in kinds(result, "citation")) == ["marker [1", "marker [2", "marker [3"]


def test_seed_001_sections_lead_ins_and_nested_highlights():
    result = ingest_seed("001")
    assert result.draft.title == seed_lines("001")[0].replace("-But", "—But")
    assert section_titles(result) == ["Key Developments", "Market Context", "Critical Analysis", "Some Final Notes"]
    assert highlight_levels(result) == [0, 0, 1, 1, 1, 0, 0]
    assert "\n  - " in result.text
    key = result.draft.sections[0].blocks
    assert [b.lead_in for b in key] == [
        "Full Lifecycle State Support", "Administrative Velocity", "Custom Support Models", "Financing Innovations"]
    assert "**Administrative Velocity.** Government" in result.text
    assert "VelocityGovernment" not in result.text
    assert len(kinds(result, "lead-in")) == 4
    assert len(result.draft.lead) == 2  # the paragraphs after the Highlights list
    assert result.text.index("## Highlights") > result.text.index("---\n", 4)


def test_seed_001_has_no_publisher_signal_and_says_so():
    result = ingest_seed("001")
    assert result.draft.publisher is None
    assert any(e.detail.startswith("publisher:") for e in kinds(result, "missing"))
    assert "\u00a0" not in result.text


def test_seed_002_publisher_origin_translation_and_caption():
    result = ingest_seed("002")
    draft = result.draft
    assert draft.publisher == "Rare Earth Exchanges"
    assert draft.origin == [{"name": "Baogang Daily", "kind": "state-affiliated", "translated": True}]
    assert section_titles(result) == ["Planning Intensifies", "Critical Implications for Western Supply Chains"]
    lines = seed_lines("002")
    caption_line = lines.index("Source: Baogang Group") - 1
    while not lines[caption_line].strip():
        caption_line -= 1
    caption = lines[caption_line].strip()
    assert caption not in result.text
    assert [e.line for e in kinds(result, "caption")] == [caption_line + 1]
    assert "the two-year" in result.text and "thetwo" not in result.text
    assert "with “global" in result.text
    assert "fragmented, market-based" in result.text


def test_seed_003_stand_ins_become_the_right_punctuation():
    result = ingest_seed("003")
    assert STAND_IN not in result.text
    for fragment in ("China’s", "city’s “strategic engine” for", "demand—especially", "Baotou’s flagship assets—most",
                     "(“middle test”)", "mining—or even processing—but", "What’s New—and Why"):
        assert fragment in result.text, fragment
    stand_ins = seed_path("003").read_text(encoding="utf-8").count(STAND_IN)
    assert len(kinds(result, "encoding")) == stand_ins


def test_seed_003_sections_disclaimer_and_nesting():
    result = ingest_seed("003")
    assert section_titles(result) == ["What’s New—and Why It Matters", "The Strategic Signal for the West"]
    assert highlight_levels(result) == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0]
    assert len(result.draft.disclaimers) == 1
    disclaimer = result.draft.disclaimers[0]
    assert "and state-affiliated" in disclaimer and "and projected" in disclaimer
    assert "disclaimers:" in result.text
    assert not result.draft.title.startswith("Highlights")
    bullets = [b for b in result.draft.sections[0].blocks if b.kind == "bullet"]
    assert len(bullets) == 3


def test_seed_004_publisher_from_copyright_and_origin_date_not_published():
    result = ingest_seed("004")
    draft = result.draft
    assert draft.publisher == "Rare Earth Exchanges"
    # kind from the sources registry; the relayed report's date kept in its origin entry
    assert draft.origin == [{"name": "Baogang Daily", "kind": "state-affiliated", "date": dt.date(2025, 7, 11)}]
    assert "  date: 2025-07-11" in result.text
    assert draft.provenance == {"title": "derived", "publisher": "inferred"}  # from the first highlight, the copyright line
    assert draft.published is None
    assert any("dated 2025-07-11" in e.detail for e in kinds(result, "metadata"))
    assert section_titles(result) == ["Strategic Implications, Meanings"]
    assert "into ideological" in result.text
    assert len(result.draft.lead) == 3
    first_highlight = draft.highlights[0].text
    assert first_highlight.startswith(draft.title)


def test_report_lines_read_path_line_kind_detail():
    result = ingest_seed("003")
    path = str(seed_path("003"))
    lines = result.report.lines()
    assert any(line.startswith(f"{path}:12: encoding: ") for line in lines)
    assert any(line.startswith(f"{path}: missing: publisher") for line in lines)
    numbered = [e.line for e in result.report.sorted() if e.line is not None]
    assert numbered == sorted(numbered)


def test_seed_001_relays_baogang_group_media_as_a_state_owned_origin():
    result = ingest_seed("001")
    assert {"name": "Baogang Group", "kind": "state-owned"} in result.draft.origin
    assert any("Baogang Group" in e.detail for e in kinds(result, "origin"))


def test_seed_003_generic_state_sources_become_one_unnamed_state_affiliated_origin():
    result = ingest_seed("003")
    [origin] = result.draft.origin
    assert origin["kind"] == "state-affiliated" and "not named" in origin["name"]
    assert result.draft.provenance.get("origin") == "inferred"  # reegen named it, the text did not


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_seed_line_turns_into_a_byline_or_loses_its_prose(prefix):
    result = ingest_seed(prefix)
    assert not kinds(result, "byline")
    assert result.draft.author is None
