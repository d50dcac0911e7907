"""HTML body structure: tables kept as Markdown tables, sentence-like headings made paragraphs,
a heading that repeats the title dropped."""

from __future__ import annotations

import pytest

from reegen.corpus.parse import parse_sections
from reegen.errors import Report
from reegen.ingest import ingest_source
from reegen.ingest.html import is_sentence_like, normalise_table
from reegen.model import Table

_PARA = ("The lighthouse trust published its yearly accounts on Friday, showing that visitor numbers rose for the "
         "third year in a row while the cost of keeping the lamp and the keeper's cottage in repair also climbed.")
_PARA2 = ("Trustees said the shop and the guided climbs now pay for most of the upkeep, and that a grant from the "
          "county will cover the new railings on the gallery before the summer season opens to the public.")


def _page(inner: str, title: str = "Lighthouse visitors up again") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{_PARA}</p>{inner}<p>{_PARA2}</p></article></body></html>")


_TABLE = ("<table><thead><tr><th>Year</th><th>Visitors</th><th>Cost | GBP</th></tr></thead><tbody>"
          "<tr><td>2022</td><td>11,200</td><td>84,000</td></tr><tr><td>2023</td><td>12,950</td><td>91,500</td></tr>"
          "</tbody></table>")


def test_a_table_is_kept_as_a_markdown_table_the_corpus_reads_back():
    result = ingest_source(_page(_TABLE), "p.html")
    assert "| Year | Visitors | Cost \\| GBP |\n|---|---|---|\n| 2022 | 11,200 | 84,000 |" in result.text
    body = result.text.split("---\n", 2)[2].split("\n")
    report = Report()
    sections = parse_sections(body, 1, "a.md", "a", report)
    tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
    assert not report.diagnostics
    assert len(tables) == 1 and len(tables[0].header) == 3 and len(tables[0].rows) == 2
    again = ingest_source(result.text, "a.md")
    assert again.text == result.text  # the written table survives another ingest unchanged


def test_a_table_without_a_header_row_gets_one_and_ragged_rows_are_padded():
    table = normalise_table(["| a | b | ", "| c | d | e |"])
    assert table == "| a | b |  |\n|---|---|---|\n| c | d | e |"
    assert normalise_table(["|  |  |", "|---|---|"]) is None  # a layout table with no text


@pytest.mark.parametrize(("text", "sentence"), [
    ("What changed on the line", False),
    ("Open questions", False),
    ("The trust says visitor numbers rose again this year.", True),  # a standfirst
    ("A keeper climbs the stairs at dawn to check the lamp before the first boats leave the harbour", True),
    ("Costs rise.", False),  # short: a heading with a full stop is still a heading
])
def test_sentence_like_headings(text, sentence):
    assert is_sentence_like(text) == sentence


def test_sentence_like_headings_become_paragraphs_and_a_heading_repeating_the_title_goes():
    inner = ("<h2>Lighthouse visitors up again</h2>"
             "<h2>The trust says visitor numbers rose again this year, and the shop paid for most repairs.</h2>"
             "<h2>What the money pays for</h2>")
    result = ingest_source(_page(inner), "p.html")
    assert [s.title for s in result.draft.sections] == ["What the money pays for"]
    assert "\nThe trust says visitor numbers rose again this year, and the shop paid" in result.text
    assert "## The trust says" not in result.text and "## Lighthouse visitors" not in result.text
    details = [e.detail for e in result.report.of_kind("heading")]
    assert any("repeats the title" in d for d in details) and any("made a paragraph" in d for d in details)


def test_a_page_laid_out_with_a_table_keeps_its_text_as_paragraphs_not_a_table():
    layout = ("<table><tr><td></td><td>Home</td><td></td><td>News</td><td></td><td>Sport</td></tr></table>"
              "<table><tr><td>The keeper's cottage will open as a small museum next spring.</td></tr></table>")
    result = ingest_source(_page(layout), "p.html")
    assert "|---" not in result.text
    assert "\nThe keeper's cottage will open as a small museum next spring.\n" in result.text


@pytest.mark.parametrize(("rows", "data"), [
    ([["Year", "Visitors"], ["2022", "11,200"]], True),
    ([["Year", "Visitors"]], False),  # one row
    ([["Home"], ["News"]], False),  # one column
    ([["", "Home", "", "News", ""], ["", "Sport", "", "", ""]], False),  # mostly empty cells
])
def test_data_tables_are_told_from_layout_tables(rows, data):
    from reegen.ingest.html import is_data_table

    assert is_data_table(rows) == data
