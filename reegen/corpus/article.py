"""Articles as reegen reads them from `articles/*.md`."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..model import Block


@dataclass(frozen=True, slots=True)
class Origin:
    """Whom the publisher relays or translates: `name`, source `kind`, `translated`."""

    name: str
    kind: str = "unknown"
    translated: bool = False


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
    """One article file: front matter fields, sections in order, and where it lives."""

    id: str
    title: str
    path: str
    sections: tuple[Section, ...]
    publisher: str | None = None
    published: _dt.date | None = None
    url: str | None = None
    author: str | None = None
    origin: tuple[Origin, ...] = ()
    tags: tuple[str, ...] = ()
    references: dict = field(default_factory=dict)
    disclaimers: tuple[str, ...] = ()
    #: body text (lower-cased) used by `select` queries
    search_text: str = ""
    #: line of each front-matter key, for locating problems
    key_lines: dict = field(default_factory=dict)

    def section(self, slug: str) -> Section | None:
        """Return the section with `slug`, or None."""
        for section in self.sections:
            if section.slug == slug:
                return section
        return None

    @property
    def slugs(self) -> tuple[str, ...]:
        """Return the slugs of every section, in order."""
        return tuple(s.slug for s in self.sections)
