"""The DOCX brief is accessible: language, title, heading order, repeating header rows, alt text, link tips.

Each test reads the package's XML for what Word's accessibility checker, screen readers
and LibreOffice read; one converts the file with LibreOffice and reads what it understood.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from reegen import api
from reegen.errors import RenderError
from reegen.model import (
    Document, Emph, Heading, Link, Meta, Paragraph, Ref, SourceEntry, SourcesList, Table, TableOfContents, Text,
)
from reegen.writers import WriteOptions
from reegen.writers.docx import DocxWriter

from ..conftest import require_tool
from .conftest import libreoffice_env

REPO = Path(__file__).resolve().parents[2]
WHEN = datetime(2025, 7, 20, 8, 30, tzinfo=timezone.utc)
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
      "dc": "http://purl.org/dc/elements/1.1/",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}

SOURCES = (
    SourceEntry(1, (Text("Rare Earth Exchanges, "), Emph((Text("Zone fast-tracks magnets"),)), Text(", undated. "),
                    Link("https://example.org/zone", (Text("https://example.org/zone"),)), Text("."))),
    SourceEntry(2, (Text("Publisher not stated, title not stated (summary: "), Emph((Text("A plan"),)),
                    Text("), undated."))),
)


def brief(*blocks, **meta) -> Document:
    return Document(Meta(title=meta.pop("title", "Brief"), **meta),
                    tuple(blocks) + (Heading(1, (Text("Sources"),), "sources"), SourcesList(SOURCES)), sources=SOURCES)


def write(document: Document, **options) -> bytes:
    options.setdefault("source_date", WHEN)
    return DocxWriter().write(document, WriteOptions(**options))


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def xpath(data: bytes, name: str, path: str) -> list:
    return part(data, name).xpath(path, namespaces=NS)


# --------------------------------------------------------------------------- language and title


def test_the_brief_language_is_the_documents_language():
    data = write(brief(Paragraph((Text("Hallo."),)), language="de-AT"))
    lang = xpath(data, "word/styles.xml", "w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert {lang.get(f"{{{NS['w']}}}{slot}") for slot in ("val", "eastAsia", "bidi")} == {"de-AT"}
    assert xpath(data, "word/settings.xml", "w:themeFontLang/@w:val") == ["de-AT"]
    assert xpath(data, "docProps/core.xml", "dc:language/text()") == ["de-AT"]


def test_without_a_language_the_brief_is_english():
    data = write(brief(Paragraph((Text("Hello."),))))
    assert xpath(data, "word/styles.xml", "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["en"]
    assert xpath(data, "docProps/core.xml", "dc:language/text()") == ["en"]


def test_the_title_is_the_documents_title_property():
    data = write(brief(Paragraph((Text("x"),)), title="Baotou’s magnet machine"))
    assert xpath(data, "docProps/core.xml", "dc:title/text()") == ["Baotou’s magnet machine"]


def test_runs_in_another_script_name_their_language():
    data = write(brief(Paragraph((Text("包头 and "),)), Paragraph((Text("カタカナ"),)),
                       Paragraph((Text("שלום"),)), Paragraph((Text("Latin only"),))))
    runs = {"".join(r.xpath("w:t/text()", namespaces=NS)): r for r in xpath(data, "word/document.xml", "//w:body//w:r")}
    def lang(text):
        found = runs[text].xpath("w:rPr/w:lang", namespaces=NS)
        return dict((etree.QName(k).localname, v) for k, v in found[0].attrib.items()) if found else {}
    assert lang("包头 and ") == {"eastAsia": "zh"}
    assert lang("カタカナ") == {"eastAsia": "ja"}
    assert lang("שלום") == {"bidi": "he"}
    assert lang("Latin only") == {}


def test_in_a_brief_written_in_that_script_runs_leave_the_language_to_the_defaults():
    data = write(brief(Paragraph((Text("漢字だけ"),)), Paragraph((Text("漢字"),)), language="ja"))
    assert not xpath(data, "word/document.xml", "//w:r/w:rPr/w:lang/@w:eastAsia")


# --------------------------------------------------------------------------- headings, tables


def test_headings_use_word_heading_styles_and_never_skip_a_level():
    data = write(brief(Heading(3, (Text("Deep first"),), "a"), Heading(1, (Text("Top"),), "b"),
                       Heading(3, (Text("Skips one"),), "c"), Heading(2, (Text("Back"),), "d")))
    styles = [s for s in xpath(data, "word/document.xml", "//w:body/w:p/w:pPr/w:pStyle/@w:val") if s.startswith("Heading")]
    assert styles == ["Heading1", "Heading1", "Heading2", "Heading2", "Heading1"]  # the last: Sources


def test_table_header_row_repeats_and_is_the_styled_header():
    table = Table(((Text("Figure"),), (Text("Value"),)), tuple(((Text(f"r{i}"),), (Text(str(i)),)) for i in range(4)),
                  caption=(Text("Key figures, "), Emph((Text("reported"),))))
    data = write(brief(table))
    rows = xpath(data, "word/document.xml", "//w:tbl/w:tr")
    assert [bool(r.xpath("w:trPr/w:tblHeader", namespaces=NS)) for r in rows] == [True, False, False, False, False]
    assert xpath(data, "word/document.xml", "//w:tbl/w:tblPr/w:tblLook/@w:firstRow") == ["1"]
    assert xpath(data, "word/document.xml", "//w:tbl/w:tblPr/w:tblCaption/@w:val") == ["Key figures, reported"]


# --------------------------------------------------------------------------- links


def test_every_source_number_link_has_a_screen_tip_naming_the_source():
    data = write(brief(Paragraph((Text("One."),), numbers=(1, 2)), Paragraph((Text("As "), Ref((2,)), Text(".")))))
    links = xpath(data, "word/document.xml", "//w:hyperlink[@w:anchor]")
    assert [(h.get(f"{{{NS['w']}}}anchor"), h.get(f"{{{NS['w']}}}tooltip")) for h in links] == [
        ("source-1", "Source 1: Zone fast-tracks magnets"),
        ("source-2", "Source 2: title not stated (summary: A plan)"),
        ("source-2", "Source 2: title not stated (summary: A plan)"),
    ]
    # the visible text is unchanged
    assert ["".join(h.xpath(".//w:t/text()", namespaces=NS)) for h in links] == ["[1", "2]", "[2]"]


def test_a_bare_address_in_the_sources_list_says_whose_page_it_is():
    data = write(brief(Paragraph((Text("See "), Link("https://example.org/zone", (Text("the zone's page"),)), Text(".")))))
    tips = {"".join(h.xpath(".//w:t/text()", namespaces=NS)): h.get(f"{{{NS['w']}}}tooltip")
            for h in xpath(data, "word/document.xml", "//w:hyperlink[@r:id]".replace("r:id", "*[local-name()='id']"))}
    assert tips["https://example.org/zone"] == "Web page of Source 1: Zone fast-tracks magnets"
    assert tips["the zone's page"] is None  # link text that says what it is needs no tip


# --------------------------------------------------------------------------- logo


@pytest.fixture
def logo_project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "brand").mkdir(parents=True)
    Image.new("RGB", (300, 90), (0, 110, 90)).save(root / "brand" / "logo.png")
    return root


def _with_brand(root: Path, **brand) -> WriteOptions:
    lines = ["[brand]"] + [f'{k} = "{v}"' for k, v in brand.items()]
    (root / "reegen.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WriteOptions(source_date=WHEN, brand=dict(brand), base_dir=root)


def test_the_logo_has_the_alternative_text_of_the_brand(logo_project):
    options = _with_brand(logo_project, logo="brand/logo.png", logo_alt="Strategy desk")
    data = DocxWriter().write(brief(Paragraph((Text("x"),))), options)
    doc_pr = xpath(data, "word/document.xml", "//wp:inline/wp:docPr")[0]
    assert (doc_pr.get("descr"), doc_pr.get("title")) == ("Strategy desk", None)  # a title would be read out too
    assert xpath(data, "word/document.xml", "//pic:cNvPr/@descr") == ["Strategy desk"]


def test_a_logo_without_alternative_text_is_called_a_logo(logo_project):
    data = DocxWriter().write(brief(Paragraph((Text("x"),))), _with_brand(logo_project, logo="brand/logo.png"))
    assert xpath(data, "word/document.xml", "//wp:inline/wp:docPr/@descr") == ["Logo"]


def test_empty_alternative_text_is_refused_at_its_line(logo_project):
    with pytest.raises(RenderError, match="logo_alt must be one line of text") as caught:
        DocxWriter().write(brief(Paragraph((Text("x"),))), _with_brand(logo_project, logo="brand/logo.png", logo_alt=" "))
    assert str(caught.value.location) == "reegen.toml:3"


# --------------------------------------------------------------------------- the sample briefs


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("a11y-docx")
    return {spec.stem: Path(api.build(spec, formats=["docx"], out_dir=out, force=True).outputs["docx"]).read_bytes()
            for spec in sorted((REPO / "briefs").glob("*.yaml"))}


def test_sample_briefs_pass_every_check(samples):
    assert set(samples) == {"baotou-executive", "baotou-dossier"}
    for name, data in samples.items():
        assert xpath(data, "docProps/core.xml", "dc:title/text()")[0].startswith("Baotou"), name
        assert xpath(data, "word/styles.xml", "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["en"], name
        levels = [int(s[-1]) for s in xpath(data, "word/document.xml", "//w:body/w:p/w:pPr/w:pStyle/@w:val")
                  if s.startswith("Heading")]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)
        links = xpath(data, "word/document.xml", "//w:hyperlink[@w:anchor]")
        assert links and all(h.get(f"{{{NS['w']}}}tooltip", "").startswith("Source ") for h in links), name
        for table in xpath(data, "word/document.xml", "//w:tbl"):
            assert table.xpath("w:tr[1]/w:trPr/w:tblHeader", namespaces=NS), name


@pytest.mark.render
def test_libreoffice_reads_the_language_title_and_alt_text(logo_project, tmp_path):
    """LibreOffice's own PDF export carries what it understood: /Lang, the title, the logo's alt text."""
    soffice = require_tool("soffice")
    options = _with_brand(logo_project, logo="brand/logo.png", logo_alt="Strategy desk")
    source = tmp_path / "brief.docx"
    source.write_bytes(DocxWriter().write(brief(Paragraph((Text("Guten Tag."),), numbers=(1,)), title="Lagebild",
                                                language="de-AT"), options))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
                    "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180, env=libreoffice_env(tmp_path))
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "brief.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "de-AT"
    assert reader.metadata.title == "Lagebild"
    figures = [node.get("/Alt") for node in _structure(reader.trailer["/Root"]["/StructTreeRoot"])
               if node.get("/S") == "/Figure"]
    assert figures == ["Strategy desk"]


def _structure(node):
    """Yield every structure element under `node` (a pypdf dictionary), depth first."""
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, list) else [kids]) if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/S") is not None:
            yield kid
            yield from _structure(kid)


def test_the_brief_language_wins_over_the_house_styles(tmp_path):
    from .test_docx_reference import house_docx

    (tmp_path / "reegen.toml").write_text('[project]\nreference_docx = "house.docx"\n', encoding="utf-8")
    reference = house_docx(tmp_path / "house.docx")  # python-docx's defaults: en-US
    data = write(brief(Paragraph((Text("Bonjour."),)), language="fr"), base_dir=tmp_path, reference_docx=reference)
    assert xpath(data, "word/styles.xml", "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["fr"]
