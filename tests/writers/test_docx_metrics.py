"""The DOCX column widths measured from the table of the body font's widths, not the font files."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

import pytest
import reportlab

from reegen.model import Document, Meta, Table, Text
from reegen.writers import WriteOptions, _docx_metrics as metrics, _house as house
from reegen.writers._pdf_fonts import load_fonts, text_width
from reegen.writers.docx import DocxWriter

WHEN = datetime(2025, 7, 20, 8, 30, tzinfo=timezone.utc)
STORED = json.loads(metrics.METRICS_FILE.read_text(encoding="utf-8"))
SAME_REPORTLAB = pytest.mark.skipif(STORED["reportlab"] != reportlab.Version,
                                    reason=f"the table was made by reportlab {STORED['reportlab']}")


@pytest.fixture
def fresh_table(monkeypatch):
    """The table read again from `metrics.METRICS_FILE` (as patched) on first use."""
    monkeypatch.setattr(metrics, "_loaded", None)
    return metrics


def table_document() -> Document:
    rows = (((Text("Under half a day"),), (Text("Approvals for registering a business, Señor Ødegård"),),
             (Text("[1]"),)),
            ((Text("¥110 million"),), (Text("Займы — «выдано» so far"),), (Text("[1, 2]"),)),
            ((Text("東京 1.2%"),), (Text("Loans in Tokyo"),), (Text("[3]"),)))
    table = Table(header=((Text("Figure"),), (Text("What it measures"),), (Text("Source"),)), rows=rows,
                  widths=(1.2, 3, 0.4), align=("right", "left", "center"))
    return Document(Meta(title="Brief"), (table,))


def docx_bytes() -> bytes:
    return DocxWriter().write(table_document(), WriteOptions(source_date=WHEN))


@SAME_REPORTLAB
def test_the_stored_table_is_what_reportlab_reads_from_the_bundled_body_fonts():
    # Fails after a change of the bundled body fonts: regenerate with `python -m reegen.writers._docx_metrics`.
    assert metrics.build_metrics() == STORED


@SAME_REPORTLAB
def test_widths_from_the_table_equal_the_fonts_widths(fresh_table):
    fonts = load_fonts()
    drawable = sorted(fonts.body.drawable)
    pick = random.Random(7)
    samples = ["Figure", "Approvals", "¥110", "Займы", "Ødegård", "a\tb", "two words", ""]
    samples += ["".join(pick.choice(drawable) for _ in range(pick.randint(1, 24))) for _ in range(2000)]
    before = metrics.ran["table"]
    for text in samples:
        for bold in (False, True):
            assert metrics.text_width(text, house.CELL_SIZE, bold=bold) == text_width(
                text, fonts, house.CELL_SIZE, bold=bold), (text, bold)
    assert metrics.ran["table"] - before == 2 * len(samples)


def test_text_beyond_the_body_font_is_left_to_the_fonts(fresh_table):
    assert metrics.text_width("東京", house.CELL_SIZE) is None
    assert metrics.text_width("مرحبا", house.CELL_SIZE, bold=True) is None


@SAME_REPORTLAB
def test_docx_columns_sized_from_the_table_are_those_the_fonts_give(fresh_table, monkeypatch):
    before = metrics.ran["table"]
    fast = docx_bytes()
    assert metrics.ran["table"] > before  # the table measured the cells
    monkeypatch.setattr(metrics, "_loaded", ())  # no table: every width from the fonts
    before = metrics.ran["table"]
    assert docx_bytes() == fast
    assert metrics.ran["table"] == before


@pytest.mark.parametrize("damage", ["other reportlab", "short", "not json", "missing"])
def test_a_table_from_another_reportlab_or_damaged_is_not_used(fresh_table, monkeypatch, tmp_path, damage):
    path = tmp_path / "docx-metrics.json"
    data = dict(STORED)
    if damage == "other reportlab":
        data["reportlab"] = "0.1"
        path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "short":
        data["regular"] = {"default": 600.0, "widths": data["regular"]["widths"][:-1]}
        path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "not json":
        path.write_text("{", encoding="utf-8")
    monkeypatch.setattr(metrics, "METRICS_FILE", path)
    assert metrics.text_width("Figure", house.CELL_SIZE) is None
    before = metrics.ran["table"]
    assert docx_bytes()  # the writer measures with the fonts instead
    assert metrics.ran["table"] == before
