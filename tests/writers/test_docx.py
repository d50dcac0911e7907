"""The DOCX writer: Word styles, source links, header/footer fields, safety, reproducibility."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from lxml import etree

from reegen.errors import RenderError
from reegen.model import (
    BulletList, Code, Document, Emph, Heading, LineBreak, Link, ListItem, Meta, Paragraph, Ref,
    SourceEntry, SourceRef, SourcesList, Strong, Table, Text, Unresolved,
)
from reegen.writers import WriteOptions, _docx_ooxml, get_writer
from reegen.writers.docx import DocxWriter

from .conftest import libreoffice_env

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
WHEN = datetime(2025, 7, 20, 8, 30, tzinfo=timezone.utc)


def write(document: Document, **options) -> bytes:
    options.setdefault("source_date", WHEN)
    return DocxWriter().write(document, WriteOptions(**options))


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def body_doc(*blocks, **meta) -> Document:
    return Document(Meta(title=meta.pop("title", "Brief"), **meta), tuple(blocks))


def shown(paragraph) -> str:
    """Return a paragraph's text with the no-break space before a source number read as a space."""
    return paragraph.text.replace("\u00a0[", " [")


def styled(data: bytes) -> dict[str, str]:
    """Return paragraph text -> style name for every body paragraph."""
    return {shown(p): p.style.name for p in read(data).paragraphs if p.text}


# --------------------------------------------------------------------------- styles


def test_writer_is_registered_as_docx():
    writer = get_writer("docx")
    assert isinstance(writer, DocxWriter) and writer.name == "docx"


def test_title_block_uses_title_and_subtitle_then_one_line_of_metadata_ending_in_the_classification(document):
    paragraphs = read(write(document)).paragraphs
    assert [(p.text, p.style.name) for p in paragraphs][:3] == [
        ("Baotou’s rare-earth magnet machine", "Title"),
        ("What Western supply chains are up against", "Subtitle"),
        ("Executive leadership · Strategy desk · 20 July 2025 · Internal — not for redistribution", "Brief Metadata"),
    ]
    # as in the PDF: the classification in its own case, bold and red, on the metadata line
    last = paragraphs[2].runs[-1]
    assert (last.text, last.style.name) == ("Internal — not for redistribution", "Classification")
    assert last.style.font.bold and not last.style.font.all_caps


def test_headings_use_word_heading_styles_by_level(document):
    styles = styled(write(document))
    assert styles["Executive summary"] == "Heading 1"
    assert styles["Market context"] == "Heading 2"
    # Word has three heading styles here; a level is never skipped (see test_docx_a11y.py)
    deep = body_doc(Heading(1, (Text("Top"),)), Heading(2, (Text("Detail"),)), Heading(3, (Text("Deep"),)),
                    Heading(7, (Text("Deeper"),)))
    assert styled(write(deep)) == {"Brief": "Title", "Top": "Heading 1", "Detail": "Heading 2", "Deep": "Heading 3",
                                   "Deeper": "Heading 3"}


def test_nested_bullets_use_list_bullet_styles_by_depth(document):
    styles = styled(write(document))
    assert styles["Approvals take under half a day in S&P-style <fast> lanes. [1]"] == "List Bullet"
    assert styles["rapid approvals [1]"] == "List Bullet 2"

    def nest(depth: int) -> BulletList:
        inner = (nest(depth - 1),) if depth > 1 else ()
        return BulletList((ListItem((Paragraph((Text(f"level {4 - depth}"),)),) + inner),))

    styles = styled(write(body_doc(nest(4))))
    assert [styles[f"level {n}"] for n in range(4)] == ["List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 3"]


def test_second_paragraph_of_a_bullet_continues_without_a_bullet():
    item = ListItem((Paragraph((Text("first"),)), Paragraph((Text("second"),))))
    styles = styled(write(body_doc(BulletList((item,)))))
    assert (styles["first"], styles["second"]) == ("List Bullet", "List Continue")


def test_ordered_lists_use_list_number_and_each_restarts_at_one():
    lists = [BulletList(tuple(ListItem((Paragraph((Text(f"{name} {i}"),)),)) for i in (1, 2)), ordered=True)
             for name in ("a", "b")]
    data = write(body_doc(lists[0], Paragraph((Text("between"),)), lists[1]))
    paragraphs = {p.text: p for p in read(data).paragraphs}
    assert paragraphs["a 1"].style.name == paragraphs["b 2"].style.name == "List Number"
    num_ids = [paragraphs[t]._p.pPr.numPr.numId.val for t in ("a 1", "a 2", "b 1", "b 2")]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = part(data, "word/numbering.xml")
    for num_id in (num_ids[0], num_ids[2]):
        start = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride/@w:val', namespaces=NS)
        assert start == ["1"]


def test_pull_quote_uses_quote_style(document):
    styles = styled(write(document))
    assert styles["“Baotou has built a complete ecosystem of schools, labs, and factories” [2]"] == "Quote"


def test_table_uses_builtin_style_repeats_header_row_and_wraps_cells(document):
    data = write(document)
    table = read(data).tables[0]
    assert table.style.name in {s.name for s in docx.Document().styles}  # a template style, not one of ours
    assert [c.text for c in table.rows[0].cells] == ["Figure", "What it measures", "Source"]
    assert len(table.rows) == 41
    headers = [row._tr.xpath("./w:trPr/w:tblHeader") for row in table.rows]
    assert headers[0] and not any(headers[1:])
    tbl = table._tbl
    assert tbl.xpath("./w:tblPr/w:tblLayout/@w:type") == ["fixed"]
    widths = [int(w) for w in tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert widths[1] == pytest.approx(3 * widths[0], rel=0.01)
    assert not tbl.xpath(".//w:noWrap")


def test_table_caption_precedes_the_table_in_caption_style(document):
    styles = styled(write(document))
    assert styles["Key figures"] == "Caption"


# --------------------------------------------------------------------------- sources and links


def test_paragraph_numbers_print_after_the_text(document):
    texts = [shown(p) for p in read(write(document)).paragraphs]
    assert "Approvals take under half a day in S&P-style <fast> lanes. [1]" in texts
    assert any(t.startswith("Administrative velocity.") and "fell by 30% [1]." in t and t.endswith(". [1]")
               for t in texts)


def test_every_source_number_is_a_link_to_an_existing_bookmark(document):
    root = part(write(document), "word/document.xml")
    bookmarks = set(root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    assert {"source-1", "source-2"} <= bookmarks
    links = root.xpath("//w:hyperlink[@w:anchor]", namespaces=NS)
    assert len(links) > 40  # paragraphs, quote, caveats and every table row
    for link in links:
        anchor = link.get(f"{{{W}}}anchor")
        assert anchor in bookmarks
        # the link holds its number and the brackets beside it: "[3]", "[1" or "2]"
        assert "".join(link.itertext()).strip("[]") == anchor.removeprefix("source-")


def test_bookmark_ids_are_unique(document):
    root = part(write(document), "word/document.xml")
    ids = root.xpath("//w:bookmarkStart/@w:id", namespaces=NS)
    assert len(ids) == len(set(ids)) == 2


def test_sources_list_entries_are_numbered_and_carry_their_bookmark(document):
    data = write(document)
    entries = [p for p in read(data).paragraphs if p.style.name == "Source Entry"]
    assert [p.text.split("\t")[0] for p in entries] == ["1.", "2."]
    for number, paragraph in enumerate(entries, start=1):
        assert paragraph._p.xpath("./w:bookmarkStart/@w:name") == [f"source-{number}"]
    assert entries[0].paragraph_format.first_line_indent is None  # hanging indent comes from the style
    style = read(data).styles["Source Entry"].paragraph_format
    assert style.first_line_indent < 0 < style.left_indent


def test_a_source_number_links_with_its_brackets():
    entries = tuple(SourceEntry(n, (Text(f"Source {n}."),)) for n in (1, 2, 3))
    data = write(body_doc(Paragraph((Text("One."),), numbers=(3,)), Paragraph((Text("Two."),), numbers=(1, 2)),
                          Paragraph((Text("Nowhere."),), numbers=(9, 1)), SourcesList(entries)))
    paragraphs = read(data).paragraphs
    texts = [shown(p) for p in paragraphs]
    assert {"One. [3]", "Two. [1, 2]", "Nowhere. [9, 1]"} <= set(texts)
    links = [["".join(h.xpath(".//w:t/text()")) for h in p._p.xpath("./w:hyperlink[@w:anchor]")]
             for p in paragraphs if shown(p) in ("One. [3]", "Two. [1, 2]", "Nowhere. [9, 1]")]
    assert links == [["[3]"], ["[1", "2]"], ["1]"]]


def test_number_without_sources_entry_prints_unlinked():
    data = write(body_doc(Paragraph((Text("Claim."),), numbers=(7,))))
    root = part(data, "word/document.xml")
    assert not root.xpath("//w:hyperlink", namespaces=NS)
    assert "Claim.\u00a0[7]" in [p.text for p in read(data).paragraphs]  # a no-break space, as in the PDF


def test_external_links_are_hyperlinks_in_hyperlink_style(document):
    data = write(document)
    links = [h for p in read(data).paragraphs for h in p.hyperlinks if h.address]
    assert {h.address for h in links} == {"https://example.org/zone", "https://example.org/a-very-long-path/" + "segment/" * 20}
    assert all(r.style.name == "Hyperlink" for h in links for r in h.runs)


def test_repeated_links_share_one_relationship_and_new_ones_take_the_lowest_free_id():
    # The writer keeps its own URL -> rId map instead of python-docx's relate_to scan;
    # the ids must be the ones relate_to would give.
    doc = body_doc(Paragraph((Link("https://example.org/a", (Text("a"),)), Text(" "),
                              Link("https://example.org/b", (Text("b"),)), Text(" "),
                              Link(" https://example.org/a ", (Text("a again"),)))))
    rels = part(write(doc), "word/_rels/document.xml.rels")
    links = {r.get("Target"): r.get("Id") for r in rels if r.get("TargetMode") == "External"}
    assert set(links) == {"https://example.org/a", "https://example.org/b"}
    ids = [r.get("Id") for r in rels]
    assert len(ids) == len(set(ids))
    used = {int(i[3:]) for i in ids}
    assert used == set(range(1, len(used) + 1))  # no gaps: the freed stylesWithEffects id is reused
    hyperlinks = part(write(doc), "word/document.xml").findall(".//w:hyperlink", NS)
    assert [h.get(f"{{{R}}}id") for h in hyperlinks] == [links["https://example.org/a"],
                                                          links["https://example.org/b"],
                                                          links["https://example.org/a"]]


def test_run_markup_matches_python_docx_for_tabs_breaks_and_edge_spaces():
    for text in ("plain", " lead", "trail ", "a\tb", "\t\tx\n", "one\r\ntwo\rthree", "", "中文 text"):
        built = _docx_ooxml.make_run(text, style="Strong", bold=True, italic=True)
        reference = docx.oxml.OxmlElement("w:r")
        rpr = reference.get_or_add_rPr()
        rpr.style = "Strong"
        if _docx_ooxml.has_east_asian(text):
            rpr.append(docx.oxml.OxmlElement("w:rFonts", attrs={docx.oxml.ns.qn("w:eastAsia"): _docx_ooxml.EAST_ASIA_FONT}))
        for tag in ("w:b", "w:bCs", "w:i", "w:iCs"):
            rpr.append(docx.oxml.OxmlElement(tag))
        if _docx_ooxml.has_east_asian(text):  # the run's language, from its script (Han: Chinese)
            rpr.append(docx.oxml.OxmlElement("w:lang", attrs={docx.oxml.ns.qn("w:eastAsia"): "zh"}))
        reference.text = text.replace("\r\n", "\n").replace("\r", "\n")
        assert etree.tostring(built) == etree.tostring(reference), text


def test_javascript_and_other_schemes_are_not_emitted_as_links():
    doc = body_doc(Paragraph((Link("javascript:alert(1)", (Text("click"),)), Text(" and "),
                              Link("file:///etc/passwd", (Text("file"),)), Text(" and "),
                              Link("mailto:desk@example.org", (Text("mail"),)))))
    data = write(doc)
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    assert "javascript" not in rels and "file:" not in rels
    assert "mailto:desk@example.org" in rels
    assert "click and file and mail" in [p.text for p in read(data).paragraphs]


# --------------------------------------------------------------------------- inline styling


def test_inline_styles_map_to_bold_italic_monospace_break_and_grey():
    doc = body_doc(Paragraph((Strong((Text("bold"),)), Emph((Text("ital"),)), Code("x < y"), LineBreak(),
                              Unresolved("[9]"))), Paragraph((Text("a note"),), role="note"))
    data = write(doc)
    paragraphs = read(data).paragraphs
    runs = {r.text: r for r in paragraphs[1].runs}
    assert runs["bold"].bold and runs["ital"].italic
    assert runs["x < y"].style.name == "Verbatim Char"
    assert read(data).styles["Verbatim Char"].font.name == "DejaVu Sans Mono"  # the PDF's monospace font
    assert paragraphs[1]._p.xpath(".//w:br")
    assert runs["[9]"].style.name == "Unresolved Marker"
    assert read(data).styles["Unresolved Marker"].font.color.rgb is not None
    note_style = read(data).styles["Editorial Note"]
    assert paragraphs[2].style.name == "Editorial Note" and note_style.font.italic
    assert note_style.font.size < read(data).styles["Normal"].font.size


def test_markup_like_text_prints_as_written():
    text = "S&P 500 <b> &amp; ]]> \"quoted\""
    data = write(body_doc(Paragraph((Text(text),))))
    assert text in [p.text for p in read(data).paragraphs]


def test_body_style_is_modestly_sized_and_sets_the_east_asian_font():
    data = write(body_doc(Paragraph((Text("稀土 磁体"),))))
    assert read(data).styles["Normal"].font.size.pt == 10.5
    styles = part(data, "word/styles.xml")
    for style_id in ("Normal", "Heading1", "Title"):
        fonts = styles.xpath(f'w:style[@w:styleId="{style_id}"]/w:rPr/w:rFonts', namespaces=NS)[0]
        assert fonts.get(f"{{{W}}}eastAsia") and fonts.get(f"{{{W}}}eastAsiaTheme") is None
    assert not styles.xpath("//@w:eastAsiaTheme", namespaces=NS)
    assert "稀土 磁体" in [p.text for p in read(data).paragraphs]


# --------------------------------------------------------------------------- header, footer, fields


def test_header_holds_title_and_classification_and_footer_page_of_pages(document):
    data = write(document)
    header = part(data, "word/header1.xml")
    assert "Baotou’s rare-earth magnet machine" in "".join(header.itertext())
    assert "Internal — not for redistribution" in "".join(header.itertext())
    footer = part(data, "word/footer1.xml")
    assert footer.xpath("//w:fldSimple/@w:instr", namespaces=NS) == ["PAGE", "NUMPAGES"]
    assert "".join(footer.itertext()).startswith("Page 1 of 1")
    section = read(data).sections[0]
    assert section.header.is_linked_to_previous is False


def test_first_page_has_the_title_block_instead_of_the_header_but_still_counts_pages(document):
    section = read(write(document)).sections[0]
    assert section.different_first_page_header_footer
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    footer = section.first_page_footer._element
    assert footer.xpath(".//w:fldSimple/@w:instr") == ["PAGE", "NUMPAGES"]


def test_dossier_toc_is_a_field_and_word_updates_fields_on_open(dossier_document, document):
    data = write(dossier_document)
    root = part(data, "word/document.xml")
    instructions = [t.strip() for t in root.xpath("//w:instrText/text()", namespaces=NS)]
    assert instructions == ['TOC \\o "1-2" \\h \\z \\u']
    kinds = root.xpath("//w:fldChar/@w:fldCharType", namespaces=NS)
    assert kinds == ["begin", "separate", "end"]
    assert part(data, "word/settings.xml").xpath("w:updateFields/@w:val", namespaces=NS) == ["true"]
    # without a TOC Word is not asked to update fields (it would prompt for nothing)
    assert not part(write(document), "word/settings.xml").xpath("w:updateFields", namespaces=NS)


def test_settings_keep_schema_order_with_update_fields(dossier_document):
    settings_root = part(write(dossier_document), "word/settings.xml")
    names = [etree.QName(c).localname for c in settings_root]
    assert names.index("updateFields") < names.index("compat")


# --------------------------------------------------------------------------- metadata and reproducibility


def test_core_properties_come_from_meta_and_source_date(document):
    props = read(write(document)).core_properties
    assert props.title == "Baotou’s rare-earth magnet machine"
    assert props.subject == "What Western supply chains are up against"
    assert props.author == props.last_modified_by == "Strategy desk"
    assert props.keywords == "baotou, magnets"
    assert props.created == props.modified == WHEN
    assert props.revision == 1


def test_title_longer_than_255_characters_is_truncated_only_in_core_properties():
    title = "T" * 300
    data = write(body_doc(title=title))
    assert len(read(data).core_properties.title) == 255
    assert read(data).paragraphs[0].text == title


def test_same_source_date_gives_identical_bytes(dossier_document):
    first, second = write(dossier_document), write(dossier_document)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 7, 20, 8, 30, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_template_thumbnail_is_not_shipped(document):
    names = zipfile.ZipFile(io.BytesIO(write(document))).namelist()
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)


def test_without_source_date_the_file_is_still_valid(document):
    data = DocxWriter().write(document, WriteOptions())
    assert read(data).core_properties.title == "Baotou’s rare-earth magnet machine"


def test_letter_page_size_sets_letter_paper_and_unknown_size_is_a_render_error(document):
    section = read(write(document, page_size="Letter")).sections[0]
    assert (section.page_width.inches, section.page_height.inches) == (8.5, 11)
    with pytest.raises(RenderError, match="unknown page size 'A5'"):
        write(document, page_size="A5")


# --------------------------------------------------------------------------- text safety


def test_xml_forbidden_character_raises_render_error_naming_it_and_the_source():
    source = SourceRef("baotou-high-tech-zone", "key-developments", 12)
    doc = body_doc(Heading(1, (Text("Fine"),)), Paragraph((Text("tab\x0bbed"),), source, (1,)))
    with pytest.raises(RenderError) as info:
        write(doc)
    message = str(info.value)
    assert "U+000B" in message
    assert "article 'baotou-high-tech-zone'" in message and "line 12" in message
    assert info.value.code == "render.invalid-character"
    assert "\x0b" not in message


def test_forbidden_character_inside_a_list_item_names_the_item_source():
    source = SourceRef("baotou-symposium", None, 30)
    doc = body_doc(BulletList((ListItem((Paragraph((Text("bad\ufffe"),)),), source),)))
    with pytest.raises(RenderError, match=r"U\+FFFE.*article 'baotou-symposium' \(line 30\)"):
        write(doc)


def test_forbidden_character_in_the_title_names_the_title():
    with pytest.raises(RenderError, match=r"U\+0000.*brief's title"):
        write(body_doc(title="nul\x00title"))


def test_forbidden_character_in_a_table_cell_names_row_and_column(document):
    table = next(b for b in document.blocks if isinstance(b, Table))
    bad = dataclasses.replace(table, rows=table.rows[:1] + (((Text("x"),), (Text("esc\x1b"),), (Text("y"),)),))
    doc = dataclasses.replace(document, blocks=tuple(bad if b is table else b for b in document.blocks))
    with pytest.raises(RenderError, match=r"U\+001B.*row 3, column 2 of a table captioned 'Key figures'"):
        write(doc)


def test_lone_surrogate_is_a_render_error_not_a_unicode_error():
    with pytest.raises(RenderError, match=r"U\+D800"):
        write(body_doc(Paragraph((Text("half \ud800 pair"),))))


_XML_TEXT = hst.text(hst.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07"
                                    "\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                    "\x1e\x1f\ufffe\uffff\r"), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(_XML_TEXT)
def test_any_xml_valid_text_is_written_and_read_back(text):
    data = write(body_doc(Paragraph((Text(text),))))
    assert read(data).paragraphs[-1].text == text


# --------------------------------------------------------------------------- rendering with LibreOffice


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("REEGEN_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{tool} is required (REEGEN_REQUIRE_TOOLS=1) but not on PATH")
        pytest.skip(f"{tool} not installed")
    return path


@pytest.mark.render
def test_libreoffice_converts_the_docx_with_headings_and_source_numbers(dossier_document, tmp_path):
    soffice, pdftotext = _require("soffice"), _require("pdftotext")
    source = tmp_path / "brief.docx"
    source.write_bytes(write(dossier_document))
    profile = (tmp_path / "profile").as_uri()  # a private profile, so parallel runs do not collide
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "brief.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Key developments" in text
    assert "fell by 30% [1]" in text
    assert re.search(r"Page 1 of [2-9]", text)
    assert "Internal — not for redistribution" in text


def test_library_error_inside_a_block_becomes_a_located_render_error(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(_docx_ooxml, "internal_hyperlink", broken)
    source = SourceRef("baotou-symposium", "lead", 4)
    doc = body_doc(Paragraph((Text("Claim."),), source, (1,)), SourcesList((SourceEntry(1, (Text("One"),)),)))
    with pytest.raises(RenderError, match=r"could not write paragraph to DOCX: boom; .*'baotou-symposium'.*line 4"):
        write(doc)


def test_source_number_inside_a_link_is_plain_text_because_word_cannot_nest_links():
    doc = body_doc(Paragraph((Link("https://example.org", (Text("see "), Ref((1,)))),)),
                   SourcesList((SourceEntry(1, (Text("One"),)),)))
    root = part(write(doc), "word/document.xml")
    assert not root.xpath("//w:hyperlink//w:hyperlink", namespaces=NS)
    assert "".join(root.xpath("//w:hyperlink[@r:id]//w:t/text()", namespaces=NS)) == "see [1]"


# --------------------------------------------------------------------------- citations and CJK (issue 5)


def test_source_numbers_are_set_as_in_the_pdf_on_the_baseline_smaller_and_in_the_accent(document):
    data = write(document)
    styles = part(data, "word/styles.xml")
    number = styles.xpath("//w:style[@w:styleId='SourceNumber']/w:rPr", namespaces=NS)[0]
    assert not number.xpath("w:vertAlign[@w:val='superscript']", namespaces=NS)  # not a tiny superscript
    # 0.8 of the 10.5 pt body, rounded to Word's half points: 8.5 pt, against 8.4 pt in the PDF
    assert number.xpath("w:sz/@w:val", namespaces=NS) == ["17"]
    assert number.xpath("w:color/@w:val", namespaces=NS) == ["1F4E79"]
    in_table = styles.xpath("//w:style[@w:styleId='TableSourceNumber']/w:rPr", namespaces=NS)[0]
    assert in_table.xpath("w:sz/@w:val", namespaces=NS) == ["14"]
    body = part(data, "word/document.xml")
    in_tables = body.xpath("//w:tbl//w:hyperlink[@w:anchor]/w:r/w:rPr/w:rStyle/@w:val", namespaces=NS)
    outside = body.xpath("//w:p[not(ancestor::w:tbl)]/w:hyperlink[@w:anchor]/w:r/w:rPr/w:rStyle/@w:val", namespaces=NS)
    assert in_tables and set(in_tables) == {"TableSourceNumber"}
    assert outside and set(outside) == {"SourceNumber"}


CJK_DOC = body_doc(
    Heading(1, (Text("摘要 Summary"),), "summary"),
    Paragraph((Text("Baotou (包头) hosts 北方稀土 — “quoted”."),), SourceRef("baotou-cjk", "lead", 7), (1,)),
    SourcesList((SourceEntry(1, (Text("包头日报, “包头稀土高新区加快磁材项目审批”, 3 July 2025."),)),)),
    title="包头稀土简报", classification="内部",
)


def test_runs_holding_cjk_name_the_east_asian_font_and_latin_runs_do_not():
    root = part(write(CJK_DOC), "word/document.xml")
    for run in root.xpath("//w:r[w:t]", namespaces=NS):
        text = "".join(run.xpath("w:t/text()", namespaces=NS))
        fonts = run.xpath("w:rPr/w:rFonts/@w:eastAsia", namespaces=NS)
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            assert fonts == ["Microsoft YaHei"], text
        elif text.isascii():
            assert fonts == [], text
    header = part(write(CJK_DOC), "word/header1.xml")
    assert header.xpath("//w:r[contains(w:t, '包头')]/w:rPr/w:rFonts/@w:eastAsia", namespaces=NS) == ["Microsoft YaHei"]


def test_cjk_text_and_metadata_come_back_from_the_docx():
    document = read(write(CJK_DOC))
    assert document.core_properties.title == "包头稀土简报"
    assert "Baotou (包头) hosts 北方稀土 — “quoted”. [1]" in [shown(p) for p in document.paragraphs]


@pytest.mark.render
def test_libreoffice_renders_cjk_with_a_cjk_font_not_boxes(tmp_path):
    soffice, pdftotext, pdffonts = _require("soffice"), _require("pdftotext"), _require("pdffonts")
    source = tmp_path / "cjk.docx"
    source.write_bytes(write(CJK_DOC))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180,
                   env=libreoffice_env(tmp_path))
    text = subprocess.run([pdftotext, str(tmp_path / "cjk.pdf"), "-"], check=True, capture_output=True, text=True).stdout
    assert "包头稀土简报" in text and "北方稀土" in text
    fonts = subprocess.run([pdffonts, str(tmp_path / "cjk.pdf")], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert all(row[-5] == "yes" for row in rows), fonts
    cjk_faces = re.compile(r"Droid|WenQuanYi|Noto.*CJK|SourceHan|Hei|Song|Ming|Gothic|YaHei", re.I)
    assert any(cjk_faces.search(row[0]) for row in rows), fonts


def test_table_header_keeps_with_the_first_rows_and_the_last_row_is_never_alone(document):
    table = read(write(document)).tables[0]
    keeps = [all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
             for row in table.rows]
    assert keeps[0] and keeps[-2] and not keeps[-1]
    # with three rows or more, the first row keeps with the second: never one row alone at a page foot
    assert keeps[1] == (len(table.rows) - 1 >= 3)
    assert not any(keeps[2:-2])


def test_tables_are_styled_for_reading_bold_first_column_padding_and_light_bands(document):
    data = write(document)
    look = part(data, "word/document.xml").xpath("//w:tbl/w:tblPr/w:tblLook", namespaces=NS)[0]
    assert look.get(f"{{{W}}}firstColumn") == "1" and look.get(f"{{{W}}}noVBand") == "1"
    style = part(data, "word/styles.xml").xpath("//w:style[@w:styleId='MediumShading1-Accent1']", namespaces=NS)[0]
    assert style.xpath("w:tblPr/w:tblCellMar/w:top/@w:w", namespaces=NS) == ["45"]
    band = style.xpath("w:tblStylePr[@w:type='band1Horz']/w:tcPr/w:shd", namespaces=NS)[0]
    assert band.get(f"{{{W}}}fill") == "F2F5F8"  # the PDF's zebra rows
