"""Markdown into the model (`parse_markdown`) and plain text into Markdown (`md_escape`).

Templates render Markdown; article bodies are Markdown. Both reach the model only through
`parse_markdown`, which reads CommonMark plus GFM tables with raw HTML off and the
typographer off (its smart quotes are quadratic). Citations `[@article-id]` and an
article's own markers `[1, 2]` become `Cite` and `Marker` inlines; the same brackets
written with a backslash (`\\[1\\]`) or as entities stay literal text.

`md_escape` is the other half: Jinja's `finalize`, so that text interpolated into a
template can never become structure (a heading, a list, a link, a citation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import Location, Report
from .model import (
    Block, BulletList, Cite, Code, Emph, Heading, Inline, LineBreak, Link, ListItem, Marker,
    Paragraph, Quote, Rule, SourceRef, Strong, Table, Text, plain_text, slugify,
)
from .text import sanitize_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["parse_markdown", "md_escape", "Trusted", "is_safe_url", "SAFE_SCHEMES", "ARTICLE_ID"]

#: link schemes a brief may carry; everything else is printed as text
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: an article id as a citation may name it: letters, digits, `_`, `.` and internal `-`
ARTICLE_ID = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?"

_NUMBER = r"[0-9]{1,4}"
_RANGE = rf"{_NUMBER}(?:[ \t]*[-\u2013][ \t]*{_NUMBER})?"
_BRACKETS = re.compile(
    rf"\[(?:@(?P<cite>{ARTICLE_ID}(?:[ \t]*;[ \t]*@{ARTICLE_ID})*)"
    rf"|(?P<marker>{_RANGE}(?:[ \t]*,[ \t]*{_RANGE})*))\]"
)
_CITE_ID = re.compile(ARTICLE_ID)
_MARKER_PART = re.compile(rf"({_NUMBER})(?:[ \t]*[-\u2013][ \t]*({_NUMBER}))?")
# A range such as [1-9999] would otherwise expand into thousands of labels.
_MAX_RANGE = 100

# Whatever can start structure somewhere in a line; all of it is ASCII punctuation,
# which CommonMark lets a backslash escape anywhere.
_ESCAPE = re.compile(r"[\\`*_\[\]<>#+\-.!|~&()=]")
# Only these separate lines or indent them; other white space is ordinary text.
_FOLD = re.compile(r"[ \t\n]+")
_INVISIBLE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")


@cache
def _parser() -> MarkdownIt:
    """Return the one markdown-it parser, made (and markdown-it imported) when a section first needs it."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    # text_join folds escapes into plain text; kept apart, `\[1\]` can be told from `[1]`.
    md.disable("text_join")
    md.block.tokenize = _flat_when_too_deep(md.block.tokenize, md.options.maxNesting)
    return md


#: list markers and quote markers at the start of a line that is laid out flat (see `_flat_when_too_deep`)
_MARKERS = re.compile(r"^(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*|>[ \t]?)+")


#: a numeric character reference that does not itself name U+FFFD (markdown-it replaces invalid ones with it)
_REPLACED_REF = re.compile(r"&#(?!0*65533;|[xX]0*[fF][fF][fF][dD];)(?:[xX][0-9a-fA-F]+|[0-9]+);")

#: quotes are drawn as boxes inside boxes; past this depth there is no width left for their text
_MAX_QUOTE_NESTING = 12


def _flat_when_too_deep(tokenize, max_nesting: int):
    """Return markdown-it's block `tokenize`, laying out flat what lies deeper than `max_nesting`.

    markdown-it stops at its nesting limit (which keeps its recursion bounded) by skipping
    to the end of the enclosing range, and a list item's range is the rest of the text: a
    list nested a dozen deep lost its deepest items and everything after the list. Past
    the limit, each line of the too-deep container becomes a paragraph of its own, its
    list and quote markers dropped, and the container ends where markdown-it would end it;
    `parse_markdown` warns with the line (recorded in the parse's env as "too_deep").
    Quotes are laid out flat from `_MAX_QUOTE_NESTING` levels.
    """
    def guarded(state, start: int, end: int) -> None:
        limit = _MAX_QUOTE_NESTING if state.parentType == "blockquote" else max_nesting
        if state.level < limit:
            tokenize(state, start, end)
            return
        state.env.setdefault("too_deep", []).append(start)
        line = start
        while line < end:
            line = state.skipEmptyLines(line)
            if line >= end or state.sCount[line] < state.blkIndent:
                break
            text = _MARKERS.sub("", state.getLines(line, line + 1, state.blkIndent, False).strip()).strip()
            if text:
                token = state.push("paragraph_open", "p", 1)
                token.map = [line, line + 1]
                token = state.push("inline", "", 0)
                token.content, token.map, token.children = text, [line, line + 1], []
                state.push("paragraph_close", "p", -1)
            line += 1
        state.line = max(line, start + 1)

    return guarded


# Most article sections are plain text: paragraphs, and lists of one-line items such as highlights.
# `_plain_blocks` reads those itself, several times faster than markdown-it, and leaves anything else to
# it. Plain text has no character that can start inline markup (escapes, code, emphasis, links and
# images, autolinks, entities): `[1]` and `[@id]` stay text to markdown-it when no `](` follows and no line
# defines a reference, as here. Each of its lines is empty, or "- " or nothing and then a letter, and
# does not end in white space: no other block can start, no code is indented, no line breaks hard.
_NOT_PLAIN = re.compile(r"[\\`*_<&!\t\r\0]|\]\(")


class Trusted(str):
    """Markdown that reegen made itself; printed without escaping (see `md_escape`)."""

    __slots__ = ()


def md_escape(text: str) -> str:
    """Return `text` escaped so that, interpolated into Markdown, it parses as that text only.

    Runs of spaces, tabs and newlines become one space, so the result is one line that
    cannot start a block wherever it lands. Every ASCII punctuation mark that can open
    structure (heading, list, quote, table, rule, code, link, emphasis, entity, citation
    or marker) is backslash-escaped, even mid-line, because two interpolations can meet.
    The text first passes the text gate, so no removed character can join two harmless
    halves into markup afterwards.
    """
    clean, _ = sanitize_text(text)
    return _ESCAPE.sub(r"\\\g<0>", _FOLD.sub(" ", clean))


def is_safe_url(url: str) -> bool:
    """Return whether `url` uses an allowed scheme (http, https, mailto).

    The scheme is read after percent-decoding and after dropping white space and control
    or invisible characters, the way browsers forgive them, so `java%73cript:` and
    `jav\\tascript:` are refused. Relative links are refused too: a brief has no base.
    """
    probe = _INVISIBLE_IN_URL.sub("", unquote(url))
    scheme, colon, _ = probe.partition(":")
    return bool(colon) and scheme.lower() in SAFE_SCHEMES


def parse_markdown(
    text: str,
    *,
    path: str | None = None,
    line_offset: int = 0,
    article_id: str | None = None,
    section: str | None = None,
    report: Report | None = None,
) -> tuple[Block, ...]:
    """Return the blocks of Markdown `text`.

    `path` and `line_offset` (lines of the file before `text`, such as front matter) make
    locations point into the original file: a citation's `origin` and the `line` of every
    `SourceRef`. With `article_id`, each paragraph, list item and quote carries
    `SourceRef(article_id, section, line)` and the article's markers `[1, 2]` become
    `Marker` inlines; without it they stay text. Removed characters and links with a
    refused scheme are recorded as warnings in `report` when one is given.
    """
    clean, changes = sanitize_text(text)
    if report is not None:
        for change in changes:
            report.warning(
                f"{change.describe()}: a character no brief can show",
                code="text.removed-char",
                location=Location(path, line_offset + change.line, change.column) if path else None,
            )
    reader = _Reader(path, line_offset, article_id, section, report)
    plain = _plain_blocks(clean)
    if plain is not None:
        return tuple(reader.plain_blocks(plain))
    env: dict = {}
    blocks, _ = reader.blocks(_parser().parse(clean, env), 0, None)
    if report is not None:
        for start in env.get("too_deep", ()):
            report.warning("lists or quotes nested too deeply: what lies deeper is shown as plain paragraphs",
                           code="markdown.too-deep",
                           location=Location(path, line_offset + start + 1) if path else None)
    return tuple(blocks)


def _plain_blocks(text: str) -> list[tuple[bool, list[tuple[int, str]]]] | None:
    """Return the blocks of `text` if it is plain text (see `_NOT_PLAIN`), else None.

    Each block is (whether it is a list, its lines): a paragraph's lines, or a list's items (each one
    line, "- " left out), each with its index in `text`'s lines.
    """
    if _NOT_PLAIN.search(text):
        return None
    blocks: list[tuple[bool, list[tuple[int, str]]]] = []
    lines: list[tuple[int, str]] | None = None  # those of the block being read, until an empty line
    for index, line in enumerate(text.split("\n")):
        if not line:
            lines = None
            continue
        is_item = line.startswith("- ")
        if is_item:
            line = line[2:]
        if not line or not line[0].isalpha() or line[-1].isspace():
            return None
        if lines is None:
            if is_item and blocks and blocks[-1][0]:
                return None  # two lists apart only by empty lines make one loose list
            lines = []
            blocks.append((is_item, lines))
        elif is_item != blocks[-1][0]:
            return None  # an item ending a paragraph, or a line going on with an item's
        lines.append((index, line))
    return blocks


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class _Reader:
    """Turns markdown-it's flat token stream into model blocks."""

    path: str | None
    line_offset: int
    article_id: str | None
    section: str | None
    report: Report | None

    def line_of(self, token: Token, default: int = 0) -> int:
        """Return the 1-based line in the original file where `token` starts."""
        start = token.map[0] if token.map else default
        return self.line_offset + start + 1

    def source(self, token: Token) -> SourceRef | None:
        """Return the `SourceRef` for a block opened by `token`, or None outside an article."""
        if self.article_id is None:
            return None
        return SourceRef(self.article_id, self.section, self.line_of(token), self.path)

    def plain_blocks(self, blocks: list[tuple[bool, list[tuple[int, str]]]]) -> list[Block]:
        """Return the model of `_plain_blocks`' blocks: what `blocks` makes of markdown-it's tokens for them."""
        out: list[Block] = []
        for is_list, lines in blocks:
            if is_list:
                items = []
                for index, text in lines:
                    paragraph = self.plain_paragraph(index, [text])
                    items.append(ListItem((paragraph,) if paragraph else (), self.source_at(index)))
                out.append(BulletList(tuple(items), ordered=False))
            else:
                paragraph = self.plain_paragraph(lines[0][0], [text for _, text in lines])
                if paragraph is not None:
                    out.append(paragraph)
        return out

    def plain_paragraph(self, index: int, lines: list[str]) -> Paragraph | None:
        """Return the paragraph of plain `lines`, the first being line `index` of the text, or None if blank."""
        # What `inlines` does with markdown-it's text tokens and soft breaks.
        run = _TextRun(self, self.line_offset + index + 1)
        for n, text in enumerate(lines):
            if n:
                run.add_break()
            run.add(text, literal=False)
        items: list[Inline] = []
        run.flush(items)
        children = _merge_texts(items)
        return None if _is_blank(children) else Paragraph(children, self.source_at(index))

    def source_at(self, index: int) -> SourceRef | None:
        """Return the `SourceRef` for a block starting on line `index` of the text, or None outside an article."""
        if self.article_id is None:
            return None
        return SourceRef(self.article_id, self.section, self.line_offset + index + 1, self.path)

    def blocks(self, tokens: list[Token], i: int, stop: str | None) -> tuple[list[Block], int]:
        """Return the blocks from `tokens[i]` up to the closing token `stop`, and the index after it."""
        out: list[Block] = []
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            kind = tok.type
            if kind == stop:
                return out, i + 1
            if kind == "heading_open":
                children = self.inlines(tokens[i + 1], self.line_of(tok))
                out.append(Heading(int(tok.tag[1:]), children, slugify(plain_text(children))))
                i += 3
            elif kind == "paragraph_open":
                children = self.inlines(tokens[i + 1], self.line_of(tok))
                if not _is_blank(children):
                    out.append(Paragraph(children, self.source(tok)))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                close = kind.replace("_open", "_close")
                items: list[ListItem] = []
                i += 1
                while i < n and tokens[i].type != close:
                    item_tok = tokens[i]
                    if item_tok.type == "list_item_open":
                        sub, i = self.blocks(tokens, i + 1, "list_item_close")
                        items.append(ListItem(tuple(sub), self.source(item_tok)))
                    else:
                        i += 1
                out.append(BulletList(tuple(items), ordered=kind == "ordered_list_open"))
                i += 1
            elif kind == "blockquote_open":
                sub, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(Quote(tuple(sub), self.source(tok)))
            elif kind == "table_open":
                table, i = self.table(tokens, i + 1)
                out.append(table)
            elif kind == "hr":
                out.append(Rule())
                i += 1
            elif kind in ("code_block", "fence"):
                content = tok.content[:-1] if tok.content.endswith("\n") else tok.content
                if content:
                    out.append(Paragraph((Code(content),), self.source(tok)))
                i += 1
            elif tok.nesting == 1:
                # A container this reader does not know: keep what it holds.
                sub, i = self.blocks(tokens, i + 1, kind.replace("_open", "_close"))
                out.extend(sub)
            else:
                i += 1
        return out, i

    def table(self, tokens: list[Token], i: int) -> tuple[Table, int]:
        """Return the table whose cells start at `tokens[i]`, and the index after `table_close`."""
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        cells: list[tuple[Inline, ...]] = []
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open":
                cells = []
            elif tok.type == "tr_close":
                rows.append(tuple(cells))
            elif tok.type == "inline":
                cells.append(self.inlines(tok, self.line_of(tok)))
            i += 1
        header = rows[0] if rows else ()
        return Table(header, tuple(rows[1:])), i + 1

    # ----------------------------------------------------------------------- inlines

    def inlines(self, token: Token, line: int) -> tuple[Inline, ...]:
        """Return the inlines of an `inline` token whose text starts on file line `line`."""
        run = _TextRun(self, line)
        # Each level: the open token (None at the top) and its inlines, or None for a
        # refused link, whose children flow into the level around it.
        stack: list[tuple[Token | None, list[Inline] | None]] = [(None, [])]

        def target() -> list[Inline]:
            for _, items in reversed(stack):
                if items is not None:
                    return items
            raise AssertionError("the top level always collects")

        for tok in token.children or ():
            kind = tok.type
            if kind == "text":
                run.add(tok.content, literal=False)
            elif kind == "text_special":
                if tok.info == "entity" and tok.content == "\ufffd" and _REPLACED_REF.fullmatch(tok.markup):
                    self.warn_reference(tok.markup, run.line)
                # Entities can spell characters the gate removes (&#x200B;), so they pass it too.
                run.add(sanitize_text(tok.content)[0], literal=True)
            elif kind == "softbreak":
                run.add_break()
            elif kind == "image":
                run.add(_alt_text(tok), literal=True)
            elif kind == "hardbreak":
                run.flush(target())
                target().append(LineBreak())
                run.line += 1
            elif kind == "code_inline":
                run.flush(target())
                target().append(Code(tok.content))
            elif kind in ("strong_open", "em_open"):
                run.flush(target())
                stack.append((tok, []))
            elif kind == "link_open":
                href = tok.attrGet("href") or ""
                if is_safe_url(str(href)):
                    run.flush(target())
                    stack.append((tok, []))
                else:
                    self.warn_link(str(href), run.line)
                    stack.append((tok, None))
            elif kind in ("strong_close", "em_close", "link_close"):
                opener, items = stack.pop()
                if items is None:
                    continue
                run.flush(items)
                children = _merge_texts(items)
                if kind == "strong_close":
                    node: Inline = Strong(children)
                elif kind == "em_close":
                    node = Emph(children)
                else:
                    assert opener is not None
                    node = Link(str(opener.attrGet("href")), children)
                target().append(node)
            elif tok.content:
                run.add(tok.content, literal=True)
        run.flush(target())
        # Unbalanced levels cannot come out of markdown-it; fold any into the top all the same.
        while len(stack) > 1:
            _, items = stack.pop()
            if items is not None:
                target().extend(items)
        return _merge_texts(stack[0][1] or [])

    def warn_reference(self, markup: str, line: int) -> None:
        """Warn that character reference `markup` names no character a text may hold (it prints as U+FFFD)."""
        if self.report is not None:
            self.report.warning(f"character reference '{markup}' names no character a text can hold; "
                                "it is shown as \ufffd (U+FFFD, the replacement character)", code="text.bad-reference",
                                location=Location(self.path, line) if self.path else None)

    def warn_link(self, href: str, line: int) -> None:
        """Record that a link to `href` on `line` was kept as text."""
        if self.report is None:
            return
        shown = href if len(href) <= 80 else href[:77] + "..."
        self.report.warning(
            f"link to '{shown}' is not http, https or mailto; its text is kept without the link",
            code="markdown.unsafe-link",
            location=Location(self.path, line) if self.path else None,
            hint="link to a full http(s) address, or leave the address out",
        )


@dataclass(slots=True)
class _TextRun:
    """Adjacent text pieces of one level, joined once so long paragraphs stay linear."""

    reader: _Reader
    #: the file line where the next piece starts
    line: int
    pieces: list[str] = field(default_factory=list)
    #: (start, end) offsets of pieces that came from escapes or entities
    literal: list[tuple[int, int]] = field(default_factory=list)
    #: offsets where a soft line break was folded into a space
    breaks: list[int] = field(default_factory=list)
    size: int = 0
    first_line: int = 0

    def add(self, text: str, *, literal: bool) -> None:
        """Add `text`; `literal` marks text from an escape or entity, which never forms brackets."""
        if not text:
            return
        if not self.pieces:
            self.first_line = self.line
        if literal:
            self.literal.append((self.size, self.size + len(text)))
        self.pieces.append(text)
        self.size += len(text)

    def add_break(self) -> None:
        """Add a soft line break, which reads as one space."""
        self.add(" ", literal=False)
        self.breaks.append(self.size)
        self.line += 1

    def flush(self, out: list[Inline]) -> None:
        """Append the run to `out` as Text, Cite and Marker inlines, and start a new run."""
        if not self.pieces:
            return
        text = "".join(self.pieces)
        if "[" in text:
            self._split(text, out)
        else:
            out.append(Text(text))
        self.pieces.clear()
        self.literal.clear()
        self.breaks.clear()
        self.size = 0

    def _split(self, text: str, out: list[Inline]) -> None:
        """Append `text` to `out`, its citations and markers as Cite and Marker inlines."""
        mask = None
        if self.literal:
            mask = bytearray(len(text))
            for start, end in self.literal:
                mask[start:end] = b"\x01" * (end - start)
        last = pos = 0
        while True:
            m = _BRACKETS.search(text, pos)
            if m is None:
                break
            node = self._node(m, mask)
            if node is None:
                pos = m.start() + 1
                continue
            if m.start() > last:
                out.append(Text(text[last:m.start()]))
            out.append(node)
            last = pos = m.end()
        if last < len(text):
            out.append(Text(text[last:]))

    def _node(self, m: re.Match[str], mask: bytearray | None) -> Inline | None:
        """Return the Cite or Marker that bracket match `m` stands for, or None if it is text."""
        if mask is not None and _has_literal(m.group(0), mask, m.start()):
            return None
        reader = self.reader
        if m.group("cite") is not None:
            line = self.first_line + bisect_right(self.breaks, m.start())
            origin = f"{reader.path}:{line}" if reader.path else None
            return Cite(tuple(_CITE_ID.findall(m.group("cite"))), origin)
        if reader.article_id is None:
            return None
        labels: list[str] = []
        for start, end in _MARKER_PART.findall(m.group("marker")):
            if not end:
                labels.append(str(int(start)))
                continue
            low, high = int(start), int(end)
            if high < low or high - low >= _MAX_RANGE:
                return None
            labels.extend(str(n) for n in range(low, high + 1))
        return Marker(reader.article_id, tuple(labels))


def _has_literal(matched: str, mask: bytearray, offset: int) -> bool:
    """Return whether an escaped or entity character carries structure in `matched`.

    An escaped `_` inside an article id is allowed: the Markdown writer escapes it so
    that ids such as `a-_b_-c` are not read as emphasis.
    """
    i = mask.find(1, offset, offset + len(matched))
    while i != -1:
        if matched[i - offset] != "_":
            return True
        i = mask.find(1, i + 1, offset + len(matched))
    return False


def _alt_text(token: Token) -> str:
    """Return an image's alt text as plain text."""
    out: list[str] = []
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(_alt_text(child))
        elif child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
    return sanitize_text("".join(out))[0]


def _merge_texts(items: list[Inline]) -> tuple[Inline, ...]:
    """Return `items` with adjacent Text nodes joined (in one pass, so long runs stay linear)."""
    out: list[Inline] = []
    pending: list[str] = []
    for node in items:
        if isinstance(node, Text):
            pending.append(node.text)
            continue
        if pending:
            out.append(Text("".join(pending)))
            pending.clear()
        out.append(node)
    if pending:
        out.append(Text("".join(pending)))
    return tuple(node for node in out if not (isinstance(node, Text) and not node.text))


def _is_blank(children: tuple[Inline, ...]) -> bool:
    """Return whether a paragraph holds nothing but white space (it says nothing, so it is dropped)."""
    return all(isinstance(c, Text) and (not c.text or c.text.isspace()) for c in children)
