"""The PDF writer: a stakeholder-ready brief laid out with reportlab platypus, returned as bytes.

Text is checked against the embedded fonts and escaped before reportlab sees it
(`_pdf_markup`); blocks become flowables in `_pdf_story`. This module owns the page: the
title page, the running header and "Page X of Y" footer, the outline and table of
contents, the file metadata, and the conversion of any layout failure into `RenderError`.

Importing it replaces reportlab's `pdfdoc.pdfdocEnc` with `pdfdoc_encode`, which gives
the same bytes faster (see there), for any reportlab document in the process.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from hashlib import md5
from operator import itemgetter

from . import _pdf_import  # noqa: F401 - first: reportlab.platypus without a costly regex (see there)
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    Destination, LinkAnnotation, NoEncryption, PDFArray, PDFDestinationXYZ, PDFDictionary, PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas, _annFormat
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import KeepTogether

from ..errors import RenderError
from ..model import Document
from . import WriteOptions
from ._brand import load_brand, setting_location
from ._house import side_margin
from ._pdf_fonts import FontSet, draw_text, load_fonts, text_width
from ._pdf_story import CLASSIFICATION, MUTED, RULE, StoryBuilder, first_line
from ._pdf_tags import PageTagger, artifact

_PAGE_SIZES = {"a4": A4, "letter": LETTER}
_MARGIN_TOP = 24 * mm
_MARGIN_BOTTOM = 22 * mm
_CLASSIFICATION_COLOUR, _MUTED_COLOUR, _RULE_COLOUR = HexColor(CLASSIFICATION), HexColor(MUTED), HexColor(RULE)
#: a heading needs this much of what follows on its page, or it moves to the next one
_KEEP_FOLLOWING = 42
#: reads the graphics state a canvas saves (see `_BriefCanvas.push_state_stack`)
_STATE = itemgetter(*Canvas.STATE_ATTRIBUTES)
_new = object.__new__
#: a destination name PDF string formatting leaves as it is (no escapes, no UTF-16)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]*\Z")


class PdfWriter:
    """Writes a `Document` as an A4 or Letter PDF brief with embedded fonts."""

    #: the format name, as in `reegen build -f pdf`
    name = "pdf"
    #: the suffix of the output file
    suffix = ".pdf"
    #: the output is bytes, not text
    binary = True

    def write(self, document: Document, options: WriteOptions) -> bytes:
        """Return the PDF of `document`; raises `RenderError` naming the block that cannot be drawn."""
        return render_pdf(document, options)


def render_pdf(document: Document, options: WriteOptions, *, tagged: bool = True) -> bytes:
    """Return the PDF bytes of `document` laid out as `options` ask; `tagged=False` leaves out the tags (benchmarks)."""
    page_size = _page_size(options.page_size)
    brand = load_brand(options)
    fonts = load_fonts(brand.font, where=setting_location(options.base_dir, "brand", "font"))
    report = options.report

    def warn(message, location, hint):
        if report is not None:
            report.warning(message, "render.missing-glyph", location, hint)

    builder = StoryBuilder(document, fonts, brand, warn)
    story = builder.build()  # every character is checked here, before any layout work
    header_title, classification = builder.header_texts()
    meta = document.meta

    buffer = io.BytesIO()
    doc = _BriefTemplate(
        buffer,
        fonts=fonts,
        header=(header_title, classification),
        pagesize=page_size,
        title=meta.title,
        author=meta.author or "",
        subject=meta.subtitle or "",
        keywords=", ".join(meta.keywords),
        creator="reegen",
        # invariant is passed per document, never through the global rl_config.invariant
        invariant=1 if options.source_date is not None else 0,
        initialFontName=fonts.body.name,
        initialFontSize=10,
        pageCompression=1,
        displayDocTitle=1,
        show_outline=builder.has_toc,
        tree=builder.tree if tagged else None,
    )
    canvasmaker = _canvas_maker(options.source_date)
    try:
        # The page total is drawn when the canvas is saved (see `_footer`), so one layout
        # pass is enough; only a table of contents needs more, until its page numbers settle.
        if builder.has_toc:
            doc.multiBuild(story, canvasmaker=canvasmaker)
        else:
            doc.build(story, canvasmaker=canvasmaker)
    except RenderError:
        raise
    except Exception as exc:  # reportlab: LayoutError, IndexError from multiBuild, ValueError ...
        where = doc.current_where or "the document"
        raise RenderError(
            f"PDF layout failed in {where}: {first_line(exc)}",
            hint="shorten or split the block; if it looks fine, report it as a reegen bug",
            code="render.layout",
        ) from exc
    return buffer.getvalue()


def _page_size(name: str) -> tuple[float, float]:
    try:
        return _PAGE_SIZES[name.strip().lower()]
    except (KeyError, AttributeError):
        raise RenderError(f"unknown page size '{name}'", hint="use 'A4' or 'Letter'",
                          code="render.page-size") from None


class _KeepWithNext(KeepTogether):
    """Keeps headings with the start of what follows them, not with all of it.

    reportlab's KeepTogether moves the whole group to a new page when the group is taller
    than the space left, which pushes a heading and a long table to the next page and
    leaves a gap. Here the group moves only when the headings plus a few lines of what
    follows do not fit.
    """

    def wrap(self, aW, aH):
        # KeepTogether measures every member here, a long table included, only to answer
        # "split me" (its height is always too big); `split` measures what it needs.
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF

    def split(self, aW, aH):
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        need = 0.0
        for flowable in content[:-1]:
            _, h = flowable.wrapOn(self.canv, aW, aH)
            need += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        last = content[-1]
        _, h = last.wrapOn(self.canv, aW, aH)
        follow = _KEEP_FOLLOWING
        heights = getattr(last, "_rowHeights", None)
        if heights:  # a table: its header and two rows, as a table never splits after one row
            head = last.repeatRows if isinstance(last.repeatRows, int) else len(last.repeatRows)
            follow = max(follow, sum(heights[:head + 2]))
        need += min(h, follow) + last.getSpaceBefore()
        if need > aH and not at_top:
            return [self.FrameBreak(), *content]
        return content


class _BriefTemplate(BaseDocTemplate):
    """Page templates, outline entries and table-of-contents notifications for a brief."""

    def __init__(self, buffer, *, fonts: FontSet, header: tuple[str, str], show_outline: bool, tree=None,
                 **kwargs):
        super().__init__(buffer, keepTogetherClass=_KeepWithNext, **kwargs)
        #: the brief's structure tree (`_pdf_tags`), written by each layout pass's tagger
        self.tree = tree
        self.fonts = fonts
        #: (title, classification) of the running header, already checked against the fonts
        self.header = header
        #: open the outline panel when the file opens (dossiers, which have a contents page)
        self.show_outline = show_outline
        #: the `_reegen_where` of the last flowable handed to layout, for error messages
        self.current_where: str | None = None
        self._outline_level = -1
        width, height = self.pagesize
        #: side margins giving the house measure (about 70 characters of body text a line)
        self.margin_x = side_margin(width)
        frame = Frame(self.margin_x, _MARGIN_BOTTOM, width - 2 * self.margin_x, height - _MARGIN_TOP - _MARGIN_BOTTOM,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("first", [frame], onPage=self._first_page, autoNextPageTemplate="later",
                         pagesize=self.pagesize),
            PageTemplate("later", [frame], onPage=self._later_page, pagesize=self.pagesize),
        ])

    def handle_documentBegin(self):
        self._outline_level = -1
        self.current_where = None
        super().handle_documentBegin()
        if self.tree is not None:
            PageTagger(self.tree, self.canv)
        if self.show_outline:
            self.canv.showOutline()

    def handle_flowable(self, flowables):
        if flowables:
            where = getattr(flowables[0], "_reegen_where", None)
            if where:
                self.current_where = where
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None)
        if not outline:
            return
        level, title, key, toc_markup = outline
        # PDF outlines cannot skip a level (H1 then H3), so a deeper heading hangs one level down.
        depth = max(0, min(level - 1, self._outline_level + 1))
        self.canv.addOutlineEntry(title, key, level=depth, closed=False)
        self._outline_level = depth
        if level <= 2:
            self.notify("TOCEntry", (max(level, 1) - 1, toc_markup, self.page, key))

    # ------------------------------------------------------------------ page furniture
    def _first_page(self, canv, doc):
        with artifact(canv, "Pagination"):
            self._footer(canv)

    def _later_page(self, canv, doc):
        with artifact(canv, "Pagination"):
            self._running_header(canv)
            self._footer(canv)

    def _running_header(self, canv):
        # Each run is drawn in the family that has its glyphs (a CJK title uses the CJK face).
        title, classification = self.header
        width, height = self.pagesize
        size = 7.5
        y = height - _MARGIN_TOP + 9 * mm
        left = self.margin_x
        right = width - left
        canv.saveState()
        room = right - left
        if classification:
            canv.setFillColor(_CLASSIFICATION_COLOUR)
            draw_text(canv, right, y, classification, self.fonts, size, bold=True, align="right")
            room -= text_width(classification, self.fonts, size, bold=True) + 18
        canv.setFillColor(_MUTED_COLOUR)
        draw_text(canv, left, y, _fit(title, lambda t: text_width(t, self.fonts, size), room), self.fonts, size)
        canv.setStrokeColor(_RULE_COLOUR)
        canv.setLineWidth(0.5)
        canv.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        canv.restoreState()

    def _footer(self, canv):
        """Place "Page X of Y"; the canvas draws it once it knows Y (see `_BriefCanvas.save`)."""
        width, _ = self.pagesize
        number, fonts = self.page, self.fonts

        def draw(c, total: int) -> None:
            c.setFillColor(_MUTED_COLOUR)
            draw_text(c, width / 2, _MARGIN_BOTTOM - 11 * mm, f"Page {number} of {total}", fonts, 7.5,
                      align="centre")

        canv.draw_with_page_total(draw)


def _fit(text: str, width, room: float) -> str:
    """Return `text`, cut with an ellipsis to fit `room` points (binary search, not character by character).

    `width` returns the width of a string as it will be drawn.
    """
    if width(text) <= room:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[:mid].rstrip() + "\u2026") <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026" if lo else ""


class _Stamp:
    """What reportlab reads from its TimeStamp: the instant of CreationDate and ModDate, in UTC."""

    def __init__(self, when: datetime):
        when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
        self.t = when.timestamp()
        self.lt = when.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"

    @property
    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.t, timezone.utc)


class _BriefCanvas(Canvas):
    """A canvas whose internal links use named destinations, optionally with pinned dates.

    reportlab resolves `<a href="#name">` to explicit page positions and writes no name
    tree. Naming them (`/Dest (source-3)` plus a `/Names /Dests` tree) lets a reader or
    a test see which anchor a link targets, and `brief.pdf#source-3` open at that entry.
    """

    #: pinned CreationDate/ModDate, or None for reportlab's clock
    stamp: _Stamp | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: (page number, draw(canvas, total)) for text drawn once the page total is known
        self._reegen_totals: list = []
        if self.stamp is not None:
            pdf = self._doc
            pdf._timeStamp = self.stamp
            # The file ID is a digest seeded with the time stamp; reseed it from ours so it
            # depends on the brief alone, not on reportlab's clock or SOURCE_DATE_EPOCH.
            pdf.signature = md5(usedforsecurity=False)
            pdf.signature.update(b"a reportlab document")
            pdf.signature.update(ascii(self.stamp.t).encode())

    def push_state_stack(self):
        # reportlab's own, with less work: every flowable drawn saves and restores the state
        # (17,000 times on a 230-page brief). The 23 attributes are read in one C call and
        # kept as a tuple, and the transparency state is copied as `ExtGState.pushCopy`
        # copies it, without its constructor.
        self.state_stack.append(_STATE(self.__dict__))
        state = self._extgstate
        copy = _new(type(state))
        copy._d = state._d.copy()
        copy._c = state._c
        self._extgstate = copy

    def pop_state_stack(self):
        self.__dict__.update(zip(self.STATE_ATTRIBUTES, self.state_stack.pop()))

    def _bookmarkReference(self, name):
        # reportlab's own, making a `_Destination`
        found = self._destinations.get(name)
        if found is None:
            found = self._destinations[name] = _Destination(name)
        return found

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        self._bookmarkReference(destinationname)  # must be defined by save(), as reportlab requires
        kw["Rect"] = self._absRect(Rect, relative)
        kw["Contents"] = contents
        kw["Destination"] = PDFString(destinationname)
        _annFormat(kw, color, thickness, dashArray)
        return self._addAnnotation(_Link(**kw), name, addtopage)

    def draw_with_page_total(self, draw) -> None:
        """Leave room in this page for `draw(canvas, total pages)`, which runs when the canvas is saved.

        The page's content holds a placeholder line until then; the ops `draw` makes replace it,
        so the page looks exactly as if the total had been known while it was laid out.
        """
        page = self.getPageNumber()
        self.saveState()
        self._code.append(_placeholder(page))
        self.restoreState()
        self._reegen_totals.append((page, draw))

    def save(self):
        pages = self._doc.Pages.pages
        total = len(pages)
        code = self._code
        for page, draw in self._reegen_totals:
            self._code = []
            self.init_graphics_state()
            draw(self, total)
            target = pages[page - 1]
            line = f"\n{_placeholder(page)}\n"
            if line not in target.stream:  # pragma: no cover - every page's footer leaves one
                raise ValueError(f"page {page} has no room for its page total")
            target.stream = target.stream.replace(line, "\n" + "\n".join(self._code) + "\n", 1)
        self._code = code
        self._reegen_totals = []
        names = []
        for key in sorted(self._destinations):
            destination = self._destinations[key]
            if destination.page is None:
                raise ValueError(f"link to '{key}', which no block defines")
            names += [PDFString(key), destination]
        if names:
            self._doc.Catalog.Names = PDFDictionary({"Dests": PDFDictionary({"Names": PDFArray(names)})})
        tagger = getattr(self, "_reegen_tagger", None)
        if tagger is not None:
            tagger.finish()
        super().save()


class _Link(LinkAnnotation):
    """A link annotation written straight to the bytes reportlab's dictionary formatting makes of it.

    Every source number is a link; a 230-page brief has 4,000 of them, and building and
    sorting a PDFDictionary for each took most of the time spent saving the file. The
    values are still formatted by reportlab; anything but the usual shape goes the long way.
    """

    def format(self, document):
        rect = self.Rect
        other = self.otherkw
        parent = other.get("StructParent") if len(other) == 1 else None  # set by `_pdf_tags`
        if ((other and type(parent) is not int) or rl_config.pdfMultiLine or isinstance(rect, str) or len(rect) > 10
                or not isinstance(self.Border, PDFArray)):
            return super().format(document)
        border, destination = self.Border.sequence, self.Destination
        if (self.Contents == "" and parent is None and type(destination) is PDFString and type(destination.s) is str
                and _PLAIN_NAME.match(destination.s) and getattr(destination, "escape", 1) == 1
                and isinstance(document.encrypt, NoEncryption)
                and all(type(v) in (int, float) for v in (*border, *rect))):
            # a source number's link: a name of letters, digits, '.', '_' and '-' is written as it is
            return (b"<<\n/Border [ %s ] /Contents () /Dest (%s) /Rect [ %s ] /Subtype /Link /Type /Annot\n>>"
                    % (fp_str(border).encode(), destination.s.encode(), fp_str(rect).encode()))
        return b"".join((
            b"<<\n/Border ", pdf_format(self.Border, document),
            b" /Contents ", pdf_format(PDFString(self.Contents), document),
            b" /Dest ", pdf_format(self.Destination, document),
            b" /Rect [ ", b" ".join(pdf_format(v, document) for v in rect),
            b" ] /StructParent %d" % parent if parent is not None else b" ]",
            b" /Subtype /Link /Type /Annot\n>>",
        ))


#: ASCII characters PDFDocEncoding has no code for: reportlab's codec refuses them
_NOT_PDFDOC = re.compile("[\x18-\x1f]")


def pdfdoc_encode(text, _codec=pdfdoc.pdfdocEnc):
    """reportlab's `pdfdocEnc`, with plain ASCII encoded by Python's own codec.

    Saving a PDF encodes every name, string and page stream with reportlab's PDFDocEncoding
    codec, which goes through a Python wrapper and a character map: about 70 ms of the
    large brief's save, nearly all of it ASCII, where PDFDocEncoding is ASCII. Anything
    else (and the eight ASCII controls it lacks, which it refuses) goes to reportlab's codec.
    Installed in place of reportlab's when this module is imported; same bytes (tested).
    """
    if type(text) is str and text.isascii() and not _NOT_PDFDOC.search(text):
        return text.encode("ascii")
    return _codec(text)


if getattr(pdfdoc.pdfdocEnc, "__name__", "") != "pdfdoc_encode":
    pdfdoc.pdfdocEnc = pdfdoc_encode


class _Destination(Destination):
    """A named destination written straight to the bytes reportlab's array formatting makes of it.

    Every heading and Sources entry is one (1,500 on a 230-page brief), written once in
    the name tree and again in each outline entry. The usual shape, `[page /XYZ left top
    zoom]` with plain numbers, is written in one step; anything else goes the long way.
    """

    def format(self, document):
        f, page = self.fmt, self.page
        if (type(f) is PDFDestinationXYZ and page is not None and not rl_config.pdfMultiLine
                and type(f.left) in (int, float) and type(f.top) in (int, float) and type(f.zoom) in (int, float)):
            f.page = page  # as reportlab's does
            return b"[ %s /XYZ %s ]" % (document.Reference(page).format(document),
                                        fp_str(f.left, f.top, f.zoom).encode())
        return super().format(document)


def _placeholder(page: int) -> str:
    """Return the content-stream line (a PDF comment) that holds page `page`'s footer until the canvas is saved."""
    return f"%reegen-page-total {page}"


def _canvas_maker(source_date: datetime | None) -> type[_BriefCanvas]:
    """Return the canvas class for one build, its dates pinned to `source_date` when set."""
    if source_date is None:
        return _BriefCanvas
    return type("_PinnedCanvas", (_BriefCanvas,), {"stamp": _Stamp(source_date)})
