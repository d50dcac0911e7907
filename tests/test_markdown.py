"""Tests for reading Markdown into the model and escaping text for templates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reegen.errors import Report
from reegen.markdown import is_safe_url, md_escape, parse_markdown
from reegen.model import (
    BulletList, Cite, Code, Emph, Heading, LineBreak, Link, ListItem, Marker, Paragraph, Quote,
    Rule, SourceRef, Strong, Table, Text, plain_text, slugify, walk,
)
from reegen.text import normalize_space, sanitize_text


def only(blocks):
    """Return the one block of `blocks`."""
    assert len(blocks) == 1, blocks
    return blocks[0]


def inlines(markdown: str, **kwargs):
    """Return the inlines of the single paragraph `markdown` parses to."""
    block = only(parse_markdown(markdown, **kwargs))
    assert isinstance(block, Paragraph)
    return block.children


# --------------------------------------------------------------------------- blocks


def test_block_kinds_map_to_model_blocks():
    md = "# Title\n\nText.\n\n- a\n- b\n\n1. one\n\n> quoted\n\n| h1 | h2 |\n| --- | --- |\n| c1 | c2 |\n\n---\n"
    assert parse_markdown(md) == (
        Heading(1, (Text("Title"),), "title"),
        Paragraph((Text("Text."),)),
        BulletList((ListItem((Paragraph((Text("a"),)),)), ListItem((Paragraph((Text("b"),)),)))),
        BulletList((ListItem((Paragraph((Text("one"),)),)),), ordered=True),
        Quote((Paragraph((Text("quoted"),)),)),
        Table(((Text("h1"),), (Text("h2"),)), (((Text("c1"),), (Text("c2"),)),)),
        Rule(),
    )


def test_heading_anchor_is_the_slug_of_its_text():
    heading = only(parse_markdown("## Key *developments* in 2025"))
    assert heading == Heading(2, (Text("Key "), Emph((Text("developments"),)), Text(" in 2025")), "key-developments-in-2025")


def test_setext_heading_is_a_heading():
    assert only(parse_markdown("Outlook\n=======\n")) == Heading(1, (Text("Outlook"),), "outlook")


def test_nested_list_stays_nested():
    block = only(parse_markdown("- outer\n  - inner\n"))
    assert block == BulletList((ListItem((
        Paragraph((Text("outer"),)),
        BulletList((ListItem((Paragraph((Text("inner"),)),)),)),
    )),))


def test_table_rows_are_padded_to_the_header_width():
    table = only(parse_markdown("| a | b |\n| - | - |\n| 1 |\n"))
    assert table == Table(((Text("a"),), (Text("b"),)), (((Text("1"),), ()),))


def test_escaped_pipe_inside_a_table_cell_is_text():
    table = only(parse_markdown("| a \\| b | `x \\| y` |\n| - | - |\n"))
    assert table.header == ((Text("a | b"),), (Code("x | y"),))


def test_code_block_and_fence_become_a_paragraph_of_one_code():
    assert parse_markdown("```python\nx = 1\ny = 2\n```\n\n    indented\n") == (
        Paragraph((Code("x = 1\ny = 2"),)),
        Paragraph((Code("indented"),)),
    )


def test_image_becomes_its_alt_text():
    assert inlines("See ![the *magnet* plant](plant.png) here.") == (Text("See the magnet plant here."),)


def test_blank_paragraph_is_dropped():
    assert parse_markdown("\u3000\n") == ()


# --------------------------------------------------------------------------- inlines


def test_inline_styles_map_to_strong_emph_code_and_line_break():
    assert inlines("**bold** and *it* `code`  \nnext") == (
        Strong((Text("bold"),)), Text(" and "), Emph((Text("it"),)), Text(" "), Code("code"), LineBreak(), Text("next"),
    )


def test_soft_break_becomes_one_space_in_one_text():
    assert inlines("first line\nsecond line") == (Text("first line second line"),)


@pytest.mark.parametrize("text", ["S&P 500", "AT&T <b>bold</b>", "0.1 < x > 0.05", "<script>alert(1)</script>"])
def test_html_and_ampersands_stay_literal_text(text):
    assert inlines(text) == (Text(text),)


def test_entities_are_decoded_to_their_characters():
    assert inlines("S&amp;P &lt;b&gt;") == (Text("S&P <b>"),)


def test_entity_cannot_smuggle_an_invisible_character():
    assert inlines("a&#x200B;b") == (Text("ab"),)


def test_control_characters_are_removed_and_reported():
    report = Report()
    assert inlines("a\x0bb", path="x.md", line_offset=4, report=report) == (Text("ab"),)
    assert [(d.code, str(d.location)) for d in report] == [("text.removed-char", "x.md:5:2")]


@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org", "mailto:desk@example.org"])
def test_http_https_and_mailto_links_are_links(url):
    assert inlines(f"[site]({url})") == (Link(url, (Text("site"),)),)


def test_autolink_is_a_link():
    assert inlines("<https://example.org>") == (Link("https://example.org", (Text("https://example.org"),)),)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x"])
def test_dangerous_scheme_links_are_not_links(target):
    result = inlines(f"[click]({target})")
    assert not any(isinstance(n, Link) for n in result)
    assert plain_text(result) == f"[click]({target})"


@pytest.mark.parametrize("target", ["#source-3", "relative/page.md", "pdf:x", "jav&#x09;ascript:alert(1)", "java%73cript:alert(1)"])
def test_relative_and_unknown_scheme_links_keep_only_their_text_and_warn(target):
    report = Report()
    result = inlines(f"Intro\n[**click**]({target}) now", path="briefs/x.md", line_offset=10, report=report)
    assert result == (Text("Intro "), Strong((Text("click"),)), Text(" now"))
    assert [(d.code, str(d.location)) for d in report] == [("markdown.unsafe-link", "briefs/x.md:12")]


def test_is_safe_url_reads_the_scheme_past_encoding_and_invisible_characters():
    assert is_safe_url("HTTPS://example.org")
    assert not is_safe_url("java%0Ascript:alert(1)")
    assert not is_safe_url(" \x01javascript:alert(1)")
    assert not is_safe_url("//example.org/x")


def test_many_refused_links_in_one_paragraph_stay_one_text():
    result = inlines("[a](#x) " * 20_000)
    assert result == (Text(("a " * 20_000).rstrip()),)


# --------------------------------------------------------------------------- citations and markers


def test_citation_names_one_or_more_articles():
    assert inlines("As reported [@baotou-high-tech-zone] and [@a.b_c; @d-e].") == (
        Text("As reported "), Cite(("baotou-high-tech-zone",)), Text(" and "), Cite(("a.b_c", "d-e")), Text("."),
    )


def test_citation_origin_names_the_file_line_after_the_offset():
    result = inlines("Intro line\nsecond [@x]", path="templates/brief.md.j2", line_offset=6)
    assert result[-1] == Cite(("x",), origin="templates/brief.md.j2:8")


def test_citation_spread_over_a_line_break_is_one_citation():
    assert inlines("[@a;\n@b]") == (Cite(("a", "b")),)


def test_markers_become_markers_of_the_article():
    assert inlines("Output rose [1] and [2, 3] then [4-6] and [7–8].", article_id="art") == (
        Text("Output rose "), Marker("art", ("1",)), Text(" and "), Marker("art", ("2", "3")),
        Text(" then "), Marker("art", ("4", "5", "6")), Text(" and "), Marker("art", ("7", "8")), Text("."),
    )


def test_markers_stay_text_without_an_article():
    assert inlines("Output rose [1, 2].") == (Text("Output rose [1, 2]."),)


def test_reversed_or_huge_ranges_stay_text():
    assert inlines("[5-2] [1-5000]", article_id="art") == (Text("[5-2] [1-5000]"),)


@pytest.mark.parametrize("text", ["\\[1\\]", "\\[1]", "[1\\]", "\\[@x\\]", "\\[@x]", "&#91;1]", "[&#64;x]", "[1\\-3]"])
def test_escaped_brackets_stay_literal_text(text):
    result = inlines(text, article_id="art")
    assert all(isinstance(n, Text) for n in result), result


def test_escaped_bracket_beside_a_real_marker_leaves_the_marker():
    assert inlines("\\[[1]", article_id="art") == (Text("["), Marker("art", ("1",)))


def test_escaped_underscore_inside_an_article_id_still_cites():
    assert inlines("[@a-\\_b\\_-c]") == (Cite(("a-_b_-c",)),)


def test_text_in_code_spans_is_never_a_citation_or_marker():
    assert inlines("`[1]` and `[@x]`", article_id="art") == (Code("[1]"), Text(" and "), Code("[@x]"))


def test_markers_inside_emphasis_links_and_table_cells_are_found():
    assert inlines("*see [1]* [x [2]](https://e.org)", article_id="art") == (
        Emph((Text("see "), Marker("art", ("1",)))), Text(" "),
        Link("https://e.org", (Text("x "), Marker("art", ("2",)))),
    )
    table = only(parse_markdown("| a [3] |\n| - |\n", article_id="art"))
    assert table.header == ((Text("a "), Marker("art", ("3",))),)


# --------------------------------------------------------------------------- sources


def test_article_blocks_carry_source_with_the_file_line():
    md = "Lead.\n\n- one\n- two\n\n> quote\n"
    blocks = parse_markdown(md, article_id="art", section="lead", line_offset=7)
    lead, bullets, quote = blocks
    assert lead.source == SourceRef("art", "lead", 8)
    assert [item.source.line for item in bullets.items] == [10, 11]
    assert bullets.items[1].blocks[0].source == SourceRef("art", "lead", 11)
    assert quote.source == SourceRef("art", "lead", 13)
    assert quote.blocks[0].source == SourceRef("art", "lead", 13)


def test_blocks_carry_no_source_without_an_article():
    blocks = parse_markdown("Text.\n\n- one\n\n> q\n")
    assert all(getattr(b, "source", None) is None for b in walk(blocks))


# --------------------------------------------------------------------------- size and depth


def test_deep_quote_nesting_is_bounded_by_the_parser():
    blocks = parse_markdown(">" * 100_000 + " deep")
    depth = 0
    block = blocks[0]
    while isinstance(block, Quote) and block.blocks:
        depth += 1
        block = block.blocks[0]
    assert depth <= 20


def test_one_megabyte_paragraph_parses_to_one_paragraph():
    text = "word \\[1\\] [2] *x* " * 60_000
    paragraph = only(parse_markdown(text, article_id="art"))
    assert sum(isinstance(n, Marker) for n in paragraph.children) == 60_000


def test_fifty_thousand_item_list_parses():
    block = only(parse_markdown("- item\n" * 50_000))
    assert len(block.items) == 50_000


# --------------------------------------------------------------------------- md_escape


@pytest.mark.parametrize("text", [
    "S&P 500", "<b>", "0.1 < x", "# not a heading", "1. not a list", "2) nor this", "- nor this", "+ nor this",
    "> not a quote", "---", "***", "___", "=====", "| a | b |", "```", "~~~", "    not code", "[x](javascript:alert(1))",
    "*not emphasis*", "__nor this__", "[@article]", "[1]", "[1, 2]", "&amp; stays", "![img](x.png)", "<https://e.org>",
    "back\\slash", "trailing backslash\\", "line\nbreak", "[!NOTE]", "a  \nb",
])
def test_md_escape_keeps_markdown_syntax_as_text(text):
    paragraph = only(parse_markdown(md_escape(text), article_id="art"))
    assert paragraph.children == (Text(normalize_space(text)),)


@pytest.mark.parametrize("text", ["===", "---", "- item", "1. item", "# heading", "> quote", "| a |\n| - |"])
def test_md_escape_at_the_start_of_a_template_line_starts_nothing(text):
    template = "Intro line\n" + md_escape(text) + "\n"
    paragraph = only(parse_markdown(template))
    assert paragraph.children == (Text("Intro line " + normalize_space(text)),)


def test_md_escape_values_side_by_side_do_not_combine_into_markup():
    rendered = md_escape("1") + md_escape(". item") + md_escape(" [@x") + md_escape("]")
    assert inlines(rendered) == (Text("1. item [@x]"),)


def test_md_escape_inside_a_table_cell_stays_in_its_cell():
    table = only(parse_markdown(f"| {md_escape('a | b')} | c |\n| - | - |\n"))
    assert table.header == ((Text("a | b"),), (Text("c"),))


@settings(max_examples=300)
@given(st.text())
def test_md_escape_of_any_text_parses_back_to_that_text(text):
    expected = normalize_space(sanitize_text(text)[0])
    blocks = parse_markdown(md_escape(text), article_id="art")
    if not expected:
        assert blocks == ()
        return
    paragraph = only(blocks)
    assert isinstance(paragraph, Paragraph)
    assert all(isinstance(n, Text) for n in paragraph.children)
    assert normalize_space(plain_text(paragraph.children)) == expected


@settings(max_examples=300)
@given(st.lists(st.text(), max_size=4), st.booleans())
def test_md_escaped_values_side_by_side_at_a_line_start_parse_back_to_their_text(parts, after_a_line):
    prefix = "Intro\n" if after_a_line else ""
    expected = normalize_space(("Intro " if after_a_line else "") + "".join(sanitize_text(p)[0] for p in parts))
    blocks = parse_markdown(prefix + "".join(md_escape(p) for p in parts) + "\n", article_id="art")
    if not expected:
        assert blocks == ()
        return
    paragraph = only(blocks)
    assert all(isinstance(n, Text) for n in paragraph.children)
    assert normalize_space(plain_text(paragraph.children)) == expected


def _slug_by_hand(text: str) -> str:
    """Slugs as they were first written: one character at a time."""
    out, dash = [], False
    for ch in text.lower():
        if ch in "'’‘\"“”":
            continue
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


@pytest.mark.parametrize("text, slug", [
    ("Key developments", "key-developments"),
    ("What’s new — and why it matters", "whats-new-and-why-it-matters"),
    ("  __Q1 2025: ¥110 million__ ", "q1-2025-110-million"),
    ("包头 稀土", "包头-稀土"),
    ("'’“”", ""),
])
def test_slugs_are_runs_of_letters_and_digits_joined_by_hyphens(text, slug):
    assert slugify(text) == slug == _slug_by_hand(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_slugs_of_any_text_are_what_the_character_by_character_rule_gives(text):
    assert slugify(text) == _slug_by_hand(text)
