"""The article as ingest builds it: front-matter fields and body blocks, before it is written.

This is ingest's own small AST (pandoc's reader output): every reader produces a `Draft`,
the cleaning passes change it, and `render_article` writes it in the SPEC article format.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class Block:
    """One body block: a paragraph, bullet item, heading or quote, with its input line."""

    #: "para", "bullet", "heading" or "quote"
    kind: str
    text: str
    #: 1-based line in the input (None for HTML, whose lines are the extractor's)
    line: int | None = None
    #: bullet nesting depth (0 = top level), or heading level (1 = title, 2 = section)
    level: int = 0
    #: a bold lead-in, written `**Lead-in.** text`
    lead_in: str | None = None
    #: whether the input marked this block up explicitly (Markdown) rather than ingest guessing
    explicit: bool = False


@dataclass(slots=True)
class DraftSection:
    """A `## title` section of a draft and its blocks, as ingest finds them (the article's file is written from it).

    Not `reegen.corpus.Section`, which is a section of an article file as a brief reads it.
    """

    title: str
    blocks: list[Block] = field(default_factory=list)
    line: int | None = None


@dataclass(slots=True)
class Draft:
    """An article being ingested: the SPEC front-matter fields, then lead, highlights and sections."""

    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: _dt.date | None = None
    url: str | None = None
    author: str | None = None
    #: [{name, kind?, translated?}] in the order the text names them
    origin: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: {label: {title?, publisher?, url?, date?}}
    references: dict[int, dict] = field(default_factory=dict)
    disclaimers: list[str] = field(default_factory=list)
    #: front-matter keys reegen does not know, kept as they were
    extra: dict = field(default_factory=dict)
    #: field -> "derived", "inferred" or "user" (a field not listed is stated by the text)
    provenance: dict = field(default_factory=dict)
    #: the last-updated date a byline states (reported; the article format has no field for it)
    updated: _dt.date | None = None
    #: publication dates found in the text: (where, date, line), where is "byline" or "front matter"
    found_dates: list = field(default_factory=list)
    lead: list[Block] = field(default_factory=list)
    highlights: list[Block] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)

    def body_blocks(self):
        """Yield every body block: lead, highlights, then each section's blocks."""
        yield from self.lead
        yield from self.highlights
        for section in self.sections:
            yield from section.blocks
