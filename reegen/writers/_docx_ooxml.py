"""OOXML pieces python-docx has no API for: runs, hyperlinks, bookmarks, fields, the zip.

Every element is built with lxml through `docx.oxml`, so text from an article only ever
becomes element text or an attribute value, never markup. `check_text` is the gate every
string passes before it reaches lxml.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime, timezone
from typing import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.settings import CT_Settings
from docx.oxml.text.run import CT_R

from ..errors import Location, RenderError

# XML 1.0 Char excludes these; lxml raises a bare ValueError (UnicodeEncodeError for
# surrogates) that names neither the character nor where it came from.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ALLOWED_SCHEMES = ("http", "https", "mailto")
#: the East Asian font slot of every text style and of every run holding CJK text: Word
#: ships it, and LibreOffice substitutes the system's CJK face for it
EAST_ASIA_FONT = "Microsoft YaHei"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def check_text(text: str, where: Callable[[], str]) -> str:
    """Return `text` unchanged; raise `RenderError` naming the first character XML forbids.

    `where` is called only on failure and describes the block and its source.
    """
    match = _XML_INVALID.search(text)
    if match is None:
        return text
    char = match.group(0)
    code = f"U+{ord(char):04X}"
    snippet = _XML_INVALID.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text[max(0, match.start() - 30): match.end() + 30])
    place = where()
    found = getattr(place, "location", None)
    raise RenderError(
        f"cannot write character {code} to DOCX: XML 1.0 forbids it; {place}, near '{snippet.strip()}'",
        Location(found[0], found[1]) if found else None,
        hint="remove the character from the source text (reegen.text.sanitize_text strips it at ingest)",
        code="render.invalid-character",
    )


def is_safe_url(url: str) -> bool:
    """Return whether `url` may become a clickable link (http, https or mailto only)."""
    match = _SCHEME.match(url.strip())
    return bool(match) and match.group(1).lower() in _ALLOWED_SCHEMES


def has_east_asian(text: str) -> bool:
    """Return whether `text` holds East Asian wide characters (CJK ideographs, kana, Hangul, full-width forms)."""
    return any(ord(ch) >= 0x1100 and unicodedata.east_asian_width(ch) in "WF" for ch in text)


def make_run(text: str, *, style: str | None = None, bold: bool = False, italic: bool = False) -> CT_R:
    """Return a `w:r` holding `text`, with tabs and line feeds as `w:tab` and `w:br`.

    `style` is a character style id. A run holding CJK text names the East Asian font
    itself, so it keeps that font when an editor changes the run's Latin font. The
    caller has passed `text` through `check_text`.
    """
    run: CT_R = OxmlElement("w:r")  # type: ignore[assignment]
    east_asian = has_east_asian(text)
    if style or bold or italic or east_asian:
        rpr = run.get_or_add_rPr()
        if style:
            rpr.style = style
        # rPr children follow the schema order: rStyle, rFonts, b, bCs, i, iCs.
        if east_asian:
            rpr.append(OxmlElement("w:rFonts", attrs={qn("w:eastAsia"): EAST_ASIA_FONT}))
        if bold:
            rpr.append(OxmlElement("w:b"))
            rpr.append(OxmlElement("w:bCs"))
        if italic:
            rpr.append(OxmlElement("w:i"))
            rpr.append(OxmlElement("w:iCs"))
    run.text = text.replace("\r\n", "\n").replace("\r", "\n")
    return run


def external_hyperlink(rid: str) -> OxmlElement:
    """Return an empty `w:hyperlink` pointing at relationship `rid`."""
    return OxmlElement("w:hyperlink", attrs={qn("r:id"): rid, qn("w:history"): "1"})


def internal_hyperlink(anchor: str) -> OxmlElement:
    """Return an empty `w:hyperlink` pointing at bookmark `anchor` in this document."""
    return OxmlElement("w:hyperlink", attrs={qn("w:anchor"): anchor, qn("w:history"): "1"})


def bookmark(bookmark_id: int, name: str) -> tuple[OxmlElement, OxmlElement]:
    """Return the `w:bookmarkStart` and `w:bookmarkEnd` pair of bookmark `name`."""
    start = OxmlElement("w:bookmarkStart", attrs={qn("w:id"): str(bookmark_id), qn("w:name"): name})
    end = OxmlElement("w:bookmarkEnd", attrs={qn("w:id"): str(bookmark_id)})
    return start, end


def simple_field(instruction: str, cached: str, *, style: str | None = None) -> OxmlElement:
    """Return a `w:fldSimple` for `instruction` showing `cached` until Word updates it."""
    field = OxmlElement("w:fldSimple", attrs={qn("w:instr"): instruction})
    field.append(make_run(cached, style=style))
    return field


def field_begin(instruction: str) -> list[OxmlElement]:
    """Return the runs opening a complex field: begin (dirty), instruction, separate."""
    begin = OxmlElement("w:r")
    # dirty asks Word to recompute this field when it opens the file.
    begin.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): "begin", qn("w:dirty"): "true"}))
    instr = OxmlElement("w:r")
    text = OxmlElement("w:instrText", attrs={"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    text.text = f" {instruction} "
    instr.append(text)
    separate = OxmlElement("w:r")
    separate.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): "separate"}))
    return [begin, instr, separate]


def field_end() -> OxmlElement:
    """Return the run closing a complex field."""
    end = OxmlElement("w:r")
    end.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): "end"}))
    return end


# CT_Settings children that follow w:updateFields, in schema order (Word rejects them out of order).
_SETTINGS_AFTER_UPDATE = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def set_update_fields(settings: CT_Settings) -> None:
    """Set `w:updateFields` in settings.xml so Word refreshes fields (the TOC) on open."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    settings.insert_element_before(OxmlElement("w:updateFields", attrs={qn("w:val"): "true"}), *_SETTINGS_AFTER_UPDATE)


# CT_PPr children that follow w:pBdr, in schema order (Word rejects them out of order).
PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)


def paragraph_border(ppr, side: str, *, size: int, color: str, space: int) -> None:
    """Give the paragraph properties `ppr` (of a paragraph or a style) a single border on `side`."""
    border = OxmlElement("w:pBdr")
    border.append(OxmlElement(f"w:{side}", attrs={
        qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): str(space), qn("w:color"): color,
    }))
    ppr.insert_element_before(border, *PPR_AFTER_PBDR)


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Return the package `data` rewritten so equal input gives equal bytes.

    Entries are stored in a fixed order ([Content_Types].xml, then _rels/.rels, then
    the rest sorted), all stamped with `when` (UTC, clamped to the zip range), with
    fixed compression and file attributes (python-docx #1042 stamps "now").
    """
    stamp = when.astimezone(timezone.utc) if when.tzinfo else when
    date_time = (min(max(stamp.year, 1980), 2107), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in entries]
    order = first + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
