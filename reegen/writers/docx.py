"""The DOCX writer: a `Document` as a Word file an editor can restyle and keep editing.

Built on python-docx's default template and Word's own styles (Title, Heading 1-3,
List Bullet, Quote, a built-in table style), so changing a style in Word changes the
whole brief; a `reference_docx` replaces those styles with an organisation's own
(`_docx_reference`), and a [brand] recolours the accent, names the body font and puts
the logo in the title block. Source citations are superscript numbers, each an internal
hyperlink to a bookmark on its Sources entry. The header (from page 2, as in the PDF)
carries the title and classification, the footer "Page X of Y" as PAGE/NUMPAGES fields.
Runs holding CJK text name the East Asian font. With `WriteOptions.source_date` set,
equal documents give equal bytes.

Accessibility (what Word's and LibreOffice's checkers and screen readers read): the brief's
language in the style defaults, the settings and the core properties, and on runs in
another script; the title in the core properties; real Heading 1-3 styles that never skip
a level; table header rows that repeat on every page, a captioned table's caption as its
title; the logo's alternative text; and on every source number's link a screen tip
naming the source ("Source 3: …"), since "[3]" alone says nothing of where it leads.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Callable

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Twips
from docx.oxml.text.paragraph import CT_P
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from .. import model
from ..errors import ReegenError, RenderError
from ..text import ends_right_to_left, format_date
from . import WriteOptions
from . import _docx_metrics as metrics
from . import _docx_ooxml as ox
from . import _docx_styles as st
from . import _house as house
from ._a11y import EAST_ASIAN, RIGHT_TO_LEFT, language_tag, outline_levels, primary_language, source_labels
from ._brand import Brand, font_family_name, load_brand
from ._docx_reference import apply_reference, load_reference

#: the logo's largest size in the title block
LOGO_MAX_HEIGHT = Cm(1.6)
LOGO_MAX_WIDTH = Cm(6.0)

_CORE_LIMIT = 255  # python-docx refuses longer core-property strings
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
#: docProps/app.xml as reegen writes it: the application's name and nothing from python-docx's
#: template (no "Microsoft Macintosh Word", no Normal.dotm, no word counts of an empty page)
_APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b"<Application>reegen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            b"<HyperlinksChanged>false</HyperlinksChanged></Properties>")


#: where python-docx's `XmlPart` keeps its root element (private: used only when it holds the document's root)
_ROOT_ATTRIBUTE = "_element"


class DocxWriter:
    """Writes a brief as Office Open XML (.docx)."""

    #: format name, as in `reegen build -f docx`
    name = "docx"

    def write(self, document: model.Document, options: WriteOptions) -> bytes:
        """Return `document` as DOCX bytes; raises `RenderError` naming the block that failed."""
        when = options.source_date or datetime.now(timezone.utc)
        builder = _Builder(document, options)
        try:
            data = builder.build(when)
            written = {builder.document_name: builder.write_document} if builder.streams_document else None
            return ox.normalize_zip(data, when, written)
        finally:
            builder.release()


class _Builder:
    """Holds the python-docx document and the counters that keep ids deterministic."""

    def __init__(self, document: model.Document, options: WriteOptions):
        self.source = document
        self.options = options
        self.doc: DocxDocument = docx.Document()
        self._bookmark_id = 0
        self._where: Callable[[], str] = lambda: "in the document"
        self._ids: dict[str, str] = {}
        #: external URL -> relationship id (python-docx's relate_to scans every relationship per link)
        self._link_ids: dict[str, str] | None = None
        self._next_rid = 1
        #: the body's final sectPr, so a paragraph goes before it without a search
        self._body = self.doc.element.body
        self._sect_pr = self._body.find(qn("w:sectPr"))
        self._has_toc = False
        #: inside a table cell: source numbers are the cell's content, not a superscript
        self._in_table = False
        #: numbers that have a Sources entry (and so a bookmark to link to)
        self._entries = {e.number for b in model.walk(document.blocks) if isinstance(b, model.SourcesList)
                         for e in b.entries}
        #: each heading's level with none skipped, and each source number's screen tip
        self._levels = outline_levels(document.blocks)
        self._labels = source_labels(document)
        #: each source number's screen tip, checked for XML once
        self._tips: dict[int, str] = {}
        self._language = language_tag(document)
        #: inside a Sources entry: the screen tip of a web address printed as the link's text
        self._address_tip: str | None = None
        #: the saved package lacks the main document's XML, which `write_document` writes (see `build`)
        self.streams_document = False

    # ------------------------------------------------------------------ whole document

    def build(self, when: datetime) -> bytes:
        """Return the saved package (before zip normalising)."""
        meta = self.source.meta
        # Everything read from outside (brand files, the reference .docx) is checked first,
        # so a bad setting fails before any work is done.
        brand = load_brand(self.options)
        reference = (load_reference(self.options.reference_docx, self.options.base_dir)
                     if self.options.reference_docx is not None else None)
        st.setup_styles(self.doc, accent=brand.accent, font=font_family_name(brand.font) if brand.font else None)
        if reference is not None:
            # The house styles come last: they override reegen's look wherever they say something.
            apply_reference(self.doc, reference)
        # after the house styles: their defaults may name a language, but the brief's is the spec's
        st.set_language(self.doc, self._language)
        try:
            text_width = st.setup_page(self.doc, self.options.page_size)
        except KeyError:
            raise RenderError(f"unknown page size '{self.options.page_size}'; use 'A4' or 'Letter'",
                              code="render.page-size") from None
        self._text_width = text_width
        self._drop_template_leftovers()
        self._core_properties(meta, when)
        self._header_footer(meta)
        self._title_block(meta, brand)
        blocks = self.source.blocks
        for i, block in enumerate(blocks):
            self._top_block(block, blocks[i + 1] if i + 1 < len(blocks) else None)
        self._drop_own_script_tags()
        if self._has_toc:
            ox.set_update_fields(self.doc.settings.element)
        out = io.BytesIO()
        # The main document's XML goes into the package when it is normalised (`write_document`), in
        # pieces: python-docx's save makes the whole of it one string first (a 1,000-page brief's 8 MB,
        # about twice that with lxml's buffer, at the DOCX's peak), so it saves a stand-in root instead.
        # python-docx's `XmlPart` keeps its root as `_ROOT_ATTRIBUTE`; without it, python-docx saves it all.
        part, root = self.doc.part, self.doc.element
        self.streams_document = vars(part).get(_ROOT_ATTRIBUTE) is root
        if self.streams_document:
            setattr(part, _ROOT_ATTRIBUTE, etree.Element(root.tag))
        try:
            self.doc.save(out)
        except (ValueError, etree.LxmlError) as exc:  # pragma: no cover - content is checked earlier
            raise RenderError(f"could not save the DOCX package: {exc}") from exc
        finally:
            if self.streams_document:
                setattr(part, _ROOT_ATTRIBUTE, root)
        return out.getvalue()

    @property
    def document_name(self) -> str:
        """The main document part's name in the package ("word/document.xml")."""
        return str(self.doc.part.partname).lstrip("/")

    def write_document(self, out) -> None:
        """Write the main document part's XML into `out` as python-docx's save writes it, a piece at a time."""
        etree.ElementTree(self.doc.element).write(out, encoding="UTF-8", standalone=True)

    def release(self) -> None:
        """Let go of the python-docx document, so that reference counting frees its XML tree when the writer returns.

        python-docx's package and parts refer to one another (through their relationships),
        and so do its document and body objects: any of them keeps the whole tree (a
        1,000-page brief's, about 70 MB of C memory) alive, and the `reegen` program holds
        the cyclic collector off during a build. Emptied here, they hold nothing, whatever
        cycles remain. Neither the builder nor its document is usable afterwards.
        """
        doc = vars(self).get("doc")
        if doc is not None:
            package = doc.part.package
            for held in (*package.iter_parts(), package, doc):
                attributes = getattr(held, "__dict__", None)  # a python-docx whose objects have none holds no cycle there
                if attributes is not None:
                    attributes.clear()
        vars(self).clear()

    def _drop_own_script_tags(self) -> None:
        """Drop the run languages that only repeat the brief's: in a Japanese brief, Han text is Japanese.

        `make_run` tags runs by script (Han as Chinese); where the brief's own language is
        written in that script, the style defaults already say the right thing.
        """
        primary = primary_language(self._language)
        slot = ox.W_EAST_ASIA if primary in EAST_ASIAN else ox.W_BIDI if primary in RIGHT_TO_LEFT else None
        if slot is None:
            return
        section = self.doc.sections[0]
        for root in (self._body, section.header._element, section.first_page_header._element):
            for lang in list(root.iter(ox.W_LANG)):
                lang.attrib.pop(slot, None)
                if not lang.attrib:
                    lang.getparent().remove(lang)

    def _drop_template_leftovers(self) -> None:
        # The template's thumbnail shows an empty page and stylesWithEffects.xml is a
        # Word 2010 copy of styles.xml that would disagree with the styles set here.
        package = self.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                package.rels.pop(rid)
            elif rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = _APP_XML
        # stylesWithEffects.xml is a Word 2010 copy of styles.xml; customXml holds the
        # template's empty bibliography.
        for rid, rel in list(self.doc.part.rels.items()):
            if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
                self.doc.part.rels.pop(rid)

    def _core_properties(self, meta: model.Meta, when: datetime) -> None:
        props = self.doc.core_properties
        stamp = (when.astimezone(timezone.utc) if when.tzinfo else when).replace(tzinfo=None, microsecond=0)

        def prop(value: str | None, field: str) -> str:
            text = self._text(value or "", lambda: f"in the brief's {field}")
            return text if len(text) <= _CORE_LIMIT else text[: _CORE_LIMIT - 1] + "…"

        props.title = prop(meta.title, "title")
        props.language = self._language
        props.subject = prop(meta.subtitle, "subtitle")
        props.author = prop(meta.author, "author")
        props.keywords = prop(", ".join(meta.keywords), "keywords")
        # The brief's author, as the spec names it; without one, the field is left empty.
        props.last_modified_by = prop(meta.author, "author")
        props.comments = "Generated by reegen"
        props.category = ""
        props.revision = 1
        props.created = stamp
        props.modified = stamp

    def _header_footer(self, meta: model.Meta) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        title = self._text(meta.title, lambda: "in the brief's title")
        header._p.append(ox.make_run(title))
        # a thin rule under the running header, as in the PDF (the first page has none)
        ox.paragraph_border(header._p.get_or_add_pPr(), "bottom", size=4, color=house.RULE.lstrip("#").upper(),
                            space=4)
        if meta.classification:
            classification = self._text(meta.classification, lambda: "in the brief's classification")
            # Clear the style's centre stop so the classification goes to the right margin.
            header.paragraph_format.tab_stops.add_tab_stop(Twips(self._text_width // 2), WD_TAB_ALIGNMENT.CLEAR)
            header._p.append(ox.make_run("\t"))
            header._p.append(ox.make_run(classification, style=self._style_id(st.CLASSIFICATION)))
        # The first page carries the title block instead of the running header, as in the
        # PDF; its footer still counts pages.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        for part in (section.footer, section.first_page_footer):
            footer = part.paragraphs[0]
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            footer._p.append(ox.make_run("Page "))
            footer._p.append(ox.simple_field("PAGE", "1"))
            footer._p.append(ox.make_run(" of "))
            footer._p.append(ox.simple_field("NUMPAGES", "1"))

    def _title_block(self, meta: model.Meta, brand: Brand) -> None:
        """The PDF's title block: title, subtitle, then one line of audience · author · date · classification."""
        if brand.logo is not None:
            self._logo(brand)
        self._plain(st.TITLE, house.keep_dash_with_next(meta.title), "title")
        if meta.subtitle:
            self._plain(st.SUBTITLE, house.keep_dash_with_next(meta.subtitle), "subtitle")
        details = [d for d in (meta.audience, meta.author, format_date(meta.date) if meta.date else None) if d]
        if details or meta.classification:
            line = self._add(st.META)
            if details:
                text = " · ".join(details) + (" · " if meta.classification else "")
                ox.make_run(self._text(text, lambda: "in the brief's audience, author or date"), parent=line)
            if meta.classification:
                ox.make_run(self._text(meta.classification, lambda: "in the brief's classification"),
                            style=self._style_id(st.CLASSIFICATION), parent=line)

    def _logo(self, brand: Brand) -> None:
        width, height = brand.logo_size or (1, 1)
        scale = min(LOGO_MAX_HEIGHT / height, LOGO_MAX_WIDTH / width)
        paragraph = DocxParagraph(self._add(st.BODY), self.doc._body)
        try:
            shape = paragraph.add_run().add_picture(str(brand.logo), width=int(width * scale), height=int(height * scale))
        except Exception as exc:  # python-docx cannot parse the image: a damaged file
            raise RenderError(f"cannot place the [brand] logo '{brand.logo.name}' in the DOCX: {exc}",
                              hint="export the logo again as PNG", code="render.brand") from exc
        ox.set_alt_text(shape._inline, self._text(brand.logo_alt, lambda: "in the [brand] logo_alt"))

    def _plain(self, style: str, text: str, field: str) -> CT_P:
        paragraph = self._add(style)
        ox.make_run(self._text(text, lambda: f"in the brief's {field}"), parent=paragraph)
        return paragraph

    # ------------------------------------------------------------------ blocks

    def _top_block(self, block: model.Block, following: model.Block | None = None) -> None:
        """Render one top-level block, turning library errors into a located RenderError."""
        try:
            self._block(block, depth=0, following=following)
        except ReegenError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeError, etree.LxmlError) as exc:
            raise RenderError(f"could not write {_kind(block)} to DOCX: {exc}; {self._where()}",
                              code="render.docx") from exc

    def _block(self, block: model.Block, depth: int, *, quoted: bool = False, inherited=None,
               following: model.Block | None = None) -> None:
        self._locate(block, inherited)
        if isinstance(block, model.Heading):
            level = min(max(self._levels.get(id(block), block.level), 1), len(st.HEADINGS))
            paragraph = self._add(st.HEADINGS[level - 1])
            self._inlines(paragraph, house.dash_kept(block.children))
        elif isinstance(block, model.Paragraph):
            style = st.QUOTE if quoted else {"note": st.NOTE, "lead": st.LEAD}.get(block.role, st.BODY)
            paragraph = self._paragraph(block, style)
            if house.is_lead_in(block, following):
                _keep_with_next(paragraph)
        elif isinstance(block, model.BulletList):
            self._list(block, depth, inherited)
        elif isinstance(block, model.Quote):
            for inner in block.blocks:
                self._block(inner, depth, quoted=True, inherited=block.source or inherited)
        elif isinstance(block, model.Table):
            self._table(block)
        elif isinstance(block, model.Rule):
            paragraph = self._add(st.BODY)
            ox.paragraph_border(paragraph.get_or_add_pPr(), "bottom", size=6, color="A6A6A6", space=1)
        elif isinstance(block, model.TableOfContents):
            self._toc(block)
        elif isinstance(block, model.SourcesList):
            self._sources(block)
        else:
            raise RenderError(f"the DOCX writer cannot render a {type(block).__name__} block; {self._where()}",
                              code="render.unknown-block")

    def _paragraph(self, block: model.Paragraph, style: str) -> CT_P:
        paragraph = self._add(style)
        self._inlines(paragraph, block.children)
        if block.numbers:
            if ends_right_to_left(model.plain_text(block.children)):
                # A left-to-right mark keeps "[1]" after the sentence, as in the PDF and HTML: without
                # it Word's bidi algorithm draws the number into the right-to-left run before it.
                ox.make_run("\u200e", parent=paragraph)
            self._numbers(paragraph, block.numbers, leading_space=True)
        return paragraph

    def _list(self, block: model.BulletList, depth: int, inherited: model.SourceRef | None) -> None:
        level = min(depth, len(st.BULLETS) - 1)
        style = (st.NUMBERS if block.ordered else st.BULLETS)[level]
        num_id = self._restart_numbering(style) if block.ordered else None
        for item in block.items:
            source = item.source or inherited
            first = True
            for i, inner in enumerate(item.blocks):
                if isinstance(inner, model.Paragraph):
                    self._locate(inner, source)
                    paragraph = self._paragraph(inner, style if first else st.CONTINUES[level])
                    if house.is_lead_in(inner, item.blocks[i + 1] if i + 1 < len(item.blocks) else None):
                        _keep_with_next(paragraph)
                    if first and num_id is not None:
                        num_pr = paragraph.get_or_add_pPr().get_or_add_numPr()
                        num_pr.get_or_add_ilvl().val = 0
                        num_pr.get_or_add_numId().val = num_id
                    first = False
                elif isinstance(inner, model.BulletList):
                    self._locate(inner, source)
                    self._list(inner, depth + 1, source)
                else:
                    self._block(inner, depth + 1, inherited=source)
            if first:  # an empty item still shows its bullet
                self._add(style)

    def _restart_numbering(self, style: str) -> int:
        """Return a new numbering instance for `style` that starts again at 1."""
        numbering = self.doc.part.numbering_part.element
        style_num = self.doc.styles[style].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def _table(self, block: model.Table) -> None:
        columns = max([len(block.header)] + [len(row) for row in block.rows])
        if block.caption:
            caption = self._add(st.CAPTION)
            self._inlines(caption, block.caption)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        if block.caption:
            # The caption is also the table's title, which a screen reader announces on entering it.
            ox.set_table_title(table._tbl.tblPr, self._text(" ".join(model.plain_text(block.caption).split())))
        table.style = self.doc.styles[st.TABLE]
        table.autofit = False  # fixed layout: columns keep their widths and cells wrap
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        # Header row and first column styled (the first column says what a row is about, the
        # figure in Key figures); horizontal bands only.
        if look is not None:
            for attr, value in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "1"),
                                ("lastColumn", "0"), ("noHBand", "0"), ("noVBand", "1")):
                look.set(qn(f"w:{attr}"), value)
        twips = self._column_widths(block, columns)
        _fixed_width(table._tbl, sum(twips))
        for column, width in zip(table.columns, twips):
            column.width = Twips(width)
        vars(table).pop("columns", None)  # python-docx keeps it on the table: a cycle holding the tree (see `release`)
        aligns = [_JUSTIFY.get(a) for a in block.align[:columns]]
        text_style = self._style_id(st.TABLE_TEXT)
        for r, (cells, tr) in enumerate(zip((block.header,) + block.rows, table._tbl.iterchildren(ox.W_TR))):
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeats on every page
            # The header row stays with the first two rows (as in the PDF, never one row alone at
            # a page foot), and the last row is never carried over to a page alone (Word keeps a
            # row with the next when its paragraphs do).
            keep = r == 0 or (r == 1 and len(block.rows) >= 3) or (r == len(block.rows) - 1 and len(block.rows) >= 3)
            # Plain lxml on the fresh table python-docx made (one w:tcPr/w:tcW and one empty
            # w:p per cell): its Row.cells and Cell.width cost more than the text.
            for c, tc in enumerate(tr.iterchildren(ox.W_TC)):
                self._where = lambda r=r, c=c: f"in row {r + 1}, column {c + 1} of a table" + (
                    f" captioned '{_printable(model.plain_text(block.caption))[:40]}'" if block.caption else "")
                ox.set_cell_width(tc, twips[c])
                paragraph = tc.find(ox.W_P)
                ox.set_cell_paragraph(paragraph, text_style, keep_next=keep,
                                      justify=aligns[c] if c < len(aligns) else None)
                if c < len(cells):
                    self._in_table = True
                    try:
                        self._inlines(paragraph, cells[c])
                    finally:
                        self._in_table = False
        self._add(st.TABLE_TEXT)  # keeps the next block off the table's border

    def _column_widths(self, block: model.Table, columns: int) -> list[int]:
        """Return the column widths in twips: the table's proportions, inside the margins, each column as
        wide as its header's longest word (and its cells' longest, up to a third of the width), as in the PDF."""
        fonts = None
        measured: dict[tuple[str, bool], float] = {}  # the same words recur in every row

        def text_width(text: str, bold: bool) -> float:
            # The PDF's font metrics: the same fonts, from the table of their widths where it serves.
            nonlocal fonts
            width = measured.get((text, bold))
            if width is not None:
                return width
            width = metrics.text_width(text, house.CELL_SIZE, bold=bold)
            if width is None:
                from ._pdf_fonts import load_fonts, text_width as measure

                fonts = fonts or load_fonts()
                width = measure(text, fonts, house.CELL_SIZE, bold=bold)
            measured[(text, bold)] = width
            return width

        total = self._text_width / 20  # points
        least = [0.0] * columns
        most = [0.0] * columns
        for r, row in enumerate((block.header,) + block.rows):
            for c in range(min(columns, len(row))):
                words = model.plain_text(row[c]).split()
                if not words:
                    continue
                head = r == 0 and bool(block.header)
                bold = head or (c == 0 and columns > 1)
                width = max(text_width(w, bold) for w in words)
                least[c] = max(least[c], width if head else min(width, total / 3))
                most[c] = max(most[c], text_width(" ".join(words), bold))
        padding = 2 * st.CELL_PADDING / 20 + 1
        widths = house.column_widths(block.widths, [w + padding for w in least], total, [w + padding for w in most])
        twips = [int(w * 20) for w in widths]
        twips[-1] -= max(0, sum(twips) - self._text_width)  # rounding never pushes past the margin
        return twips

    def _toc(self, block: model.TableOfContents) -> None:
        self._has_toc = True
        heading = self._add(st.TOC_HEADING)
        heading.append(ox.make_run(self._text(block.title, lambda: "in the table of contents title")))
        # Until Word updates the field (settings ask it to on open), the cached result
        # lists the headings, so LibreOffice and previews show a sensible contents list.
        level = lambda h: self._levels.get(id(h), h.level)  # noqa: E731
        entries = [b for b in self.source.blocks if isinstance(b, model.Heading) and level(b) <= len(st.TOC_LEVELS)]
        paragraphs = []
        for entry in entries or [None]:
            style = st.TOC_LEVELS[level(entry) - 1] if entry else st.TOC_LEVELS[0]
            paragraphs.append(self._add(style))
        for run in ox.field_begin('TOC \\o "1-2" \\h \\z \\u'):
            paragraphs[0].append(run)
        for entry, paragraph in zip(entries, paragraphs):
            self._locate(entry)
            self._inlines(paragraph, entry.children)
        if not entries:
            paragraphs[0].append(ox.make_run("Update this field to list the headings."))
        paragraphs[-1].append(ox.field_end())

    def _sources(self, block: model.SourcesList) -> None:
        for entry in block.entries:
            self._where = lambda e=entry: f"in Sources entry {e.number}" + (
                f" (article '{e.article_id}')" if e.article_id else "")
            paragraph = self._add(st.SOURCE_ENTRY)
            start, end = ox.bookmark(self._next_bookmark(), model.source_anchor(entry.number))
            paragraph.append(start)
            ox.make_run(f"{entry.number}.\t", parent=paragraph)
            self._address_tip = f"Web page of {self._labels.get(entry.number, f'Source {entry.number}')}"
            try:
                self._inlines(paragraph, entry.children)
            finally:
                self._address_tip = None
            paragraph.append(end)

    # ------------------------------------------------------------------ inlines

    def _inlines(self, parent, inlines, *, bold: bool = False, italic: bool = False, link: bool = False) -> None:
        """Append runs for `inlines` to `parent` (a `w:p` or `w:hyperlink`)."""
        make_run = ox.make_run
        for node in inlines:
            if isinstance(node, model.Text):
                make_run(self._text(node.text), style=self._style_id(st.HYPERLINK) if link else None,
                         bold=bold, italic=italic, parent=parent)
            elif isinstance(node, model.Strong):
                self._inlines(parent, node.children, bold=True, italic=italic, link=link)
            elif isinstance(node, model.Emph):
                self._inlines(parent, node.children, bold=bold, italic=True, link=link)
            elif isinstance(node, model.Code):
                make_run(self._text(node.text), style=self._style_id(st.CODE), bold=bold, italic=italic, parent=parent)
            elif isinstance(node, model.LineBreak):
                make_run("\n", parent=parent)
            elif isinstance(node, model.Link):
                self._link(parent, node, bold=bold, italic=italic, inside_link=link)
            elif isinstance(node, model.Ref):
                if link:  # Word does not nest hyperlinks
                    make_run(model.format_numbers(node.numbers), bold=bold, italic=italic, parent=parent)
                else:
                    self._numbers(parent, node.numbers, leading_space=False)
            else:  # Unresolved, and any Cite or Marker that `attribute` left behind
                text = node.text if isinstance(node, model.Unresolved) else model.plain_text((node,))
                make_run(self._text(text), style=self._style_id(st.UNRESOLVED), bold=bold, italic=italic, parent=parent)

    def _link(self, parent, node: model.Link, *, bold: bool, italic: bool, inside_link: bool) -> None:
        url = self._text(node.url)
        if inside_link or not ox.is_safe_url(url):
            # Anything but http, https and mailto stays visible as text, never clickable.
            self._inlines(parent, node.children, bold=bold, italic=italic, link=inside_link)
            return
        hyperlink = ox.external_hyperlink(self._link_id(url.strip()), parent)
        if self._address_tip and model.plain_text(node.children).strip() == url.strip():
            # A bare address says where it goes, not what is there: the tip names the source.
            hyperlink.set(ox.W_TOOLTIP, self._text(self._address_tip))
        self._inlines(hyperlink, node.children, bold=bold, italic=italic, link=True)

    def _link_id(self, url: str) -> str:
        """Return the id of the external hyperlink relationship to `url`, added on first use.

        The same ids `part.relate_to` gives (an existing relationship, else the lowest free
        `rIdN`), without scanning every relationship for each link.
        """
        rels = self.doc.part.rels
        if self._link_ids is None:
            self._link_ids = {}
            for rid, rel in rels.items():
                if rel.is_external and rel.reltype == RT.HYPERLINK:
                    self._link_ids.setdefault(rel.target_ref, rid)
        rid = self._link_ids.get(url)
        if rid is None:
            while f"rId{self._next_rid}" in rels:
                self._next_rid += 1
            rid = f"rId{self._next_rid}"
            rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._link_ids[url] = rid
        return rid

    def _numbers(self, parent, numbers: tuple[int, ...], *, leading_space: bool) -> None:
        """Append `[1, 2]`, each number an internal link to its Sources entry.

        As in the PDF, a linked number takes the brackets beside it into its link: "[3]",
        or "[1" and "2]", with ", " between them outside.
        """
        style = self._style_id(st.TABLE_SOURCE_NUMBER if self._in_table else st.SOURCE_NUMBER)
        make_run = ox.make_run
        if leading_space:
            # A no-break space keeps the number on the line of the word it follows, as in the PDF.
            make_run("\u00a0", parent=parent)
        plain = ""  # text not yet placed, outside any link
        for number, (before, label) in zip(numbers, model.number_labels(numbers)):
            plain += before
            if number in self._entries:
                if plain:
                    make_run(plain, style=style, parent=parent)
                    plain = ""
                hyperlink = ox.internal_hyperlink(model.source_anchor(number), parent)
                tip = self._tips.get(number)
                if tip is None:
                    tip = self._tips[number] = self._text(self._labels.get(number, f"Source {number}"))
                hyperlink.set(ox.W_TOOLTIP, tip)
                make_run(label, style=style, parent=hyperlink)
            else:  # no Sources entry to point at: a dangling link would do nothing in Word
                plain += label
        if plain or not numbers:
            make_run(plain or "[]", style=style, parent=parent)

    # ------------------------------------------------------------------ helpers

    def _add(self, style: str) -> CT_P:
        """Return a new body paragraph in `style` (a style name)."""
        return ox.add_paragraph(self._body, self._style_id(style), self._sect_pr)

    def _style_id(self, name: str) -> str:
        # python-docx resolves a style name by scanning every style each time; cache it.
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = st.style_id(self.doc, name)
        return found

    def _text(self, text: str, where: Callable[[], str] | None = None) -> str:
        return ox.check_text(text, where or self._where)

    def _next_bookmark(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    def _locate(self, block, inherited: model.SourceRef | None = None) -> None:
        """Remember where `block` came from (its own source, else its enclosing block's), for errors."""
        source = getattr(block, "source", None) or inherited
        self._where = lambda: _where(block, source)  # told only when something fails


def _where(block, source: model.SourceRef | None) -> model.Where:
    """Return the phrase naming `block` and its source, for an error message."""
    kind = _kind(block)
    if source is None:
        children = getattr(block, "children", None)
        snippet = _printable(model.plain_text(children)[:40]) if children else ""
        text = f"in a {kind}" + (f" beginning '{snippet}'" if snippet else "") + " (not from an article)"
    else:
        text = f"in a {kind} from article '{source.article_id}'"
        details = ([f"section '{source.section}'"] if source.section else []) + (
            [f"line {source.line}"] if source.line is not None else [])
        if details:
            text += " (" + ", ".join(details) + ")"
    return model.Where(text, source)


#: Table.align values as OOXML paragraph justification
_JUSTIFY = {"left": None, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _keep_with_next(paragraph: CT_P) -> None:
    """Keep `paragraph` (a lead-in ending in a colon) on the page of what follows it."""
    paragraph.get_or_add_pPr().keepNext_val = True


def _fixed_width(tbl, twips: int) -> None:
    """Give table `tbl` a fixed width of `twips`, its borders on the margins.

    Word draws a table's left border one cell padding left of the margin unless the table
    is indented by that padding; the columns then end on the right margin.
    """
    tbl_pr = tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(twips))
    indent = tbl_pr.find(qn("w:tblInd"))
    if indent is None:
        indent = OxmlElement("w:tblInd")
        width.addnext(indent)
    indent.set(qn("w:type"), "dxa")
    indent.set(qn("w:w"), str(st.CELL_PADDING))


def _kind(block) -> str:
    return {
        model.Heading: "heading", model.Paragraph: "paragraph", model.BulletList: "list",
        model.ListItem: "list item", model.Quote: "quote", model.Table: "table", model.Rule: "rule",
        model.TableOfContents: "table of contents", model.SourcesList: "Sources list",
    }.get(type(block), type(block).__name__)


def _printable(text: str) -> str:
    return ox._XML_INVALID.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)

