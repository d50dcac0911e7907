"""The DOCX look: Word's built-in styles from python-docx's default template, adjusted.

Everything visible is a named style, so an editor restyles the brief from Word's Styles
pane instead of hunting direct formatting. The few styles Word lacks (source numbers,
the Sources entries, editorial notes) are added as ordinary custom styles based on Normal.
"""

from __future__ import annotations

import colorsys

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from lxml import etree

from .. import formats
# The East Asian font slot of every text style; without it CJK falls back to the
# template theme's Japanese MS Mincho, which has Japanese glyph forms for Chinese text.
from ._docx_ooxml import EAST_ASIA_FONT, paragraph_border
from . import _house as house
from ._a11y import EAST_ASIAN, RIGHT_TO_LEFT, primary_language

MONO_FONT = house.MONO_FONT

TITLE = "Title"
SUBTITLE = "Subtitle"
META = "Brief Metadata"
#: a character style: the classification in the title block and the running header
CLASSIFICATION = "Classification"
BODY = "Normal"
LEAD = "Lead Paragraph"
NOTE = "Editorial Note"
QUOTE = "Quote"
CAPTION = "Caption"
TABLE = "Medium Shading 1 Accent 1"
TABLE_TEXT = "Table Text"
SOURCE_ENTRY = "Source Entry"
TOC_HEADING = "TOC Heading"
TOC_LEVELS = ("toc 1", "toc 2")
BULLETS = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBERS = ("List Number", "List Number 2", "List Number 3")
CONTINUES = ("List Continue", "List Continue 2", "List Continue 3")
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")
# character styles
HYPERLINK = "Hyperlink"
SOURCE_NUMBER = "Source Number"
#: a table's source column: the numbers are the cell's content, so they sit on the baseline
TABLE_SOURCE_NUMBER = "Table Source Number"
UNRESOLVED = "Unresolved Marker"
CODE = "Verbatim Char"

_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


_INK = _rgb(house.INK)
_MUTED = _rgb(house.MUTED)

PAGE_SIZES = {name.upper(): (Pt(width), Pt(height)) for name, (width, height) in formats.PAGE_SIZES.items()}
#: top and bottom margins, as in the PDF
MARGIN_TOP = Pt(68)
MARGIN_BOTTOM = Pt(62.4)
#: a table's cell padding, left and right, in twips (5 points, as in the PDF)
CELL_PADDING = 100
#: list indents in twips: (text indent, hanging) per level, the PDF's 2 pt bullet inset and 12 pt gap
_BULLET_INDENTS = ((280, 240), (520, 240), (760, 240))
_NUMBER_INDENTS = ((340, 300), (640, 300), (940, 300))


def setup_page(document: DocxDocument, page_size: str) -> int:
    """Set page size and margins of the only section; return the text width in twips.

    Raises KeyError for a page size other than "A4" or "Letter".
    """
    width, height = PAGE_SIZES[page_size.upper()]
    section = document.sections[0]
    section.page_width, section.page_height = width, height
    # The PDF's measure: about 70 characters of body text a line, on A4 and Letter alike.
    margin = Pt(house.side_margin(width / 12700))
    section.left_margin = section.right_margin = margin
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance = section.footer_distance = Cm(1.2)
    text_width = int((width - 2 * margin) / 635)  # EMU -> twips
    # The template's tab stops suit a Letter page with wider margins; a title in the header
    # would otherwise run into the classification at the old centre stop.
    for name in ("Header", "Footer"):
        tabs = document.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Twips(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.RIGHT)
    return text_width


class _Styles:
    """The template's styles by name, read once.

    python-docx answers `styles[name]` with an XPath search of styles.xml and checks
    `add_style` against every style's name in turn: with the template's 160-odd styles
    that was half the time of writing a four-page brief. Lookups here give the same
    first match by (internal) name; any other key goes to python-docx.
    """

    def __init__(self, document: DocxDocument):
        self._styles = document.styles
        self._root = document.styles.element
        self._by_name: dict[str, object] = {}
        for element in self._root.iterchildren(qn("w:style")):
            self._by_name.setdefault(element.name_val, element)

    def __getitem__(self, name: str):
        element = self._by_name.get(BabelFish.ui2internal(name))
        return StyleFactory(element) if element is not None else self._styles[name]

    def add_style(self, name: str, style_type):
        internal = BabelFish.ui2internal(name)
        if internal in self._by_name:
            raise ValueError(f"document already contains style '{name}'")
        element = self._by_name[internal] = self._root.add_style_of_type(internal, style_type, False)
        return StyleFactory(element)


def setup_styles(document: DocxDocument, *, accent: str | None = None, font: str | None = None) -> None:
    """Give the template's built-in styles reegen's house style and add reegen's few custom ones.

    The house style is the PDF's (`_house`): DejaVu Sans, declared with Arial as Word's
    substitute, the same sizes, colours, title block, bullets and source markers. `accent`
    ("#rrggbb") replaces the house accent (title, level-1 headings, rules, table headers,
    source numbers); `font` names the Latin font of every text style (a brand font).
    """
    styles = _Styles(document)
    _east_asia_everywhere(document)
    accent_hex = (accent or house.ACCENT).lstrip("#").upper()
    accent_rgb = RGBColor.from_string(accent_hex)
    body_font = font or house.BODY_FONT
    _fonts_everywhere(document, body_font)
    set_theme_fonts(document, body_font)
    declare_fonts(document)
    _readable_table_style(styles)
    recolour_accent(document, accent_hex)
    recolour_theme(document, accent_hex)

    normal = styles[BODY]
    normal.font.size = Pt(house.BODY_SIZE)
    # The ink colour goes in the document defaults, not in Normal: a paragraph style's colour
    # would beat the table style's white header text.
    _default_colour(document, house.INK)
    _fonts(normal, name=body_font, east_asia=EAST_ASIA_FONT)
    normal.paragraph_format.space_after = Pt(7)
    normal.paragraph_format.line_spacing = Pt(house.BODY_LEADING)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST

    title = styles[TITLE]
    title.font.size = Pt(house.TITLE_SIZE)
    title.font.bold = True
    title.font.color.rgb = accent_rgb
    _plain_title(title)
    _fonts(title, name=body_font, east_asia=EAST_ASIA_FONT)
    title.paragraph_format.space_after = Pt(6)
    title.paragraph_format.line_spacing = Pt(27)
    subtitle = styles[SUBTITLE]
    subtitle.font.size = Pt(house.SUBTITLE_SIZE)
    subtitle.font.italic = False
    subtitle.font.color.rgb = _rgb(house.SUBTITLE_INK)
    _plain_title(subtitle)
    _fonts(subtitle, name=body_font, east_asia=EAST_ASIA_FONT)
    subtitle.paragraph_format.space_after = Pt(8)

    for name, (size, bold, italic, accented), before, after in zip(HEADINGS, house.HEADINGS, (16, 12, 10), (6, 4, 3)):
        heading = styles[name]
        heading.font.size = Pt(size)
        heading.font.bold = bold
        heading.font.italic = italic
        heading.font.color.rgb = accent_rgb if accented else _INK
        _fonts(heading, name=body_font, east_asia=EAST_ASIA_FONT)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.line_spacing = Pt(size + 4)

    quote = styles[QUOTE]
    _fonts(quote, name=body_font, east_asia=EAST_ASIA_FONT)
    quote.font.size = Pt(house.BODY_SIZE + 0.5)
    quote.font.color.rgb = RGBColor(0x2B, 0x3A, 0x4A)
    quote.paragraph_format.left_indent = Cm(0.5)
    quote.paragraph_format.right_indent = Cm(0.6)
    quote.paragraph_format.space_before = Pt(4)
    quote.paragraph_format.space_after = Pt(12)
    paragraph_border(quote.element.get_or_add_pPr(), "left", size=20, color=accent_hex, space=10)

    for name in BULLETS + NUMBERS + CONTINUES:
        # 3 points between items, as in the PDF (the template's contextualSpacing would drop them)
        styles[name].paragraph_format.space_after = Pt(3)
        for found in styles[name].element.get_or_add_pPr().findall(qn("w:contextualSpacing")):
            found.getparent().remove(found)
    _list_glyphs(document, styles)
    caption = styles[CAPTION]
    caption.font.size = Pt(9)
    caption.font.color.rgb = _MUTED
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(7.5)
        styles[name].font.color.rgb = _MUTED

    meta = _paragraph_style(styles, META, size=house.META_SIZE, color=_MUTED, after=12)
    meta.paragraph_format.line_spacing = Pt(12)
    # the title block ends with a rule in the accent colour, as in the PDF
    paragraph_border(meta.element.get_or_add_pPr(), "bottom", size=10, color=accent_hex, space=6)
    classification = _character_style(styles, CLASSIFICATION)
    classification.font.bold = True
    classification.font.color.rgb = _rgb(house.CLASSIFICATION)
    lead = _paragraph_style(styles, LEAD, size=house.BODY_SIZE + 1, color=RGBColor(0x33, 0x33, 0x33), after=9)
    lead.paragraph_format.line_spacing = Pt(house.BODY_LEADING + 1.5)
    lead.next_paragraph_style = normal
    note = _paragraph_style(styles, NOTE, size=house.NOTE_SIZE, color=_MUTED, after=7)
    note.font.italic = True
    note.paragraph_format.line_spacing = Pt(12)
    table_text = _paragraph_style(styles, TABLE_TEXT, size=house.CELL_SIZE, after=0, gallery=False)
    table_text.paragraph_format.line_spacing = Pt(11)
    entry = _paragraph_style(styles, SOURCE_ENTRY, size=house.SOURCE_SIZE, after=4)
    entry.paragraph_format.line_spacing = Pt(12.5)
    entry.paragraph_format.left_indent = Cm(0.75)
    entry.paragraph_format.first_line_indent = Cm(-0.75)
    entry.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
    for level, name in enumerate(TOC_LEVELS):
        toc = _paragraph_style(styles, name, size=10 - 0.5 * level, after=2, style_id=f"TOC{level + 1}",
                               gallery=False)
        toc.paragraph_format.left_indent = Cm(0.5 * level)
        toc.paragraph_format.space_before = Pt(6 if level == 0 else 0)  # a gap before each group, as in the PDF
        toc.font.bold = False

    link = _character_style(styles, HYPERLINK)
    link.font.color.rgb = accent_rgb
    link.font.underline = WD_UNDERLINE.SINGLE
    number = _character_style(styles, SOURCE_NUMBER)
    # Source numbers as in the PDF: "[2]" on the baseline, smaller than the text, in the accent colour.
    number.font.color.rgb = accent_rgb
    number.font.size = Pt(_half_points(house.MARKER_SCALE * house.BODY_SIZE))
    in_table = _character_style(styles, TABLE_SOURCE_NUMBER)
    in_table.base_style = number
    in_table.font.size = Pt(_half_points(house.MARKER_SCALE * house.CELL_SIZE))
    _character_style(styles, UNRESOLVED).font.color.rgb = _MUTED
    code = _character_style(styles, CODE)
    _fonts(code, name=MONO_FONT, east_asia=EAST_ASIA_FONT)
    code.font.size = Pt(house.BODY_SIZE - 1)


def set_language(document: DocxDocument, tag: str) -> None:
    """Make BCP 47 `tag` the language of all text (`w:lang` of the style defaults, and the settings' theme language).

    All three slots take it (Latin, East Asian, complex script): runs in another script
    name their own language (`make_run`). Word's proofing and screen readers, and
    LibreOffice's PDF export, read it from here.
    """
    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            # CT_RPr order: ... w:lang, w:eastAsianLayout, w:specVanish, w:oMath
            follower = next((c for c in rpr if c.tag in {qn(t) for t in ("w:eastAsianLayout", "w:specVanish",
                                                                           "w:oMath")}), None)
            if follower is not None:
                follower.addprevious(lang)
            else:
                rpr.append(lang)
        for slot in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(slot), tag)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)
        primary = primary_language(tag)
        if primary in EAST_ASIAN:
            theme_lang.set(qn("w:eastAsia"), tag)
        elif primary in RIGHT_TO_LEFT:
            theme_lang.set(qn("w:bidi"), tag)


def _default_colour(document: DocxDocument, colour: str) -> None:
    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    for found in rpr.findall(qn("w:color")):
        rpr.remove(found)
    node = OxmlElement("w:color", attrs={qn("w:val"): colour.lstrip("#").upper()})
    # CT_RPr order: rStyle, rFonts, b, ..., color, spacing, w, kern, position, sz, ...
    follower = next((child for child in rpr if child.tag in {qn(t) for t in (
        "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
        "w:specVanish", "w:oMath")}), None)
    if follower is not None:
        follower.addprevious(node)
    else:
        rpr.append(node)


def _half_points(size: float) -> float:
    """Return `size` rounded to the half point Word stores."""
    return round(size * 2) / 2


def _plain_title(style) -> None:
    """Drop the template's title decorations: the rule under it, letter spacing, kerning, list numbering."""
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:numPr"):
        for found in ppr.findall(qn(tag)):
            ppr.remove(found)
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):
        for found in rpr.findall(qn(tag)):
            rpr.remove(found)


def _list_glyphs(document: DocxDocument, styles: _Styles) -> None:
    """Give the bullet styles the PDF's glyphs (•, then –, in turn) and both list kinds the PDF's indents.

    The template's bullets are the Symbol font's private-use dot at every level; here each
    level prints a real Unicode character in the body font.
    """
    numbering = document.part.numbering_part.element
    for kind, names, indents in (("bullet", BULLETS, _BULLET_INDENTS), ("number", NUMBERS, _NUMBER_INDENTS)):
        for depth, (name, (left, hanging)) in enumerate(zip(names, indents), 1):
            num_id = styles[name].element.pPr.numPr.numId.val
            abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
            abstract = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")[0]
            level = abstract.find(qn("w:lvl"))
            if kind == "bullet":
                level.find(qn("w:lvlText")).set(qn("w:val"), house.bullet(depth))
                rpr = level.find(qn("w:rPr"))
                if rpr is not None:
                    level.remove(rpr)
                rpr = etree.SubElement(level, qn("w:rPr"))
                etree.SubElement(rpr, qn("w:rFonts"), {qn("w:ascii"): house.BODY_FONT, qn("w:hAnsi"): house.BODY_FONT,
                                                       qn("w:hint"): "default"})
            ppr = level.find(qn("w:pPr"))
            for tab in ppr.iter(qn("w:tab")):
                tab.set(qn("w:pos"), str(left))
            ind = ppr.find(qn("w:ind"))
            ind.set(qn("w:left"), str(left))
            ind.set(qn("w:hanging"), str(hanging))
    for name, (left, _) in zip(CONTINUES, _BULLET_INDENTS):
        styles[name].paragraph_format.left_indent = Twips(left)


def _fonts_everywhere(document: DocxDocument, name: str) -> None:
    """Name font `name` wherever styles.xml asks for a theme Latin font (docDefaults included).

    Word and LibreOffice then agree on the font without reading the theme; the theme names
    it too (`set_theme_fonts`) for what an editor adds later.
    """
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        for slot, theme in (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"), ("cs", "cstheme")):
            if rfonts.get(qn(f"w:{theme}")) is not None:
                del rfonts.attrib[qn(f"w:{theme}")]
                rfonts.set(qn(f"w:{slot}"), name)


def _edit_theme(document: DocxDocument, edit) -> None:
    """Apply `edit(root)` to the theme part's XML and store the result back in the part.

    python-docx keeps a theme as a plain part whose bytes have no public setter, so they
    are replaced through its `_blob`; should a python-docx release store them otherwise,
    the theme is left as it was (it only styles what an editor adds later).
    """
    for rel in document.part.rels.values():
        if rel.reltype != RT.THEME or rel.is_external:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)  # python-docx's own template: trusted
        edit(root)
        if hasattr(part, "_blob"):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_theme_fonts(document: DocxDocument, name: str) -> None:
    """Make `name` the theme's heading and body Latin font."""
    def edit(root) -> None:
        for slot in ("majorFont", "minorFont"):
            for latin in root.iter(f"{{{_DRAWINGML}}}{slot}"):
                found = latin.find(f"{{{_DRAWINGML}}}latin")
                if found is not None:
                    found.set("typeface", name)
                    found.attrib.pop("panose", None)

    _edit_theme(document, edit)


def declare_fonts(document: DocxDocument) -> None:
    """Declare the house fonts in the font table, each with the font Word substitutes when it is missing.

    Word reads `w:altName`, the family and the PANOSE number of a font it does not have;
    LibreOffice substitutes from its own table. The template's Cambria, Calibri and MS Mincho
    entries go: nothing uses them any more.
    """
    for rel in document.part.rels.values():
        if rel.reltype != RT.FONT_TABLE or rel.is_external:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)  # python-docx's own template: trusted
        w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        declared = {house.BODY_FONT: (house.BODY_FONT_FALLBACK, house.BODY_FONT_PANOSE, "swiss", "variable"),
                    house.MONO_FONT: (house.MONO_FONT_FALLBACK, house.MONO_FONT_PANOSE, "modern", "fixed")}
        for entry in list(root):
            if entry.get(f"{{{w}}}name") not in ("Symbol", "Times New Roman"):
                root.remove(entry)
        for name, (alternative, panose, family, pitch) in declared.items():
            entry = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
            etree.SubElement(entry, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
            etree.SubElement(entry, f"{{{w}}}panose1", {f"{{{w}}}val": panose})
            etree.SubElement(entry, f"{{{w}}}charset", {f"{{{w}}}val": "00"})
            etree.SubElement(entry, f"{{{w}}}family", {f"{{{w}}}val": family})
            etree.SubElement(entry, f"{{{w}}}pitch", {f"{{{w}}}val": pitch})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _readable_table_style(styles: _Styles) -> None:
    """Give the built-in table style room to read: cell padding, and a lighter band shading.

    Done in the style rather than on each table, so an editor's restyle still reaches
    every table; the band keeps its theme reference (a lighter tint of accent 1).
    """
    element = styles[TABLE].element
    margins = element.find(qn("w:tblPr") + "/" + qn("w:tblCellMar"))
    if margins is not None:
        for side, width in (("top", 45), ("left", 100), ("bottom", 45), ("right", 100)):
            node = margins.find(qn(f"w:{side}"))
            if node is not None:
                node.set(qn("w:w"), str(width))
    for conditional in element.iterchildren(qn("w:tblStylePr")):
        if conditional.get(qn("w:type")) in ("firstRow", "lastRow"):
            for borders in conditional.iter(qn("w:tcBorders")):
                for side in list(borders):
                    borders.remove(side)
                for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                    etree.SubElement(borders, qn(f"w:{side}"), {qn("w:val"): "nil"})
        if conditional.get(qn("w:type")) == "band1Horz":
            for shd in conditional.iter(qn("w:shd")):
                # the PDF's zebra rows: a fixed pale grey-blue, whatever the accent
                for name in ("w:themeFill", "w:themeFillTint", "w:themeFillShade"):
                    shd.attrib.pop(qn(name), None)
                shd.set(qn("w:fill"), house.ZEBRA.lstrip("#").upper())
    # As in the PDF: a thin rule under every row, no frame and no vertical lines.
    borders = element.find(qn("w:tblPr") + "/" + qn("w:tblBorders"))
    if borders is not None:
        rule = house.RULE.lstrip("#").upper()
        for side in list(borders):
            borders.remove(side)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            if side in ("bottom", "insideH"):
                attrs = {qn("w:val"): "single", qn("w:sz"): "2", qn("w:space"): "0", qn("w:color"): rule}
            else:
                attrs = {qn("w:val"): "nil"}
            etree.SubElement(borders, qn(f"w:{side}"), attrs)


def recolour_accent(document: DocxDocument, accent: str) -> None:
    """Replace the theme accent colour in styles.xml by `accent` ("RRGGBB"), shades and tints applied.

    The explicit value is written and the theme reference removed, so Word (which would
    follow the theme) and LibreOffice (which reads the value) show the same colour.
    """
    theme_color, theme_shade, theme_tint, theme_fill, fill_shade, fill_tint = (
        qn(f"w:{n}") for n in ("themeColor", "themeShade", "themeTint", "themeFill", "themeFillShade", "themeFillTint"))
    color, val, fill = qn("w:color"), qn("w:val"), qn("w:fill")
    # Only the elements that name the accent, found by XPath in C (styles.xml has thousands of elements).
    for element in document.styles.element.xpath('.//*[@w:themeColor="accent1" or @w:themeFill="accent1"]'):
        if element.get(theme_color) == "accent1":
            value = _themed(accent, element.get(theme_shade), element.get(theme_tint))
            element.set(val if element.tag == color else color, value)
            for name in (theme_color, theme_shade, theme_tint):
                element.attrib.pop(name, None)
        if element.get(theme_fill) == "accent1":
            element.set(fill, _themed(accent, element.get(fill_shade), element.get(fill_tint)))
            for name in (theme_fill, fill_shade, fill_tint):
                element.attrib.pop(name, None)


def recolour_theme(document: DocxDocument, accent: str) -> None:
    """Set the theme's accent 1 to `accent` ("RRGGBB"), for what an editor adds later (new tables, shapes)."""
    def edit(root) -> None:
        for slot in root.iter(f"{{{_DRAWINGML}}}accent1"):
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{_DRAWINGML}}}srgbClr", val=accent)

    _edit_theme(document, edit)


def _themed(colour: str, shade_hex: str | None, tint_hex: str | None) -> str:
    if shade_hex:
        return shade(colour, int(shade_hex, 16))
    if tint_hex:
        return tint(colour, int(tint_hex, 16))
    return colour


def shade(colour: str, amount: int) -> str:
    """Return "RRGGBB" `colour` darkened as OOXML's themeShade `amount` (0-255) does: luminance scaled."""
    h, l, s = colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    return _hex(colorsys.hls_to_rgb(h, l * amount / 255, s))


def tint(colour: str, amount: int) -> str:
    """Return "RRGGBB" `colour` lightened as OOXML's themeTint `amount` (0-255) does."""
    h, l, s = colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    return _hex(colorsys.hls_to_rgb(h, l * amount / 255 + (1 - amount / 255), s))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in rgb)


def style_id(document: DocxDocument, name: str) -> str:
    """Return the style id of the style called `name` (what `w:rStyle` holds)."""
    return document.styles[name].style_id


def _paragraph_style(styles: _Styles, name: str, *, size: float | None = None, color: RGBColor | None = None,
                     after: float | None = None, style_id: str | None = None, gallery: bool = True):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[BODY]
    style.quick_style = gallery  # shown in Word's style gallery
    if style_id:
        style.element.styleId = style_id
    if size is not None:
        style.font.size = Pt(size)
    if color is not None:
        style.font.color.rgb = color
    if after is not None:
        style.paragraph_format.space_after = Pt(after)
    return style


def _character_style(styles: _Styles, name: str):
    style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.base_style = styles["Default Paragraph Font"]
    return style


def _fonts(style, *, theme: str | None = None, name: str | None = None, east_asia: str | None = None) -> None:
    """Set the Latin font of `style` (a theme slot or a `name`) and its East Asian font.

    A `w:*Theme` attribute beats the plain one beside it, so the theme attribute of each
    slot set here is removed.
    """
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    if theme:
        for attr in ("ascii", "hAnsi"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
            rfonts.set(qn(f"w:{attr}Theme"), theme)
    if name:
        for attr in ("ascii", "hAnsi", "cs"):
            rfonts.attrib.pop(qn(f"w:{attr}Theme" if attr != "cs" else "w:cstheme"), None)
            rfonts.set(qn(f"w:{attr}"), name)
    if east_asia:
        rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        rfonts.set(qn("w:eastAsia"), east_asia)


def _east_asia_everywhere(document: DocxDocument) -> None:
    """Replace every theme East Asian font in styles.xml (docDefaults included)."""
    root = document.styles.element
    for rfonts in root.iter(qn("w:rFonts")):
        if rfonts.get(qn("w:eastAsiaTheme")) is not None:
            del rfonts.attrib[qn("w:eastAsiaTheme")]
            rfonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
