"""The HTML page and the Markdown in the house style: word-boundary wrapping, column alignment, markers."""

from __future__ import annotations

import re

from reegen.model import Document, Link, Meta, Paragraph, SourceEntry, SourcesList, Table, Text
from reegen.writers import WriteOptions, _house as house, get_writer

TABLE = Table(header=((Text("What"),), (Text("Value"),), (Text("Source"),)),
              rows=(((Text("Loans extended"),), (Text("¥110 million"),), (Text("[1]"),)),
                    ((Text("Archive"),), (Link("https://example.org/" + "a" * 80, (Text("https://example.org/" + "a" * 80),)),),
                     (Text("[2]"),))),
              widths=(3, 1, 1), align=("left", "right", "center"))


def page(*blocks, title: str = "Brief") -> str:
    document = Document(Meta(title=title), tuple(blocks))
    return get_writer("html").write(document, WriteOptions()).decode("utf-8")


def markdown(*blocks) -> str:
    out = get_writer("md").write(Document(Meta(title="Brief"), tuple(blocks)), WriteOptions())
    return out.decode("utf-8") if isinstance(out, bytes) else out


def css(html: str) -> str:
    return html[html.index("<style>"): html.index("</style>")]


def test_html_cells_wrap_at_word_boundaries_and_only_an_address_may_break_anywhere():
    html = page(TABLE)
    rules = css(html)
    anywhere = re.findall(r"([^{}]+)\{[^}]*overflow-wrap:\s*anywhere", rules)
    assert [selector.strip() for selector in anywhere] == [".url"]
    assert re.search(r"td[^{]*\{[^}]*overflow-wrap:\s*break-word", rules)
    assert '<a class="url" href="https://example.org/' in html


def test_a_link_with_words_for_text_is_not_marked_as_an_address():
    html = page(Paragraph((Link("https://example.org/zone", (Text("the zone’s statement"),)),)))
    assert '<a href="https://example.org/zone">the zone’s statement</a>' in html


def test_html_cells_follow_table_align_and_the_relative_widths():
    html = page(TABLE)
    assert '<th scope="col" class="r">Value</th>' in html and '<td class="r">¥110 million</td>' in html
    assert '<th scope="col" class="c">Source</th>' in html
    assert '<th scope="col">What</th>' in html
    assert '<col style="width:60.0%">' in html
    assert re.search(r"td\.r[^{]*\{[^}]*text-align:\s*right", css(html))


def test_html_takes_the_house_font_colours_markers_and_bullets():
    entries = SourcesList((SourceEntry(1, (Text("One."),)),))
    html = page(Paragraph((Text("Claim"),), numbers=(1,)), entries, title="Reporting — dossier")
    rules = css(html)
    assert re.search(r'body \{[^}]*font:[^;]*"DejaVu Sans"', rules)
    assert house.CLASSIFICATION in rules and house.INK in rules
    assert f".src {{ font-size: {house.MARKER_SCALE}em" in rules
    assert 'ul ul { list-style-type: "\\2013  "; }' in rules
    assert "Claim\u00a0<span class=\"src\"" in html  # the marker stays with its word
    assert "<h1>Reporting —\u00a0dossier</h1>" in html


def test_markdown_alignment_row_follows_table_align():
    md = markdown(TABLE)
    assert "| --- | ---: | :---: |" in md
    plain = markdown(Table(header=((Text("A"),), (Text("B"),)), rows=(((Text("1"),), (Text("2"),)),)))
    assert "| --- | --- |" in plain
