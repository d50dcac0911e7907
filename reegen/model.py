"""The document model: the one vocabulary shared by compose, the transforms and the writers.

A brief is a `Document`: metadata for the title block, then a flat sequence of blocks
(as in pandoc). Writers turn a `Document` into bytes and never see Markdown, Jinja or
article files. This module imports only the standard library.

Attribution lives in the model. A block taken from an article carries `source`
(which article, section and line it came from); the `attribute` transform gives every
such `Paragraph` its `numbers` (entries of the Sources list) and turns citations into
`Ref` inlines. Writers render `Paragraph.numbers` after the paragraph's text and a
`Ref` as a bracketed list of numbers, each linking to its Sources entry, whose anchor
is `source_anchor(n)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Union

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text, exactly as it must print (never markup)."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Emph:
    """Italic text."""

    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Inline code, printed in a monospaced face."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; `url` is already checked to be http, https or mailto."""

    url: str
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation of whole articles, written `[@id]` in template text; resolved by `attribute`."""

    ids: tuple[str, ...]
    #: where the citation was written (template or spec), for "unknown article" errors
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    """An article's own inline reference marker, such as `[1, 2]`; resolved by `attribute`."""

    article_id: str
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ref:
    """A pointer into the Sources list: printed as `[3]` or `[3, 5]`, each number a link."""

    numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Unresolved:
    """An article's marker that names no listed reference; printed as `text`, subdued."""

    text: str


Inline = Union[Text, Strong, Emph, Code, Link, LineBreak, Cite, Marker, Ref, Unresolved]

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a block came from: article id, section slug and the line in the article file."""

    article_id: str
    section: str | None = None
    line: int | None = None
    #: the article file (as shown in messages), so a writer's error can name file and line
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is a brief section, 2 and 3 subsections. `anchor` is unique."""

    level: int
    children: tuple[Inline, ...]
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph. `numbers` (set by `attribute`) print after its text as `[n, m]`.

    `role` is "body" for ordinary text, "note" for reegen's own editorial notes
    (such as "shortened"), "lead" for an introductory paragraph.
    """

    children: tuple[Inline, ...]
    source: SourceRef | None = None
    numbers: tuple[int, ...] = ()
    role: str = "body"


@dataclass(frozen=True, slots=True)
class ListItem:
    """One bullet: its blocks (paragraphs, nested lists)."""

    blocks: tuple["Block", ...]
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted (or, with `ordered`, numbered) list."""

    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation (pull quote); its paragraphs carry their own numbers."""

    blocks: tuple["Block", ...]
    source: SourceRef | None = None


Cell = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row. Cells are inline sequences; `widths` are relative;
    `align` gives each column's alignment ("left", "right" or "center"; empty: all left)."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: tuple[Inline, ...] = ()
    widths: tuple[float, ...] = ()
    align: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break."""


@dataclass(frozen=True, slots=True)
class TableOfContents:
    """Where a template asked for a table of contents; writers list the headings."""

    title: str = "Contents"


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One numbered entry of the Sources list; anchor `source_anchor(number)`."""

    number: int
    children: tuple[Inline, ...]
    url: str | None = None
    #: the article id this entry stands for, or the citing article for an article's own reference
    article_id: str | None = None
    #: for an article's own reference: its label in that article, e.g. "2"
    label: str | None = None


@dataclass(frozen=True, slots=True)
class SourcesList:
    """The numbered Sources list, placed by `add_sources_list`."""

    entries: tuple[SourceEntry, ...]


Block = Union[Heading, Paragraph, BulletList, Quote, Table, Rule, TableOfContents, SourcesList]

# --------------------------------------------------------------------------- document


@dataclass(frozen=True, slots=True)
class Meta:
    """What the title block and the file metadata show."""

    title: str
    subtitle: str | None = None
    audience: str | None = None
    author: str | None = None
    #: ISO date of the brief, e.g. "2025-07-20"
    date: str | None = None
    classification: str | None = None
    keywords: tuple[str, ...] = ()
    #: the BCP 47 tag of the brief's language, from the spec
    language: str = "en"
    template: str = "executive"
    #: the brief's language as a BCP 47 tag (the spec's `language`), e.g. "en", "en-GB", "de"
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Caveat:
    """A reason for caution: what it is about (`kind`), its text and the sources it concerns."""

    kind: str
    text: str
    numbers: tuple[int, ...] = ()
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A whole brief, ready for any writer."""

    meta: Meta
    blocks: tuple[Block, ...]
    caveats: tuple[Caveat, ...] = ()
    sources: tuple[SourceEntry, ...] = ()


class Where(str):
    """A phrase naming a place in the brief ("paragraph from article 'x', line 12") and its file location."""

    __slots__ = ("location",)

    def __new__(cls, text: str, source: "SourceRef | None" = None):
        self = super().__new__(cls, text)
        # Stored as (path, line) so this module stays free of reegen.errors.
        self.location = (source.path, source.line) if source is not None and source.path else None
        return self


def source_anchor(number: int) -> str:
    """Return the anchor name of Sources entry `number` (used by every writer for links)."""
    return f"source-{number}"


def plain_text(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    """Return the text of `inlines` as a reader would see it, without styling."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code, Unresolved)):
            out.append(node.text)
        elif isinstance(node, (Strong, Emph, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Ref):
            out.append(format_numbers(node.numbers))
        elif isinstance(node, Cite):
            out.append("[" + "; ".join("@" + i for i in node.ids) + "]")
        elif isinstance(node, Marker):
            out.append("[" + ", ".join(node.labels) + "]")
    return "".join(out)


def format_numbers(numbers: tuple[int, ...]) -> str:
    """Return source numbers as printed: `[3]`, `[3, 5]`."""
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def number_labels(numbers: tuple[int, ...]) -> list[tuple[str, str]]:
    """Return (what goes before it, its label) for each source number, as `format_numbers` prints them.

    The brackets go with the first and last labels: `[3]`, or `[1`, `, `, `2]`. A writer
    that links each number to its Sources entry links the brackets beside it too.
    """
    last = len(numbers) - 1
    return [(", " if i else "", ("[" if i == 0 else "") + str(int(n)) + ("]" if i == last else ""))
            for i, n in enumerate(numbers)]


def walk(blocks: tuple[Block, ...] | list[Block]) -> Iterator[Block]:
    """Yield every block in `blocks`, depth first, including those inside lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, BulletList):
            for item in block.items:
                yield from walk(item.blocks)
        elif isinstance(block, Quote):
            yield from walk(block.blocks)


def slugify(text: str) -> str:
    """Return the lowercase slug of `text`: `Key developments` -> `key-developments`, `What’s new` -> `whats-new`.

    Runs of letters and digits (`str.isalnum`) joined by single hyphens; quote marks are
    dropped rather than separating ("What’s new" -> "whats-new", as readers type it).
    """
    return "-".join(_ALNUM_RUN.findall(text.lower().translate(_NO_QUOTES)))


_NO_QUOTES = str.maketrans("", "", "'’‘\"“”")
# `\w` is `str.isalnum` plus the underscore.
_ALNUM_RUN = re.compile(r"[^\W_]+")
