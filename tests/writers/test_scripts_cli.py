"""Text from everywhere through the real CLI: emoji, Arabic, Hebrew, Devanagari, mixed directions,
a character no font has, and bidirectional controls, in the PDF, DOCX, HTML and Markdown."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reegen.cli import cli

#: a Hebrew sentence of about three lines: its first word must be on its first line
LONG_HEBREW = " ".join(["פתיחה"] + [f"מילה{chr(0x5d0 + i % 22)}" for i in range(40)] + ["סיום"])
ARTICLE = f"""---
id: a
title: Zone reforms
publisher: Rare Earth Exchanges
published: 2025-07-03
tags: [baotou]
---
The zone approves permits in hours \U0001F9F2 and \u2705.

## Highlights
- Arabic: مرحبا بكم في المنطقة.
- Hebrew: שלום עולם, ברוכים הבאים.
- Hindi: नमस्ते दुनिया, क्षेत्रीय अधिकारी ने कहा।
- Mixed: the ministry said مرحبا بكم 25 today.
- Missing: a sign \U00010000 no font has.
- Controls: output reached \u202e2024\u202c tonnes.
- {LONG_HEBREW}
"""
BRIEF = """title: Scripts
articles: [a]
sections:
  - title: Summary
    from: highlights
    per_source: 0       # every highlight: each carries a script to check
  - title: Lead
    from: lead
"""
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("scripts")
    (root / "articles").mkdir()
    (root / "briefs").mkdir()
    (root / "reegen.toml").write_text("", encoding="utf-8")
    (root / "articles" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (root / "briefs" / "brief.yaml").write_text(BRIEF, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(root / "briefs" / "brief.yaml"), "-f", "pdf,docx,html,md"])
    assert result.exit_code == 0, result.output
    return root, result.stderr


def fold(text: str) -> str:
    """NFKC (Arabic presentation forms back to letters), spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def formats(root: Path) -> dict[str, str]:
    out = root / "output"
    with zipfile.ZipFile(out / "brief.docx") as z:
        docx_xml = z.read("word/document.xml").decode("utf-8")
    pdf = "\n".join(page.extract_text() for page in PdfReader(out / "brief.pdf").pages)
    return {"pdf": pdf, "docx": docx_xml, "html": (out / "brief.html").read_text(encoding="utf-8"),
            "md": (out / "brief.md").read_text(encoding="utf-8")}


def test_foreign_text_builds_with_one_located_warning_for_the_character_no_font_has(built):
    root, stderr = built
    missing = [line for line in stderr.splitlines() if "[render.missing-glyph]" in line]
    assert len(missing) == 1 and missing[0].startswith("articles/a.md:15: warning: U+10000"), stderr


def test_docx_html_and_markdown_keep_the_original_text(built):
    root, _ = built
    texts = formats(root)
    for name in ("docx", "html", "md"):
        for piece in ("\U0001F9F2", "مرحبا بكم في المنطقة", "שלום עולם", "नमस्ते दुनिया", "\U00010000"):
            assert piece in texts[name], (name, piece)


def test_the_pdf_shows_emoji_and_a_placeholder_and_reads_back_right_to_left_text_in_order(built):
    root, _ = built
    pdf = fold(formats(root)["pdf"])
    assert "\U0001F9F2" in pdf and "\u2705" in pdf
    assert "a sign \ufffd no font has" in pdf
    assert "\U00010000" not in pdf
    # Drawn in visual order; pypdf, like any reader, gives it back in logical order
    assert "שלום עולם, ברוכים הבאים" in pdf


@pytest.mark.render
def test_pdftotext_reads_arabic_hebrew_and_the_mixed_sentence_in_logical_order(built):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    root, _ = built
    text = fold(subprocess.run(["pdftotext", str(root / "output" / "brief.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout)
    text = "".join(c for c in text if c not in "\u202a\u202b\u202c")  # pdftotext marks RTL runs with embeddings
    assert "מרחבא" not in text
    assert "مرحبا بكم في المنطقة" in text
    assert "שלום עולם" in text and "ברוכים הבאים" in text
    # The number stays left to right, next to the Arabic it follows in the sentence
    assert "25" in text and "52" not in text


def test_devanagari_is_drawn_with_the_devanagari_font_and_shaped(built):
    root, _ = built
    reader = PdfReader(root / "output" / "brief.pdf")
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any(name.endswith("NotoSansDevanagari-Regular") or "Devanagari" in name for name in fonts), fonts


def test_bidi_controls_are_removed_from_every_format_with_a_located_warning(built):
    root, stderr = built
    assert "articles/a.md:16:28: warning: character U+202E RIGHT-TO-LEFT OVERRIDE removed" in stderr, stderr
    for name, text in formats(root).items():
        assert not any(c in text for c in CONTROLS), name
        assert "2024 tonnes" in text, name


def test_strict_makes_the_missing_glyph_an_error_and_writes_nothing(built, tmp_path):
    root, _ = built
    project = tmp_path / "p"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns("output", ".reegen-cache"))
    article = project / "articles" / "a.md"  # without the controls, whose warnings would fail first
    article.write_text(article.read_text(encoding="utf-8").replace("\u202e2024\u202c", "2024"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--strict", str(project / "briefs" / "brief.yaml"), "-f", "pdf"])
    assert result.exit_code == 1
    assert "articles/a.md:15: error: U+10000" in result.stderr
    assert not (project / "output" / "brief.pdf").exists()


def test_source_numbers_stay_after_a_right_to_left_sentence_in_every_format(built):
    # Without an isolate or a left-to-right mark, Word's and the browser's bidi would draw
    # "[1]" into the Arabic run before it, where the PDF does not.
    root, _ = built
    texts = formats(root)
    assert '<span class="src" dir="ltr">' in texts["html"]
    # one marker closes the run of items from the article: after the last, Hebrew, item
    assert "סיום\u200e\u00a0\\[" in texts["md"]
    assert "\u200e\u00a0</w:t>" in texts["docx"]  # its own run, just before the number
    assert "today\u200e" not in texts["md"]  # a sentence ending left to right needs no mark
    assert texts["docx"].count("\u200e") == 1


@pytest.mark.render
def test_a_right_to_left_paragraph_of_several_lines_reads_from_its_first_line(built):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    root, _ = built
    lines = subprocess.run(["pdftotext", "-layout", str(root / "output" / "brief.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "פתיחה" in line)
    last = next(i for i, line in enumerate(lines) if "סיום" in line)
    assert last - first >= 2  # wrapped, and the opening word on the first line
