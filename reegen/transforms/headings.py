"""Cut a title, subtitle or heading too long for a page, saying so where it was written."""

from __future__ import annotations

import dataclasses

from ..corpus import Corpus
from ..errors import Location, Report
from ..model import Document, Heading, Text, plain_text
from ..spec import BriefSpec
from .context import BuildContext

#: a title, subtitle or heading longer than this is cut (with a warning) so that it fits on a page
MAX_HEADING_CHARS = 500


def cut_long_headings(document: Document, context: BuildContext) -> Document:
    """Cut a title, subtitle or heading longer than MAX_HEADING_CHARS, with a warning where it was written.

    A heading is kept with what follows it and the title is repeated in every page's
    header: one far longer than a page cannot be laid out, and laying it out again on
    every page costs time in proportion to its length times the pages.
    """
    spec, corpus, report = context.spec, context.corpus, context.report
    meta = document.meta
    changes = {}
    for key in ("title", "subtitle"):
        value = getattr(meta, key)
        if value is not None and len(value) > MAX_HEADING_CHARS:
            changes[key] = _cut_text(value, MAX_HEADING_CHARS)
            report.warning(f"the brief's {key} is {len(value):,} characters long; cut to its first "
                           f"{MAX_HEADING_CHARS} (a {key} must fit on a page)", "spec.too-long", spec.location(key))
    blocks = document.blocks
    if any(isinstance(b, Heading) and len(plain_text(b.children)) > MAX_HEADING_CHARS for b in blocks):
        blocks = tuple(_cut_heading(b, spec, corpus, report) if isinstance(b, Heading) else b for b in blocks)
    if not changes and blocks is document.blocks:
        return document
    return dataclasses.replace(document, meta=dataclasses.replace(meta, **changes), blocks=blocks)


def _cut_heading(heading: Heading, spec: BriefSpec, corpus: Corpus, report: Report) -> Heading:
    text = plain_text(heading.children)
    if len(text) <= MAX_HEADING_CHARS:
        return heading
    folded = " ".join(text.split())
    where = spec.location()
    for section in spec.sections:
        if " ".join(section.title.split()) == folded:
            where = spec.location(line=section.line or None)
            break
    else:
        for article in corpus:
            if article.title and " ".join(article.title.split()) == folded:
                where = Location(article.path, article.key_lines.get("title", 1))
                break
    report.warning(f"a heading of {len(text):,} characters was cut to its first {MAX_HEADING_CHARS} "
                   "(a heading must fit on a page)", "render.heading-too-long", where)
    return dataclasses.replace(heading, children=(Text(_cut_text(text, MAX_HEADING_CHARS)),))


def _cut_text(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters at a space where there is one, with an ellipsis."""
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"
