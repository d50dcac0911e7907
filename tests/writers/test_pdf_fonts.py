"""The bundled fonts: present in the package, TrueType, licensed, and covering the scripts a brief quotes."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest

from reegen.writers._pdf_fonts import (
    ARABIC_SCOPE, FONT_DIR, PLACEHOLDER, is_wide, load_fonts, split_by_family, visual_order,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
         "DejaVuSansMono.ttf", "DroidSansFallback.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
         "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", "NotoEmoji-Regular.ttf")


def test_every_bundled_font_is_a_truetype_file_with_glyf_outlines_and_a_licence():
    for name in FILES:
        data = (FONT_DIR / name).read_bytes()
        assert data[:4] == b"\x00\x01\x00\x00", name  # TrueType, not CFF ("OTTO")
        assert b"glyf" in data[12:12 + 16 * 32], name
    assert (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").count("Bitstream") > 1
    assert "Apache License" in (FONT_DIR / "LICENSE-DroidSansFallback.txt").read_text(encoding="utf-8")
    noto = (FONT_DIR / "LICENSE-Noto.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in noto
    assert all(name in noto for name in FILES if name.startswith("Noto"))


def test_the_bundled_fonts_stay_small():
    # the whole package must stay a reasonable download: scripts as subset families, not all of Noto
    assert sum((FONT_DIR / name).stat().st_size for name in FILES) < 9_000_000


def test_package_data_ships_the_fonts_so_a_fresh_install_renders_cjk():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["reegen"]
    for name in FILES:
        assert any(fnmatch.fnmatch(f"data/fonts/{name}", p) for p in patterns), name


def test_families_cover_latin_punctuation_currency_and_cjk():
    fonts = load_fonts()
    text = "Łódź “quoted” ‘single’ — – … ¥ € £ ≥ → 包头 北方稀土 稀土高新区，。、（）《》 かな 한글"
    runs = split_by_family(text, fonts)
    assert not isinstance(runs, int), f"U+{runs:04X} is not covered"
    assert {family.label for _, family in runs} == {"DejaVu Sans", "Droid Sans Fallback"}
    assert "".join(chunk for chunk, _ in runs) == text


def test_arabic_is_drawn_by_the_arabic_family_alone_and_invisible_code_points_by_none():
    fonts = load_fonts()
    arabic = lambda c: any(lo <= c <= hi for lo, hi in ARABIC_SCOPE)  # noqa: E731
    for family in fonts.families:
        assert 0 not in family.coverage and 0x200E not in family.coverage
        if family.label != "Noto Sans Arabic":
            assert not any(arabic(c) for c in family.coverage), family.label
    assert {f.label for _, f in split_by_family(visual_order("قال مرحبا، ٢٥"), fonts)} == {"Noto Sans Arabic"}


@pytest.mark.parametrize(("text", "labels"), [
    ("magnet \U0001F9F2 and \u2705", {"DejaVu Sans", "Noto Emoji"}),
    ("नमस्ते दुनिया", {"Noto Sans Devanagari"}),
    ("שלום עולם", {"DejaVu Sans"}),
])
def test_emoji_devanagari_and_hebrew_have_a_family(text, labels):
    runs = split_by_family(text, load_fonts())
    assert {f.label for _, f in runs} == labels
    assert PLACEHOLDER not in "".join(chunk for chunk, _ in runs)


def test_a_space_after_an_emoji_is_the_bodys_space():
    fonts = load_fonts()
    runs = split_by_family("\U0001F9F2 and", fonts)
    assert runs[0] == ("\U0001F9F2", runs[0][1]) and runs[0][1].label == "Noto Emoji"
    assert runs[1][1] is fonts.body


def test_a_character_no_family_has_becomes_the_placeholder_and_is_reported():
    missing: list[int] = []
    runs = split_by_family("a \U00010000 b", load_fonts(), missing)
    assert "".join(chunk for chunk, _ in runs) == f"a {PLACEHOLDER} b" and missing == [0x10000]


@pytest.mark.parametrize(("logical", "visual"), [
    ("plain text", "plain text"),
    # Hebrew letters reversed, the number kept left to right
    ("said שלום עולם 25 today", "said 25 םלוע םולש today"),
    # brackets inside a right-to-left run are mirrored
    ("x (אב) y", "x (בא) y"),
    # a left-to-right mark keeps what follows out of the run before it
    ("אב, 3 May", "3 ,בא May"), ("אב\u200e, 3 May", "בא\u200e, 3 May"),
])
def test_visual_order_reverses_right_to_left_runs_only(logical, visual):
    assert visual_order(logical) == visual


def test_visual_order_joins_arabic_letters():
    import unicodedata

    shown = visual_order("مرحبا")
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shown)  # contextual presentation forms
    assert unicodedata.normalize("NFKC", shown)[::-1] == "مرحبا"


def test_the_cjk_font_is_registered_only_when_text_needs_it():
    # A fresh process: other tests in this one may already have registered it.
    import subprocess

    script = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reegen.writers._pdf_fonts import load_fonts, split_by_family\n"
        "fonts = load_fonts()\n"
        "split_by_family('Baotou, 10% — ¥3 “q”', fonts)\n"
        "assert 'ReegenCJK' not in pdfmetrics.getRegisteredFontNames(), 'registered too early'\n"
        "runs = split_by_family('包头 Baotou', fonts)\n"
        "assert [f.label for _, f in runs] == ['Droid Sans Fallback', 'DejaVu Sans'], runs\n"
        "assert 'ReegenCJK' in pdfmetrics.getRegisteredFontNames()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("text", "wide"), [
    ("", False), ("Baotou, Inner Mongolia", False), ("naïve café — “quoted” €5", False),
    ("包头", True), ("Baotou (包头) hub", True), ("\u1100", True), ("\u11ff", False), ("ｶﾀｶﾅ", False), ("ＡＢ", True),
])
def test_wide_text_is_told_from_text_that_breaks_at_spaces(text, wide):
    # wide text gets CJK line breaking (between any two characters)
    assert is_wide(text) is wide


def test_a_family_draws_a_text_exactly_when_its_coverage_holds_every_character_but_layout_spaces():
    # `drawable` answers for a whole text at once; it must agree with the code points, character by character.
    import random

    fonts = load_fonts()
    rng = random.Random(5)
    pool = [" ", "\t", "\n", "\u00a0", "\u2009", "\u200b", "\u200e", "\u0000", "\ud800", "•", "·", "包", "é", "\uffff",
            "\U0001f600", "\u05d0", *"Baotou, 10% —"]
    for family in fonts.families:
        for _ in range(400):
            text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 6)))
            expected = all(ch in " \t\n" or ord(ch) in family.coverage for ch in text)
            assert family.drawable.issuperset(text) is expected, (family.label, text)
    assert fonts.family_for("•") is fonts.body


def test_a_right_to_left_paragraph_is_broken_into_lines_before_each_line_is_reordered():
    from reportlab.lib.styles import ParagraphStyle

    from reegen.writers._pdf_bidi import break_lines, visual_runs
    from reegen.writers._pdf_markup import Run

    words = [f"מילה{chr(0x5d0 + i)}" for i in range(12)]  # twelve distinct Hebrew words
    runs = [Run(" ".join(words), rtl=True)]
    style = ParagraphStyle("t", fontName=load_fonts().body.name, fontSize=10)
    lines = break_lines(runs, style, 120)
    assert len(lines) > 2
    first = "".join(ch for ch, _ in lines[0]).split()
    assert first == words[:len(first)]  # the first line holds the first words
    shown = [run.text for run in visual_runs(lines, runs) if not run.raw]
    assert shown[0].split()[::-1] == [w[::-1] for w in first]  # ... drawn right to left
