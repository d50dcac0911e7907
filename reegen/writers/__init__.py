"""Writers turn a `Document` into bytes; they never open files.

Each writer is a small class with a `name` class attribute (its format, `reegen.formats`)
and a `write(document, options) -> bytes` method; the output file is named after the
format. The registry maps a format name (`-f pdf`)
to the module that serves it, imported only when that format is asked for, so
`reegen --help` does not pay for reportlab or python-docx.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from ..formats import DEFAULT_PAGE_SIZE
from ..model import Document

#: format name -> "module:Class"; adding a format is one file plus one line here
REGISTRY: dict[str, str] = {
    "pdf": "reegen.writers.pdf:PdfWriter",
    "docx": "reegen.writers.docx:DocxWriter",
    "md": "reegen.writers.markdown:MarkdownWriter",
    "html": "reegen.writers.html:HtmlWriter",
    "json": "reegen.writers.json:JsonWriter",
}


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """What a writer needs besides the document."""

    #: the instant every timestamp in the output is pinned to (from SOURCE_DATE_EPOCH), or None for now
    source_date: datetime | None = None
    #: a name of `reegen.formats.PAGE_SIZES`: "A4" or "Letter"
    page_size: str = DEFAULT_PAGE_SIZE
    #: [brand] settings of reegen.toml: "accent" ("#RRGGBB"), "logo" (path), "logo_alt" (its alternative
    #: text), "font" (path of a TTF)
    brand: dict = field(default_factory=dict)
    #: the project root; relative brand paths resolve against it and must stay inside it
    base_dir: Path | None = None
    #: a .docx whose styles the DOCX writer applies (reference_docx in reegen.toml)
    reference_docx: Path | None = None
    #: where a writer records warnings (a `reegen.errors.Report`): text it had to draw otherwise
    report: object | None = None
    #: told how a writer gets on, as `progress(format, page)`: the PDF writer at each page it lays out
    progress: Callable[[str, int], None] | None = None


class Writer(Protocol):
    name: str

    def write(self, document: Document, options: WriteOptions) -> bytes: ...


def check_settings(options: WriteOptions) -> None:
    """Check the [brand] settings of `options` (colour, logo, font) as the PDF and DOCX writers will read them.

    Called when a build loads its project, so that a setting no writer can use is reported
    then, at its line of reegen.toml, whatever formats are asked for, and not first by a
    writer once the brief is composed. Raises `RenderError`.
    """
    from ._brand import load_brand

    load_brand(options)


def get_writer(name: str) -> Writer:
    """Return the writer for format `name`; raises KeyError for an unknown format."""
    module_name, _, class_name = REGISTRY[name].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()
