"""OOXML pieces python-docx has no API for: runs, hyperlinks, bookmarks, fields, the zip.

Every element is built with lxml through `docx.oxml`, so text from an article only ever
becomes element text or an attribute value, never markup. `check_text` is the gate every
string passes before it reaches lxml.
"""

from __future__ import annotations

import io
import re
import unicodedata
import shutil
import zipfile
from datetime import datetime, timezone
from typing import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.shared import Twips
from docx.oxml.settings import CT_Settings
from docx.oxml.text.run import CT_R
from lxml.etree import SubElement

from ..errors import Location, RenderError
from ._a11y import script_languages

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
    if text.isascii() or max(text) < "\u1100":  # settled in C, no loop over the characters
        return False
    return any(ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF" for ch in set(text))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_RFONTS = (f"{{{_W}}}{t}" for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "rFonts"))
W_B, W_BCS, W_I, W_ICS, W_T, W_TAB, W_BR = (f"{{{_W}}}{t}" for t in ("b", "bCs", "i", "iCs", "t", "tab", "br"))
W_TR, W_TC, W_TCPR, W_TCW, W_TYPE, W_WIDTH = (f"{{{_W}}}{t}" for t in ("tr", "tc", "tcPr", "tcW", "type", "w"))
W_HYPERLINK, W_VAL, W_EAST_ASIA, W_ANCHOR, W_HISTORY, W_TOOLTIP, W_LANG, W_BIDI = (
    f"{{{_W}}}{t}" for t in ("hyperlink", "val", "eastAsia", "anchor", "history", "tooltip", "lang", "bidi"))
R_ID = qn("r:id")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile("([\t\n])")
_W_NSMAP = {"w": _W}


def make_run(text: str, *, style: str | None = None, bold: bool = False, italic: bool = False,
             parent=None) -> CT_R:
    """Return a `w:r` holding `text`, with tabs and line feeds as `w:tab` and `w:br`.

    `style` is a character style id. A run holding CJK text names the East Asian font
    itself, so it keeps that font when an editor changes the run's Latin font. A run
    holding East Asian or right-to-left letters names their language (`w:lang`, from the
    script: see `script_languages`), so a screen reader switches voice for them. The
    caller has passed `text` through `check_text`. With `parent` (a `w:p` or
    `w:hyperlink`) the run is appended to it.

    Built with plain lxml (python-docx's property setters cost more than the rest of the
    writer); the markup is what `CT_R.text` and the `rPr` setters would produce.
    """
    if parent is None:
        run = oxml_parser.makeelement(W_R, nsmap=_W_NSMAP)
    else:
        run = SubElement(parent, W_R)
    east_asian = has_east_asian(text)
    east_lang, rtl_lang = script_languages(text)
    if style or bold or italic or east_asian or east_lang or rtl_lang:
        rpr = SubElement(run, W_RPR)
        # rPr children follow the schema order: rStyle, rFonts, b, bCs, i, iCs.
        if style:
            SubElement(rpr, W_RSTYLE, {W_VAL: style})
        if east_asian:
            SubElement(rpr, W_RFONTS, {W_EAST_ASIA: EAST_ASIA_FONT})
        if bold:
            SubElement(rpr, W_B)
            SubElement(rpr, W_BCS)
        if italic:
            SubElement(rpr, W_I)
            SubElement(rpr, W_ICS)
        if east_lang or rtl_lang:  # w:lang comes after every element written above
            lang = SubElement(rpr, W_LANG)
            if east_lang:
                lang.set(W_EAST_ASIA, east_lang)
            if rtl_lang:
                lang.set(W_BIDI, rtl_lang)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for piece in (_BREAKS.split(text) if "\t" in text or "\n" in text else (text,)):
        if piece == "\t":
            SubElement(run, W_TAB)
        elif piece == "\n":
            SubElement(run, W_BR)
        elif piece:
            t = SubElement(run, W_T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")
    return run  # type: ignore[return-value]


def set_alt_text(inline, text: str) -> None:
    """Give the picture of `inline` (a `wp:inline`) alternative text `text`, as Word's Alt Text pane does.

    Word and LibreOffice read `descr` of the drawing's `wp:docPr` (the picture's own
    `pic:cNvPr` carries it too). `title` stays unset: LibreOffice would read out both,
    "title - description".
    """
    inline.docPr.set("descr", text)
    for props in inline.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"):
        props.set("descr", text)


def set_table_title(tbl_pr, text: str) -> None:
    """Give a table (its `w:tblPr`) the title `text` (`w:tblCaption`), announced when a reader enters it."""
    for found in tbl_pr.findall(qn("w:tblCaption")):
        tbl_pr.remove(found)
    tbl_pr.insert_element_before(OxmlElement("w:tblCaption", attrs={qn("w:val"): text}),
                                 "w:tblDescription", "w:tblPrChange")


def add_paragraph(body, style: str, sect_pr=None):
    """Append a `w:p` in paragraph style id `style` to `body`, before `sect_pr` when given."""
    paragraph = SubElement(body, W_P)
    if sect_pr is not None:
        sect_pr.addprevious(paragraph)
    SubElement(SubElement(paragraph, W_PPR), W_PSTYLE, {W_VAL: style})
    return paragraph


def set_cell_width(tc, twips: int) -> None:
    """Set the width of table cell `tc` (a `w:tc`) to `twips`, as `CT_Tc.width` does."""
    tc_pr = tc.find(W_TCPR)
    tc_w = tc_pr.find(W_TCW) if tc_pr is not None else None
    if tc_w is None:
        tc.width = Twips(twips)
        return
    tc_w.set(W_TYPE, "dxa")
    tc_w.set(W_WIDTH, str(twips))


def set_paragraph_style(paragraph, style: str) -> None:
    """Give `paragraph` (a `w:p`) paragraph style id `style`."""
    if len(paragraph):
        paragraph.style = style  # python-docx keeps the schema order of what is there
    else:
        SubElement(SubElement(paragraph, W_PPR), W_PSTYLE, {W_VAL: style})


W_KEEP_NEXT, W_JC = f"{{{_W}}}keepNext", f"{{{_W}}}jc"
W_BOOKMARK_START, W_BOOKMARK_END, W_ID, W_NAME = (f"{{{_W}}}{t}" for t in ("bookmarkStart", "bookmarkEnd", "id", "name"))


def set_cell_paragraph(paragraph, style: str, *, keep_next: bool = False, justify=None) -> None:
    """Give a table cell's paragraph style id `style`, `w:keepNext` when `keep_next`, and `justify` (an alignment).

    A fresh cell's empty paragraph gets its `w:pPr` built at once, in schema order; the
    markup is what `set_paragraph_style` and python-docx's `keepNext_val` and `jc_val` make.
    """
    if len(paragraph):
        set_paragraph_style(paragraph, style)
        if keep_next:
            paragraph.get_or_add_pPr().keepNext_val = True
        if justify is not None:
            paragraph.get_or_add_pPr().jc_val = justify
        return
    ppr = SubElement(paragraph, W_PPR)
    SubElement(ppr, W_PSTYLE, {W_VAL: style})
    if keep_next:
        SubElement(ppr, W_KEEP_NEXT)
    if justify is not None:
        SubElement(ppr, W_JC, {W_VAL: justify.xml_value})


def external_hyperlink(rid: str, parent=None) -> OxmlElement:
    """Return an empty `w:hyperlink` pointing at relationship `rid` (appended to `parent` when given)."""
    if parent is None:
        return OxmlElement("w:hyperlink", attrs={qn("r:id"): rid, qn("w:history"): "1"})
    return SubElement(parent, W_HYPERLINK, {R_ID: rid, W_HISTORY: "1"})


def internal_hyperlink(anchor: str, parent=None) -> OxmlElement:
    """Return an empty `w:hyperlink` pointing at bookmark `anchor` in this document (appended to `parent` when given)."""
    if parent is None:
        return OxmlElement("w:hyperlink", attrs={qn("w:anchor"): anchor, qn("w:history"): "1"})
    return SubElement(parent, W_HYPERLINK, {W_ANCHOR: anchor, W_HISTORY: "1"})


def bookmark(bookmark_id: int, name: str) -> tuple[OxmlElement, OxmlElement]:
    """Return the `w:bookmarkStart` and `w:bookmarkEnd` pair of bookmark `name`."""
    # What OxmlElement("w:bookmarkStart", ...) makes, without parsing the prefixed names each time.
    start = oxml_parser.makeelement(W_BOOKMARK_START, attrib={W_ID: str(bookmark_id), W_NAME: name}, nsmap=_W_NSMAP)
    end = oxml_parser.makeelement(W_BOOKMARK_END, attrib={W_ID: str(bookmark_id)}, nsmap=_W_NSMAP)
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


def normalize_zip(data: bytes, when: datetime, written: dict[str, Callable] | None = None) -> bytes:
    """Return the package `data` rewritten so equal input gives equal bytes.

    Entries are stored in a fixed order ([Content_Types].xml, then _rels/.rels, then
    the rest sorted), all stamped with `when` (UTC, clamped to the zip range), with
    fixed compression and file attributes (python-docx #1042 stamps "now"). An entry
    named in `written` is written by its function, given the entry's file object,
    instead of copied from `data`.
    """
    written = written or {}
    stamp = when.astimezone(timezone.utc) if when.tzinfo else when
    date_time = (min(max(stamp.year, 1980), 2107), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    # Each entry is copied in pieces, not read whole: a 1,000-page brief's document.xml is 8 MB.
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = [info.filename for info in source.infolist()]
        first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED  # zlib's default level, 6 (as `writestr(compresslevel=6)`)
            info.create_system = 0
            info.external_attr = 0
            with target.open(info, "w") as copy:
                if name in written:
                    written[name](copy)
                    continue
                with source.open(name) as entry:
                    shutil.copyfileobj(entry, copy, 1 << 16)
    return out.getvalue()
