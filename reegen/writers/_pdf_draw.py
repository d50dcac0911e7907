"""Drawing multi-fragment paragraphs: the page content reportlab writes, reached with less work.

A brief's paragraphs end in a linked source number in a smaller size, so reportlab draws
nearly all of them with its general routine (`Paragraph.drawPara`, the "kind 1" branch,
and `_putFragLine` for each line). For every fragment of every line that routine looks for
images, callbacks, underlines, strike-through, background colours, rise and word spacing,
measures the fragment's width, and encodes its text for the font's subsets through a
character-by-character loop. On a 230-page brief it was a quarter of the writer's time.

`draw_paragraph` makes the same content-stream operators, in the same order, for the
paragraphs a brief has: left-aligned lines of text fragments, links, and named anchors.
It draws one-fragment paragraphs (reportlab's leaner "kind 0" branch: table cells,
headings, a source number alone in a cell, which is one link) the same way, for the
per-line overhead it spares.
State changes (font, colour, leading, cursor moves) still go through reportlab's text
object, so their operators are reportlab's own; only the text operators are written
here, and fragment widths are measured only on lines that carry a link, where they place
its rectangle. A line a little wider than its room (reportlab lets spaces shrink) gets
reportlab's negative word spacing, and the links after its spaces move as reportlab
moves them. Whatever else a paragraph asks for (justification, centring, images,
underlines, rise, backgrounds, borders, automatic leading, right-to-left text, dots)
makes it return False before anything is drawn, and reportlab draws the paragraph itself. `tests/writers/test_pdf_draw.py` draws every
paragraph of the sample briefs, of the writer tests' document and of the hostile cases
both ways and compares the operators, the link annotations and the destinations.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from . import _rl_compat as compat

# reportlab's internals this module works with: present only while the fast paths may run (see `_rl_compat`)
_doLink, _drawBullet, _trailingSpaceLength, paraFontSizeHeightOffset, setXPos = compat.private(
    "reportlab.platypus.paragraph", "_doLink", "_drawBullet", "_trailingSpaceLength", "paraFontSizeHeightOffset",
    "setXPos")

__all__ = ["draw_paragraph"]


def draw_paragraph(para) -> bool:
    """Draw `para` (wrapped, on its canvas) as reportlab's `drawPara` would; False if left to reportlab.

    False too while the fast paths are off (see `_rl_compat`); raises `FastPathFailed`
    when reportlab's internals are not what this expects.
    """
    if not compat.fast("draw"):
        return False
    try:
        drawn = _draw_paragraph(para)
    except compat.CHANGED as exc:
        raise compat.FastPathFailed("draw", exc) from exc
    if drawn:
        compat.ran["draw"] += 1
    return drawn


def _draw_paragraph(para) -> bool:
    blPara = para.blPara
    style = para.style
    if not blPara.lines or not _plain_style(para, style):
        return False
    if blPara.kind == 0:
        return _draw_one_fragment(para, blPara, style)
    lines = blPara.lines
    if blPara.kind != 1 or not _plain_lines(lines):
        return False
    canvas = para.canv
    doc = canvas._doc
    escape = canvas._escape
    leading = style.leading
    left_indent = style.leftIndent
    fonts: dict[str, object] = {}

    cur_y, offset = _begin(para, style, lines[0])
    tx = para.beginText(left_indent, cur_y)
    tx._leading = None
    tx._fontname, tx._fontsize = None, None
    code = tx._code
    text_colour = None
    for index, line in enumerate(lines):
        line_offset = offset if index == 0 else 0
        setXPos(tx, line_offset)
        # a line wider than its room is squeezed with (negative) word spacing, as `_leftDrawParaLineX` does
        ws = 0
        if not line.extraSpace > -1e-8:
            spaces = line.wordCount - 1 + sum(f.text.count("\xa0") for f in line.words if not hasattr(f, "cbDefn"))
            if spaces > 0:
                ws = line.extraSpace / float(spaces)
                tx.setWordSpace(ws)
        # ---- one line, as `_putFragLine` draws it
        x0 = tx._x0
        if tx._leading != leading:
            tx.setLeading(leading)
        words = line.words
        last_word = words[-1]
        # positions matter only to place a link's rectangle or an anchor
        measure = any(hasattr(f, "cbDefn") or f.link for f in words)
        cur_x = line_offset + left_indent
        spaces = 0  # spaces drawn so far on the line: word spacing moves what follows them
        active: list = []
        links: dict = {}
        for i, f in enumerate(words):
            if hasattr(f, "cbDefn"):  # a named anchor (checked in `_plain_lines`)
                canvas.bookmarkHorizontal(f.cbDefn.name, cur_x, cur_y + leading)
                if f is last_word:
                    if not tx._fontname:
                        tx.setFont(style.fontName, style.fontSize)
                    code.append(" T*")  # reportlab's _textOut('', 1): no text, then the line end
                continue
            link = f.link
            if active != link:
                ended = set(active) - set(link)
                if ended:  # a link ends where the last fragment's text ends, before its trailing space
                    end_x = cur_x + spaces * ws
                    if i > 0:
                        end_x -= _trailingSpaceLength(words[i - 1].text, tx)
                    for key in ended:
                        links[key] = links[key], end_x
            font_size = f.fontSize
            if tx._fontname != f.fontName or tx._fontsize != font_size:
                tx._setFont(f.fontName, font_size)
            if text_colour != f.textColor:
                text_colour = f.textColor
                tx.setFillColor(text_colour)
            text = f.text
            name = tx._fontname
            font = fonts.get(name)
            if font is None:
                font = fonts[name] = getFont(name)
            code.append(_text_operators(tx, font, text, doc, escape, f is last_word))
            if measure:
                rise = f.rise
                low, high = rise - 0.2 * font_size, rise + font_size
                if active != link:
                    for key in set(link) - set(active):
                        links[key] = (key, cur_x), low, high
                    active = link
                for key in active:
                    start, lo, hi = links[key]
                    if low < lo or high > hi:
                        links[key] = start, min(low, lo), max(high, hi)
                cur_x += stringWidth(text, name, tx._fontsize)
                spaces += text.count(" ") + text.count("\xa0")
        for key in active:  # (reportlab starts a link where its text starts, without the word spacing)
            links[key] = links[key], cur_x + (spaces - 1) * ws
        if tx._x0 != x0:
            setXPos(tx, x0 - tx._x0)
        if ws:
            tx.setWordSpace(0)
        setXPos(tx, -line_offset)
        # ---- after the line, as `_do_post_text` does: its links, then down one line
        for (((_, target), x1), lo, hi), x2 in sorted(links.values()):
            _doLink(tx, target, (x1, cur_y + lo, x2, cur_y + hi))
        cur_y -= leading
    canvas.drawText(tx)
    canvas.restoreState()
    return True


def _draw_one_fragment(para, blPara, style) -> bool:
    """Draw a one-fragment ("kind 0") paragraph as reportlab's `drawPara` would; False if left to reportlab."""
    lines = blPara.lines
    if blPara.us_lines:
        return False  # underlines over whole lines
    font = getFont(blPara.fontName)
    if not getattr(font, "_dynamicFont", False):
        return False
    canvas = para.canv
    doc = canvas._doc
    escape = canvas._escape
    cur_y, offset = _begin(para, style, blPara)
    canvas.setFillColor(blPara.textColor)
    left_indent, leading = style.leftIndent, style.leading
    tx = para.beginText(left_indent, cur_y)
    tx.setFont(blPara.fontName, blPara.fontSize, leading)
    code = tx._code
    links = blPara.link  # a one-fragment link ("[3]" alone in a table cell) covers each line it is on
    for index, (extra, words) in enumerate(lines):  # as `_leftDrawParaLine` draws each
        line_offset = offset if index == 0 else 0
        setXPos(tx, line_offset)
        text = " ".join(words)
        spaces = 0 if extra > -1e-8 else len(words) - 1 + text.count("\xa0")
        if spaces > 0:  # a line wider than its room, squeezed with (negative) word spacing
            tx.setWordSpace(extra / float(spaces))
        code.append(_text_operators(tx, font, text, doc, escape, True))
        if spaces > 0:
            tx.setWordSpace(0)
        setXPos(tx, -line_offset)
        if links:  # as reportlab's `_do_link_line`
            y = cur_y - index * leading - blPara.fontSize / 8.0
            x = line_offset + left_indent
            width = stringWidth(text, tx._fontname, tx._fontsize)
            for _, target in links:
                _doLink(tx, target, (x, y, x + width, y + leading))
    canvas.drawText(tx)
    canvas.restoreState()
    return True


def _begin(para, style, first) -> tuple[float, float]:
    """Start as `drawPara` does: save the canvas state, draw the bullet; return (first baseline, first line's offset).

    `first` is the first line (or, for one fragment, the paragraph's lines), whose size sets the baseline.
    """
    para.canv.saveState()
    offset = style.firstLineIndent + 0  # reportlab adds the first line's image offset, 0 here
    cur_y = para.height - (first.fontSize if paraFontSizeHeightOffset else getattr(first, "ascent", first.fontSize))
    if para.bulletText:
        offset = _drawBullet(para.canv, offset, cur_y, para.bulletText, style, rtl=False)
    return cur_y, offset


def _text_operators(tx, font, text: str, doc, escape, line_end: bool) -> str:
    """What `tx._textOut(text, line_end)` appends: PDFTextObject._formatText for a TrueType subset font."""
    out = []
    for subset, encoded in font.splitString(text, doc):
        if subset != tx._curSubset:
            out.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(tx._fontsize)} Tf {fp_str(tx._leading)} TL")
            tx._curSubset = subset
        out.append(f"({escape(encoded)}) Tj")
    return " ".join(out) + " T*" if line_end else " ".join(out)


def _plain_style(para, style) -> bool:
    """True when nothing in the paragraph's style or state needs a branch `draw_paragraph` leaves out."""
    return (
        style.alignment == TA_LEFT
        and not style.backColor
        and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None))
        and getattr(para, "autoLeading", getattr(style, "autoLeading", "")) not in ("min", "max")
        and style.wordWrap != "RTL"
        and not getattr(style, "shaping", 0)
        and not style.endDots
        and not hasattr(para, "_offsets")
        and "preformatted" not in type(para).__name__.lower()
        and getattr(getFont(style.fontName), "_dynamicFont", False)
    )


def _plain_lines(lines) -> bool:
    """True when every line holds only plain text fragments and named anchors."""
    subset_fonts: dict[str, bool] = {}  # a paragraph's fragments share a few fonts
    for line in lines:
        for f in line.words:
            if hasattr(f, "cbDefn"):
                if f.cbDefn.kind != "anchor":
                    return False
            elif f.rise != 0 or f.us_lines or getattr(f, "backColor", None) or type(f.text) is not str:
                return False
            else:
                subset = subset_fonts.get(f.fontName)
                if subset is None:
                    subset = subset_fonts[f.fontName] = bool(getattr(getFont(f.fontName), "_dynamicFont", False))
                if not subset:
                    return False
    return True
