"""reference_docx: an organisation's house styles applied to the DOCX, read within zip-bomb limits (issue 5)."""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from reegen.errors import RenderError
from reegen.writers import WriteOptions, _docx_reference
from reegen.writers.docx import DocxWriter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
WHEN = datetime(2025, 7, 20, 6, 0, tzinfo=timezone.utc)
THEME = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="House theme">'
         b"<a:themeElements/></a:theme>")


def house_docx(path: Path, *, heading_id: str | None = None, theme: bool = False) -> Path:
    """Write a reference .docx whose Heading 1 is red Georgia, whose Normal is 12 pt, plus a "House Note" style."""
    reference = docx.Document()
    heading = reference.styles["Heading 1"]
    heading.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    heading.font.name = "Georgia"
    reference.styles["Normal"].font.name = "Georgia"
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    reference.styles["Normal"].font.size = Pt(12)
    reference.styles.add_style("House Note", WD_STYLE_TYPE.PARAGRAPH).base_style = reference.styles["Heading 1"]
    buffer = io.BytesIO()
    reference.save(buffer)
    data = buffer.getvalue()
    if heading_id or theme:
        data = _rewrite(data, heading_id, theme)
    path.write_bytes(data)
    return path


def _rewrite(data: bytes, heading_id: str | None, theme: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if heading_id and info.filename == "word/styles.xml":
                body = body.replace(b'w:styleId="Heading1"', f'w:styleId="{heading_id}"'.encode())
                body = body.replace(b'<w:basedOn w:val="Heading1"/>', f'<w:basedOn w:val="{heading_id}"/>'.encode())
                body = body.replace(b'<w:name w:val="heading 1"/>', b'<w:name w:val="heading 1"/>')
            if theme and info.filename == "word/theme/theme1.xml":
                body = THEME
            target.writestr(info.filename, body)
    return out.getvalue()


def write(document, root: Path, reference: Path) -> bytes:
    options = WriteOptions(source_date=WHEN, base_dir=root, reference_docx=reference)
    return DocxWriter().write(document, options)


def styles(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/styles.xml"))


def style(root, style_id: str):
    found = root.xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)
    assert len(found) == 1, style_id
    return found[0]


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "reegen.toml").write_text('[project]\nreference_docx = "house.docx"\n', encoding="utf-8")
    return tmp_path


def test_house_styles_replace_reegens_styles_of_the_same_name(root, document):
    data = write(document, root, house_docx(root / "house.docx"))
    tree = styles(data)
    heading = style(tree, "Heading1")
    assert heading.xpath("w:rPr/w:color/@w:val", namespaces=NS) == ["C00000"]
    assert heading.xpath("w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["Georgia"]
    assert style(tree, "Normal").xpath("w:rPr/w:sz/@w:val", namespaces=NS) == ["24"]
    # what the house does not define keeps reegen's look
    assert style(tree, "SourceNumber").xpath("w:rPr/w:sz/@w:val", namespaces=NS) == ["17"]
    # the house's own styles come along, so an editor can use them
    assert style(tree, "HouseNote").xpath("w:basedOn/@w:val", namespaces=NS) == ["Heading1"]
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert any(p.style.name == "Heading 1" and p.text == "Executive summary" for p in paragraphs)


def test_list_styles_keep_reegens_numbering(root, document):
    data = write(document, root, house_docx(root / "house.docx"))
    tree = styles(data)
    num_id = style(tree, "ListBullet").xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    assert num_id and numbering.xpath(f"//w:num[@w:numId='{num_id[0]}']", namespaces=NS)


def test_a_style_with_another_id_but_the_same_name_replaces_ours_under_our_id(root, document):
    data = write(document, root, house_docx(root / "house.docx", heading_id="berschrift1"))
    tree = styles(data)
    assert not tree.xpath("//w:style[@w:styleId='berschrift1']", namespaces=NS)
    assert style(tree, "Heading1").xpath("w:rPr/w:color/@w:val", namespaces=NS) == ["C00000"]
    assert style(tree, "HouseNote").xpath("w:basedOn/@w:val", namespaces=NS) == ["Heading1"]


def test_the_house_theme_is_carried_over(root, document):
    data = write(document, root, house_docx(root / "house.docx", theme=True))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/theme/theme1.xml") == THEME
        assert b"relationships/theme" in z.read("word/_rels/document.xml.rels")
    docx.Document(io.BytesIO(data))  # still opens


def test_output_with_a_reference_is_byte_identical_with_a_pinned_date(root, document):
    reference = house_docx(root / "house.docx", theme=True)
    assert write(document, root, reference) == write(document, root, reference)


# ------------------------------------------------------------------------------ refusals


def refused(root, document, reference, match):
    with pytest.raises(RenderError, match=match) as caught:
        write(document, root, reference)
    assert caught.value.code in ("render.reference-docx", "render.brand")
    assert str(caught.value.location) == "reegen.toml:2"
    return caught.value


def zip_of(path: Path, members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return path


def test_a_reference_outside_the_project_is_refused(root, document, tmp_path_factory):
    elsewhere = house_docx(tmp_path_factory.mktemp("elsewhere") / "house.docx")
    refused(root, document, elsewhere, "is outside the project")


def test_a_file_that_is_not_a_zip_is_refused(root, document):
    (root / "house.docx").write_text("not a zip", encoding="utf-8")
    refused(root, document, root / "house.docx", r"is not a readable \.docx \(zip\) file")


def test_a_package_without_styles_is_refused(root, document):
    reference = zip_of(root / "house.docx", {"[Content_Types].xml": b"<Types/>"})
    refused(root, document, reference, "has no styles part")


def test_a_styles_part_with_a_dtd_is_refused_before_parsing(root, document):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b'<w:styles xmlns:w="' + W.encode() + b'">&lol2;</w:styles>')
    reference = zip_of(root / "house.docx", {"word/styles.xml": bomb})
    refused(root, document, reference, "carries a DTD")


def test_a_highly_compressed_member_is_refused_as_a_zip_bomb(root, document):
    reference = zip_of(root / "house.docx", {"word/styles.xml": b"<a/>", "word/media/zeros.bin": b"\0" * 5_000_000})
    refused(root, document, reference, r"compressed \d+:1")


def test_too_many_members_are_refused(root, document, monkeypatch):
    monkeypatch.setattr(_docx_reference, "MAX_MEMBERS", 5)
    reference = zip_of(root / "house.docx", {f"part{i}.xml": b"<a/>" for i in range(6)})
    refused(root, document, reference, "has 6 members; the limit is 5")


def test_too_large_a_total_is_refused(root, document, monkeypatch):
    monkeypatch.setattr(_docx_reference, "MAX_TOTAL_BYTES", 1000)
    reference = zip_of(root / "house.docx", {f"part{i}.xml": b"x" * 400 for i in range(3)},
                       compression=zipfile.ZIP_STORED)
    refused(root, document, reference, "unpacks to 1,200 bytes; the limit is 1,000")


def test_a_member_larger_than_its_header_says_is_cut_off(root, document, monkeypatch):
    monkeypatch.setattr(_docx_reference, "MAX_MEMBER_BYTES", 100)
    reference = zip_of(root / "house.docx", {"word/styles.xml": b"<a>" + b"x" * 200 + b"</a>"},
                       compression=zipfile.ZIP_STORED)
    refused(root, document, reference, "unpacks to 2")


def test_duplicate_member_names_are_refused(root, document):
    path = root / "house.docx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/styles.xml", b"<a/>")
            z.writestr("word/styles.xml", b"<b/>")
    refused(root, document, path, "holds 'word/styles.xml' twice")


def test_a_styles_part_that_is_not_word_styles_is_refused(root, document):
    reference = zip_of(root / "house.docx", {"word/styles.xml": b"<html/>"})
    refused(root, document, reference, "root is not w:styles")
