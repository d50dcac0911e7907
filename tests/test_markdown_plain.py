"""Plain text (paragraphs, lists of one-line items) read without markdown-it reads as markdown-it reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reegen.errors import Report
from reegen.markdown import _parser, _plain_blocks, _Reader, parse_markdown
from reegen.model import BulletList, ListItem, Marker, Paragraph, SourceRef, Text
from reegen.text import sanitize_text

ARTICLE = {"path": "articles/a.md", "line_offset": 10, "article_id": "a", "section": "lead"}


def through_markdown_it(text: str, *, path=None, line_offset=0, article_id=None, section=None):
    """Return the blocks of `text` as markdown-it's tokens make them."""
    reader = _Reader(path, line_offset, article_id, section, Report())
    blocks, _ = reader.blocks(_parser().parse(sanitize_text(text)[0]), 0, None)
    return tuple(blocks)


def is_plain(text: str) -> bool:
    return _plain_blocks(sanitize_text(text)[0]) is not None


@pytest.mark.parametrize("text", [
    "One paragraph.",
    "First line\nsecond line [1].\n\nAnother paragraph [1, 2] citing [@other-article; @b].\n",
    "\n\nLead after empty lines.\n\n\n",
    "- Item one [1]\n- Item two\n\nText after the list.\n\n- Another list",
    "Text before.\n\n- Only item\n",
    "Caf\u00e9 in Zh\u014dngsh\u0101n, 5% [x] (brackets) and [links] left as text.",
    "Words [not a marker] and [1-3] and [4\u20136].",
])
def test_plain_text_reads_as_markdown_it_reads_it(text):
    assert is_plain(text)
    for kwargs in ({}, ARTICLE):
        assert parse_markdown(text, **kwargs) == through_markdown_it(text, **kwargs)


@pytest.mark.parametrize("text", [
    "- a\n\n- b",  # one loose list
    "Text\n- item",  # an item ending a paragraph
    "- item\nlazy continuation",
    "Hard break  \nnext",
    "  Indented",
    "    code",
    "**bold** text",
    "a [link](http://x.org)",
    "Title\n===",
    "Title\n---",
    "* star item",
    "1. ordered",
    "> quote",
    "| a | b |\n|---|---|",
    "Entity &amp; here",
    "Tab\there",
    "[1]: http://x.org\n\nText [1]",
    "Wow!",
    "-  two spaces",
    "- ",
])
def test_text_that_may_be_markup_is_left_to_markdown_it(text):
    assert not is_plain(text)
    assert parse_markdown(text, **ARTICLE) == through_markdown_it(text, **ARTICLE)


def test_plain_blocks_carry_the_file_line_of_each_block_and_item():
    blocks = parse_markdown("Lead text [1].\n\n- First\n- Second\n", **ARTICLE)
    lead, items = blocks
    assert lead == Paragraph((Text("Lead text "), Marker("a", ("1",)), Text(".")),
                             SourceRef("a", "lead", 11, "articles/a.md"))
    assert isinstance(items, BulletList) and not items.ordered
    assert [item.source.line for item in items.items] == [13, 14]
    assert items.items[1] == ListItem((Paragraph((Text("Second"),), SourceRef("a", "lead", 14, "articles/a.md")),),
                                      SourceRef("a", "lead", 14, "articles/a.md"))


LINE = st.builds(
    lambda start, words, end: start + " ".join(words) + end,
    st.sampled_from(["", "", "- ", "- ", "-  ", "* ", "1. ", "> ", "  ", "    ", "# ", "[1]: http://x "]),
    st.lists(st.sampled_from(["Alpha", "beta", "[1]", "[2, 3]", "[@x-y]", "[", "]", "(x)", "](", "#", "|", "-", "---",
                              "+", "1.", ">", "=", "x:", "\u00e9", "\u201cq\u201d", "5%", "\u00a0", "&", "*", "_", "!"]),
             min_size=1, max_size=6),
    st.sampled_from(["", "", "", " ", "  ", "\u00a0", "\\"]),
)
DOCUMENT = st.lists(st.tuples(LINE, st.sampled_from(["\n", "\n", "\n\n", "\n\n\n", "\n \n"])), min_size=1, max_size=8).map(
    lambda pairs: "".join(line + gap for line, gap in pairs))


@settings(max_examples=400, deadline=None)
@given(DOCUMENT)
def test_any_text_reads_as_markdown_it_reads_it(text):
    assert parse_markdown(text, **ARTICLE) == through_markdown_it(text, **ARTICLE)


NEARLY_PLAIN_LINE = st.builds(
    lambda start, words, end: start + " ".join(words) + end,
    st.sampled_from(["", "", "", "- ", "- ", " ", "-  "]),
    st.lists(st.sampled_from(["Alpha", "beta", "[1]", "[@x-y]", "5%", "\u00e9"]), min_size=1, max_size=4),
    st.sampled_from(["", "", "", " ", "  ", "\u00a0"]),
)
NEARLY_PLAIN = st.lists(st.tuples(NEARLY_PLAIN_LINE, st.sampled_from(["\n", "\n", "\n\n", "\n \n"])), min_size=1,
                        max_size=6).map(lambda pairs: "".join(line + gap for line, gap in pairs))


@settings(max_examples=400, deadline=None)
@given(NEARLY_PLAIN)
def test_text_plain_or_nearly_reads_as_markdown_it_reads_it(text):
    assert parse_markdown(text, **ARTICLE) == through_markdown_it(text, **ARTICLE)
