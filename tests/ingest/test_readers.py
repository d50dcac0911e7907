"""Readers on our own fixtures: HTML, mojibake, references, CJK, CRLF/BOM, no title, Markdown."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from reegen.errors import ArticleError
from reegen.ingest import Overrides, ingest_source, parse_source, render_article

from .conftest import FIXTURES


def ingest_fixture(name: str, **kwargs):
    path = FIXTURES / name
    return ingest_source(path.read_bytes(), str(path), **kwargs)


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_every_fixture_ingests_again_to_the_same_bytes(name):
    first = ingest_fixture(name)
    again = ingest_source(first.text.encode("utf-8"), f"{first.article_id}.md")
    assert again.text == first.text


def test_html_main_content_metadata_and_structure():
    result = ingest_fixture("page.html")
    draft = result.draft
    assert draft.title == "Smelter in Harbour Town switches to recycled feed"
    assert (draft.publisher, draft.author, draft.published) == ("Northern Metals Review", "Ada Fenwick", dt.date(2025, 5, 14))
    assert draft.url == "https://metals.example.org/news/harbour-town-smelter"
    assert [s.title for s in draft.sections] == ["What changed on the line", "Open questions"]
    blocks = draft.sections[0].blocks
    assert [b.level for b in blocks if b.kind == "bullet"] == [0, 0, 1, 1, 0]
    assert "**Cost picture.** Managers declined" in result.text
    assert "> “We stopped thinking" in result.text
    for furniture in ("Home", "Subscribe", "Leave a Reply", "Post Comment", "All rights reserved", "Share on"):
        assert furniture not in result.text
    assert "plant’s need" in result.text  # &rsquo; decoded by the extractor, kept curly


def test_cp1252_mojibake_is_repaired_with_typography_kept():
    result = ingest_fixture("mojibake_cp1252.txt")
    assert "â€" not in result.text and "Ã" not in result.text
    assert "The port’s board approved a “long-term” supply deal — worth €40 million — with a café-owning" in result.text
    assert [e.line for e in result.report.of_kind("mojibake")] == [3, 4]


def test_a_file_saved_as_cp1252_is_decoded_and_reported():
    result = ingest_fixture("saved_as_cp1252.txt")
    assert "harbour’s operator" in result.text and "“before the end of the year”" in result.text
    assert result.report.of_kind("decoding")[0].detail.startswith("not valid UTF-8; read as Windows-1252")


def test_numbered_references_go_to_front_matter_and_missing_ones_are_reported():
    result = ingest_fixture("references.txt")
    refs = front(result.text)["references"]
    assert refs[1] == {"title": "Refinery completes second extraction hall", "publisher": "Harbour Ledger",
                       "url": "https://ledger.example.org/refinery-hall", "date": dt.date(2025, 3, 3)}
    assert refs[2]["title"] == "Solvent extraction explained for non-chemists"
    assert refs[2]["publisher"] == "Metals Primer Weekly"
    assert refs[3] == {"title": "Winter supply outlook", "publisher": "Regional Grid Bulletin", "date": dt.date(2025, 1, 9)}
    assert "References" not in result.text.split("---\n", 2)[2]
    assert "[1, 2]" in result.text and "[4]" in result.text
    citations = result.report.of_kind("citation")
    assert [(e.line, e.detail.split(" has")[0]) for e in citations] == [(7, "marker [4]")]


def test_cjk_text_keeps_full_width_punctuation_and_mojibake_is_undone():
    result = ingest_fixture("cjk.txt")
    assert result.draft.title == "包头稀土园区推出新政策"
    assert "，" in result.text and "（规模约十亿元）" in result.text and "：“我们希望吸引更多下游企业。”" in result.text
    assert "分析人士认为，政策能否落实仍有待观察。" in result.text
    assert [len(result.draft.highlights), len(result.draft.lead)] == [2, 2]
    assert result.article_id == "cjk"  # no ASCII in the title: the file name gives the id


def test_crlf_bom_nbsp_zero_width_and_soft_hyphens_are_normalised():
    result = ingest_fixture("crlf_bom_invisible.txt")
    for char in ("\r", "\ufeff", "\u00a0", "\u200b", "\u00ad"):
        assert char not in result.text
    assert "river capacity by a third" in result.text and "A spokesperson said the new barges are built" in result.text
    details = [e.detail for e in result.report.of_kind("whitespace")]
    assert "byte-order mark removed" in details and "CRLF line endings converted to LF" in details
    assert result.draft.title == "River Barge Fleet Expands"


def test_an_article_without_a_title_gets_one_from_its_first_sentence():
    result = ingest_fixture("no_title.txt")
    title = result.draft.title
    assert title == "A small magnet workshop on the edge of the valley has started selling its motors"
    assert result.report.of_kind("title")[0].line == 1
    assert len(result.draft.lead) == 3  # the first line stays in the body


def test_markdown_without_front_matter_keeps_its_structure():
    result = ingest_fixture("markdown_plain.md")
    draft = result.draft
    assert draft.title == "Tailings pond study finds lower leakage than feared"
    assert [s.title for s in draft.sections] == ["Method", "Findings"]
    assert draft.sections[0].blocks[0].text == "Sensors were placed at twelve points around the rim. Readings were taken every hour."
    assert [b.level for b in draft.sections[1].blocks] == [0, 0, 1, 1]


def test_markdown_front_matter_is_kept_and_unknown_keys_survive():
    text = (
        "---\nid: my-note\ntitle: A short note\npublisher: Field Desk\npublished: 2025-02-01\n"
        "tags: [ore, rail]\nsummary_by: intern\n---\n"
        "Opening words of the note.\n\n## Detail\n\n**First point.** It matters.\n\n> “Said once”\n"
    )
    result = ingest_source(text, "note.md")
    meta = front(result.text)
    assert list(meta) == ["id", "title", "publisher", "published", "tags", "summary_by"]
    assert meta["published"] == dt.date(2025, 2, 1)
    assert result.text.split("---\n", 2)[2] == text.split("---\n", 2)[2]


def test_markdown_with_unclosed_front_matter_is_an_error_with_a_location():
    with pytest.raises(ArticleError) as info:
        ingest_source("---\ntitle: x\nbody\n", "broken.md")
    assert str(info.value.location) == "broken.md:1"


def test_overrides_replace_what_the_text_says():
    draft, report = parse_source((FIXTURES / "page.html").read_bytes(), "page.html",
                                 overrides=Overrides(id="smelter", title="Recycled feed", publisher="Desk",
                                                     published=dt.date(2025, 6, 1), tags=("recycling", "magnets")))
    text = render_article(draft)
    assert front(text)["id"] == "smelter" and front(text)["tags"] == ["recycling", "magnets"]
    assert (draft.title, draft.publisher, draft.published) == ("Recycled feed", "Desk", dt.date(2025, 6, 1))
    assert len(report.of_kind("override")) == 5
    assert not [e for e in report.of_kind("missing") if "publish" in e.detail]


def test_a_file_that_is_only_boilerplate_is_an_error():
    with pytest.raises(ArticleError):
        ingest_source("Leave a Reply\n\nSpread the word:\n", "empty.txt")


def test_the_writer_is_deterministic_and_dates_load_back_as_dates():
    first = ingest_fixture("references.txt")
    assert render_article(first.draft) == first.text
    assert isinstance(front(first.text)["references"][1]["date"], dt.date)
