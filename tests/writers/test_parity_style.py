"""The PDF and the DOCX of one brief in one house style: fonts, heading levels, bullets, markers, content.

Each fact is read back from the files as a reader's tools see them: the PDF with pypdf (font
resources, outline, text with its font sizes) and pdftotext (where each bullet sits), the
DOCX from its XML (styles resolved through `basedOn` down to the document defaults, the
numbering definitions). tests/test_parity.py compares the content in more detail.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from reegen import api
from reegen.writers import _house as house
from tests.conftest import copy_sample, require_tool

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
#: a source marker: brackets around a number and whatever form goes with it ("[2]", "[1, 4]", "[5: ref. 1]")
MARKER = re.compile(r"\[[^\[\]\d]{0,3}\d[^\[\]]{0,40}\]")
SAMPLES = ("baotou-executive", "baotou-dossier")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    root = copy_sample(tmp_path_factory.mktemp("style-parity"))
    # a brief with a nested list, so the second-level bullet is compared whatever the sample holds
    (root / "articles" / "nested-list.md").write_text(
        "---\ntitle: A list in two levels\n---\nThree plants report progress:\n\n"
        "- The first plant opened.\n  - Its line runs two shifts.\n  - Its staff trained locally.\n"
        "- The second plant is being built.\n", encoding="utf-8")
    (root / "briefs" / "nested-list.yaml").write_text(
        "title: Nested list\narticles: [nested-list]\nsections:\n  - title: Progress\n    from: lead\n",
        encoding="utf-8")
    return {name: api.build(root / "briefs" / f"{name}.yaml", formats=["pdf", "docx"]).outputs
            for name in (*SAMPLES, "nested-list")}


# --------------------------------------------------------------------------- reading the PDF


def pdf_font_families(path: Path) -> set[str]:
    """Return the families of the fonts the PDF's pages use, e.g. {"DejaVu Sans"}."""
    families = set()
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", "")).lstrip("/")
            families.add(_family(base.split("+", 1)[-1]))
    return families


def _family(postscript: str) -> str:
    """Return the family of a PostScript font name: "DejaVuSans-BoldOblique" -> "DejaVu Sans"."""
    stem = postscript.split("-", 1)[0]
    return {"DejaVuSans": "DejaVu Sans", "DejaVuSansMono": "DejaVu Sans Mono"}.get(stem, stem)


def pdf_headings(path: Path) -> list[tuple[int, str]]:
    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            else:
                yield level, " ".join(item.title.split())
    return list(walk(PdfReader(str(path)).outline, 1))


def pdf_bullets_by_level(path: Path) -> dict[int, set[str]]:
    """Return the glyphs that start list items, by level: the distinct left edges of the glyphs, in order."""
    require_tool("pdftotext")
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    found: list[tuple[float, str]] = []
    for line in etree.fromstring(out).iter("{*}line"):
        first = next(line.iter("{*}word"))
        if first.text in ("\u2022", "\u2013"):
            found.append((round(float(first.get("xMin"))), first.text))
    edges = sorted({x for x, _ in found})
    levels: dict[int, set[str]] = {}
    for x, glyph in found:
        levels.setdefault(edges.index(x) + 1, set()).add(glyph)
    return levels


def pdf_marker_sizes(path: Path) -> tuple[Counter, float]:
    """Return the source markers' font sizes relative to the body text they follow, and the body size."""
    sizes: Counter = Counter()
    body: Counter = Counter()

    def visit(text, cm, tm, font, size):
        scale = (tm[0] * cm[0]) or 1
        if MARKER.fullmatch(text.strip()):
            sizes[round(size * scale, 1)] += 1
        elif len(text.strip()) > 20:
            body[round(size * scale, 1)] += 1

    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return sizes, body.most_common(1)[0][0]


def pdf_markers(path: Path) -> Counter:
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
    return Counter(MARKER.findall(text))


# --------------------------------------------------------------------------- reading the DOCX


class Docx:
    """The DOCX's XML, with run properties resolved the way Word resolves them."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.document = etree.fromstring(z.read("word/document.xml"))
            self.styles = etree.fromstring(z.read("word/styles.xml"))
            self.numbering = etree.fromstring(z.read("word/numbering.xml"))
        self.by_id = {s.get(f"{{{W}}}styleId"): s for s in self.styles.iterfind("w:style", NS)}
        self.names = {i: (s.find("w:name", NS).get(f"{{{W}}}val") if s.find("w:name", NS) is not None else "")
                      for i, s in self.by_id.items()}
        #: every paragraph, table cells' included, in reading order
        self.paragraphs = list(self.document.iterfind(".//w:body//w:p", NS))

    def style_value(self, style_id: str | None, path: str, attr: str) -> str | None:
        """Return `attr` of `path` in style `style_id` or the first style it is based on that sets it."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            found = style.find(path, NS)
            if found is not None and found.get(f"{{{W}}}{attr}") is not None:
                return found.get(f"{{{W}}}{attr}")
            based = style.find("w:basedOn", NS)
            style_id = based.get(f"{{{W}}}val") if based is not None else None
        return None

    def default(self, path: str, attr: str) -> str | None:
        found = self.styles.find(f"w:docDefaults/w:rPrDefault/w:rPr/{path}", NS)
        return found.get(f"{{{W}}}{attr}") if found is not None else None

    def run_font(self, run, paragraph_style: str | None) -> str | None:
        """Return the Latin font a run of text is drawn in: its own, its character style's, its paragraph's."""
        own = run.find("w:rPr/w:rFonts", NS)
        if own is not None and own.get(f"{{{W}}}ascii"):
            return own.get(f"{{{W}}}ascii")
        style = run.find("w:rPr/w:rStyle", NS)
        for candidate in ((style.get(f"{{{W}}}val") if style is not None else None), paragraph_style, "Normal"):
            value = self.style_value(candidate, "w:rPr/w:rFonts", "ascii")
            if value:
                return value
        return self.default("w:rFonts", "ascii")

    def font_families(self) -> set[str]:
        families = set()
        for paragraph in self.paragraphs:
            style = paragraph.find("w:pPr/w:pStyle", NS)
            style_id = style.get(f"{{{W}}}val") if style is not None else None
            for run in paragraph.iterfind(".//w:r", NS):
                if "".join(run.itertext()).strip():
                    families.add(self.run_font(run, style_id))
        return families

    def paragraph_style(self, paragraph) -> str:
        style = paragraph.find("w:pPr/w:pStyle", NS)
        return self.names.get(style.get(f"{{{W}}}val") if style is not None else "Normal", "")

    def text(self, paragraph) -> str:
        pieces = [" " if node.tag == f"{{{W}}}tab" else node.text or ""
                  for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab")]
        return " ".join("".join(pieces).split())

    def headings(self) -> list[tuple[int, str]]:
        out = []
        for paragraph in self.paragraphs:
            name = self.paragraph_style(paragraph).lower()
            if name.startswith("heading "):
                out.append((int(name.split()[1]), self.text(paragraph)))
        return out

    def bullets_by_level(self) -> dict[int, set[str]]:
        levels: dict[int, set[str]] = {}
        for paragraph in self.paragraphs:
            name = self.paragraph_style(paragraph)
            match = re.fullmatch(r"List Bullet(?: (\d))?", name)
            if not match:
                continue
            style_id = next(i for i, n in self.names.items() if n == name)
            num_id = self.style_value(style_id, "w:pPr/w:numPr/w:numId", "val")
            abstract = self.numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val", namespaces=NS)[0]
            glyph = self.numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[1]/w:lvlText/@w:val",
                                         namespaces=NS)[0]
            levels.setdefault(int(match.group(1) or 1), set()).add(glyph)
        return levels

    def markers(self) -> Counter:
        return Counter(m for p in self.paragraphs for m in MARKER.findall(self.text(p)))

    def marker_scale(self) -> float:
        body = float(self.style_value("Normal", "w:rPr/w:sz", "val") or self.default("w:sz", "val"))
        number = float(self.style_value("SourceNumber", "w:rPr/w:sz", "val") or body)
        return number / body

    def superscript_markers(self) -> bool:
        return self.style_value("SourceNumber", "w:rPr/w:vertAlign", "val") == "superscript"


# --------------------------------------------------------------------------- the comparisons


@pytest.mark.parametrize("name", SAMPLES)
def test_both_formats_set_the_text_in_the_same_font_family(built, name):
    pdf = pdf_font_families(built[name]["pdf"])
    word = Docx(built[name]["docx"]).font_families()
    assert pdf == word
    assert house.BODY_FONT in pdf


@pytest.mark.parametrize("name", SAMPLES)
def test_both_formats_have_the_same_headings_at_the_same_levels(built, name):
    pdf = pdf_headings(built[name]["pdf"])
    word = Docx(built[name]["docx"]).headings()
    assert pdf == word
    assert any(level == 1 for level, _ in pdf)


@pytest.mark.parametrize("name", (*SAMPLES, "nested-list"))
def test_both_formats_print_the_same_bullet_at_each_list_level(built, name):
    pdf = pdf_bullets_by_level(built[name]["pdf"])
    word = Docx(built[name]["docx"]).bullets_by_level()
    assert pdf == word
    assert pdf[1] == {"\u2022"}
    if 2 in pdf:
        assert pdf[2] == {"\u2013"}


def test_the_nested_list_brief_has_second_level_bullets_to_compare(built):
    assert 2 in pdf_bullets_by_level(built["nested-list"]["pdf"])


@pytest.mark.parametrize("name", SAMPLES)
def test_both_formats_print_the_same_source_markers_at_the_same_relative_size(built, name):
    pdf = pdf_markers(built[name]["pdf"])
    word = Docx(built[name]["docx"])
    assert pdf == word.markers()
    assert sum(pdf.values()) >= 3
    sizes, body = pdf_marker_sizes(built[name]["pdf"])
    pdf_scale = sizes.most_common(1)[0][0] / body
    assert pdf_scale == pytest.approx(house.MARKER_SCALE, abs=0.02)
    assert word.marker_scale() == pytest.approx(pdf_scale, abs=0.03)
    assert not word.superscript_markers()


@pytest.mark.parametrize("name", SAMPLES)
def test_both_formats_carry_the_same_words(built, name):
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(built[name]["pdf"])).pages)
    word = Docx(built[name]["docx"])
    for paragraph in word.paragraphs:
        text = word.text(paragraph)
        if len(text) > 40 and word.paragraph_style(paragraph) not in ("toc 1", "toc 2"):
            head = " ".join(text.split()[:5])
            assert head in pdf, head
