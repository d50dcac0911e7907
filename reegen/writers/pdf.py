"""The PDF writer: a stakeholder-ready brief laid out with reportlab platypus, returned as bytes.

Text is checked against the embedded fonts and escaped before reportlab sees it
(`_pdf_markup`); blocks become flowables in `_pdf_story`. This module owns the page: the
title page, the running header and "Page X of Y" footer, the outline and table of
contents, the file metadata, and the conversion of any layout failure into `RenderError`.

Importing it changes nothing in reportlab: what it does differently is done by its own
subclasses (`_BriefCanvas`, `_Link`, `_Destination`, `SubsetFont`), for its own
documents. Its fast paths, and its uses of reportlab's canvas and document internals
(page totals, named destinations, keep-with-next), run only where `_rl_compat` allows
them; elsewhere it does the same through reportlab's public API.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    Destination, LinkAnnotation, NoEncryption, PDFArray, PDFCrossReferenceTable, PDFDestinationXYZ, PDFDictionary,
    PDFDocument, PDFFile, PDFIndirectObject, PDFString, PDFTrailer,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import KeepTogether

from ..errors import RenderError
from ..formats import PAGE_SIZES
from ..model import Document
from . import WriteOptions
from . import _rl_compat as compat
from ._brand import load_brand, setting_location
from ._house import side_margin
from ._pdf_fonts import FontSet, draw_text, load_fonts, text_width
from ._pdf_story import CLASSIFICATION, MUTED, RULE, StoryBuilder, first_line
from . import _pdf_tags
from ._pdf_tags import PageTagger, artifact

_PAGE_SIZES = {name.lower(): size for name, size in PAGE_SIZES.items()}
_MARGIN_TOP = 24 * mm
_MARGIN_BOTTOM = 22 * mm
_CLASSIFICATION_COLOUR, _MUTED_COLOUR, _RULE_COLOUR = HexColor(CLASSIFICATION), HexColor(MUTED), HexColor(RULE)
#: a heading needs this much of what follows on its page, or it moves to the next one
_KEEP_FOLLOWING = 42
#: flowables made ahead of the one being laid out, when the story is made as the layout goes (at least 2)
_AHEAD = 8
#: a destination name PDF string formatting leaves as it is (no escapes, no UTF-16)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]*\Z")


class PdfWriter:
    """Writes a `Document` as an A4 or Letter PDF brief with embedded fonts."""

    #: the format name, as in `reegen build -f pdf`
    name = "pdf"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        """Return the PDF of `document`; raises `RenderError` naming the block that cannot be drawn."""
        return render_pdf(document, options)

    def write_file(self, document: Document, options: WriteOptions, out: BinaryIO) -> None:
        """Write the PDF of `document` into `out` (seekable; rewound and truncated first), as `write` makes it.

        reportlab writes the finished file straight into `out`: a long brief's PDF is not
        copied into a buffer beside the pieces it is joined from (a 1,000-page brief: 16 MB).
        """
        render_pdf(document, options, out=out)


def render_pdf(document: Document, options: WriteOptions, *, tagged: bool = True,
               out: BinaryIO | None = None) -> bytes | None:
    """Return the PDF bytes of `document` laid out as `options` ask; `tagged=False` leaves out the tags (benchmarks).

    With `out` (a seekable binary file) the PDF is written into it instead, and None returned.

    When a fast path (or a use of internals) meets reportlab internals it does not know,
    its group is turned off (with one warning, see `_rl_compat`) and the brief is laid out
    again; at most once per group. A reportlab without the internals the tags use
    (`_pdf_tags.INTERNALS`) gets an untagged PDF, with one warning.
    """
    missing = _pdf_tags.missing_internals() if tagged else []
    if missing:
        compat.untagged(missing)
        tagged = False
    for _ in range(2):
        try:
            return _render_pdf(document, options, tagged, out)
        except (compat.FastPathFailed, RenderError) as exc:
            failure = exc if isinstance(exc, compat.FastPathFailed) else exc.__cause__
            if not isinstance(failure, compat.FastPathFailed):
                raise
            compat.failed(failure)
    return _render_pdf(document, options, tagged, out)


def _render_pdf(document: Document, options: WriteOptions, tagged: bool, out: BinaryIO | None) -> bytes | None:
    page_size = _page_size(options.page_size)
    brand = load_brand(options)
    fonts = load_fonts(brand.font, where=setting_location(options.base_dir, "brand", "font"))
    # With the "totals" internals the page total is drawn when the canvas is saved (see
    # `_footer`), so one layout is enough. Without them the footers are drawn with the page
    # count of the layout before, until it is the brief's own (a second layout, rarely a third).
    page_total = None if compat.fast("totals") else 0
    for layout in range(4):
        pdf, pages = _layout(document, options, tagged, page_size, brand, fonts, page_total, out,
                             report=layout == 0)
        if page_total is None or page_total == pages:
            return pdf
        page_total = pages
    raise RenderError("PDF layout did not settle on a page count", code="render.layout",
                      hint="report it as a reegen bug")  # pragma: no cover - a footer does not move the body


def _layout(document: Document, options: WriteOptions, tagged: bool, page_size, brand, fonts: FontSet,
            page_total: int | None, out: BinaryIO | None, *, report: bool) -> tuple[bytes | None, int]:
    """Lay `document` out once; return the PDF (None when written into `out`) and its page count.

    `report`: give missing-glyph warnings.
    """
    found = options.report if report else None
    header_warnings: list = []
    #: warnings held back to be told later, in the order the whole story made up front gives them
    held: list | None = None

    def warn(message, location, hint):
        if found is None:
            return
        if held is not None:
            held.append((message, location, hint))
        else:
            found.warning(message, "render.missing-glyph", location, hint)

    builder = StoryBuilder(document, fonts, brand, warn)
    if builder.has_toc:  # each pass of a table of contents lays the whole story out again: it is made up front
        story, parts = builder.build(), None  # every character is checked here, before any layout work
        header_title, classification = builder.header_texts()
    else:
        # The story is made as the layout asks for it (`_BriefTemplate.top_up`): the running header's
        # warnings (checked now, drawn from the second page) are told after the story's, as they were.
        held = []
        header_title, classification = builder.header_texts()
        header_warnings, held = held, None
        story, parts = [], builder.parts()

    def story_done() -> None:
        for message, location, hint in header_warnings:
            warn(message, location, hint)
    meta = document.meta

    if out is None:
        buffer = io.BytesIO()
    else:  # a layout before this one (another page total, a fast path turned off) may have written it
        buffer = out
        out.seek(0)
        out.truncate()
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
    doc.page_total = page_total
    if options.progress is not None:
        doc.on_page = functools.partial(options.progress, "pdf")
    if parts is not None:
        doc.parts, doc.story, doc.story_done = parts, story, story_done
        doc.top_up(story)
    canvasmaker = _canvas_maker(options.source_date)
    try:
        # Only a table of contents needs more than one pass, until its page numbers settle.
        if builder.has_toc:
            doc.multiBuild(story, canvasmaker=canvasmaker)
        else:
            doc.build(story, canvasmaker=canvasmaker)
    except (RenderError, compat.FastPathFailed):
        raise
    except Exception as exc:  # reportlab: LayoutError, IndexError from multiBuild, ValueError ...
        where = doc.current_where or "the document"
        raise RenderError(
            f"PDF layout failed in {where}: {first_line(exc)}",
            hint="shorten or split the block; if it looks fine, report it as a reegen bug",
            code="render.layout",
        ) from exc
    finally:
        pages = getattr(doc, "page", 0)
        doc.release()
        _pdf_tags.release_tree(builder.tree.root)
    return (buffer.getvalue() if out is None else None), pages


def _page_size(name: str) -> tuple[float, float]:
    try:
        return _PAGE_SIZES[name.strip().lower()]
    except (KeyError, AttributeError):
        raise RenderError(f"unknown page size '{name}'", hint=f"use {' or '.join(repr(n) for n in PAGE_SIZES)}",
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
        try:  # reportlab's private attributes: the group's members and its frame
            content = self._content[:]
            frame = getattr(self, "_frame", None)
            at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("keep", exc) from exc
        compat.ran["keep"] += 1
        need = 0.0
        for flowable in content[:-1]:
            _, h = flowable.wrapOn(self.canv, aW, aH)
            need += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        last = content[-1]
        _, h = last.wrapOn(self.canv, aW, aH)
        follow = _KEEP_FOLLOWING
        heights = getattr(last, "_rowHeights", None)  # a table's, once measured
        if heights:  # a table: its header and two rows, as a table never splits after one row
            head = last.repeatRows if isinstance(last.repeatRows, int) else len(last.repeatRows)
            follow = max(follow, sum(heights[:head + 2]))
        need += min(h, follow) + last.getSpaceBefore()
        if need > aH and not at_top:
            return [self.FrameBreak(), *content]
        return content


class _BriefTemplate(BaseDocTemplate):
    """Page templates, outline entries and table-of-contents notifications for a brief."""

    #: the page count the footers are drawn with when the "totals" internals are off (else None)
    page_total: int | None = None
    #: the story's parts not yet handed to the layout (`StoryBuilder.parts`), None once all are
    parts: Iterator[list] | None = None
    #: the list of flowables the layout takes the story from, when it is made as the layout goes
    story: list | None = None
    #: told the number of each page as its layout begins (`WriteOptions.progress`), or None
    on_page: Callable[[int], None] | None = None

    def __init__(self, buffer, *, fonts: FontSet, header: tuple[str, str], show_outline: bool, tree=None,
                 **kwargs):
        keep = _KeepWithNext if compat.fast("keep") else KeepTogether  # KeepTogether: reportlab's own
        super().__init__(buffer, keepTogetherClass=keep, **kwargs)
        #: the brief's structure tree (`_pdf_tags`), written by each layout pass's tagger
        self.tree = tree
        self.fonts = fonts
        #: (title, classification) of the running header, already checked against the fonts
        self.header = header
        #: open the outline panel when the file opens (dossiers, which have a contents page)
        self.show_outline = show_outline
        #: the `_reegen_where` of the last flowable handed to layout, for error messages
        self.current_where: str | None = None
        #: the canvas of each layout pass, for `release`
        self.canvases: list = []
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
        self.canvases.append(self.canv)  # a new canvas for each layout pass
        super().handle_documentBegin()
        if self.tree is not None:
            PageTagger(self.tree, self.canv)
        if self.show_outline:
            self.canv.showOutline()

    def top_up(self, flowables: list) -> None:
        """Make the story's next parts until `flowables` holds `_AHEAD` and ends out of any keep-with-next chain.

        reportlab keeps a chain of keep-with-next flowables together with the one after it
        (`handle_keepWithNext`), so the list it sees must hold the whole chain and one
        more: the layout is the same as with the whole story made up front.
        """
        parts = self.parts
        while parts is not None and (len(flowables) < _AHEAD or flowables[-1].getKeepWithNext()
                                     or flowables[-2].getKeepWithNext()):
            part = next(parts, None)
            if part is None:
                self.parts = parts = None
                self.story_done()
            else:
                flowables += part

    def handle_flowable(self, flowables):
        if flowables is self.story:  # not reportlab's own lists (`_hanging`)
            self.top_up(flowables)
        if flowables:
            where = getattr(flowables[0], "_reegen_where", None)
            if where:
                self.current_where = where
        super().handle_flowable(flowables)

    def release(self) -> None:
        """Drop what the layout made, once its PDF is written: the canvases, their pages and objects.

        The template, its page templates and its canvases refer to one another, and so
        does every text object reportlab's paragraphs draw with (`tx._do_line` is a method
        of `tx`, which holds the canvas): reference counting frees none of it, and the
        `reegen` program holds the cyclic collector off during a build, so a 1,000-page
        brief's pages stayed in memory while its DOCX was rendered. Emptied here, the
        canvases and the template hold nothing, whatever cycles remain. Neither is
        usable afterwards.
        """
        for canvas in self.canvases:
            tagger = getattr(canvas, "_reegen_tagger", None)
            if tagger is not None:
                tagger.release()
            vars(canvas).clear()
        vars(self).clear()

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
    def beforePage(self):
        # reportlab's hook as each page begins
        if self.on_page is not None:
            self.on_page(self.page)

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

        if self.page_total is None:
            canv.draw_with_page_total(draw)
        else:
            draw(canv, self.page_total)


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


def _pdf_date(when: datetime):
    """Return a `Canvas.setDateFormatter` function that gives `when` (in UTC), whatever reportlab's clock says."""
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    text = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    return lambda *_clock: text


class _BriefCanvas(Canvas):
    """A canvas whose internal links use named destinations, with one-pass page totals and optionally pinned dates.

    reportlab resolves `<a href="#name">` to explicit page positions and writes no name
    tree. Naming them (`/Dest (source-3)` plus a `/Names /Dests` tree) lets a reader or
    a test see which anchor a link targets, and `brief.pdf#source-3` open at that entry.
    Both read reportlab's canvas internals, so each runs only where `_rl_compat` allows
    ("names", "totals"); elsewhere links are reportlab's own and the template lays the
    brief out again to learn its page total.
    """

    #: pinned CreationDate/ModDate (with the document's `invariant` option), or None for reportlab's clock
    pinned: datetime | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: (page number, draw(canvas, total)) for text drawn once the page total is known
        self._reegen_totals: list = []
        #: whether internal links use named destinations (the "names" internals)
        self._reegen_names = compat.fast("names")
        if self.pinned is not None:
            self.setDateFormatter(_pdf_date(self.pinned))

    def _bookmarkReference(self, name):
        if not self._reegen_names:
            return super()._bookmarkReference(name)
        try:  # reportlab's own, making a `_Destination`
            found = self._destinations.get(name)
            if found is None:
                found = self._destinations[name] = _Destination(name)
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("names", exc) from exc
        return found

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        # reportlab's own `linkRect`, but the annotation is a `_Link`, which the tags can give a /StructParent
        # (`_absRect` and `_addAnnotation` are the canvas internals `_pdf_tags` checks for and wraps).
        if not self._reegen_names:  # reportlab's destination: a page position
            destination = self._bookmarkReference(destinationname)
        else:
            self._bookmarkReference(destinationname)  # must be defined by save(), as reportlab requires
            destination = PDFString(destinationname)
            compat.ran["names"] += 1
        kw["Rect"] = self._absRect(Rect, relative)
        kw["Contents"] = contents
        kw["Destination"] = destination
        _border(kw, color, thickness, dashArray)
        return self._addAnnotation(_Link(**kw), name, addtopage)

    def drawText(self, aTextObject):
        super().drawText(aTextObject)
        # reportlab's paragraphs give their text object a method bound to itself (`_do_line`, for
        # underlines and strike-throughs), a cycle that would keep this canvas's document and every
        # page in memory until the cyclic collector runs; a text object is drawn once, last.
        vars(aTextObject).pop("_do_line", None)

    def draw_with_page_total(self, draw) -> None:
        """Leave room in this page for `draw(canvas, total pages)`, which runs when the canvas is saved.

        The page's content holds a placeholder line until then; the ops `draw` makes replace it,
        so the page looks exactly as if the total had been known while it was laid out.
        """
        page = self.getPageNumber()
        self.saveState()
        try:
            self._code.append(_placeholder(page))
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("totals", exc) from exc
        self.restoreState()
        self._reegen_totals.append((page, draw))

    def save(self):
        for path, step in (("totals", self._draw_page_totals), ("names", self._name_destinations)):
            try:
                step()
            except compat.CHANGED as exc:
                raise compat.FastPathFailed(path, exc) from exc
        tagger = getattr(self, "_reegen_tagger", None)
        if tagger is not None:
            tagger.finish()
        doc = self._doc
        if compat.fast("stream"):
            try:
                out = self._filename  # reportlab's: the file object the document template was given
            except compat.CHANGED as exc:
                raise compat.FastPathFailed("stream", exc) from exc
            if callable(getattr(out, "write", None)):
                # reportlab formats every object, joins them and writes the whole; this document's
                # objects are written into the file as they are formatted (`_write_formatted`).
                doc.format = lambda: _write_formatted(doc, out)
        try:
            super().save()
        finally:
            vars(doc).pop("format", None)  # the lambda holds the document: no cycle left behind

    def _draw_page_totals(self) -> None:
        if not self._reegen_totals:
            return
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
            compat.ran["totals"] += 1
        self._code = code
        self._reegen_totals = []

    def _name_destinations(self) -> None:
        if not self._reegen_names:
            return
        names = []
        for key in sorted(self._destinations):
            destination = self._destinations[key]
            if destination.page is None:
                raise ValueError(f"link to '{key}', which no block defines")
            names += [PDFString(key), destination]
        if names:
            self._doc.Catalog.Names = PDFDictionary({"Dests": PDFDictionary({"Names": PDFArray(names)})})


class _StreamedFile(PDFFile):
    """reportlab's `PDFFile` (the bytes of the file, with their offsets), writing into `out` instead of a list."""

    def __init__(self, out: BinaryIO, version):
        super().__init__(version)  # the header, added to `strings`
        for piece in self.strings:
            out.write(piece)
        self.strings = []
        self.write = out.write


def _write_formatted(doc: PDFDocument, out: BinaryIO) -> bytes:
    """Write the file of `doc` into `out` as reportlab's `PDFDocument.format` makes it; return b"" (all is written).

    reportlab's own keeps every formatted object and then joins them into the file's bytes:
    a 1,000-page brief's 16 MB twice over, beside all its objects, at the build's peak. This
    is its loop over the objects (5.1), with each object's bytes written as it is formatted.
    A document carrying digital signatures (which sign the whole file) goes reportlab's way.
    """
    if getattr(doc, "_digiSigs", None):
        return PDFDocument.format(doc)
    try:
        doc.encrypt.prepare(doc)
        catalog, info = doc.Catalog, doc.info
        doc.Reference(catalog)
        doc.Reference(info)
        encrypt_ref = None
        encrypt_info = doc.encrypt.info()
        if encrypt_info:
            encrypt_ref = doc.Reference(encrypt_info)
        number_to_id, id_to_object, id_to_offset = doc.numberToId, doc.idToObject, doc.idToOffset
        comments = not rl_config.invariant and rl_config.pdfComments
        doc.__accum__ = file = _StreamedFile(out, doc._pdfVersion)
        counter, ids = 0, []
        while True:  # objects may be added while others are formatted
            counter += 1
            if counter not in number_to_id:
                break
            oid = number_to_id[counter]
            obj = id_to_object[oid]
            formatted = PDFIndirectObject(oid, obj).format(doc)
            if comments:
                try:
                    classname = obj.__class__.__name__
                except Exception:  # pragma: no cover - as reportlab's
                    classname = ascii(obj)
                file.add("%% %s: class %s \n" % (ascii(oid), classname[:50]))
            id_to_offset[oid] = file.add(formatted)
            ids.append(oid)
        del doc.__accum__
        count = len(number_to_id)
        if counter - 1 != count:
            raise ValueError(f"counter {counter} doesn't match number to id dictionary {count}")
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        at = file.add(xref.format(doc))
        trailer = PDFTrailer(startxref=at, Size=count + 1, Root=doc.Reference(catalog), Info=doc.Reference(info),
                             Encrypt=encrypt_ref, ID=doc.ID())
        file.add(trailer.format(doc))
    except compat.CHANGED as exc:
        raise compat.FastPathFailed("stream", exc) from exc
    compat.ran["stream"] += 1
    return b""


class _LinksFastPath:
    """`format` by the class's own `_format` while the "links" fast path is on, else reportlab's."""

    def format(self, document):
        if not compat.fast("links"):
            return super().format(document)
        try:
            return self._format(document)
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("links", exc) from exc


class _Link(_LinksFastPath, LinkAnnotation):
    """A link annotation written straight to the bytes reportlab's dictionary formatting makes of it.

    Every source number is a link; a 230-page brief has 4,000 of them, and building and
    sorting a PDFDictionary for each took most of the time spent saving the file. The
    values are still formatted by reportlab; anything but the usual shape goes the long way.
    """

    #: the tags give each link its place in the structure tree (`/StructParent`), which reportlab's
    #: own formatting refuses unless the class names it (`permitted` is its public class attribute)
    permitted = LinkAnnotation.permitted + ("StructParent",)

    def _format(self, document):
        rect = self.Rect
        other = self.otherkw
        parent = other.get("StructParent") if len(other) == 1 else None  # set by `_pdf_tags`
        if ((other and type(parent) is not int) or rl_config.pdfMultiLine or isinstance(rect, str) or len(rect) > 10
                or not isinstance(self.Border, PDFArray)):
            return LinkAnnotation.format(self, document)
        compat.ran["links"] += 1
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


class _Destination(_LinksFastPath, Destination):
    """A named destination written straight to the bytes reportlab's array formatting makes of it.

    Every heading and Sources entry is one (1,500 on a 230-page brief), written once in
    the name tree and again in each outline entry. The usual shape, `[page /XYZ left top
    zoom]` with plain numbers, is written in one step; anything else goes the long way.
    """

    def _format(self, document):
        f, page = self.fmt, self.page
        if (type(f) is PDFDestinationXYZ and page is not None and not rl_config.pdfMultiLine
                and type(f.left) in (int, float) and type(f.top) in (int, float) and type(f.zoom) in (int, float)):
            f.page = page  # as reportlab's does
            compat.ran["links"] += 1
            return b"[ %s /XYZ %s ]" % (document.Reference(page).format(document),
                                        fp_str(f.left, f.top, f.zoom).encode())
        return Destination.format(self, document)


def _border(kw: dict, color, thickness, dash_array) -> None:
    """Set a link's /C colour and /Border array as reportlab's canvas sets them for `linkRect`."""
    if color and "C" not in kw:
        kw["C"] = PDFArray([color.red, color.green, color.blue])
    if "Border" not in kw:
        border = [0, 0, thickness or 0]
        if dash_array:
            border.append(PDFArray(dash_array))
        kw["Border"] = PDFArray(border)


def _placeholder(page: int) -> str:
    """Return the content-stream line (a PDF comment) that holds page `page`'s footer until the canvas is saved."""
    return f"%reegen-page-total {page}"


def _canvas_maker(source_date: datetime | None) -> type[_BriefCanvas]:
    """Return the canvas class for one build, its dates pinned to `source_date` when set."""
    if source_date is None:
        return _BriefCanvas
    return type("_PinnedCanvas", (_BriefCanvas,), {"pinned": source_date})
