"""PDF and DOCX carry the same brief: read both back and compare headings, source numbers and caveats.

The PDF is read with pypdf (outline, link annotations, text) and the DOCX with python-docx
(heading styles, internal hyperlinks, paragraphs), so the check runs everywhere; the
`render` test repeats the text comparison on what pdftotext and LibreOffice produce.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from reegen import api
from tests.conftest import article_text, require_tool
from tests.writers.conftest import libreoffice_env

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERS = re.compile(r"\[(\d+(?:, \d+)*)\]")

CJK_ARTICLE = article_text(
    "baotou-cjk", title="包头稀土高新区加快磁材项目审批", publisher="包头日报", published="2025-07-03",
    extra="url: https://example.org/baotou\ndisclaimers:\n  - 本文数据来自官方，尚未独立核实。",
    body="""\
    包头（Baotou）是北方稀土的所在地。稀土高新区把企业注册审批时间压缩到半天以内。

    ## Highlights
    - 北方稀土在包头扩大磁材产能，投资超过¥110亿元。
    - The zone’s “green tag” lanes cut adjudication time by 30% — per 包头市人民政府.
    """)
CJK_SPEC = """\
title: 包头稀土简报
classification: 内部
date: 2025-07-20
articles: [baotou-cjk]
sections:
  - title: 摘要 Summary
    from: highlights
    per_source: 0
  - title: 背景
    from: [baotou-cjk#lead]
"""


def squash(text: str) -> str:
    return " ".join(text.split())


def bare(text: str) -> str:
    """Return `text` without white space or hyphens: extraction adds spaces at font changes (CJK beside
    Latin punctuation) and pdftotext drops a hyphen that ends a line; neither changes the content."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def without_furniture(pages: list[str], meta) -> str:
    """Return the text of `pages` without running headers and footers, which interrupt text at page breaks."""
    out = []
    for number, text in enumerate(pages, 1):
        text = squash(text).replace(f"Page {number} of {len(pages)}", " ")
        # List bullets are furniture too: LibreOffice's PDF gives pdftotext a page's bullet glyphs
        # (U+F0B7, Symbol font) apart from their items, in the middle of text a page break splits.
        text = re.sub("[\uf0b7\u2022]", " ", text)
        if number > 1:  # the first page has the title block instead of the running header
            for furniture in (meta.title, meta.classification):
                if furniture:
                    text = text.replace(squash(furniture), " ", 1)
        out.append(text)
    return squash(" ".join(out))


class Pdf:
    """What a reader gets back from a PDF: outline titles, link targets, text."""

    def __init__(self, path: Path, meta):
        reader = PdfReader(str(path))
        self.headings = [title for _, title in _outline(reader.outline)]
        self.links = Counter()
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                dest = annotation.get("/Dest")
                if isinstance(dest, str) and dest.startswith("source-"):
                    self.links[int(dest.removeprefix("source-"))] += 1
        self.text = without_furniture([page.extract_text() for page in reader.pages], meta)


class Docx:
    """What a reader gets back from a DOCX: heading paragraphs, link targets, caveat items, text."""

    def __init__(self, path: Path):
        document = docx.Document(str(path))
        paragraphs = document.paragraphs
        # squash: a heading's dash is joined to its next word by a no-break space, a layout hint
        self.headings = [squash(p.text) for p in paragraphs if p.style.name.startswith("Heading ")]
        self.links = Counter(int(a.removeprefix("source-"))
                             for a in document.element.body.xpath(".//w:hyperlink/@w:anchor")
                             if a.startswith("source-"))
        self.text = squash(" ".join(p.text for p in paragraphs))
        self.caveats = _section(paragraphs, "Verification caveats")
        self.sources = [p.text for p in _section_paragraphs(paragraphs, "Sources")]


def _outline(items, level=0):
    for item in items:
        if isinstance(item, list):
            yield from _outline(item, level + 1)
        else:
            yield level, item.title


def _section_paragraphs(paragraphs, title):
    inside = False
    for p in paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == title
        elif inside and p.text.strip():
            yield p


def _section(paragraphs, title):
    return [squash(p.text) for p in _section_paragraphs(paragraphs, title)]


def numbers_in(text: str) -> set[int]:
    return {int(n) for group in NUMBERS.findall(text) for n in group.split(", ")}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    """Build the sample executive brief and dossier, and a CJK brief; return {name: (result, Pdf, Docx)}."""
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path_factory.mktemp("parity"))
    cjk = tmp_path_factory.mktemp("cjk")
    (cjk / "articles").mkdir()
    (cjk / "briefs").mkdir()
    (cjk / "reegen.toml").write_text("", encoding="utf-8")
    (cjk / "articles" / "baotou-cjk.md").write_text(CJK_ARTICLE, encoding="utf-8")
    (cjk / "briefs" / "cjk.yaml").write_text(CJK_SPEC, encoding="utf-8")
    out = {}
    for name, spec in (("executive", root / "briefs" / "baotou-executive.yaml"),
                       ("dossier", root / "briefs" / "baotou-dossier.yaml"),
                       ("cjk", cjk / "briefs" / "cjk.yaml")):
        result = api.build(spec, formats=["pdf", "docx"])
        out[name] = (result, Pdf(result.outputs["pdf"], result.document.meta), Docx(result.outputs["docx"]))
    return out


BRIEFS = ("executive", "dossier", "cjk")


@pytest.mark.parametrize("name", BRIEFS)
def test_pdf_outline_and_docx_headings_are_the_same_section_headings(briefs, name):
    result, pdf, word = briefs[name]
    assert pdf.headings == word.headings
    assert "Verification caveats" in pdf.headings and "Sources" in pdf.headings


@pytest.mark.parametrize("name", BRIEFS)
def test_both_formats_link_the_same_source_numbers_the_same_number_of_times(briefs, name):
    result, pdf, word = briefs[name]
    listed = {e.number for e in result.document.sources}
    assert pdf.links == word.links
    assert set(pdf.links) == listed


@pytest.mark.parametrize("name", BRIEFS)
def test_both_formats_print_the_same_source_numbers(briefs, name):
    result, pdf, word = briefs[name]
    assert numbers_in(pdf.text) == numbers_in(word.text)
    listed = {e.number for e in result.document.sources}
    assert numbers_in(word.text) <= listed


@pytest.mark.parametrize("name", BRIEFS)
def test_every_caveat_of_the_docx_is_in_the_pdf(briefs, name):
    result, pdf, word = briefs[name]
    # (the compact caveats say some in their table of sources, and merge others: at least the headline is a paragraph)
    assert len(word.caveats) >= 1 and result.document.caveats
    for caveat in word.caveats:
        assert bare(caveat) in bare(pdf.text), caveat


@pytest.mark.parametrize("name", BRIEFS)
def test_every_sources_entry_of_the_docx_is_in_the_pdf(briefs, name):
    result, pdf, word = briefs[name]
    assert len(word.sources) == len(result.document.sources)
    for entry in word.sources:
        # The DOCX entry is "N.<tab>text"; the PDF prints the number as a list label.
        number, _, text = entry.partition("\t")
        assert bare(text) in bare(pdf.text), entry


def test_cjk_text_comes_back_from_both_formats(briefs):
    _, pdf, word = briefs["cjk"]
    for phrase in ("包头稀土简报", "北方稀土在包头扩大磁材产能", "包头市人民政府", "摘要 Summary"):
        # bare: a line may break inside CJK text, where extraction puts a space
        assert bare(phrase) in bare(pdf.text) and phrase in word.text, phrase


@pytest.mark.render
@pytest.mark.parametrize("name", BRIEFS)
def test_pdftotext_and_libreoffice_read_the_same_headings_numbers_and_caveats(briefs, name, tmp_path):
    result, _, word = briefs[name]
    pdftotext = require_tool("pdftotext")
    soffice = require_tool("soffice")
    meta = result.document.meta
    from_pdf = without_furniture(subprocess.run([pdftotext, str(result.outputs["pdf"]), "-"], capture_output=True,
                                                text=True, check=True, timeout=120).stdout.split("\f")[:-1], meta)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(result.outputs["docx"])], capture_output=True, check=True, timeout=240,
                   env=libreoffice_env(tmp_path))
    converted = tmp_path / result.outputs["docx"].with_suffix(".pdf").name
    from_docx = without_furniture(subprocess.run([pdftotext, str(converted), "-"], capture_output=True, text=True,
                                                 check=True, timeout=120).stdout.split("\f")[:-1], meta)
    for heading in word.headings:
        assert heading in from_pdf and heading in from_docx, heading
    assert numbers_in(from_pdf) == numbers_in(from_docx)
    for caveat in word.caveats:
        assert bare(caveat) in bare(from_pdf) and bare(caveat) in bare(from_docx), caveat


def _sample(root: Path) -> Path:
    from tests.conftest import copy_sample

    return copy_sample(root) / "briefs" / "baotou-executive.yaml"


def test_rebuilds_in_different_folders_are_byte_identical_with_source_date_epoch(tmp_path, pinned_date):
    first = api.build(_sample(tmp_path / "a"), formats=["pdf", "docx"], force=True)
    second = api.build(_sample(tmp_path / "elsewhere" / "b"), formats=["pdf", "docx"], force=True)
    for fmt in ("pdf", "docx"):
        assert first.outputs[fmt].read_bytes() == second.outputs[fmt].read_bytes(), fmt


@pytest.mark.render
def test_every_page_of_the_sample_brief_renders_to_a_png_with_ink(briefs, tmp_path):
    from PIL import Image

    pdftoppm = require_tool("pdftoppm")
    result, pdf, _ = briefs["executive"]
    subprocess.run([pdftoppm, "-r", "30", "-png", str(result.outputs["pdf"]), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(result.outputs["pdf"])).pages) >= 2
    for page in pages:
        lo, hi = Image.open(page).convert("L").getextrema()
        assert lo < 100 and hi == 255, page.name  # dark text on a white page
