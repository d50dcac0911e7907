"""The Markdown writer: a brief as CommonMark plus GFM tables, for docs sites.

`render_blocks` is written so that `parse_markdown(render_blocks(blocks))` gives the
blocks back. Where Markdown cannot say what the model says, the writer first brings the
inlines to the nearest form it can say, and the round-trip test states that form:

* adjacent Text nodes are one node, adjacent Code nodes one node, and adjacent Strong
  (or Emph) siblings one node; empty Text, Code, Strong and Emph nodes are dropped;
* a Strong inside a Strong (an Emph inside an Emph), at any depth, gives up its markup,
  since bold inside bold prints the same;
* white space and line breaks at the edges of a Strong or Emph move outside it, and white
  space at the edges of a block is dropped (Markdown cannot open emphasis on a space);
* newlines inside Text or Code become spaces; a line break in a heading or table cell
  becomes a space, one at the edge of a block is dropped, and spaces and tabs after one
  are dropped;
* a Link whose address is not http, https or mailto, or a Link inside a Link, is
  replaced by its children.

Emphasis next to punctuation needs care: CommonMark only opens `*` before punctuation
when a space or punctuation precedes it (and closes it after punctuation only when one
follows). Where a letter stands there, that one letter is written as a numeric character
reference (`&#97;`), which reads back as the same letter. C1 control characters have no
such reference, so emphasis right beside one may not read back; the text gate is the
place to remove them.

What only a finished brief holds (`numbers`, `Ref`, the Sources list, a table of
contents) is written for readers, not for the round trip: numbers link to
`#source-N`, and each Sources entry carries an empty `<span id="source-N">` as the
target, since CommonMark has no anchor syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isValidEntityCode, isWhiteSpace

from ..markdown import ARTICLE_ID, is_safe_url
from ..model import (
    Block, BulletList, Cite, Code, Document, Emph, Heading, Inline, LineBreak, Link, ListItem,
    Marker, Paragraph, Quote, Ref, Rule, SourcesList, Strong, Table, TableOfContents, Text,
    Unresolved, plain_text, source_anchor, walk,
)
from ..text import ends_right_to_left
from . import WriteOptions

__all__ = ["MarkdownWriter", "render_blocks", "normalize_inlines"]


class MarkdownWriter:
    """Writes a brief as Markdown a docs site can include."""

    #: the format name, as in `-f md`
    name = "md"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        """Return `document` as UTF-8 Markdown: title block, then the blocks one heading level down."""
        renderer = _Renderer(document.blocks, heading_shift=1)
        chunks = [renderer.title_block(document)]
        body = renderer.blocks(document.blocks)
        if body:
            chunks.append(body)
        return ("\n\n".join(chunks) + "\n").encode("utf-8")


def render_blocks(blocks: Sequence[Block], *, heading_shift: int = 0) -> str:
    """Return `blocks` as Markdown text, each heading `heading_shift` levels deeper (at most 6)."""
    body = _Renderer(blocks, heading_shift=heading_shift).blocks(blocks)
    return body + "\n" if body else ""


# --------------------------------------------------------------------------- normalising


def normalize_inlines(inlines: Iterable[Inline], *, single_line: bool = False) -> tuple[Inline, ...]:
    """Return `inlines` in the form Markdown can say (see the module docstring).

    `single_line` is for headings and table cells, where a line break becomes a space.
    """
    out = _normalize(tuple(inlines), frozenset(), single_line)
    # White space and line breaks at the edges of a block are not part of its text.
    while out:
        if isinstance(out[0], LineBreak):
            out = out[1:]
        elif isinstance(out[-1], LineBreak):
            out = out[:-1]
        elif isinstance(out[0], Text) and out[0].text != out[0].text.lstrip():
            out = _with_text(out, 0, out[0].text.lstrip())
        elif isinstance(out[-1], Text) and out[-1].text != out[-1].text.rstrip():
            out = _with_text(out, len(out) - 1, out[-1].text.rstrip())
        else:
            break
    return out


def _with_text(nodes: tuple[Inline, ...], i: int, text: str) -> tuple[Inline, ...]:
    """Return `nodes` with node `i` replaced by Text `text`, or left out when `text` is empty."""
    return nodes[:i] + ((Text(text),) if text else ()) + nodes[i + 1:]


def _normalize(nodes: tuple[Inline, ...], inside: frozenset[type], single_line: bool) -> tuple[Inline, ...]:
    """Return `nodes` normalised; `inside` holds the Strong, Emph and Link types around them."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            _append(out, Text(_one_line(node.text)), inside, single_line)
        elif isinstance(node, Code):
            _append(out, Code(_one_line(node.text)), inside, single_line)
        elif isinstance(node, LineBreak):
            _append(out, Text(" ") if single_line else node, inside, single_line)
        elif isinstance(node, (Strong, Emph)):
            kind = type(node)
            children = _normalize(node.children, inside | {kind}, single_line)
            if kind in inside:
                for child in children:
                    _append(out, child, inside, single_line)
                continue
            lead, core, trail = _split_edges(children)
            for child in lead:
                _append(out, child, inside, single_line)
            if core:
                _append(out, kind(core), inside, single_line)
            for child in trail:
                _append(out, child, inside, single_line)
        elif isinstance(node, Link):
            children = _normalize(node.children, inside | {Link}, single_line)
            if Link in inside or not is_safe_url(node.url):
                for child in children:
                    _append(out, child, inside, single_line)
            else:
                _append(out, Link(node.url, children), inside, single_line)
        else:
            _append(out, node, inside, single_line)
    return tuple(out)


def _append(out: list[Inline], node: Inline, inside: frozenset[type], single_line: bool) -> None:
    """Append `node`, joining it with the previous node where Markdown could not keep them apart."""
    prev = out[-1] if out else None
    if isinstance(node, Text) and isinstance(prev, LineBreak):
        # Markdown drops the indentation of the line after a hard break.
        node = Text(node.text.lstrip(" \t"))
    if isinstance(node, (Text, Code)) and not node.text:
        return
    if isinstance(node, Text) and isinstance(prev, Text):
        out[-1] = Text(prev.text + node.text)
    elif isinstance(node, Code) and isinstance(prev, Code):
        # Two code spans in a row would share one backtick run.
        out[-1] = Code(prev.text + node.text)
    elif isinstance(node, (Strong, Emph)) and type(prev) is type(node):
        # `*a**b*` cannot be written; the two spans print as one anyway.
        merged = _normalize(prev.children + node.children, inside | {type(node)}, single_line)  # type: ignore[union-attr]
        out[-1] = type(node)(merged)
    else:
        out.append(node)


def _split_edges(children: tuple[Inline, ...]) -> tuple[list[Inline], tuple[Inline, ...], list[Inline]]:
    """Split white space and line breaks off both ends of an emphasis's children."""
    items = list(children)
    lead: list[Inline] = []
    trail: list[Inline] = []
    while items:
        first = items[0]
        if isinstance(first, LineBreak):
            lead.append(items.pop(0))
        elif isinstance(first, Text) and first.text[:1].isspace():
            stripped = first.text.lstrip()
            lead.append(Text(first.text[: len(first.text) - len(stripped)]))
            if stripped:
                items[0] = Text(stripped)
                break
            items.pop(0)
        else:
            break
    while items:
        last = items[-1]
        if isinstance(last, LineBreak):
            trail.insert(0, items.pop())
        elif isinstance(last, Text) and last.text[-1:].isspace():
            stripped = last.text.rstrip()
            trail.insert(0, Text(last.text[len(stripped):]))
            if stripped:
                items[-1] = Text(stripped)
                break
            items.pop()
        else:
            break
    return lead, tuple(items), trail


def _one_line(text: str) -> str:
    """Return `text` with its line endings turned into spaces."""
    if "\n" in text or "\r" in text:
        return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return text


# --------------------------------------------------------------------------- inlines

_ALWAYS = re.compile(r"[\\`*_\[\]<|~]|&(?=#|[A-Za-z0-9]+;)")
_ALWAYS_IN_HEADING = re.compile(r"[\\`*_\[\]<|~#]|&(?=#|[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"[#>+=-]|[0-9]{1,9}(?=[.)])")
_VALID_ID = re.compile(ARTICLE_ID)
_ACTIVE_UNDERSCORE = re.compile(r"[.-]_|_[.-]")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
_URL_ESCAPE = re.compile(r"[\\()<>&]")
_DIGITS = re.compile(r"[0-9]{1,9}")
# Labels `parse_markdown` reads back unchanged: up to four digits, no leading zero.
_LABEL = re.compile(r"0|[1-9][0-9]{0,3}")


def _kind(ch: str) -> str:
    """Return how CommonMark's emphasis rules see `ch`: W(hite space), P(unctuation) or A(nything else)."""
    code = ord(ch)
    if isWhiteSpace(code):
        return "W"
    if isMdAsciiPunct(code) or isPunctChar(ch):
        return "P"
    return "A"


def _as_reference(ch: str) -> str:
    """Return `ch` as a numeric character reference, or unchanged if CommonMark would not decode it."""
    return f"&#{ord(ch)};" if isValidEntityCode(ord(ch)) else ch


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where inlines are written: a heading escapes `#`, a table `|`, a link holds no links."""

    heading: bool = False
    table: bool = False
    link: bool = False


class _Inlines:
    """Writes one normalised inline sequence, keeping every delimiter where the parser expects it."""

    def __init__(self, scope: _Scope):
        self.scope = scope

    def render(self, nodes: tuple[Inline, ...], *, parent: str | None, line_start: bool) -> str:
        """Return normalised `nodes` as Markdown; `parent` is the enclosing emphasis character."""
        # atoms: [is_text, markdown]; only text atoms can begin or end with a letter.
        atoms: list[list] = []
        chars: list[str | None] = []
        harden_next = False
        at_line_start = line_start
        # The digits written so far on this line: `1` then `. x` would start a list.
        digits: str | None = "" if line_start else None
        last = len(nodes) - 1
        for i, node in enumerate(nodes):
            char: str | None = None
            prev = nodes[i - 1] if i else None
            if isinstance(node, (Text, Unresolved)):
                text = _one_line(node.text)
                md = self.escape(text, line_start=at_line_start, after_digits=bool(digits))
                chars.append(None)
                if not md:
                    continue
                if isinstance(prev, (Cite, Marker)) and md[:1] in ("(", ":"):
                    md = "\\" + md  # `[1](x)` would be a link, `[1]: x` a definition
                if harden_next and _kind(md[0]) == "A":
                    md = _as_reference(md[0]) + md[1:]
                atoms.append([True, md])
                if digits is not None:
                    digits = digits + text if _DIGITS.fullmatch(digits + text) else None
                harden_next = False
                at_line_start = False
                continue
            if isinstance(node, (Strong, Emph)):
                # Delimiter runs of one character that touch merge into one run, so an
                # emphasis takes `_` beside a parent or sibling that took `*`.
                banned = set()
                if parent and (i == 0 or i == last):
                    banned.add(parent)
                if i and chars[i - 1]:
                    banned.add(chars[i - 1])
                char = "*" if "*" not in banned else "_"
                inner = self.render(node.children, parent=char, line_start=False)
                if not inner:
                    chars.append(None)
                    continue
                delim = char * (2 if isinstance(node, Strong) else 1)
                # `_` opens and closes only beside space or punctuation; `*` needs that
                # only where the emphasised text itself starts or ends with punctuation.
                if char == "_" or _kind(inner[0]) != "A":
                    self.harden_last(atoms)
                atoms.append([False, delim + inner + delim])
                harden_next = char == "_" or _kind(inner[-1]) != "A"
            else:
                md = self.other(node)
                if md.startswith("[") and atoms and atoms[-1][0] and atoms[-1][1].endswith("!"):
                    atoms[-1][1] = atoms[-1][1][:-1] + "\\!"  # `![` would open an image
                atoms.append([False, md])
                harden_next = False
            chars.append(char)
            at_line_start = isinstance(node, LineBreak)
            digits = "" if at_line_start else None
        return "".join(md for _, md in atoms)

    def harden_last(self, atoms: list[list]) -> None:
        """Rewrite a letter just before an opening delimiter so the delimiter can open."""
        if atoms and atoms[-1][0]:
            md = atoms[-1][1]
            if md and _kind(md[-1]) == "A":
                atoms[-1][1] = md[:-1] + _as_reference(md[-1])

    def escape(self, text: str, *, line_start: bool, after_digits: bool = False) -> str:
        """Return plain `text` escaped for this scope."""
        pattern = _ALWAYS_IN_HEADING if self.scope.heading else _ALWAYS
        md = pattern.sub(r"\\\g<0>", text)
        if line_start:
            m = _LINE_START.match(md)
            if m:
                end = m.end()
                if md[0].isdigit():
                    md = md[:end] + "\\" + md[end:]
                else:
                    md = "\\" + md
        elif after_digits and md[:1] in (".", ")"):
            md = "\\" + md
        return md

    def other(self, node: Inline) -> str:
        """Return the Markdown of an inline that is neither text nor emphasis."""
        if isinstance(node, Code):
            return _code_span(node.text, table=self.scope.table)
        if isinstance(node, LineBreak):
            return "\\\n"
        if isinstance(node, Link):
            inner = _Inlines(_Scope(self.scope.heading, self.scope.table, link=True))
            text = inner.render(node.children, parent=None, line_start=False)
            return f"[{text}]({self.destination(node.url)})"
        if isinstance(node, Cite):
            if node.ids and all(_VALID_ID.fullmatch(i) for i in node.ids):
                return "[" + "; ".join("@" + _cite_id(i) for i in node.ids) + "]"
            return self.escape(plain_text((node,)), line_start=False)
        if isinstance(node, Marker):
            if node.labels and all(_LABEL.fullmatch(label) for label in node.labels):
                return "[" + ", ".join(node.labels) + "]"
            return self.escape(plain_text((node,)), line_start=False)
        if isinstance(node, Ref):
            return self.numbers(node.numbers)
        return self.escape(plain_text((node,)), line_start=False)

    def numbers(self, numbers: tuple[int, ...]) -> str:
        """Return source numbers as `[3, 5]`, each number a link to its Sources entry."""
        if self.scope.link:
            return "\\[" + ", ".join(str(n) for n in numbers) + "\\]"
        return "\\[" + ", ".join(f"[{n}](#{source_anchor(n)})" for n in numbers) + "\\]"

    def destination(self, url: str) -> str:
        """Return `url` as a link destination that reads back as the same address."""
        dest = _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)
        dest = _URL_ESCAPE.sub(r"\\\g<0>", dest)
        if self.scope.table:
            dest = dest.replace("|", "\\|")
        return dest


def _cite_id(article_id: str) -> str:
    """Return an article id as written in a citation, escaping `_` where it could open emphasis."""
    if _ACTIVE_UNDERSCORE.search(article_id):
        return article_id.replace("_", "\\_")
    return article_id


def _code_span(text: str, *, table: bool) -> str:
    """Return `text` as a code span whose backtick fence and padding read back as `text`."""
    runs = {len(run) for run in re.findall(r"`+", text)}
    width = 1
    while width in runs:
        width += 1
    pad = text[:1] == "`" or text[-1:] == "`" or (
        text[:1] == " " and text[-1:] == " " and text.strip(" ") != ""
    )
    body = f" {text} " if pad else text
    if table:
        body = body.replace("|", "\\|")
    fence = "`" * width
    return fence + body + fence


# --------------------------------------------------------------------------- blocks


class _Renderer:
    """Writes blocks; knows every heading, for a table of contents."""

    def __init__(self, blocks: Sequence[Block], *, heading_shift: int):
        self.shift = heading_shift
        self.headings = [b for b in walk(list(blocks)) if isinstance(b, Heading)]

    def title_block(self, document: Document) -> str:
        """Return the title, subtitle and metadata line of `document`."""
        meta = document.meta
        parts = [self.heading(Heading(1, (Text(meta.title),)), shift=0)]
        if meta.subtitle:
            parts.append(self.inline((Emph((Text(meta.subtitle),)),)))
        fields = [("Audience", meta.audience), ("Author", meta.author), ("Date", meta.date),
                  ("Classification", meta.classification)]
        line: list[Inline] = []
        for label, value in fields:
            if value:
                if line:
                    line.append(Text(" · "))
                line += [Strong((Text(label + ":"),)), Text(" " + value)]
        if line:
            parts.append(self.inline(tuple(line)))
        return "\n\n".join(p for p in parts if p)

    def blocks(self, blocks: Sequence[Block], *, parent_marker: str | None = None) -> str:
        """Return `blocks` separated by blank lines.

        `parent_marker` is the marker of the list item holding them: a list on the item's
        first line takes the other marker, so that `- - -` never reads as a rule.
        """
        chunks: list[str] = []
        prev_marker: str | None = parent_marker
        for block in blocks:
            marker: str | None = None
            if isinstance(block, BulletList):
                marker = self.list_marker(block.ordered, avoid=prev_marker)
                md = self.bullet_list(block, marker)
            else:
                md = self.block(block)
            if md:
                chunks.append(md)
                prev_marker = marker
        return "\n\n".join(chunks)

    def list_marker(self, ordered: bool, *, avoid: str | None) -> str:
        """Return the list marker, switching it so two lists in a row stay two lists."""
        first, second = (".", ")") if ordered else ("-", "+")
        return second if avoid == first else first

    def block(self, block: Block) -> str:
        """Return one block other than a list in a sequence (lists need their neighbour's marker)."""
        if isinstance(block, Heading):
            return self.heading(block, shift=self.shift)
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Quote):
            inner = self.blocks(block.blocks)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Rule):
            # `***`, not `---`: `- ---` would be a rule rather than an item holding one.
            return "***"
        if isinstance(block, TableOfContents):
            return self.contents(block)
        if isinstance(block, SourcesList):
            return self.sources(block)
        if isinstance(block, BulletList):
            return self.bullet_list(block, self.list_marker(block.ordered, avoid=None))
        return ""

    def heading(self, heading: Heading, *, shift: int) -> str:
        """Return an ATX heading `shift` levels deeper, at most level 6."""
        level = min(max(heading.level + shift, 1), 6)
        text = self.inline(heading.children, heading=True)
        return "#" * level + (" " + text if text else "")

    def paragraph(self, para: Paragraph) -> str:
        """Return a paragraph with its source numbers; a lone multi-line Code becomes a fenced block."""
        children = para.children
        if para.role == "note" and children:
            children = (Emph(children),)
        refs = _Inlines(_Scope()).numbers(para.numbers) if para.numbers else ""
        if len(children) == 1 and isinstance(children[0], Code) and "\n" in children[0].text:
            fenced = _fence(children[0].text)
            return fenced + ("\n\n" + refs if refs else "")
        text = self.inline(children)
        if refs:
            # a left-to-right mark keeps the numbers after a right-to-left sentence (see ends_right_to_left)
            mark = "\u200e" if ends_right_to_left(text) else ""
            return f"{text}{mark} {refs}" if text else refs
        return text

    def inline(self, inlines: Sequence[Inline], *, heading: bool = False, table: bool = False) -> str:
        """Return the inlines of one block, normalised first."""
        nodes = normalize_inlines(inlines, single_line=heading or table)
        return _Inlines(_Scope(heading=heading, table=table)).render(
            nodes, parent=None, line_start=not (heading or table)
        )

    def bullet_list(self, block: BulletList, marker: str) -> str:
        """Return a list written with `marker` (`-`, `+`, or `.`/`)` after the number)."""
        if not block.items:
            return ""
        lines: list[str] = []
        for n, item in enumerate(block.items, start=1):
            bullet = f"{n}{marker}" if block.ordered else marker
            lines.append(self.item(item, bullet, marker))
        return "\n".join(lines)

    def item(self, item: ListItem, bullet: str, marker: str) -> str:
        """Return one list item, its continuation lines indented to its content."""
        inner = self.blocks(item.blocks, parent_marker=marker)
        if not inner:
            return bullet
        pad = " " * (len(bullet) + 1)
        first, *rest = inner.split("\n")
        return "\n".join([f"{bullet} {first}"] + [pad + line if line else "" for line in rest])

    def table(self, table: Table) -> str:
        """Return a GFM table, rows cut or padded to the header's width, its caption above it."""
        width = len(table.header)
        if not width:
            return ""

        def row(cells: Sequence[tuple[Inline, ...]]) -> str:
            cells = list(cells[:width]) + [()] * (width - len(cells))
            return "| " + " | ".join(self.inline(c, table=True) for c in cells) + " |"

        # GFM alignment rows: `---:` right, `:---:` centre, as Table.align says
        rule = {"right": " ---: ", "center": " :---: "}
        aligns = list(table.align[:width]) + [""] * (width - len(table.align[:width]))
        lines = [row(table.header), "|" + "|".join(rule.get(a, " --- ") for a in aligns) + "|"]
        lines += [row(r) for r in table.rows]
        md = "\n".join(lines)
        if table.caption:
            caption = self.inline((Emph(table.caption),))
            if caption:
                md = caption + "\n\n" + md
        return md

    def contents(self, toc: TableOfContents) -> str:
        """Return a table of contents: a nested list of links to the headings."""
        if not self.headings:
            return ""
        top = min(h.level for h in self.headings)
        lines = [self.inline((Strong((Text(toc.title),)),))]
        scope = _Inlines(_Scope(link=True))
        for h in self.headings:
            text = scope.render(normalize_inlines(h.children, single_line=True), parent=None, line_start=False)
            indent = "  " * (h.level - top)
            target = f"(#{h.anchor})" if h.anchor else "(#)"
            lines.append(f"{indent}- [{text}]{target}")
        return lines[0] + "\n\n" + "\n".join(lines[1:])

    def sources(self, sources: SourcesList) -> str:
        """Return the Sources list, numbered as the model numbers it.

        Each entry opens with an empty `<span id="source-N">`: CommonMark has no anchor
        syntax, and without a target every `[3]` link in the brief would lead nowhere.
        The span is built from a number only, never from article text.
        """
        groups: list[list] = []
        for entry in sources.entries:
            if groups and groups[-1][-1].number + 1 == entry.number:
                groups[-1].append(entry)
            else:
                groups.append([entry])
        chunks: list[str] = []
        for g, group in enumerate(groups):
            # Numbers that skip start a new list; alternating `.` and `)` keeps them apart.
            delim = "." if g % 2 == 0 else ")"
            lines = []
            for entry in group:
                text = _Inlines(_Scope()).render(normalize_inlines(entry.children), parent=None, line_start=False)
                anchor = f'<span id="{source_anchor(entry.number)}"></span>'
                lines.append(f"{entry.number}{delim} {anchor}{text}")
            chunks.append("\n".join(lines))
        return "\n\n".join(chunks)


def _fence(code: str) -> str:
    """Return multi-line `code` as a fenced block whose fence no line of it can close."""
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"
