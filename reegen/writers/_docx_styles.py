"""The DOCX look: Word's built-in styles from python-docx's default template, adjusted.

Everything visible is a named style, so an editor restyles the brief from Word's Styles
pane instead of hunting direct formatting. The few styles Word lacks (source numbers,
the Sources entries, editorial notes) are added as ordinary custom styles based on Normal.
"""

from __future__ import annotations

import colorsys

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from lxml import etree

# The East Asian font slot of every text style; without it CJK falls back to the
# template theme's Japanese MS Mincho, which has Japanese glyph forms for Chinese text.
from ._docx_ooxml import EAST_ASIA_FONT, paragraph_border
MONO_FONT = "Consolas"

TITLE = "Title"
SUBTITLE = "Subtitle"
META = "Brief Metadata"
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
_GREY = RGBColor(0x59, 0x59, 0x59)
_LIGHT_GREY = RGBColor(0x7F, 0x7F, 0x7F)
_ACCENT_DARK = RGBColor(0x36, 0x5F, 0x91)

PAGE_SIZES = {"A4": (Cm(21.0), Cm(29.7)), "LETTER": (Twips(12240), Twips(15840))}
MARGIN = Cm(2.2)


def setup_page(document: DocxDocument, page_size: str) -> int:
    """Set page size and margins of the only section; return the text width in twips.

    Raises KeyError for a page size other than "A4" or "Letter".
    """
    width, height = PAGE_SIZES[page_size.upper()]
    section = document.sections[0]
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.0)
    text_width = int((width - 2 * MARGIN) / 635)  # EMU -> twips
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
    """Adjust the template's built-in styles and add reegen's few custom ones.

    `accent` ("#rrggbb") recolours everything the template draws in its accent colour
    (headings, title rule, table style) plus reegen's quote rule and source numbers;
    `font` names the Latin font of the body, title and headings (a brand font).
    """
    styles = _Styles(document)
    _east_asia_everywhere(document)
    accent_hex = accent.lstrip("#").upper() if accent else None
    _readable_table_style(styles)
    if accent_hex:
        recolour_accent(document, accent_hex)
        recolour_theme(document, accent_hex)

    normal = styles[BODY]
    normal.font.size = Pt(10.5)
    _fonts(normal, east_asia=EAST_ASIA_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.12

    title = styles[TITLE]
    title.font.size = Pt(24)
    _fonts(title, east_asia=EAST_ASIA_FONT)
    title.paragraph_format.space_after = Pt(6)
    subtitle = styles[SUBTITLE]
    subtitle.font.size = Pt(13)
    _fonts(subtitle, east_asia=EAST_ASIA_FONT)
    subtitle.paragraph_format.space_after = Pt(8)

    for name, size, before, after in zip(HEADINGS, (15, 12.5, 11), (18, 12, 10), (4, 3, 2)):
        heading = styles[name]
        heading.font.size = Pt(size)
        _fonts(heading, east_asia=EAST_ASIA_FONT)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)

    quote = styles[QUOTE]
    _fonts(quote, east_asia=EAST_ASIA_FONT)
    quote.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.8)
    quote.paragraph_format.space_before = Pt(4)
    quote.paragraph_format.space_after = Pt(10)
    paragraph_border(quote.element.get_or_add_pPr(), "left", size=18, color=accent_hex or "4F81BD", space=8)

    for name in BULLETS + NUMBERS + CONTINUES:
        styles[name].paragraph_format.space_after = Pt(4)  # contextualSpacing: only after the last item
    caption = styles[CAPTION]
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = _GREY

    _paragraph_style(styles, META, size=9.5, color=_GREY, after=2)
    classification = _paragraph_style(styles, CLASSIFICATION, size=9, color=RGBColor(0x9C, 0x1C, 0x1C), after=14)
    classification.font.bold = True
    classification.font.all_caps = True
    lead = _paragraph_style(styles, LEAD, size=11.5, after=8)
    lead.next_paragraph_style = normal
    note = _paragraph_style(styles, NOTE, size=9, color=_LIGHT_GREY, after=6)
    note.font.italic = True
    table_text = _paragraph_style(styles, TABLE_TEXT, size=9.5, after=0, gallery=False)
    table_text.paragraph_format.line_spacing = 1.0
    entry = _paragraph_style(styles, SOURCE_ENTRY, size=9.5, after=4)
    entry.paragraph_format.left_indent = Cm(0.75)
    entry.paragraph_format.first_line_indent = Cm(-0.75)
    entry.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
    for level, name in enumerate(TOC_LEVELS):
        toc = _paragraph_style(styles, name, after=2, style_id=f"TOC{level + 1}", gallery=False)
        toc.paragraph_format.left_indent = Cm(0.5 * level)
        toc.font.bold = level == 0

    link = _character_style(styles, HYPERLINK)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = WD_UNDERLINE.SINGLE
    number = _character_style(styles, SOURCE_NUMBER)
    number.font.color.rgb = RGBColor.from_string(shade(accent_hex, 0xBF)) if accent_hex else _ACCENT_DARK
    # Citations print as superscript numbers, each linked to its Sources entry.
    number.font.superscript = True
    in_table = _character_style(styles, TABLE_SOURCE_NUMBER)
    in_table.base_style = number
    in_table.element.get_or_add_rPr().append(OxmlElement("w:vertAlign", attrs={qn("w:val"): "baseline"}))
    _character_style(styles, UNRESOLVED).font.color.rgb = _LIGHT_GREY
    code = _character_style(styles, CODE)
    _fonts(code, name=MONO_FONT, east_asia=EAST_ASIA_FONT)
    code.font.size = Pt(9.5)
    if accent_hex:
        title.font.color.rgb = RGBColor.from_string(shade(accent_hex, 0xBF))
    if font:
        for name in (BODY, TITLE, SUBTITLE, *HEADINGS):
            _fonts(styles[name], name=font)


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
        if conditional.get(qn("w:type")) == "band1Horz":
            for shd in conditional.iter(qn("w:shd")):
                if shd.get(qn("w:themeFill")) == "accent1":
                    shd.set(qn("w:themeFillTint"), "1F")
                    shd.set(qn("w:fill"), tint("4F81BD", 0x1F))


def recolour_accent(document: DocxDocument, accent: str) -> None:
    """Replace the theme accent colour in styles.xml by `accent` ("RRGGBB"), shades and tints applied.

    The explicit value is written and the theme reference removed, so Word (which would
    follow the theme) and LibreOffice (which reads the value) show the same colour.
    """
    for element in document.styles.element.iter():
        if element.get(qn("w:themeColor")) == "accent1":
            value = _themed(accent, element.get(qn("w:themeShade")), element.get(qn("w:themeTint")))
            attr = "w:val" if element.tag == qn("w:color") else "w:color"
            element.set(qn(attr), value)
            for name in ("w:themeColor", "w:themeShade", "w:themeTint"):
                element.attrib.pop(qn(name), None)
        if element.get(qn("w:themeFill")) == "accent1":
            element.set(qn("w:fill"), _themed(accent, element.get(qn("w:themeFillShade")),
                                              element.get(qn("w:themeFillTint"))))
            for name in ("w:themeFill", "w:themeFillShade", "w:themeFillTint"):
                element.attrib.pop(qn(name), None)


def recolour_theme(document: DocxDocument, accent: str) -> None:
    """Set the theme's accent 1 to `accent` ("RRGGBB"), for what an editor adds later (new tables, shapes)."""
    for rel in document.part.rels.values():
        if rel.reltype != RT.THEME or rel.is_external:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)  # python-docx's own template: trusted
        for slot in root.iter(f"{{{_DRAWINGML}}}accent1"):
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{_DRAWINGML}}}srgbClr", val=accent)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
