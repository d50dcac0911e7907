"""Add the numbered Sources list at the end of the brief."""

from __future__ import annotations

from dataclasses import replace

from ..model import Document, Heading, Paragraph, SourcesList, Text

TITLE = "Sources"


def add_sources_list(document: Document, context: object = None) -> Document:
    """Return `document` ending with a Sources heading and the numbered `SourcesList` (`context` is not needed)."""
    if document.sources:
        body = SourcesList(document.sources)
    else:
        body = Paragraph((Text("This brief cites no sources."),), role="note")
    return replace(document, blocks=document.blocks + (Heading(1, (Text(TITLE),), "sources"), body))
