"""The DOCX in the PDF's house style: fonts, title block, headings, bullets, markers, tables, properties."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from lxml import etree

from reegen.model import (
    BulletList, Document, Heading, ListItem, Meta, Paragraph, SourceEntry, SourcesList, Table, Text,
)
from reegen.writers import WriteOptions, _house as house
from reegen.writers._pdf_fonts import load_fonts, text_width
from reegen.writers.docx import DocxWriter
from tests.conftest import require_tool

from .conftest import libreoffice_env

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
WHEN = datetime(2025, 7, 20, 8, 30, tzinfo=timezone.utc)
PAGE_TWIPS = {"A4": 11906, "Letter": 12240}


def write(document: Document, **options) -> bytes:
    options.setdefault("source_date", WHEN)
    return DocxWriter().write(document, WriteOptions(**options))


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


def doc(*blocks, **meta) -> Document:
    return Document(Meta(title=meta.pop("title", "Brief"), **meta), tuple(blocks))


def style(data: bytes, style_id: str):
    return part(data, "word/styles.xml").xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)[0]


FIGURES = Table(
    header=((Text("Figure"),), (Text("What it measures"),), (Text("Source"),), (Text("Kind"),), (Text("Status"),)),
    rows=(((Text("Under half a day"),), (Text("Approvals for registering a business"),), (Text("[1]"),),
           (Text("Reported result"),), (Text("Reported, unverified"),)),
          ((Text("¥110 million"),), (Text("Loans extended so far"),), (Text("[1]"),),
           (Text("Reported result"),), (Text("Reported, unverified"),))),
    widths=(1.2, 3, 0.4, 1.2, 2), align=("right", "left", "center", "left", "left"))


# --------------------------------------------------------------------------- fonts


def test_every_text_style_names_the_pdf_body_font_and_no_theme_font():
    data = write(doc(Heading(1, (Text("Summary"),), "s"), Paragraph((Text("Body."),))))
    styles = part(data, "word/styles.xml")
    assert styles.xpath("w:docDefaults//w:rFonts/@w:ascii", namespaces=NS) == ["DejaVu Sans"]
    assert not styles.xpath("//w:rFonts[@w:asciiTheme or @w:hAnsiTheme]", namespaces=NS)
    for style_id in ("Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Quote"):
        assert style(data, style_id).xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["DejaVu Sans"], style_id
    theme = part(data, "word/theme/theme1.xml")
    latin = theme.xpath("//a:majorFont/a:latin/@typeface | //a:minorFont/a:latin/@typeface",
                        namespaces={"a": "http://schemas.openxmlformats.org/drawingml/2006/main"})
    assert latin == ["DejaVu Sans", "DejaVu Sans"]


def test_the_font_table_declares_dejavu_sans_with_a_substitute_for_machines_without_it():
    table = part(write(doc(Paragraph((Text("Body."),)))), "word/fontTable.xml")
    entry = table.xpath("w:font[@w:name='DejaVu Sans']", namespaces=NS)[0]
    assert entry.xpath("w:altName/@w:val", namespaces=NS) == ["Arial"]
    assert entry.xpath("w:family/@w:val", namespaces=NS) == ["swiss"]
    assert not table.xpath("w:font[@w:name='Cambria' or @w:name='Calibri']", namespaces=NS)


def test_a_brand_font_replaces_the_body_font_in_every_text_style(tmp_path):
    from reegen.writers._pdf_fonts import FONT_DIR

    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "Body.ttf").write_bytes((FONT_DIR / "DejaVuSansMono.ttf").read_bytes())
    data = write(doc(Paragraph((Text("Body."),))), base_dir=tmp_path, brand={"font": "brand/Body.ttf"})
    assert style(data, "Normal").xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["DejaVu Sans Mono"]
    assert style(data, "Heading1").xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["DejaVu Sans Mono"]


# --------------------------------------------------------------------------- sizes, colours, title block


def test_heading_levels_have_the_pdfs_size_weight_and_colour():
    data = write(doc(Paragraph((Text("Body."),))))
    for level, (size, bold, italic, accented) in enumerate(house.HEADINGS, 1):
        rpr = style(data, f"Heading{level}").find(f"{{{W}}}rPr")
        assert rpr.xpath("w:sz/@w:val", namespaces=NS) == [str(round(size * 2))]
        assert bool(rpr.xpath("w:b[not(@w:val='0')]", namespaces=NS)) == bold
        assert bool(rpr.xpath("w:i[not(@w:val='0')]", namespaces=NS)) == italic
        colour = house.ACCENT if accented else house.INK
        assert rpr.xpath("w:color/@w:val", namespaces=NS) == [colour.lstrip("#").upper()]
        assert not rpr.xpath("w:color/@w:themeColor", namespaces=NS)


def test_body_title_and_subtitle_have_the_pdfs_sizes_and_the_title_no_template_rule():
    data = write(doc(Paragraph((Text("Body."),))))
    assert style(data, "Normal").xpath("w:rPr/w:sz/@w:val", namespaces=NS) == [str(round(house.BODY_SIZE * 2))]
    title = style(data, "Title")
    assert title.xpath("w:rPr/w:sz/@w:val", namespaces=NS) == [str(house.TITLE_SIZE * 2)]
    assert title.xpath("w:rPr/w:color/@w:val", namespaces=NS) == [house.ACCENT.lstrip("#").upper()]
    assert not title.xpath("w:pPr/w:pBdr", namespaces=NS)
    subtitle = style(data, "Subtitle")
    assert not subtitle.xpath("w:rPr/w:i[not(@w:val='0')]", namespaces=NS)


def test_the_title_block_ends_with_the_accent_rule_under_the_metadata_line():
    data = write(doc(Paragraph((Text("Body."),)), author="Desk", classification="Internal"))
    border = style(data, "BriefMetadata").xpath("w:pPr/w:pBdr/w:bottom", namespaces=NS)[0]
    assert border.get(f"{{{W}}}color") == house.ACCENT.lstrip("#").upper()


def test_the_classification_keeps_its_case_in_the_title_block_and_the_running_header():
    data = write(doc(Paragraph((Text("Body."),)), classification="Internal — not for redistribution"))
    classification = style(data, "Classification")
    assert classification.get(f"{{{W}}}type") == "character"
    assert not classification.xpath("w:rPr/w:caps", namespaces=NS)
    assert classification.xpath("w:rPr/w:color/@w:val", namespaces=NS) == [house.CLASSIFICATION.lstrip("#").upper()]
    header = part(data, "word/header1.xml")
    runs = header.xpath("//w:r[w:rPr/w:rStyle/@w:val='Classification']//w:t/text()", namespaces=NS)
    assert runs == ["Internal — not for redistribution"]


def test_a_title_and_headings_keep_their_em_dash_with_the_next_word():
    data = write(doc(Heading(1, (Text("Highlights — the week"),), "h"), title="Baotou reporting — dossier"))
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Baotou reporting —\u00a0dossier" in texts
    assert "Highlights —\u00a0the week" in texts


# --------------------------------------------------------------------------- lists and markers


def test_bullets_are_the_pdfs_glyphs_by_level_in_the_body_font():
    data = write(doc(Paragraph((Text("Body."),))))
    numbering = part(data, "word/numbering.xml")
    for depth, style_id in enumerate(("ListBullet", "ListBullet2", "ListBullet3"), 1):
        num_id = style(data, style_id).xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)[0]
        abstract = numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val", namespaces=NS)[0]
        level = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl", namespaces=NS)[0]
        assert level.xpath("w:lvlText/@w:val", namespaces=NS) == [house.bullet(depth)]
        assert level.xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["DejaVu Sans"]
    assert [house.bullet(d) for d in (1, 2, 3)] == ["\u2022", "\u2013", "\u2022"]


def test_a_source_number_follows_its_word_after_a_no_break_space():
    entries = SourcesList((SourceEntry(1, (Text("One."),)),))
    root = part(write(doc(Paragraph((Text("Claim"),), numbers=(1,)), entries)), "word/document.xml")
    paragraph = root.xpath("//w:p[w:hyperlink[@w:anchor='source-1']]", namespaces=NS)[0]
    before = paragraph.xpath("w:hyperlink/preceding-sibling::w:r[1]//w:t/text()", namespaces=NS)
    assert before == ["\u00a0"]


def test_a_lead_in_ending_in_a_colon_is_kept_with_its_list():
    items = BulletList((ListItem((Paragraph((Text("first point"),)),)),))
    nested = BulletList((ListItem((Paragraph((Text("The zone put in place:"),)), items)),))
    data = write(doc(Paragraph((Text("Western readers should take note:"),)), items,
                     Paragraph((Text("A closing sentence."),)), nested))
    paragraphs = {p.text: p for p in docx.Document(io.BytesIO(data)).paragraphs}
    assert paragraphs["Western readers should take note:"].paragraph_format.keep_with_next
    assert paragraphs["The zone put in place:"].paragraph_format.keep_with_next
    assert not paragraphs["A closing sentence."].paragraph_format.keep_with_next


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_a_table_has_fixed_widths_inside_the_margins(page_size):
    data = write(doc(FIGURES), page_size=page_size)
    root = part(data, "word/document.xml")
    margins = root.xpath("//w:sectPr/w:pgMar", namespaces=NS)[0]
    left, right = (int(margins.get(f"{{{W}}}{side}")) for side in ("left", "right"))
    text_width = PAGE_TWIPS[page_size] - left - right
    assert abs(text_width - house.MEASURE * 20) <= 2  # the PDF's measure
    table = root.xpath("//w:tbl", namespaces=NS)[0]
    grid = [int(w) for w in table.xpath("w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    assert table.xpath("w:tblPr/w:tblLayout/@w:type", namespaces=NS) == ["fixed"]
    assert table.xpath("w:tblPr/w:tblW/@w:type", namespaces=NS) == ["dxa"]
    assert int(table.xpath("w:tblPr/w:tblW/@w:w", namespaces=NS)[0]) == sum(grid) <= text_width
    assert sum(grid) >= text_width - 5
    # indented by the cell padding, so the left border sits on the margin, not past it
    assert table.xpath("w:tblPr/w:tblInd/@w:w", namespaces=NS) == ["100"]


def test_a_narrow_column_is_as_wide_as_its_headers_longest_word():
    root = part(write(doc(FIGURES)), "word/document.xml")
    grid = [int(w) for w in root.xpath("//w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    need = text_width("Source", load_fonts(), house.CELL_SIZE, bold=True) * 20 + 2 * 100
    assert grid[2] >= need
    assert grid[1] > grid[2] * 3  # the wide column keeps most of its share


def test_table_align_sets_each_columns_justification():
    root = part(write(doc(FIGURES)), "word/document.xml")
    rows = root.xpath("//w:tbl/w:tr", namespaces=NS)
    for row in rows:
        cells = row.xpath("w:tc", namespaces=NS)
        assert cells[0].xpath("w:p/w:pPr/w:jc/@w:val", namespaces=NS) == ["right"]
        assert cells[1].xpath("w:p/w:pPr/w:jc/@w:val", namespaces=NS) == []
        assert cells[2].xpath("w:p/w:pPr/w:jc/@w:val", namespaces=NS) == ["center"]


@pytest.mark.render
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_libreoffice_draws_the_table_inside_the_margins_without_breaking_a_header_word(page_size, tmp_path):
    soffice, pdftotext = require_tool("soffice"), require_tool("pdftotext")
    source = tmp_path / "brief.docx"
    source.write_bytes(write(doc(FIGURES), page_size=page_size))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180,
                   env=libreoffice_env(tmp_path))
    out = subprocess.run([pdftotext, "-bbox", str(tmp_path / "brief.pdf"), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(out)
    page = next(root.iter("{*}page"))
    width = float(page.get("width"))
    words = [(w.text, float(w.get("xMin")), float(w.get("xMax"))) for w in root.iter("{*}word")]
    margin = (width - house.MEASURE) / 2
    assert all(margin - 1 <= x0 and x1 <= width - margin + 1 for _, x0, x1 in words), words
    texts = [t for t, _, _ in words]
    assert "Source" in texts and "Sourc" not in texts


# --------------------------------------------------------------------------- properties


def test_document_properties_carry_the_brief_and_no_template_residue():
    data = write(doc(Paragraph((Text("Body."),)), title="Magnet brief", author="Strategy desk"))
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert (properties.title, properties.author, properties.last_modified_by) == (
        "Magnet brief", "Strategy desk", "Strategy desk")
    app = etree.tostring(part(data, "docProps/app.xml"), encoding="unicode")
    assert "<Application>reegen</Application>" in app.replace(
        ' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"', "")
    for residue in ("Microsoft", "Normal.dotm", "Template", "AppVersion"):
        assert residue not in app
    assert not [n for n in names(data) if n.startswith("customXml/")]


def test_without_an_author_the_last_modified_by_field_is_empty_not_a_made_up_name():
    properties = docx.Document(io.BytesIO(write(doc(Paragraph((Text("Body."),)))))).core_properties
    assert properties.last_modified_by == "" and properties.author == ""


def test_a_table_keeps_its_header_with_two_rows_so_one_row_never_sits_alone_at_a_page_foot():
    rows = tuple(((Text(f"row{k}"),), (Text(str(k)),)) for k in range(1, 6))
    data = write(doc(Table(header=((Text("Name"),), (Text("Value"),)), rows=rows)))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    kept = []
    for tr in part(data, "word/document.xml").iter(f"{w}tr"):
        kept.append(all(p.find(f"{w}pPr/{w}keepNext") is not None for p in tr.iter(f"{w}p")))
    # header and first row keep with the next row; the middle rows may break; the last but one holds the last
    assert kept == [True, True, False, False, True, False]
