"""The output formats and page sizes reegen knows, named once for the spec, reegen.toml, the API and the writers."""

from __future__ import annotations

#: the formats reegen writes, in the order it lists them; `reegen.writers.REGISTRY` serves each
FORMATS = ("pdf", "docx", "md", "html", "json")
#: what a brief is written as when neither the command, the spec nor reegen.toml says
DEFAULT_FORMATS = ("pdf", "docx")
_MM = 72 / 2.54 * 0.1  # a millimetre in points, worked out as reportlab does, to its last bit
#: page sizes by name, as (width, height) in points: A4 is 210 x 297 mm, Letter 8.5 x 11 inches
PAGE_SIZES = {"A4": (210 * _MM, 297 * _MM), "Letter": (8.5 * 72, 11 * 72)}
#: the page size when neither the spec nor reegen.toml names one
DEFAULT_PAGE_SIZE = "A4"


def page_size_name(value: object) -> str | None:
    """Return the page size `value` names (case aside: "letter" is "Letter"), or None when it names none."""
    if not isinstance(value, str):
        return None
    return next((name for name in PAGE_SIZES if name.lower() == value.strip().lower()), None)
