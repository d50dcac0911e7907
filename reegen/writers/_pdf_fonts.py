"""Fonts for the PDF writer: reportlab's bundled Bitstream Vera, registered once, and glyph coverage.

Fonts are loaded from explicit paths inside the reportlab package (never `FontFinder`, which
searches the machine and makes output depend on it). TrueType faces are embedded as subsets,
so every character the brief shows travels with the file.

`FontSet.families` is ordered: the first family that draws a character draws it. Today that
is Vera alone; a CJK family appended to `_FAMILIES` would be used for the characters Vera
lacks, through `<font face=...>` runs (see `_pdf_markup`).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A registered family: `name` is what Paragraph markup and styles use."""

    #: registered name of the regular face; bold and italic faces add `-Bold`, `-Italic`, `-BoldItalic`
    name: str
    #: what an error message calls the family
    label: str
    #: code points every face of the family can draw
    coverage: frozenset[int] = field(repr=False)

    @property
    def bold(self) -> str:
        return self.name + "-Bold"

    @property
    def italic(self) -> str:
        return self.name + "-Italic"

    @property
    def bold_italic(self) -> str:
        return self.name + "-BoldItalic"


@dataclass(frozen=True, slots=True)
class FontSet:
    """The families the writer may draw with, in order of preference."""

    families: tuple[FontFamily, ...]
    #: family for `Code` inlines; Vera again, since reportlab bundles no monospaced TrueType face
    mono: FontFamily

    @property
    def body(self) -> FontFamily:
        return self.families[0]

    def label(self) -> str:
        """Return the families' names for messages, e.g. "Bitstream Vera Sans"."""
        return ", ".join(f.label for f in self.families)


#: (registered name, label, {style: file name in reportlab/fonts}); first is the body family
_FAMILIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("ReegenSans", "Bitstream Vera Sans",
     {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf", "bold_italic": "VeraBI.ttf"}),
)

_lock = threading.Lock()
_fonts: FontSet | None = None


def load_fonts() -> FontSet:
    """Return the registered font set, registering the bundled faces on first use."""
    global _fonts
    with _lock:
        if _fonts is None:
            families = tuple(_register(name, label, files) for name, label, files in _FAMILIES)
            _fonts = FontSet(families, mono=families[0])
        return _fonts


def _register(name: str, label: str, files: dict[str, str]) -> FontFamily:
    faces = {
        "regular": name, "bold": name + "-Bold",
        "italic": name + "-Italic", "bold_italic": name + "-BoldItalic",
    }
    coverage: frozenset[int] | None = None
    for style, face_name in faces.items():
        font = TTFont(face_name, str(_FONT_DIR / files[style]))
        pdfmetrics.registerFont(font)
        cmap = frozenset(font.face.charToGlyph)
        coverage = cmap if coverage is None else coverage & cmap
    # The family mapping is what <b> and <i> consult inside Paragraph markup.
    pdfmetrics.registerFontFamily(name, normal=faces["regular"], bold=faces["bold"],
                                  italic=faces["italic"], boldItalic=faces["bold_italic"])
    return FontFamily(name, label, coverage or frozenset())


#: characters Paragraph layout treats as spaces; they need no glyph of their own
_LAYOUT_SPACE = frozenset(" \t\n")
_LAYOUT_SPACE_CODES = frozenset(map(ord, _LAYOUT_SPACE))


def draw_form(ch: str) -> str | None:
    """Return what to draw for a character no font covers, or None when it must be reported.

    Spaces of other widths (thin, narrow no-break, ideographic) become a plain or
    no-break space, and invisible format characters (bidi marks, joiners) are left
    out: neither changes what a reader sees.
    """
    if ch.isspace():
        return "\u00a0" if ch in "\u2007\u202f" else " "
    if unicodedata.category(ch) == "Cf":
        return ""
    return None


def split_by_family(text: str, fonts: FontSet) -> list[tuple[str, FontFamily]] | int:
    """Return `text` cut into runs each drawn by one family, or the first undrawable code point.

    The usual case, all text in the body family, costs one set comparison.
    """
    body = fonts.body
    if set(map(ord, text)) - _LAYOUT_SPACE_CODES <= body.coverage:
        return [(text, body)]
    text = unicodedata.normalize("NFC", text)
    runs: list[tuple[str, FontFamily]] = []
    current: list[str] = []
    current_family = body
    for ch in text:
        code = ord(ch)
        family = None
        if ch in _LAYOUT_SPACE:
            family = current_family
        else:
            for candidate in fonts.families:
                if code in candidate.coverage:
                    family = candidate
                    break
        if family is None:
            replacement = draw_form(ch)
            if replacement is None:
                return code
            ch, family = replacement, current_family
        if family is not current_family and current:
            runs.append(("".join(current), current_family))
            current = []
        current_family = family
        current.append(ch)
    if current:
        runs.append(("".join(current), current_family))
    return runs
