"""The brief's blocks as reportlab flowables: styles, title block, headings, lists, tables, sources.

Every top-level flowable carries `_reegen_where`, a phrase naming the block and the article
it came from, so a layout failure can be reported against the brief's content rather than
as a reportlab traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.fonts import ps2tt
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, Indenter, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable
from reportlab.lib.units import mm
from . import _rl_compat as compat
from ._rl_compat import FUZZ as _FUZZ
from reportlab.platypus.tableofcontents import TableOfContents as TocFlowable

from ..errors import RenderError
from ..text import format_date
from ..model import (
    Where,
    Block, BulletList, Document, Heading, Paragraph as ParagraphBlock, Quote, Rule,
    SourceRef, SourcesList, Table as TableBlock, TableOfContents, Text, plain_text, source_anchor, walk,
)
from ._brand import Brand
from ._pdf_bidi import BidiParagraph, one_line
from ._pdf_breaks import pass_on, remember_text, with_break_spaces
from ._pdf_draw import draw_paragraph
from ._pdf_fonts import FontSet, is_wide, text_width
from ._pdf_frags import FragmentMaker
from ._pdf_lines import WidthCache, break_lines
from ._pdf_tags import (
    ARTIFACT, Container, Element, StructureTree, Tagged, TaggedTable, as_artifact, language_of, tag,
)
from ._pdf_markup import (
    InlineRenderer, Palette, Run, attr, chunk_runs, colour, is_safe_href, styled_faces, to_markup,
    without_marks,
)

from . import _house as house
from ._house import ACCENT, CLASSIFICATION, INK, MUTED, RULE, ZEBRA, dash_kept, is_lead_in

PALETTE = Palette(accent=ACCENT, muted=MUTED, code="#5a2d0c", code_back="#eef1f4")
#: the logo's largest size in the title block, in points
LOGO_MAX_HEIGHT = 16 * mm
LOGO_MAX_WIDTH = 60 * mm

#: what bullets and list numbers print: drawn by the first family that has all of them
BULLET_MARKS = "".join(house.BULLETS) + " 0123456789."
#: gap between a bullet's left edge and its text, in points; numbers take what they need
BULLET_GAP = 12
_CELL_PADDING = 5
#: Table.align values as reportlab paragraph alignments
_ALIGNMENTS = {"left": 0, "center": 1, "right": 2}
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class Styles:
    """The paragraph styles of a brief, plus derived variants made once and reused."""

    def __init__(self, fonts: FontSet, accent: str = ACCENT):
        body_font = fonts.body
        base = ParagraphStyle(
            "reegen-base", fontName=body_font.name, fontSize=house.BODY_SIZE, leading=house.BODY_LEADING,
            textColor=colour(INK), bulletFontName=fonts.family_for(BULLET_MARKS).name,
            bulletFontSize=house.BODY_SIZE,
            # A word longer than the line (a URL, mostly) is split between letters.
            # uriWasteReduce would break URLs after a slash, but reportlab 5.1 then lets a
            # segment longer than the line run off the page, so it stays off.
            splitLongWords=1, uriWasteReduce=0, allowWidows=0, allowOrphans=0,
        )
        s = {}
        s["body"] = ParagraphStyle("body", base, spaceAfter=7)
        s["lead"] = ParagraphStyle("lead", base, fontSize=house.BODY_SIZE + 1, leading=house.BODY_LEADING + 1.5,
                                   textColor=colour("#333333"), spaceAfter=9)
        s["note"] = ParagraphStyle("note", base, fontName=body_font.italic, fontSize=house.NOTE_SIZE, leading=12,
                                   textColor=colour(MUTED), spaceAfter=7)
        s["item"] = ParagraphStyle("item", base, spaceAfter=3)
        s["quote"] = ParagraphStyle("quote", base, fontName=body_font.italic, fontSize=house.BODY_SIZE + 0.5,
                                    leading=house.BODY_LEADING + 0.5, textColor=colour("#2b3a4a"), spaceAfter=4)
        s["title"] = ParagraphStyle("title", base, fontName=body_font.bold, fontSize=house.TITLE_SIZE, leading=27,
                                    textColor=colour(accent), spaceAfter=6)
        s["subtitle"] = ParagraphStyle("subtitle", base, fontSize=house.SUBTITLE_SIZE, leading=17,
                                       textColor=colour(house.SUBTITLE_INK), spaceAfter=8)
        s["meta"] = ParagraphStyle("meta", base, fontSize=house.META_SIZE, leading=12, textColor=colour(MUTED),
                                   spaceAfter=2)
        for level, (size, bold, italic, accented), before, after in zip(
                (1, 2, 3), house.HEADINGS, (16, 12, 10), (6, 4, 3)):
            face = {(True, False): body_font.bold, (True, True): body_font.bold_italic,
                    (False, True): body_font.italic}.get((bold, italic), body_font.name)
            s[f"h{level}"] = ParagraphStyle(f"h{level}", base, fontName=face, fontSize=size, leading=size + 4,
                                            textColor=colour(accent if accented else INK),
                                            spaceBefore=before, spaceAfter=after, keepWithNext=1)
        s["caption"] = ParagraphStyle("caption", base, fontName=body_font.bold, fontSize=9, leading=12,
                                      textColor=colour(MUTED), spaceBefore=6, spaceAfter=4, keepWithNext=1)
        s["cell"] = ParagraphStyle("cell", base, fontSize=house.CELL_SIZE, leading=11)
        s["cell-head"] = ParagraphStyle("cell-head", s["cell"], fontName=body_font.bold, textColor=colors.white)
        # the first column says what a row is about (the figure, in Key figures)
        s["cell-first"] = ParagraphStyle("cell-first", s["cell"], fontName=body_font.bold)
        s["source"] = ParagraphStyle("source", base, fontSize=house.SOURCE_SIZE, leading=12.5, leftIndent=22,
                                     spaceAfter=4, bulletFontSize=house.SOURCE_SIZE)
        s["toc-title"] = ParagraphStyle("toc-title", s["h1"], keepWithNext=0)
        s["toc-1"] = ParagraphStyle("toc-1", base, fontSize=10, leading=14, spaceBefore=2)
        s["toc-2"] = ParagraphStyle("toc-2", base, fontSize=9, leading=12.5, leftIndent=14,
                                    textColor=colour("#333333"))
        self._styles = s
        self._variants: dict[tuple, ParagraphStyle] = {}

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self._styles[name]

    def variant(self, style: ParagraphStyle, **changes: float) -> ParagraphStyle:
        """Return `style` with `changes` applied, made once per distinct change."""
        if not changes:
            return style
        key = (style.name, tuple(sorted(changes.items())))
        found = self._variants.get(key)
        if found is None:
            name = style.name + "+" + ",".join(f"{k}={v}" for k, v in key[1])
            found = self._variants[key] = ParagraphStyle(name, style, **changes)
        return found


class BriefParagraph(Tagged, Paragraph):
    """A paragraph that breaks its lines once per width.

    Layout asks a paragraph for its size several times at the same width: the frame, a
    keep-with-next group, and a long table each time it splits across a page (every row
    after the split is measured again). reportlab breaks the lines anew on every call;
    the result depends only on the width, so the last one is kept. A paragraph of several
    fragments is broken by `_pdf_lines.break_lines`, which gives reportlab's lines faster,
    and drawn by `_pdf_draw.draw_paragraph`, which writes reportlab's operators faster.
    """

    _wrapped: tuple[float, float, float] | None = None
    #: (column width and padding, size) when the paragraph is a table cell (see `BriefTable`)
    _geometry: tuple | None = None
    #: the document's word widths; set by the story builder, passed on to the parts of a split
    _widths: WidthCache | None = None

    def wrap(self, availWidth, availHeight):
        if not compat.fast("memo"):  # reportlab's own: break the lines on every call
            return super().wrap(availWidth, availHeight)
        done = self._wrapped
        # `split` drops blPara (reportlab's private line breaking) when the paragraph cannot
        # start on this page: wrap again then.
        if done is not None and done[0] == availWidth and "blPara" in self.__dict__:
            self.width = done[1]
            self.height = done[2]
            compat.ran["memo"] += 1
            return done[1], done[2]
        width, height = super().wrap(availWidth, availHeight)
        if availWidth >= _FUZZ:  # reportlab's "cannot fit" answer is not a line breaking to keep
            self._wrapped = (availWidth, width, height)
        return width, height

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:  # the rest on the next page is broken again, from the words: with the cache
            if part is not self:
                part._widths = self._widths
                part._reegen_tag = self._reegen_tag
        pass_on(self, parts)
        return parts

    def drawPara(self, debug=0):
        with with_break_spaces(self):  # the spaces its line breaks stand for, in the text (see `_pdf_breaks`)
            if debug or not draw_paragraph(self):
                super().drawPara(debug)

    def breakLines(self, width):
        remember_text(self)
        if self._widths is not None:
            lines = break_lines(self, width, self._widths)
            if lines is not None:
                return lines
        return super().breakLines(width)


class BriefTable(TaggedTable, Table):
    """A table that measures each cell once per column width, and itself once per space.

    reportlab measures the rows of a long table again each time it splits it across a
    page, and again for each part: an 860-row table was measured 18,000 times for its
    4,300 cells. A cell holding one paragraph gets the same size at the same width, so
    its measurement is kept on the paragraph. Drawing still wraps each cell.

    A table that does not fit is measured in `wrap`, then again with the same space in
    the `split` that follows; the second time changes nothing, so it is skipped. Tables
    with spanned or unsplittable cells, or columns sized from their content, are always
    measured: their measurement depends on more than the space.
    """

    _measured_for: tuple[float, float] | None = None
    #: rows after the window reportlab is given (see `windowed`), not yet part of its table
    _later: tuple = ()
    #: the style the table was made with, given to each window
    _style: TableStyle | None = None

    @classmethod
    def windowed(cls, data: list, style: TableStyle, *, window: bool = True, **kwargs) -> BriefTable:
        """Return the table of `data` (its header first), given to reportlab a window of rows at a time.

        reportlab remakes the rest of a table each time it splits it at a page foot: every
        remaining row is copied, styled and positioned again, so a long table costs time
        quadratic in its rows. Here reportlab's table holds the header and the next
        `WINDOW` rows, and the rest wait in `_later`: at each split the rest is made of
        what reportlab left plus the next rows, so the work per page stays the same
        however long the table. A window is made as reportlab makes the rest of a split
        table (the same column widths, row heights, style and spacing), so the pages are
        the same. Needs the "window" internals; without them, or without `window` (a table
        inside another, as in a quote's box, is measured whole by it), one table of every row.
        """
        head = kwargs.get("repeatRows", 0)
        if not window or len(data) <= head + 2 * WINDOW or not compat.fast("window"):
            table = cls(data, **kwargs)
            table.setStyle(style)
            return table
        table = cls(data[:head + WINDOW], **kwargs)
        table.setStyle(style)
        table._later = tuple(data[head + WINDOW:])
        table._style = style
        compat.ran["window"] += 1
        return table

    def wrap(self, availWidth, availHeight):
        width, height = super().wrap(availWidth, availHeight)
        if self._later and height <= availHeight:
            return width, availHeight + 1  # more rows follow: never drawn whole, always split
        return width, height

    # `_calc` and `_listCellGeom` are reportlab's private measuring steps; the memos run only
    # where `_rl_compat` allows the "memo" internals, the split rule where it allows "split".
    def _calc(self, availWidth, availHeight):
        if not compat.fast("memo"):
            return super()._calc(availWidth, availHeight)
        key = (availWidth, availHeight)
        if key == self._measured_for:
            compat.ran["memo"] += 1
            return
        self._measured_for = None
        super()._calc(availWidth, availHeight)
        try:
            plain = not (self._spanCmds or self._nosplitCmds or None in self._argW or "*" in self._argW)
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("memo", exc) from exc
        if plain:
            self._measured_for = key
            if self._style is not None and not any(isinstance(w, str) for w in self._argW):
                # A window at fixed column widths keeps its rows' heights, as reportlab gives the
                # parts of a split table theirs: measured in the space left at a page foot, it is
                # not measured again at the top of the next page.
                self._argH = list(self._rowHeights)

    def split(self, availWidth, availHeight):
        """Split as reportlab does, but never leave the header and a single row at a page foot.

        A table of several rows that would start with one row under its header, away from
        the rest, moves whole to the next page instead (unless it already starts a page).
        """
        if self._later:
            return self._split_window(availWidth, availHeight)
        parts = super().split(availWidth, availHeight)
        return self._not_lone(parts, len(self._cellvalues))

    def _not_lone(self, parts: list, rows: int) -> list:
        """`parts`, or none when they would leave the header and one row of a table of `rows` rows at a page foot."""
        if len(parts) < 2 or not compat.fast("split"):
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        try:  # reportlab's private attributes: the frame the table is laid out in, the tables' cells
            frame = getattr(self, "_frame", None)
            at_top = bool(frame is not None and getattr(frame, "_atTop", False))
            lone = not at_top and rows > head + 2 and len(parts[0]._cellvalues) <= head + 1
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("split", exc) from exc
        compat.ran["split"] += 1
        return [] if lone else parts

    def _split_window(self, availWidth, availHeight) -> list:
        """Split a windowed table: reportlab splits the window; the rest is what it left plus the next rows."""
        try:  # reportlab's private attributes: the window's cells, widths, heights and commands, and its parts'
            rows = len(self._cellvalues) + len(self._later)
            parts = Table.split(self, availWidth, availHeight)
            head = self.repeatRows
            if parts == [self] or (len(parts) == 2 and len(parts[1]._cellvalues) - head < 2):
                # the window fits, or leaves less than two rows: split a longer one (see `_continued`)
                return self._continued(self, len(self._cellvalues), WINDOW).split(availWidth, availHeight)
            parts = self._not_lone(parts, rows)
            if len(parts) < 2:
                return parts
            first, rest = parts
            whole = self._continued(rest, len(rest._cellvalues), max(0, WINDOW - (len(rest._cellvalues) - head)))
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("window", exc) from exc
        compat.ran["window"] += 1
        return [first, whole]

    def _continued(self, part: Table, rows: int, more: int) -> BriefTable:
        """`part` (this table, or the rest reportlab made of it), with `more` of this table's later rows after its `rows`.

        The rows come with their cell styles as this table's style gives them; the lines and
        backgrounds are `part`'s own, those ending at its last row stretched to the new last
        row, as they would have reached it had reportlab been given every row (`part` has
        two rows or more after its header, so a command ending there covers several).
        """
        later = self._later
        kept = {name: vars(part)[name] for name in ("spaceBefore", "spaceAfter") if name in vars(part)}
        grown = type(self)(part._cellvalues[:rows] + list(later[:more]), colWidths=part._argW,
                           rowHeights=list(getattr(part, "_rowHeights", part._argH)[:rows]) + [None] * len(later[:more]),
                           repeatRows=part.repeatRows, splitByRow=part.splitByRow, splitInRow=part.splitInRow,
                           ident=part.ident, longTableOptimize=part._longTableOptimize, **kept)
        grown.hAlign, grown.vAlign = part.hAlign, part.vAlign
        grown.setStyle(self._style)  # the cell styles; the commands are `part`'s
        last = rows - 1
        for name in _COMMAND_LISTS:
            commands = getattr(part, name, None)
            if commands is not None:
                setattr(grown, name, [_stretched(c, last) for c in commands])
        grown._later = later[more:]
        grown._style = self._style
        grown._reegen_tag = self._reegen_tag
        where = getattr(self, "_reegen_where", None)
        if where is not None:
            grown._reegen_where = where
        return grown


#: a reportlab table's lists of line, background, span and split commands (its private attributes)
_COMMAND_LISTS = ("_linecmds", "_bkgrndcmds", "_spanCmds", "_nosplitCmds", "_srflcmds", "_sircmds")


def _stretched(command, last: int):
    """`command` (op, (col, row), (col, row), ...), reaching the table's end (-1) when it ended at row `last`."""
    (sc, sr), (ec, er) = command[1:3]
    if er == last and sr != er:
        return (command[0], (sc, sr), (ec, -1), *command[3:])
    return command


#: the rows of a long table reportlab is given at a time (see `BriefTable.windowed`): a few pages' worth
WINDOW = 60


class _Rule(Tagged, HRFlowable):
    """A horizontal rule: decoration, marked as an artifact."""

    _reegen_tag = ARTIFACT


class _Logo(Tagged, Image):
    """The brand logo: a `Figure` with alternative text."""


class _ContentsEntry(Tagged, Paragraph):
    """A table of contents entry, as reportlab makes it, tagged as one `TOCI`."""

    def breakLines(self, width):
        remember_text(self)
        return super().breakLines(width)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        pass_on(self, parts)
        return parts

    def drawPara(self, debug=0):
        with with_break_spaces(self):
            super().drawPara(debug)


class _Contents(Tagged, TocFlowable):
    """The table of contents: a `TOC` holding one `TOCI` for each entry.

    reportlab makes the entries' paragraphs afresh each time it lays the contents out
    (once per pass, until page numbers settle), so each layout tags them anew.
    """

    def wrap(self, availWidth, availHeight):
        size = super().wrap(availWidth, availHeight)
        toc = self._reegen_tag
        if type(toc) is Container and hasattr(self, "_table"):
            toc.element.kids.clear()
            for row in self._table._cellvalues:
                entry = toc.element.add("TOCI")
                for cell in row:
                    for flowable in cell if isinstance(cell, (list, tuple)) else (cell,):
                        if type(flowable) is Paragraph:  # reportlab's own: tagged without changing its layout
                            flowable.__class__ = _ContentsEntry
                            flowable._reegen_tag = entry
        # the dot leader and page number after each title: decoration for a reader that follows the link
        end = _named_callback(self.canv, "drawTOCEntryEnd")
        if end is not None and not getattr(end, "reegen_artifact", False):
            _set_named_callback(self.canv, "drawTOCEntryEnd", as_artifact(end))
        return size


def _named_callback(canv, name: str):
    """Return the `<onDraw name=…>` callback `name` of `canv`, or None.

    reportlab 5 keeps these in a table (`getNamedCB`/`setNamedCB`); 4.x as attributes of
    the canvas, which its paragraphs look up by name.
    """
    get = getattr(canv, "getNamedCB", None)
    return get(name) if get is not None else getattr(canv, name, None)


def _set_named_callback(canv, name: str, callback) -> None:
    """Make `callback` the `<onDraw name=…>` callback `name` of `canv` (see `_named_callback`)."""
    if hasattr(canv, "setNamedCB"):
        canv.setNamedCB(name, callback)
    else:
        setattr(canv, name, callback)


class _QuoteBox(TaggedTable, Table):
    """The box a quote is drawn in: its rule is an artifact, its paragraphs are tagged."""


class HeadingParagraph(BriefParagraph):
    """A heading; `outline` = (level, title, destination key, TOC markup) for the outline and contents."""

    outline: tuple[int, str, str, str] | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts:  # only the first part holds the heading's destination
            parts[0].outline = self.outline
        return parts


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block sits: nearest known source, list depth and text indent, inside a quote, pending bullet."""

    source: SourceRef | None = None
    depth: int = 0
    #: left edge of list item text, in points from the frame
    indent: float = 0
    in_quote: bool = False
    #: the bullet (label, left edge) the next paragraph starts with
    bullet: tuple[str, float] | None = None
    #: the structure element the block's elements go into (None: the document's)
    parent: Element | None = None
    #: the `Lbl` element the pending bullet is tagged with
    label: Element | None = None
    #: the role of a paragraph's element: `LBody` for a list item that is one paragraph
    role: str = "P"


def describe(kind: str, source: SourceRef | None) -> str:
    """Return e.g. "paragraph from article 'x', line 12 (section 'y')" for messages."""
    if source is None:
        return Where(kind)
    out = f"{kind} from article '{source.article_id}'"
    if source.line is not None:
        out += f", line {source.line}"
    if source.section:
        out += f" (section '{source.section}')"
    return Where(out, source)


class StoryBuilder:
    """Builds the flowables of one document; raises `RenderError` before layout for undrawable text."""

    def __init__(self, document: Document, fonts: FontSet, brand: Brand = Brand(), warn=None):
        self.document = document
        self.fonts = fonts
        self.brand = brand
        #: the accent colour: the brand's, else reegen's blue
        self.accent = brand.accent or ACCENT
        self.styles = Styles(fonts, self.accent)
        anchors = frozenset(e.number for b in walk(document.blocks) if isinstance(b, SourcesList) for e in b.entries)
        self.inline = InlineRenderer(fonts, replace(PALETTE, accent=self.accent), anchors, warn)
        self._keys: set[str] = set()
        self._anchored: set[int] = set()
        self._frags = FragmentMaker()
        self._widths = WidthCache()
        self.has_toc = any(isinstance(b, TableOfContents) for b in walk(document.blocks))
        self._toc_entries = any(isinstance(b, Heading) and b.level <= 2 for b in walk(document.blocks))
        # Tables set their cell font even around flowable cells; without this it is the
        # unembedded Helvetica.
        self._cell_font = ("FONT", (0, 0), (-1, -1), fonts.body.name, 10)
        meta = document.meta
        #: the tagged PDF's logical structure, filled as the story is built (see `_pdf_tags`)
        self.tree = StructureTree(meta.language, meta.title, meta.author)

    # ------------------------------------------------------------------ public
    def build(self) -> list[Flowable]:
        """Return the story: the title block, then every block of the document."""
        return [flowable for part in self.parts() for flowable in part]

    def parts(self) -> Iterator[list[Flowable]]:
        """Yield the story a part at a time (the title block, then each block's flowables), each made when asked for.

        The layout can then ask for the story as it goes (`pdf._BriefTemplate.top_up`): a
        1,000-page brief's paragraphs are not all alive at once. The structure tree is
        complete once the last part is made.
        """
        yield self.title_block()
        root = self.tree.root
        ctx = _Context(parent=root)
        blocks = self.document.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Heading) and block.level == 1:  # each top-level section is a Sect
                ctx = replace(ctx, parent=root.add("Sect"))
            yield self._kept_lead_in(self.block(block, ctx), block, blocks[i + 1] if i + 1 < len(blocks) else None)

    def header_texts(self) -> tuple[str, str]:
        """Return the running header's (title, classification), checked for glyphs."""
        meta = self.document.meta
        title = self.inline.check(" ".join(meta.title.split()), "the title")
        classification = self.inline.check(" ".join((meta.classification or "").split()), "the classification")
        return title, classification

    # ------------------------------------------------------------------ helpers
    def _kept_lead_in(self, flowables: list[Flowable], block: Block, following: Block | None) -> list[Flowable]:
        """Return `flowables`, the last one kept with what follows when `block` is a lead-in to `following`.

        A paragraph ending in a colon introduces the list or table after it ("Western
        readers should take note:"); left alone at a page foot it reads as a loose end.
        """
        if flowables and is_lead_in(block, following):
            flowables[-1].keepWithNext = 1
        return flowables

    def _paragraph(self, runs: list[Run], style: ParagraphStyle, where: str, bullet: str | None = None,
                   cls: type[Paragraph] = BriefParagraph, wide: bool = False, visual: bool = False) -> Flowable:
        if not visual:
            _, bold, italic = ps2tt(style.fontName)
            runs = styled_faces(runs, self.fonts, bool(bold), bool(italic))
        if not visual and any(run.rtl for run in runs):
            # Right-to-left text: lines broken here, then each put in visual order (see _pdf_bidi)
            def make(lines, st, b):  # the lines in visual order are drawn as the paragraph's element
                return tag([self._paragraph(lines, st, where, b, cls=cls, wide=wide, visual=True)],
                           getattr(flowable, "_reegen_tag", None))[0]

            flowable = BidiParagraph(runs, style, bullet, make)
            flowable._reegen_where = where
            return flowable
        runs = without_marks(runs)
        if wide:  # CJK text has no spaces: lines may break between any two characters
            style = self.styles.variant(style, wordWrap="CJK")
        shaped = any(run.shaped for run in runs)
        if shaped:  # Devanagari: reportlab shapes each word with HarfBuzz, on its own paths
            style = self.styles.variant(style, shaping=1)
        try:
            frags = None if shaped else self._frags.frags(runs, style)
            if frags is not None:
                flowable = cls(None, style, bulletText=bullet, frags=frags)
            else:  # runs the fragment maker cannot vouch for go through reportlab's parser
                flowable = cls(to_markup(runs), style, bulletText=bullet)
        except Exception as exc:  # reportlab's markup parser: a writer bug, reported with its place
            raise RenderError(f"the PDF writer produced markup reportlab rejects in {where}: {first_line(exc)}",
                              code="render.markup") from exc
        flowable._reegen_where = where
        flowable._widths = None if shaped else self._widths
        return flowable

    def _paragraphs(self, runs: list[Run], style: ParagraphStyle, where: str,
                    bullet: str | None = None) -> list[Flowable]:
        chunks = chunk_runs(runs)
        if len(chunks) == 1:
            return [self._paragraph(runs, style, where, bullet, wide=_is_wide(runs))]
        out: list[Flowable] = []
        last = len(chunks) - 1
        for i, chunk in enumerate(chunks):
            changes = {}
            if i > 0:
                changes["spaceBefore"] = 0
            if i < last:
                changes["spaceAfter"] = 0
            out.append(self._paragraph(chunk, self.styles.variant(style, **changes), where,
                                       bullet if i == 0 else None, wide=_is_wide(chunk)))
        return out

    def _element(self, parent: Element | None, role: str, text: str, **attrs) -> Element:
        """Return a new `role` element under `parent` (the document when None) holding `text`.

        Text all in another script than the brief's language gets its own /Lang (see `language_of`).
        """
        element = (parent or self.tree.root).add(role, **attrs)
        lang = language_of(text, self.tree.language)
        if lang is not None:
            element.attrs["Lang"] = lang
        return element

    def _key(self, anchor: str, index: int) -> str:
        key = "h-" + (_KEY_UNSAFE.sub("-", anchor).strip("-") or str(index))
        base, n = key, 2
        while key in self._keys:
            key, n = f"{base}-{n}", n + 1
        self._keys.add(key)
        return key

    # ------------------------------------------------------------------ blocks
    def title_block(self) -> list[Flowable]:
        meta, st = self.document.meta, self.styles
        out: list[Flowable] = []
        root = self.tree.root
        if self.brand.logo is not None:
            # `[brand] logo_alt`: what the project says the logo shows ("Logo" when it says nothing)
            out += tag([self.logo()], root.add("Figure", Alt=self.brand.logo_alt))
        title = self.inline.text(house.keep_dash_with_next(meta.title), "the title")
        out += tag([self._paragraph(title, st["title"], "the title", wide=_is_wide(title))],
                   self._element(root, "H1", meta.title))
        if meta.subtitle:
            subtitle = self.inline.text(house.keep_dash_with_next(meta.subtitle), "the subtitle")
            out += tag([self._paragraph(subtitle, st["subtitle"], "the subtitle", wide=_is_wide(subtitle))],
                       self._element(root, "P", meta.subtitle))
        parts: list[list[Run]] = []
        for label, value in (("audience", meta.audience), ("author", meta.author),
                             ("date", format_date(meta.date) if meta.date else None)):
            if value:
                parts.append(self.inline.text(value, f"the {label}"))
        if meta.classification:
            markup = (f'<font color="{CLASSIFICATION}"><b>', "</b></font>")
            parts.append(self.inline.text(meta.classification, "the classification", (markup,)))
        if parts:
            dot = self.inline.text(" \u00b7 ", "the title block")
            line = parts[0] + [run for p in parts[1:] for run in (*dot, *p)]
            out += tag([self._paragraph(line, st["meta"], "the title block", wide=any(_is_wide(p) for p in parts))],
                       root.add("P"))
        out.append(_Rule(width="100%", thickness=1.2, color=colour(self.accent),
                         spaceBefore=6, spaceAfter=12, hAlign="LEFT"))
        for f in out:
            f._reegen_where = "the title block"
        return out

    def logo(self) -> Flowable:
        """Return the brand logo, scaled to fit the title block with its proportions kept."""
        width, height = self.brand.logo_size or (1, 1)
        scale = min(LOGO_MAX_HEIGHT / height, LOGO_MAX_WIDTH / width)
        try:
            image = _Logo(str(self.brand.logo), width=width * scale, height=height * scale, hAlign="LEFT",
                          mask="auto", lazy=0)
        except Exception as exc:  # Pillow or reportlab cannot decode it: a damaged file
            raise RenderError(f"cannot draw the [brand] logo '{self.brand.logo.name}': {first_line(exc)}",
                              hint="export the logo again as PNG", code="render.brand") from exc
        image.spaceAfter = 5 * mm
        return image

    def block(self, block: Block, ctx: _Context) -> list[Flowable]:
        """Return the flowables of `block` in context `ctx`."""
        if isinstance(block, ParagraphBlock):
            return self.paragraph(block, ctx)
        if isinstance(block, Heading):
            return self.heading(block, ctx)
        if isinstance(block, BulletList):
            return self.bullet_list(block, ctx)
        if isinstance(block, Quote):
            return self._indented(self.quote(block, ctx), ctx)
        if isinstance(block, TableBlock):
            return self._indented(self.table(block, ctx), ctx)
        if isinstance(block, Rule):
            rule = _Rule(width="100%", thickness=0.6, color=colour(RULE),
                         spaceBefore=4, spaceAfter=10, hAlign="LEFT")
            rule._reegen_where = describe("rule", ctx.source)
            return [rule]
        if isinstance(block, TableOfContents):
            return self.contents(block, ctx)
        if isinstance(block, SourcesList):
            return self._indented(self.sources(block, ctx), ctx)
        raise RenderError(f"the PDF writer cannot render a {type(block).__name__} block ({describe('block', ctx.source)})",
                          code="render.unknown-block")

    def _indented(self, flowables: list[Flowable], ctx: _Context) -> list[Flowable]:
        if not ctx.indent or not flowables:
            return flowables
        return [Indenter(left=ctx.indent), *flowables, Indenter(left=-ctx.indent)]

    def paragraph(self, p: ParagraphBlock, ctx: _Context) -> list[Flowable]:
        source = p.source or ctx.source
        where = describe("note" if p.role == "note" else "paragraph", source)
        st = self.styles
        if p.role == "note":
            style = st["note"]
        elif ctx.in_quote:
            style = st["quote"]
        elif p.role == "lead":
            style = st["lead"]
        else:
            style = st["item"] if ctx.depth else st["body"]
        runs = self.inline.inlines(p.children, where, style.fontSize)
        if p.numbers:
            # A no-break space keeps "[1]" on the line of the word it follows.
            # Not in a shaped paragraph: reportlab shapes a word with its first font only.
            bind = " " if any(run.shaped for run in runs) else "\u00a0"
            runs.append(self.inline.numbers(p.numbers, style.fontSize, lead=bind))
        if not runs:
            return []
        element = self._element(ctx.parent, ctx.role, plain_text(p.children))
        if ctx.bullet:
            label, at = ctx.bullet
            element.label = ctx.label
            style = st.variant(style, leftIndent=ctx.indent, bulletIndent=at)
            return tag(self._paragraphs(runs, style, where, label), element)
        if ctx.indent:
            style = st.variant(style, leftIndent=ctx.indent)
        return tag(self._paragraphs(runs, style, where), element)

    def heading(self, h: Heading, ctx: _Context) -> list[Flowable]:
        title = " ".join(plain_text(h.children).split())
        where = f"heading '{title[:60]}'"
        style = self.styles[f"h{min(max(h.level, 1), 3)}"]
        key = self._key(h.anchor, len(self._keys) + 1)
        runs = [Run(raw=f'<a name="{key}"/>')] + self.inline.inlines(dash_kept(h.children), where, style.fontSize)
        para = self._paragraph(runs, style, where, cls=HeadingParagraph, wide=_is_wide(runs))
        toc = to_markup(without_marks(one_line(self.inline.text(house.keep_dash_with_next(title), where))))
        # The outline is shown by the reader's own fonts and bidi: it takes the text in logical order.
        para.outline = (h.level, title, key, toc)
        # the brief's title is the one H1; the document's headings sit below it
        para._reegen_tag = self._element(ctx.parent, f"H{min(h.level + 1, 6)}", title)
        self.tree.link_texts.setdefault(key, f"Section: {title}")
        return self._indented([para], ctx)

    def bullet_list(self, lst: BulletList, ctx: _Context) -> list[Flowable]:
        out: list[Flowable] = []
        depth = ctx.depth + 1
        style = self.styles["item"]
        if lst.ordered:
            labels = [f"{n}." for n in range(1, len(lst.items) + 1)]
        else:
            labels = [house.bullet(depth)] * len(lst.items)
        widest = max((stringWidth(label, style.bulletFontName, style.bulletFontSize) for label in set(labels)), default=0)
        at = ctx.indent + (0 if ctx.depth else 2)
        indent = at + max(BULLET_GAP, widest + 5)
        # a reader names the list's kind from ListNumbering: Disc for •, None for the – of nested lists
        numbering = "Decimal" if lst.ordered else "Disc" if labels and labels[0] == "\u2022" else "None"
        element = (ctx.parent or self.tree.root).add("L", A={"O": "List", "ListNumbering": numbering})
        for label, item in zip(labels, lst.items):
            li = element.add("LI")
            lbl = li.add("Lbl")
            # an item of one paragraph (most are) is its LBody; one of several blocks holds them
            alone = len(item.blocks) == 1 and isinstance(item.blocks[0], ParagraphBlock)
            item_ctx = replace(ctx, source=item.source or ctx.source, depth=depth, indent=indent, bullet=(label, at),
                               parent=li if alone else li.add("LBody"), label=lbl, role="LBody" if alone else "P")
            for i, block in enumerate(item.blocks):
                following = item.blocks[i + 1] if i + 1 < len(item.blocks) else None
                out += self._kept_lead_in(self.block(block, item_ctx), block, following)
                item_ctx = replace(item_ctx, bullet=None, label=None, role="P")
        if out and ctx.depth == 0:
            out.append(Spacer(1, 5))
        return out

    def quote(self, q: Quote, ctx: _Context) -> list[Flowable]:
        quote = (ctx.parent or self.tree.root).add("BlockQuote")
        inner_ctx = _Context(source=q.source or ctx.source, in_quote=True, parent=quote)
        inner: list[Flowable] = []
        for block in q.blocks:
            inner += self.block(block, inner_ctx)
        if not inner:
            return []
        table = _QuoteBox([[inner]], colWidths=["100%"], hAlign="LEFT", splitByRow=1, splitInRow=1)
        table._reegen_tag = Container(quote)
        table.setStyle(TableStyle([
            self._cell_font,
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, colour(self.accent)),
            ("LEFTPADDING", (0, 0), (-1, -1), 14),
            ("RIGHTPADDING", (0, 0), (-1, -1), 18),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        table.spaceBefore, table.spaceAfter = 4, 12
        table._reegen_where = describe("quote", inner_ctx.source)
        return [table]

    def table(self, t: TableBlock, ctx: _Context) -> list[Flowable]:
        ncols = max([len(t.header), *(len(r) for r in t.rows)], default=0)
        if ncols == 0:
            return []
        caption = " ".join(plain_text(t.caption).split())
        name = f"table '{caption[:40]}'" if caption else "table"
        where_table = describe(name, ctx.source)
        out: list[Flowable] = []
        element = (ctx.parent or self.tree.root).add("Table")
        if t.caption:
            runs = self.inline.inlines(t.caption, f"the caption of {where_table}", self.styles["caption"].fontSize)
            out += tag([self._paragraph(runs, self.styles["caption"], where_table, wide=_is_wide(runs))],
                       element.add("Caption"))
        rows = ([t.header] if t.header else []) + list(t.rows)
        data = []
        body = None
        for r, row in enumerate(rows):
            is_head = bool(t.header) and r == 0
            label = "header" if is_head else f"row {r if t.header else r + 1}"
            if is_head:
                tr = element.add("THead").add("TR")
            else:
                body = body or element.add("TBody")
                tr = body.add("TR")
            cells = []
            for c in range(ncols):
                style = self.styles["cell-head" if is_head else "cell-first" if c == 0 and ncols > 1 else "cell"]
                if c < len(t.align) and t.align[c] in _ALIGNMENTS:
                    style = self.styles.variant(style, alignment=_ALIGNMENTS[t.align[c]])
                where = f"{where_table}, {label}, column {c + 1}"
                runs = self.inline.inlines(row[c] if c < len(row) else (), where, style.fontSize)
                paras = self._paragraphs(runs, style, where) if runs else [BriefParagraph("", style)]
                text = plain_text(row[c]) if c < len(row) else ""
                if is_head:
                    cell = self._element(tr, "TH", text, A={"O": "Table", "Scope": "Column"})
                    cell.repeats = True  # drawn again under the table's continuation on later pages
                else:
                    cell = self._element(tr, "TD", text)
                cells.append(paras[0] if len(paras) == 1 else paras)
                tag(paras, cell)
            data.append(cells)
        total = house.MEASURE - ctx.indent
        widths = house.column_widths(t.widths, self._least_widths(rows, ncols, total, bool(t.header)), total,
                                     self._natural_widths(rows, ncols, bool(t.header)))
        col_widths = [f"{100 * w / total:.3f}%" for w in widths]
        # splitInRow lets a row taller than a page continue on the next one instead of
        # raising LayoutError; repeatRows repeats the header on every page.
        commands = [
            self._cell_font,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colour(RULE)),
            ("ROWBACKGROUNDS", (0, 1 if t.header else 0), (-1, -1), [colors.white, colour(ZEBRA)]),
        ]
        if t.header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), colour(self.accent)),
                         ("LINEBELOW", (0, 0), (-1, 0), 0.8, colour(self.accent))]
        table = BriefTable.windowed(data, TableStyle(commands), window=not ctx.in_quote, colWidths=col_widths,
                                    repeatRows=1 if t.header else 0, hAlign="LEFT", splitByRow=1, splitInRow=1,
                                    spaceBefore=2, spaceAfter=12)
        table._reegen_where = where_table
        table._reegen_tag = Container(element)
        out.append(table)
        return out

    def _natural_widths(self, rows, ncols: int, header: bool) -> list[float]:
        """Return the width each column takes with its widest cell on one line (padding included)."""
        most = [0.0] * ncols
        size = self.styles["cell"].fontSize
        for r, row in enumerate(rows):
            for c in range(min(ncols, len(row))):
                text = " ".join(plain_text(row[c]).split())
                if text:
                    bold = (header and r == 0) or (c == 0 and ncols > 1)
                    most[c] = max(most[c], text_width(text, self.fonts, size, bold=bold))
        return [w + 2 * _CELL_PADDING + 1 for w in most]

    def _least_widths(self, rows, ncols: int, total: float, header: bool) -> list[float]:
        """Return the width each column needs: its header's longest word, and its cells' (up to a third of `total`).

        A column narrower than a word of its header breaks it ("Sourc" / "e"); a cell's
        long word (a URL) may still wrap rather than take the table.
        """
        least = [0.0] * ncols
        size = self.styles["cell"].fontSize
        for r, row in enumerate(rows):
            for c in range(min(ncols, len(row))):
                head = header and r == 0
                bold = head or (c == 0 and ncols > 1)
                words = plain_text(row[c]).split()
                if not words:
                    continue
                width = max(text_width(word, self.fonts, size, bold=bold) for word in words)
                least[c] = max(least[c], width if head else min(width, total / 3))
        return [w + 2 * _CELL_PADDING + 1 for w in least]

    def sources(self, block: SourcesList, ctx: _Context | None = None) -> list[Flowable]:
        out: list[Flowable] = []
        style = self.styles["source"]
        widest = max((stringWidth(f"{e.number}.", style.bulletFontName, style.bulletFontSize) for e in block.entries),
                     default=0)
        style = self.styles.variant(style, leftIndent=max(style.leftIndent, widest + 8))
        parent = (ctx.parent if ctx is not None else None) or self.tree.root
        element = parent.add("L", A={"O": "List", "ListNumbering": "Decimal"})
        for entry in block.entries:
            where = describe(f"Sources entry {entry.number}", None)
            if entry.article_id:
                where += f" (article '{entry.article_id}')"
            runs: list[Run] = []
            if entry.number not in self._anchored:
                self._anchored.add(entry.number)
                runs.append(Run(raw=f'<a name="{source_anchor(entry.number)}"/>'))
            runs += self.inline.inlines(entry.children, where, style.fontSize)
            url = (entry.url or "").strip()
            if url and url not in plain_text(entry.children):
                runs += self.inline.inlines((Text(" "),), where, style.fontSize)
                markup = (f'<a href="{attr(url)}" color="{self.accent}">', "</a>") if is_safe_href(url) else None
                runs += self.inline.text(url, where, (markup,) if markup else ())
            item = element.add("LI")
            label = item.add("Lbl")
            body = item.add("LBody")
            body.label = label
            out += tag(self._paragraphs(runs, style, where, bullet=f"{entry.number}."), body)
            title = " ".join(plain_text(entry.children).split())
            self.tree.link_texts.setdefault(source_anchor(entry.number), f"Source {entry.number}: {title}")
            self.tree.citations.add(source_anchor(entry.number))
        return out

    def contents(self, block: TableOfContents, ctx: _Context | None = None) -> list[Flowable]:
        if not self._toc_entries:
            return []  # no level 1-2 headings: reportlab would print a placeholder line
        st = self.styles
        title = self._paragraph(self.inline.text(block.title, "the table of contents title"),
                                st["toc-title"], "the table of contents")
        toc_style = TableStyle([self._cell_font, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        levels = [st["toc-1"], st["toc-2"]]
        if any(isinstance(b, Heading) and b.level <= 2 and is_wide(plain_text(b.children))
               for b in walk(self.document.blocks)):
            levels = [st.variant(level, wordWrap="CJK") for level in levels]
        parent = (ctx.parent if ctx is not None else None) or self.tree.root
        title._reegen_tag = parent.add("H2")
        element = parent.add("TOC")
        toc = _Contents(levelStyles=levels, dotsMinLevel=0, rightColumnWidth=40, tableStyle=toc_style)
        toc._reegen_where = "the table of contents"
        toc._reegen_tag = Container(element)
        return [title, toc, Spacer(1, 10)]


def _is_wide(runs: list[Run]) -> bool:
    return any(run.wide for run in runs)


def first_line(exc: BaseException) -> str:
    """Return the first line of an exception's message, for a one-line diagnostic."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
