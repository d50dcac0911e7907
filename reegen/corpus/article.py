"""Articles as reegen reads them from `articles/*.md`."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..model import Block


@dataclass(frozen=True, slots=True)
class Origin:
    """Whom the publisher relays or translates: `name`, source `kind`, `translated`, and the
    relayed report's own `date` when the text gives one (it bounds the article's date:
    the article cannot be older than what it relays)."""

    name: str
    kind: str = "unknown"
    translated: bool = False
    date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """One of the article's own numbered sources, cited in its text as `[label]`."""

    label: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A `## Heading` section (or `lead`): its slug, title, blocks and first line in the file."""

    slug: str
    title: str
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article file: front matter fields, sections in order, and where it lives.

    `load_corpus` reads only the front matter; the parse stage (`reegen.parse.parse_bodies`)
    returns a copy with `sections` and `figures` filled, for the articles a brief uses, so a
    corpus of thousands of articles costs a brief only the articles it uses.
    """

    id: str
    title: str
    path: str
    publisher: str | None = None
    published: _dt.date | None = None
    url: str | None = None
    author: str | None = None
    origin: tuple[Origin, ...] = ()
    tags: tuple[str, ...] = ()
    references: dict = field(default_factory=dict)
    disclaimers: tuple[str, ...] = ()
    #: where each front-matter field came from: field -> "stated" (the article's text says it),
    #: "derived" (reegen made it, e.g. a title from the first highlight), "inferred" (reegen
    #: reasoned it, e.g. a date bound) or "user" (given by the analyst: option, sidecar, edit).
    #: A field not listed is taken as stated.
    provenance: dict = field(default_factory=dict)
    #: body text (lower-cased) used by `select` queries
    search_text: str = ""
    #: line of each front-matter key, for locating problems
    key_lines: dict = field(default_factory=dict)
    #: the body's lines (None: still on disk in `file`) and the file line of the first one
    body_lines: tuple[str, ...] | None = ()
    body_start: int = 1
    #: the article file on disk
    file: str | None = None
    #: the body cut into sections (`lead`, `highlights`, then each `##` section); None until parsed
    sections: tuple[Section, ...] | None = field(default=None, compare=False, repr=False)
    #: the figures the body states (`reegen.figures.extract_figures`), numbered in file order; None until parsed
    figures: tuple | None = field(default=None, compare=False, repr=False)

    def section(self, slug: str) -> Section | None:
        """Return the section with `slug`, or None; raises `ValueError` when the body is not parsed."""
        for section in self._parsed():
            if section.slug == slug:
                return section
        return None

    @property
    def slugs(self) -> tuple[str, ...]:
        """Return the slugs of every section, in order; raises `ValueError` when the body is not parsed."""
        return tuple(s.slug for s in self._parsed())

    def _parsed(self) -> tuple[Section, ...]:
        if self.sections is None:
            raise ValueError(f"the body of article '{self.id}' is not parsed: pass it through reegen.parse first")
        return self.sections
