"""Fonts for the PDF writer: the bundled families (and a brand font), registered once, and glyph coverage.

Fonts are loaded from explicit paths, `reegen/data/fonts/` and the project's brand font,
never through `FontFinder`, which searches the machine and makes output depend on it.
TrueType faces are embedded as subsets, so every character the brief shows travels with
the file.

`FontSet.families` is ordered: the first family that draws a character draws it. The
body is DejaVu Sans (or the brand font, with DejaVu Sans behind it; DejaVu also draws
Hebrew); then Noto Sans Arabic, Noto Sans Devanagari, Noto Emoji (monochrome) and Droid
Sans Fallback (CJK). A family made for one script (`FontFamily.scope`) is loaded only
when text of that script appears, and Arabic script is drawn by Noto Sans Arabic alone,
so that a word never mixes two fonts' letters. A run of text a later family draws becomes
a `<font face=...>` run (see `_pdf_markup`).

Arabic letters take their contextual (joined) forms before reportlab sees them
(`reshape`, arabic-reshaper); a paragraph holding right-to-left text is broken into
lines and each line put in visual order by the Unicode bidirectional algorithm
(`bidi_order`, python-bidi), see `_pdf_bidi`. Devanagari needs OpenType shaping, which
reportlab does with HarfBuzz (`ParagraphStyle.shaping`, uharfbuzz): its runs are marked
`shaped`. A character no family draws becomes `PLACEHOLDER`, and is reported.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import Location, RenderError
from . import _rl_compat as compat

#: drawn, in the body family, for a character no bundled or brand font has
PLACEHOLDER = "\ufffd"

FONT_DIR = Path(str(resources.files("reegen").joinpath("data", "fonts")))
_STYLES = ("regular", "bold", "italic", "bold_italic")
_NEVER_DRAWN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class FontFamily:
    """A family the writer may draw with: `name` is what Paragraph markup and styles use.

    A bundled family other than the body (the CJK and monospaced faces) is registered
    with reportlab, and its file parsed, only when something first reads its `coverage`:
    text is always checked against coverage before its family's name is written into
    markup, so a brief with no CJK text never pays for the 3.4 MB CJK font.
    """

    __slots__ = ("name", "label", "faces", "_coverage", "_load", "_drawable", "scope", "shaped", "symbols")

    def __init__(self, name: str, label: str, coverage: frozenset[int] | None = None,
                 faces: tuple[str, str, str, str] = ("", "", "", ""), load=None,
                 scope: tuple[tuple[int, int], ...] = (), shaped: bool = False, symbols: bool = False):
        #: registered name of the regular face (the family name `<font face>` takes)
        self.name = name
        #: what an error message calls the family
        self.label = label
        #: registered face names by style; a family with one face uses it for every style
        self.faces = faces
        self._coverage = coverage
        #: registers the faces and returns the coverage, for a family loaded on first use
        self._load = load
        self._drawable: frozenset[str] | None = None
        #: (first, last) code point ranges of the script the family is for; empty: any character
        self.scope = scope
        #: its text needs OpenType shaping (reportlab's HarfBuzz path) to be drawn right
        self.shaped = shaped
        #: a family of symbols (emoji): spaces and punctuation beside them are drawn by the body
        self.symbols = symbols

    def in_scope(self, code: int) -> bool:
        """Return whether the family is meant for `code`: checked before `coverage`, which loads the font."""
        return not self.scope or any(lo <= code <= hi for lo, hi in self.scope)

    def __repr__(self) -> str:
        return f"FontFamily(name={self.name!r}, label={self.label!r}, faces={self.faces!r})"

    @property
    def coverage(self) -> frozenset[int]:
        """Code points every face of the family can draw (controls, format marks, right-to-left scripts excluded)."""
        coverage = self._coverage
        if coverage is None:
            with _lock:
                if self._coverage is None:
                    self._coverage = self._load()
                coverage = self._coverage
        return coverage

    @property
    def drawable(self) -> frozenset[str]:
        """The characters of `coverage`, and the spaces layout needs no glyph for: `drawable.issuperset(text)`
        answers for a whole text in C."""
        drawable = self._drawable
        if drawable is None:
            drawable = self._drawable = frozenset(map(chr, self.coverage)) | _LAYOUT_SPACE
        return drawable

    @property
    def bold(self) -> str:
        return self.faces[1] or self.name

    @property
    def italic(self) -> str:
        return self.faces[2] or self.name

    @property
    def bold_italic(self) -> str:
        return self.faces[3] or self.name

    def face(self, *, bold: bool = False, italic: bool = False) -> str:
        """Return the registered face name for the style asked."""
        return self.bold_italic if bold and italic else self.bold if bold else self.italic if italic else self.name


@dataclass(frozen=True, slots=True)
class FontSet:
    """The families the writer may draw with, in order of preference."""

    families: tuple[FontFamily, ...]
    #: family for `Code` inlines
    mono: FontFamily

    @property
    def body(self) -> FontFamily:
        return self.families[0]

    def label(self) -> str:
        """Return the families' names for messages, e.g. "DejaVu Sans, Droid Sans Fallback"."""
        return ", ".join(f.label for f in self.families)

    def family_for(self, chars: str) -> FontFamily:
        """Return the first family that draws every one of `chars` (reegen's own marks: bullets, brackets).

        A brand font may lack a bullet or a middle dot; the bundled body family has them all.
        """
        return next((f for f in self.families if f.drawable.issuperset(chars)), self.families[-1])


#: (registered name, label, {style: file in reegen/data/fonts}); a missing style uses the regular face
_BODY = ("ReegenSans", "DejaVu Sans", {
    "regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf", "bold_italic": "DejaVuSans-BoldOblique.ttf",
})
_CJK = ("ReegenCJK", "Droid Sans Fallback", {"regular": "DroidSansFallback.ttf"})
_MONO = ("ReegenMono", "DejaVu Sans Mono", {"regular": "DejaVuSansMono.ttf"})
_ARABIC = ("ReegenArabic", "Noto Sans Arabic",
           {"regular": "NotoSansArabic-Regular.ttf", "bold": "NotoSansArabic-Bold.ttf"})
_DEVANAGARI = ("ReegenDevanagari", "Noto Sans Devanagari",
               {"regular": "NotoSansDevanagari-Regular.ttf", "bold": "NotoSansDevanagari-Bold.ttf"})
_EMOJI = ("ReegenEmoji", "Noto Emoji", {"regular": "NotoEmoji-Regular.ttf"})

#: Arabic script, presentation forms included (what `visual_order` turns letters into)
ARABIC_SCOPE = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
DEVANAGARI_SCOPE = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
#: symbols and pictographs: punctuation and symbol blocks, enclosed characters, emoji
EMOJI_SCOPE = ((0x2000, 0x2BFF), (0x3030, 0x303D), (0x3297, 0x3299), (0x1F000, 0x1FAFF))


class SubsetFont(TTFont):
    """A TrueType face that encodes text already in its first subset with one `str.translate`.

    An embedded face is written as subsets of 256 codes; reportlab's `splitString` finds
    each character's code with a Python loop over the text, and runs for every piece of
    text drawn (28,000 pieces, 550,000 characters, on a 230-page brief). Once a brief's
    first pages are drawn, nearly every character it uses has its code in the first
    subset: such text is encoded here through a table made from those codes. Text with a
    character not yet assigned, one in a later subset or one the face lacks goes through
    reportlab's own loop, which assigns it; the table is remade when assignments grow.
    That is the ``subset`` fast path (see `_rl_compat`).

    It also writes each subset's ToUnicode map right for characters above U+FFFF
    (see `_fix_to_unicode`), for its own faces only.
    """

    def splitString(self, text, doc, encoding="utf-8"):
        if not compat.fast("subset") or type(text) is not str:
            return super().splitString(text, doc, encoding)
        try:
            found = self._first_subset(text, doc)
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("subset", exc) from exc
        return super().splitString(text, doc, encoding) if found is None else found

    def _first_subset(self, text: str, doc):
        """`splitString(text, doc)` for text already in the first subset; None for reportlab's loop."""
        state = self.state.get(doc)
        if state is not None:
            assignments = state.assignments
            table = getattr(state, "_reegen_first", None)
            if table is None or table[0] != len(assignments):
                table = state._reegen_first = (len(assignments), _first_subset_table(assignments))
            try:
                encoded = text.translate(table[1]).encode("latin-1")
            except UnicodeEncodeError:
                return None
            compat.ran["subset"] += 1
            return [(0, encoded)] if encoded else []
        return None

    def addObjects(self, doc):
        super().addObjects(doc)
        _fix_to_unicode(self, doc)


def _first_subset_table(assignments: dict[int, int]) -> dict[int, int]:
    """Return a `str.translate` table: characters with a first-subset code to that code, other Latin-1 out of it."""
    table = dict.fromkeys(range(256), 256)  # 256 cannot be encoded as Latin-1: the caller falls back
    for char, code in assignments.items():
        if code < 256:
            table[char] = code
    space = assignments.get(32, 256)
    table[0xA0] = space if space < 256 else 256  # reportlab draws a no-break space with the space's code
    return table


_lock = threading.RLock()
_bundled: tuple[FontFamily, ...] | None = None
_brands: dict[str, FontFamily] = {}


def load_fonts(brand_font: Path | None = None, *, where: Location | None = None) -> FontSet:
    """Return the font set, registering the bundled faces (and `brand_font`) on first use.

    `brand_font` is a checked TrueType path (see `_brand`); its bold and italic faces are
    taken from files beside it named `<stem>-Bold.ttf`, `-Italic.ttf` (or `-Oblique`),
    `-BoldItalic.ttf` (or `-BoldOblique`), and its regular face stands in for any that
    is missing. Raises `RenderError` located at `where` for a font reportlab cannot use.
    """
    global _bundled
    with _lock:
        if _bundled is None:
            body = _register(*_bundled_files(_BODY))
            _bundled = (
                body,
                _lazy_family(*_bundled_files(_ARABIC), scope=ARABIC_SCOPE, arabic=True),
                _lazy_family(*_bundled_files(_DEVANAGARI), scope=DEVANAGARI_SCOPE, shaped=True),
                _lazy_family(*_bundled_files(_EMOJI), scope=EMOJI_SCOPE, symbols=True),
                _lazy_family(*_bundled_files(_CJK)),
                _lazy_family(*_bundled_files(_MONO)),
            )
        body, *fallbacks, mono = _bundled
        if brand_font is None:
            return FontSet((body, *fallbacks), mono)
        brand = _brand_family(brand_font, where)
        return FontSet((brand, body, *fallbacks), mono)


def _brand_family(path: Path, where: Location | None) -> FontFamily:
    files = {"regular": path, **_sibling_faces(path)}
    digest = hashlib.sha256()
    for style in _STYLES:
        if style in files:
            digest.update(style.encode() + b"\0" + files[style].read_bytes())
    key = digest.hexdigest()[:16]
    family = _brands.get(key)
    if family is None:
        try:
            family = _register(f"ReegenBrand-{key}", "", files)
        except Exception as exc:  # reportlab's TTFError, struct errors on a damaged file
            raise RenderError(f"[brand] font '{path.name}' cannot be embedded: {str(exc).strip()[:200]}",
                              location=where, hint="use an installable TrueType (.ttf) font that allows embedding",
                              code="render.brand") from None
        _brands[key] = family
    return family


def _sibling_faces(path: Path) -> dict[str, Path]:
    """Return the bold and italic faces beside the regular face `path`, where they exist."""
    stem = path.stem
    for suffix in ("-Regular", "_Regular", "Regular", "-Roman", "-Book"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = stem.rstrip("-_")
    names = {"bold": ("Bold",), "italic": ("Italic", "Oblique"), "bold_italic": ("BoldItalic", "BoldOblique")}
    found: dict[str, Path] = {}
    for style, words in names.items():
        for word in words:
            candidate = path.with_name(f"{stem}-{word}{path.suffix}")
            try:
                real = candidate.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            # A sibling must stay beside the regular face: no symlink out of the project.
            if real.parent == path.parent and real.is_file():
                found[style] = real
                break
    return found


def _bundled_files(spec: tuple[str, str, dict[str, str]]) -> tuple[str, str, dict[str, Path]]:
    name, label, files = spec
    return name, label, {style: FONT_DIR / file for style, file in files.items()}


def _face_names(name: str, files: dict[str, Path]) -> dict[str, str]:
    faces = {"regular": name, "bold": name + "-Bold", "italic": name + "-Italic", "bold_italic": name + "-BoldItalic"}
    return {style: face if style in files else name for style, face in faces.items()}


def _lazy_family(name: str, label: str, files: dict[str, Path], *, scope: tuple[tuple[int, int], ...] = (),
                 shaped: bool = False, arabic: bool = False, symbols: bool = False) -> FontFamily:
    """Return a bundled family whose faces are registered the first time its coverage is read."""
    faces = _face_names(name, files)
    return FontFamily(name, label, None, (faces["regular"], faces["bold"], faces["italic"], faces["bold_italic"]),
                      load=lambda: _register(name, label, files, arabic=arabic).coverage, scope=scope, shaped=shaped,
                      symbols=symbols)


def _register(name: str, label: str, files: dict[str, Path], *, arabic: bool = False) -> FontFamily:
    faces = _face_names(name, files)
    coverage: frozenset[int] | None = None
    for style in _STYLES:
        if style not in files:
            continue
        font = SubsetFont(faces[style], str(files[style]))
        pdfmetrics.registerFont(font)
        if style == "regular" and not label:
            label = font.face.familyName.decode("latin-1", "replace") or files[style].stem
        cmap = frozenset(font.face.charToGlyph)
        coverage = cmap if coverage is None else coverage & cmap
    # The family mapping is what <b> and <i> consult inside Paragraph markup.
    pdfmetrics.registerFontFamily(name, normal=faces["regular"], bold=faces["bold"],
                                  italic=faces["italic"], boldItalic=faces["bold_italic"])
    # A family with fewer than four faces maps the missing styles to its regular face, and the
    # reverse lookup (`ps2tt`) then calls that face bold italic: it is told it is the regular one.
    addMapping(name, 0, 0, faces["regular"])
    # Controls, invisible format marks and private-use code points are never drawn, even
    # where a font maps them: they are dropped (`draw_form`) or shown as the placeholder.
    # Arabic script is left to the Arabic family (`arabic`), whose letters all match.
    drawable = frozenset(c for c in (coverage or ())
                         if unicodedata.category(chr(c)) not in _NEVER_DRAWN
                         and (arabic or not any(lo <= c <= hi for lo, hi in ARABIC_SCOPE)))
    return FontFamily(name, label, drawable, (faces["regular"], faces["bold"], faces["italic"], faces["bold_italic"]))


#: left-to-right, right-to-left and Arabic letter marks: they steer the bidi algorithm and have no glyph
BIDI_MARKS = "\u200e\u200f\u061c"
#: the first strong right-to-left character; below U+0590 there is none
_RTL_HINT = "\u0590"
_reshaper = None


def has_right_to_left(text: str) -> bool:
    """Return whether `text` holds a strong right-to-left character (Hebrew, Arabic letters, RLM)."""
    return max(text, default="\0") >= _RTL_HINT and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def reshape(text: str) -> str:
    """Return `text` with Arabic letters in their contextual (joined) forms, harakat kept (arabic-reshaper).

    The forms are presentation-form code points that Noto Sans Arabic draws without
    OpenType shaping; the lam-alef ligatures are made too. Other text is returned as it is.
    """
    if max(text, default="\0") < _RTL_HINT or not any(unicodedata.bidirectional(c) == "AL" for c in text):
        return text
    global _reshaper
    if _reshaper is None:
        from arabic_reshaper import ArabicReshaper
        _reshaper = ArabicReshaper(configuration={"delete_harakat": False, "shift_harakat_position": False})
    return _reshaper.reshape(text)


def bidi_order(line: str) -> list[tuple[int, str]]:
    """Return the characters of one line in visual order: (index in `line`, character as drawn).

    The Unicode bidirectional algorithm (python-bidi's `bidi.algorithm`, rules X1 to L2,
    then mirroring of brackets in right-to-left runs), with a left-to-right paragraph
    direction, as the DOCX and HTML outputs have. Lines are broken before this, so each
    line reads in order from the top.
    """
    if not has_right_to_left(line):
        return list(enumerate(line))
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 0, "L"
    uba.get_embedding_levels(line, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(char["index"], char["ch"]) for char in storage["chars"]]


def visual_order(text: str) -> str:
    """Return one line of `text` as drawn left to right: Arabic joined, right-to-left runs reversed and mirrored."""
    text = reshape(text)
    if not has_right_to_left(text):
        return text
    return "".join(ch for _, ch in bidi_order(text))


def is_wide(text: str) -> bool:
    """Return whether `text` holds East Asian wide characters, whose lines break between any two."""
    if not text or max(text) < "\u1100":  # the usual case, settled in C without a per-character loop
        return False
    return any(ord(ch) >= 0x1100 and unicodedata.east_asian_width(ch) in "WF" for ch in text)


#: characters Paragraph layout treats as spaces; they need no glyph of their own
_LAYOUT_SPACE = frozenset(" \t\n")


def draw_form(ch: str) -> str | None:
    """Return what to draw for a character no font covers, or None when it must be reported.

    Spaces of other widths (thin, narrow no-break, ideographic) become a plain or
    no-break space, and invisible format characters (bidi marks, joiners) and
    variation selectors (emoji or text presentation) are left out: neither changes
    what a reader sees in a monochrome brief.
    """
    if ch.isspace():
        return "\u00a0" if ch in "\u2007\u202f" else " "
    if ch in BIDI_MARKS:  # kept for the bidi algorithm (see `_pdf_bidi`), never drawn
        return ch
    if unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return ""
    return None


def split_by_family(text: str, fonts: FontSet, missing: list[int] | None = None) -> list[tuple[str, FontFamily]]:
    """Return `text` cut into runs each drawn by one family.

    A character no family draws becomes `PLACEHOLDER` and its code point is appended to
    `missing`. Punctuation, digits and spaces next to a script family's run stay in that
    family when it has them, so a shaped word is not split between two fonts. The usual
    case, all text in the body family, costs one set lookup per character, in C.
    """
    body = fonts.body
    if body.drawable.issuperset(text):
        return [(text, body)]
    text = unicodedata.normalize("NFC", text)
    runs: list[tuple[str, FontFamily]] = []
    current: list[str] = []
    current_family = body
    for ch in text:
        code = ord(ch)
        family = None
        if ch in _LAYOUT_SPACE:
            # a space takes its width from the body, never from a symbol font's wide space
            family = body if current_family.symbols else current_family
        elif (current_family.scope and not current_family.symbols and code in current_family.coverage
              and unicodedata.bidirectional(ch) not in ("L", "R", "AL")):
            family = current_family
        else:
            for candidate in fonts.families:
                if candidate.in_scope(code) and code in candidate.coverage:
                    family = candidate
                    break
        if family is None:
            replacement = draw_form(ch)
            if replacement is None:
                if missing is not None:
                    missing.append(code)
                replacement, family = PLACEHOLDER, fonts.family_for(PLACEHOLDER)
            else:
                family = current_family
            ch = replacement
        if family is not current_family and current:
            runs.append(("".join(current), current_family))
            current = []
        current_family = family
        current.append(ch)
    if current:
        runs.append(("".join(current), current_family))
    return runs


def text_width(text: str, fonts: FontSet, size: float, *, bold: bool = False) -> float:
    """Return the width of checked `text` drawn in `fonts` at `size` points."""
    parts = split_by_family(text, fonts)
    return sum(pdfmetrics.stringWidth(chunk, family.face(bold=bold), size) for chunk, family in parts)


def draw_text(canv, x: float, y: float, text: str, fonts: FontSet, size: float, *, bold: bool = False,
              align: str = "left") -> None:
    """Draw checked `text` on `canv` at (`x`, `y`), each run in the family that has its glyphs."""
    parts = split_by_family(text, fonts)
    width = sum(pdfmetrics.stringWidth(chunk, family.face(bold=bold), size) for chunk, family in parts)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for chunk, family in parts:
        face = family.face(bold=bold)
        canv.setFont(face, size)
        if family.shaped:  # reportlab's HarfBuzz path, as in paragraphs
            canv.drawString(x, y, chunk, shaping=True)
        else:
            canv.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, face, size)


def _unicode_hex(code: int) -> str:
    """Return `code` as a ToUnicode CMap destination: UTF-16BE hex, a surrogate pair above U+FFFF."""
    if code > 0xFFFF:
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"
    return f"{code:04X}"


def _fix_to_unicode(font: TTFont, doc) -> None:
    """Correct the entries above U+FFFF in the ToUnicode CMaps of `font`'s subsets in `doc`.

    reportlab (`ttfonts.makeToUnicodeCMap`, 4.x to 5.1 at least) prints such a character
    as five hex digits (`<01> <1F600>`), which PDF readers misread: an emoji drew right but
    copied, searched and extracted as another character. UTF-16 wants a surrogate pair
    (`<01> <D83DDE00>`). The maps are found by the name reportlab gives them
    (`toUnicodeCMap:` and the subset's font name), so only reegen's own faces in reegen's
    own documents change; should reportlab name them otherwise, its maps are left as they
    are (the text still draws right).
    """
    try:
        name = "+" + (font.face.name + getattr(font.face, "subfontNameX", b"")).decode("latin-1")
        for key, stream in list(doc.idToObject.items()):
            if isinstance(key, str) and key.startswith("toUnicodeCMap:") and key.endswith(name):
                content = stream.content
                if isinstance(content, str) and _ABOVE_BMP.search(content):
                    stream.content = _ABOVE_BMP.sub(lambda m: f"<{m[1]}> <{_unicode_hex(int(m[2], 16))}>", content)
    except (AttributeError, TypeError, UnicodeDecodeError):
        return


#: a ToUnicode entry whose destination is above U+FFFF, as reportlab prints it
_ABOVE_BMP = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.M)
