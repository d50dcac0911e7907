"""The [brand] of reegen.toml in both writers: accent colour, logo, body font, and every refusal (issue 5)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from reegen.errors import RenderError
from reegen.writers import WriteOptions
from reegen.writers._brand import font_family_name, load_brand
from reegen.writers._pdf_fonts import FONT_DIR
from reegen.writers.docx import DocxWriter
from reegen.writers.pdf import PdfWriter

WHEN = datetime(2025, 7, 20, 6, 0, tzinfo=timezone.utc)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ACCENT = "#006E5A"


@pytest.fixture
def project(tmp_path) -> Path:
    """Return a project root holding a PNG and a JPEG logo and a brand font with a bold sibling."""
    root = tmp_path / "project"
    (root / "brand").mkdir(parents=True)
    image = Image.new("RGBA", (600, 180), (0, 110, 90, 255))
    image.save(root / "brand" / "logo.png")
    image.convert("RGB").save(root / "brand" / "logo.jpg", quality=90)
    shutil.copy(FONT_DIR / "DejaVuSansMono.ttf", root / "brand" / "House.ttf")
    shutil.copy(FONT_DIR / "DejaVuSans-Bold.ttf", root / "brand" / "House-Bold.ttf")
    return root


def config(root: Path, **brand: str) -> WriteOptions:
    """Write reegen.toml with a [brand] table (one key a line, after two lines) and return matching options."""
    lines = ["[project]", 'page_size = "A4"', "", "[brand]"] + [f'{k} = "{v}"' for k, v in brand.items()]
    (root / "reegen.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WriteOptions(source_date=WHEN, brand=dict(brand), base_dir=root)


def line_of(root: Path, key: str) -> int:
    return next(i for i, line in enumerate((root / "reegen.toml").read_text().splitlines(), 1) if line.startswith(key))


def pdf(document, options) -> bytes:
    return PdfWriter().write(document, options)


def word(document, options) -> bytes:
    return DocxWriter().write(document, options)


def styles_xml(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/styles.xml"))


def fill_colours(data: bytes) -> set[tuple[float, float, float]]:
    """Return every RGB fill colour set in the PDF's page content (`r g b rg`)."""
    out = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
            out.add((round(float(r), 3), round(float(g), 3), round(float(b), 3)))
    return out


def rgb(colour: str) -> tuple[float, float, float]:
    return tuple(round(int(colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


# ------------------------------------------------------------------------------ accent


def test_pdf_headings_title_and_table_header_take_the_accent(project, document):
    plain = fill_colours(pdf(document, WriteOptions(source_date=WHEN)))
    branded = fill_colours(pdf(document, config(project, accent=ACCENT)))
    assert rgb(ACCENT) in branded and rgb(ACCENT) not in plain
    assert rgb("#1f4e79") in plain and rgb("#1f4e79") not in branded


def test_docx_accent_replaces_the_theme_accent_in_every_style(project, document):
    root = styles_xml(word(document, config(project, accent=ACCENT)))
    assert not root.xpath("//*[@w:themeColor='accent1' or @w:themeFill='accent1']", namespaces=NS)
    heading = root.xpath("//w:style[@w:styleId='Heading1']/w:rPr/w:color/@w:val", namespaces=NS)
    assert heading == ["006E5A"]
    quote_rule = root.xpath("//w:style[@w:styleId='Quote']//w:pBdr/w:left/@w:color", namespaces=NS)
    assert quote_rule == ["006E5A"]


@pytest.mark.parametrize("accent", ["green", "#12345", "#GGHHII", "006E5A"])
def test_an_accent_that_is_not_rrggbb_is_a_located_error(project, document, accent):
    options = config(project, accent=accent)
    with pytest.raises(RenderError, match=r"accent must be a colour written '#RRGGBB'") as caught:
        pdf(document, options)
    assert str(caught.value.location) == f"reegen.toml:{line_of(project, 'accent')}"


# ------------------------------------------------------------------------------ logo


@pytest.mark.parametrize("logo", ["brand/logo.png", "brand/logo.jpg"])
def test_pdf_draws_the_logo_on_the_first_page_only(project, document, logo):
    reader = PdfReader(io.BytesIO(pdf(document, config(project, logo=logo))))
    first = reader.pages[0]["/Resources"].get("/XObject") or {}
    images = [x.get_object() for x in first.values() if x.get_object()["/Subtype"] == "/Image"]
    assert [(i["/Width"], i["/Height"]) for i in images] == [(600, 180)]
    assert not (reader.pages[1]["/Resources"].get("/XObject") or {})


def test_docx_places_the_logo_above_the_title(project, document):
    data = word(document, config(project, logo="brand/logo.png"))
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert paragraphs[0]._p.xpath(".//pic:pic") and paragraphs[1].style.name == "Title"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())


def test_branded_outputs_are_byte_identical_with_a_pinned_date(project, document):
    options = config(project, accent=ACCENT, logo="brand/logo.png", font="brand/House.ttf")
    assert pdf(document, options) == pdf(document, options)
    assert word(document, options) == word(document, options)


def test_a_logo_outside_the_project_is_refused_with_its_line(project, document, tmp_path):
    Image.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    options = config(project, accent=ACCENT, logo="../outside.png")
    for write in (pdf, word):
        with pytest.raises(RenderError, match=r"logo '../outside.png' is outside the project") as caught:
            write(document, options)
        assert str(caught.value.location) == f"reegen.toml:{line_of(project, 'logo')}"


def test_a_symlink_out_of_the_project_is_refused(project, document, tmp_path):
    Image.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    (project / "brand" / "link.png").symlink_to(tmp_path / "outside.png")
    with pytest.raises(RenderError, match="outside the project"):
        pdf(document, config(project, logo="brand/link.png"))


def test_a_missing_logo_is_a_located_error(project, document):
    with pytest.raises(RenderError, match=r"\[brand\] logo 'brand/none.png' does not exist"):
        word(document, config(project, logo="brand/none.png"))


def test_a_file_that_is_not_png_or_jpeg_is_refused(project, document):
    (project / "brand" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(RenderError, match="is not a PNG or JPEG image"):
        pdf(document, config(project, logo="brand/logo.svg"))


def test_a_png_claiming_a_huge_size_is_refused_before_it_is_decoded(project, document):
    header = struct.pack(">II", 100_000, 100_000) + b"\x08\x06\x00\x00\x00"
    chunk = b"IHDR" + header
    data = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    (project / "brand" / "bomb.png").write_bytes(data)
    with pytest.raises(RenderError, match=r"100000x100000 pixels"):
        pdf(document, config(project, logo="brand/bomb.png"))


def test_a_directory_or_device_is_not_a_logo(project, document):
    with pytest.raises(RenderError, match="is not a regular file"):
        pdf(document, config(project, logo="brand"))


# ------------------------------------------------------------------------------ font


def test_pdf_uses_the_brand_font_for_the_body_and_its_bold_sibling(project, document):
    reader = PdfReader(io.BytesIO(pdf(document, config(project, font="brand/House.ttf"))))
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any(name.endswith("+DejaVuSansMono") for name in fonts), fonts  # the "House" regular face
    assert any(name.endswith("+DejaVuSans-Bold") for name in fonts), fonts  # House-Bold.ttf beside it


def test_characters_the_brand_font_lacks_fall_back_to_the_bundled_fonts(project):
    from reegen.model import Document, Meta, Paragraph, Text

    document = Document(Meta(title="Brief"), (Paragraph((Text("Łódź, 包头 and ≥ 3"),)),))
    text = PdfReader(io.BytesIO(pdf(document, config(project, font="brand/House.ttf")))).pages[0].extract_text()
    assert "Łódź, 包头 and ≥ 3" in text


def test_a_character_no_font_has_names_the_brand_font_in_its_warning(project):
    from reegen.model import Document, Meta, Paragraph, SourceRef, Text

    from reegen.errors import Report

    document = Document(Meta(title="Brief"), (Paragraph((Text("ሀ"),), SourceRef("a", "lead", 3)),))
    report = Report()
    pdf(document, replace(config(project, font="brand/House.ttf"), report=report))
    [warning] = report.warnings
    assert re.search(r"U\+1200.*article 'a', line 3.*DejaVu Sans Mono, DejaVu Sans, .*Droid Sans", warning.message)


def test_docx_names_the_brand_font_in_the_body_and_heading_styles(project, document):
    root = styles_xml(word(document, config(project, font="brand/House.ttf")))
    for style in ("Normal", "Title", "Heading1"):
        fonts = root.xpath(f"//w:style[@w:styleId='{style}']/w:rPr/w:rFonts", namespaces=NS)[0]
        assert fonts.get(f"{{{W}}}ascii") == fonts.get(f"{{{W}}}hAnsi") == "DejaVu Sans Mono"
        assert fonts.get(f"{{{W}}}eastAsia") == "Microsoft YaHei"


def test_font_family_name_is_read_from_the_name_table():
    assert font_family_name(FONT_DIR / "DejaVuSans-Bold.ttf") == "DejaVu Sans"
    assert font_family_name(FONT_DIR / "DroidSansFallback.ttf") == "Droid Sans Fallback"


def test_a_cff_font_is_refused_with_the_reason(project, document):
    (project / "brand" / "House.otf").write_bytes(b"OTTO" + b"\0" * 100)
    with pytest.raises(RenderError, match=r"PostScript \(CFF\) outlines") as caught:
        pdf(document, config(project, font="brand/House.otf"))
    assert caught.value.hint and ".ttf" in caught.value.hint


def test_a_broken_truetype_file_is_a_located_error_not_a_traceback(project, document):
    (project / "brand" / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 200)
    options = config(project, font="brand/Broken.ttf")
    with pytest.raises(RenderError, match="cannot be embedded") as caught:
        pdf(document, options)
    assert str(caught.value.location) == f"reegen.toml:{line_of(project, 'font')}"


def test_no_brand_means_no_changes():
    assert load_brand(WriteOptions()).accent is None


def test_docx_theme_accent_follows_the_brand_for_what_editors_add_later(project, document):
    data = word(document, config(project, accent=ACCENT))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        theme = etree.fromstring(z.read("word/theme/theme1.xml"))
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    assert theme.xpath("//a:accent1/a:srgbClr/@val", namespaces={"a": a}) == ["006E5A"]


def test_marks_the_brand_font_lacks_are_drawn_by_the_bundled_family(project):
    """A brand font without bullets or a middle dot must not print them as empty boxes."""
    from reegen.model import BulletList, Document, ListItem, Meta, Paragraph, Text
    from reegen.writers._pdf_fonts import load_fonts

    shutil.copy(FONT_DIR / "DroidSansFallback.ttf", project / "brand" / "Sparse.ttf")  # has no "•" or "·"
    options = config(project, font="brand/Sparse.ttf")
    fonts = load_fonts(project / "brand" / "Sparse.ttf")
    assert ord("\u2022") not in fonts.body.coverage and ord("\u00b7") not in fonts.body.coverage
    document = Document(Meta(title="包头", audience="高层", author="战略部"),
                        (BulletList((ListItem((Paragraph((Text("稀土"),), numbers=(1,)),)),)),))
    data = pdf(document, options)
    page = PdfReader(io.BytesIO(data)).pages[0]
    drawn_by: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        for mark in "•·[]1":
            if mark in text and font is not None:
                drawn_by.setdefault(mark, set()).add(str(font["/BaseFont"]).split("+")[-1])

    page.extract_text(visitor_text=visit)
    assert drawn_by == {mark: {"DejaVuSans"} for mark in "•·[]1"}, drawn_by
