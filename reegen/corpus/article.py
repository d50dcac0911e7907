"""Articles as reegen reads them from `articles/*.md`."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property

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


@dataclass(frozen=True)
class Article:
    """One article file: front matter fields, sections in order, and where it lives.

    The body is parsed into sections only when something asks for them, so a corpus
    of thousands of articles costs a brief only the articles it uses.
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
    #: the body's lines (None: read from `file` on first use) and the file line of the first one
    body_lines: tuple[str, ...] | None = ()
    body_start: int = 1
    #: the article file on disk
    file: str | None = None
    #: problems found while parsing the body, filled when `sections` is first read
    body_report: object = field(default=None, compare=False, repr=False)
    #: the project's `BodyCache` (None: every body is parsed)
    body_cache: object = field(default=None, compare=False, repr=False)

    @cached_property
    def _body(self) -> tuple[tuple[str, ...], str | None]:
        """Return the body's lines and its key in the body cache (None without a cache)."""
        lines = self.body_lines
        if lines is None:  # loaded from the corpus index: the body is still on disk
            from ..spec.load import read_text
            from ..text import sanitize_text

            text, _ = sanitize_text(read_text(self.file).removeprefix("\ufeff"))
            lines = tuple(text.split("\n")[self.body_start - 1:])
        cache = self.body_cache
        key = cache.key(self.path, self.id, self.body_start, self.published, lines) if cache is not None else None
        return lines, key

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """Return the article's sections (`lead`, `highlights`, then each `##` section)."""
        from ..errors import Report

        report = self.body_report if self.body_report is not None else Report()
        lines, key = self._body
        cache = self.body_cache
        if key is not None:
            cached = cache.sections(self.path, key)
            if cached is not None:
                sections, diagnostics = cached
                report.extend(diagnostics)
                return sections
        from .parse import parse_sections

        found = Report()
        sections = parse_sections(list(lines), self.body_start, self.path, self.id, found)
        report.extend(found)
        if key is not None:
            cache.store_sections(self.path, key, sections, found.diagnostics)
        return sections

    @cached_property
    def figures(self) -> tuple:
        """Return the figures the body states (`reegen.figures.extract_figures`), numbered in file order."""
        _, key = self._body
        cache = self.body_cache
        if key is not None:
            cached = cache.figures(self.path, key)
            if cached is not None:
                return cached
        from ..figures import extract_figures

        figures = extract_figures(self)
        if key is not None:
            cache.store_figures(self.path, key, figures)
        return figures

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
