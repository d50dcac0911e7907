"""The bundled fonts: present in the package, TrueType, licensed, and covering the corpus's scripts (issue 5)."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest

from reegen.writers._pdf_fonts import FONT_DIR, is_right_to_left, is_wide, load_fonts, split_by_family

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
         "DejaVuSansMono.ttf", "DroidSansFallback.ttf")


def test_every_bundled_font_is_a_truetype_file_with_glyf_outlines_and_a_licence():
    for name in FILES:
        data = (FONT_DIR / name).read_bytes()
        assert data[:4] == b"\x00\x01\x00\x00", name  # TrueType, not CFF ("OTTO")
        assert b"glyf" in data[12:12 + 16 * 32], name
    assert (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").count("Bitstream") > 1
    assert "Apache License" in (FONT_DIR / "LICENSE-DroidSansFallback.txt").read_text(encoding="utf-8")


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


def test_right_to_left_and_invisible_code_points_are_in_no_family():
    for family in load_fonts().families:
        assert not any(is_right_to_left(chr(c)) for c in family.coverage)
        assert 0 not in family.coverage and 0x200E not in family.coverage


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
    assert isinstance(split_by_family("a\u05d0b", fonts), int)  # right-to-left: no family draws it
