"""The PDF's house style: line measure, dashes kept with their word, lead-ins kept with their list, tables."""

from __future__ import annotations

import io
import statistics
import subprocess
import tempfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from reegen import api
from reegen.model import BulletList, Document, Heading, ListItem, Meta, Paragraph, Table, Text
from reegen.writers import WriteOptions, _house as house, get_writer
from tests.conftest import require_tool

from .conftest import REPO, WHEN

SAMPLES = ("baotou-executive", "baotou-dossier")
#: plain English of ordinary word lengths, in this project's own words
PROSE = ("The desk reads every report twice before it goes out, checks each figure against the "
         "source it names, and writes down what it could not confirm. ")


def write_pdf(document: Document, **options) -> bytes:
    return get_writer("pdf").write(document, WriteOptions(source_date=WHEN, **options))


def doc(*blocks, title: str = "Brief") -> Document:
    return Document(Meta(title=title), tuple(blocks))


def bbox_lines(data: bytes) -> list[tuple[int, float, float, str]]:
    """Return (page, left, right, text) of every line pdftotext finds."""
    require_tool("pdftotext")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brief.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    lines = []
    for number, page in enumerate(etree.fromstring(out).iter("{*}page"), 1):
        for line in page.iter("{*}line"):
            words = [w.text for w in line.iter("{*}word")]
            lines.append((number, float(line.get("xMin")), float(line.get("xMax")), " ".join(words)))
    return lines


def characters_per_full_line(data: bytes) -> float:
    """Return the mean length of the lines that fill at least 90 % of the widest line: running text."""
    lines = bbox_lines(data)
    widest = max(right - left for _, left, right, _ in lines)
    full = [text for _, left, right, text in lines if right - left >= 0.9 * widest]
    assert len(full) >= 10
    return statistics.mean(len(text) for text in full)


# --------------------------------------------------------------------------- measure


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_body_text_runs_about_seventy_characters_a_line_on_both_page_sizes(page_size):
    data = write_pdf(doc(*(Paragraph((Text(PROSE * 4),)) for _ in range(4))), page_size=page_size)
    assert 65 <= characters_per_full_line(data) <= 75


@pytest.mark.parametrize("name", SAMPLES)
def test_the_sample_briefs_run_65_to_75_characters_a_line(name):
    document = api.load_document(REPO / "briefs" / f"{name}.yaml")
    assert 65 <= characters_per_full_line(write_pdf(document, base_dir=REPO)) <= 75


def test_the_measure_is_the_same_on_a4_and_letter_and_centred_on_the_page():
    widths = []
    for size, page_width in (("A4", 595.28), ("Letter", 612.0)):
        data = write_pdf(doc(Paragraph((Text(PROSE * 6),))), page_size=size)
        assert float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == pytest.approx(page_width, abs=0.1)
        lines = bbox_lines(data)
        left = min(x0 for _, x0, _, _ in lines)
        widths.append(max(right - x0 for _, x0, right, _ in lines))
        assert left == pytest.approx((page_width - house.MEASURE) / 2, abs=1)
    assert widths[0] == pytest.approx(widths[1], abs=1)
    assert widths[0] <= house.MEASURE


# --------------------------------------------------------------------------- dashes


def test_keep_dash_with_next_glues_the_dash_to_the_following_word_only():
    assert house.keep_dash_with_next("reporting — dossier") == "reporting —\u00a0dossier"
    assert house.keep_dash_with_next("2023 – 2024 and a–b") == "2023 –\u00a02024 and a–b"
    assert house.keep_dash_with_next("no dash here") == "no dash here"


@pytest.mark.parametrize("letters", range(1, 40, 2))
def test_a_title_never_breaks_right_after_its_em_dash(letters):
    # a first word one letter longer each time moves the dash along the line, past the break point
    title = "M" + "i" * letters + " rare-earth reporting and the market — the dossier"
    lines = [text for page, _, _, text in bbox_lines(write_pdf(doc(Paragraph((Text("Body."),)), title=title)))
             if page == 1]
    title_lines = lines[: lines.index(next(t for t in lines if t.endswith("dossier"))) + 1]
    assert all(not line.endswith("—") for line in title_lines)
    assert any("— the" in line or line.startswith("—") for line in title_lines)


@pytest.mark.parametrize("letters", range(1, 50, 3))
def test_a_heading_never_breaks_right_after_its_em_dash(letters):
    text = "M" + "i" * letters + " rare-earth magnets and the policy — what changes"
    heading = Heading(1, (Text(text),), "h")
    lines = [text for _, _, _, text in bbox_lines(write_pdf(doc(heading, Paragraph((Text("Body."),)))))]
    assert not any(line.endswith("—") for line in lines)


# --------------------------------------------------------------------------- lead-ins


def test_house_lead_in_rule_needs_a_final_colon_and_a_list_or_table_next():
    items = BulletList((ListItem((Paragraph((Text("one"),)),)),))
    table = Table(header=((Text("a"),),), rows=())
    assert house.is_lead_in(Paragraph((Text("Readers should take note:"),)), items)
    assert house.is_lead_in(Paragraph((Text("Take note: [3]"),)), table)
    assert not house.is_lead_in(Paragraph((Text("Take note:"),)), Paragraph((Text("x"),)))
    assert not house.is_lead_in(Paragraph((Text("A sentence."),)), items)
    assert not house.is_lead_in(Paragraph((Text("Note:"),), role="note"), items)


def test_a_lead_in_ending_in_a_colon_is_never_left_at_a_page_foot():
    filler = tuple(Paragraph((Text(f"Paragraph {i}. " + PROSE * 3),)) for i in range(4))
    items = BulletList(tuple(ListItem((Paragraph((Text(f"Point {n} of the list."),)),)) for n in range(1, 4)))
    seen_split = False
    for pad in range(0, 14):
        blocks = filler + tuple(Paragraph((Text("Short."),)) for _ in range(pad)) + (
            Paragraph((Text("Western readers should take note:"),)), items)
        pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(write_pdf(doc(*blocks)))).pages]
        where = [n for n, text in enumerate(pages) if "take note:" in text]
        first = [n for n, text in enumerate(pages) if "Point 1 of the list." in text]
        assert where == first, f"pad {pad}: lead-in on page {where}, list on page {first}"
        seen_split = seen_split or where[0] > 0
    assert seen_split  # some padding pushed the pair to the second page


# --------------------------------------------------------------------------- tables


def test_a_narrow_column_is_widened_to_fit_the_words_of_its_header():
    table = Table(header=((Text("Figure"),), (Text("What it measures"),), (Text("Source"),), (Text("Status"),)),
                  rows=(((Text("30%"),), (Text("Cut adjudication time"),), (Text("[1]"),), (Text("Reported"),)),),
                  widths=(1.2, 3, 0.4, 2))
    lines = [text for _, _, _, text in bbox_lines(write_pdf(doc(table)))]
    assert not any(line in ("Sourc", "e", "Sour", "ce") for line in lines)
    assert any("Source" in line for line in lines)


def test_column_widths_keep_proportions_and_give_each_column_what_it_needs():
    assert house.column_widths((1, 1), [0, 0], 100) == [50, 50]
    widths = house.column_widths((1, 8, 1), [30, 0, 5], 100)
    assert widths[0] == pytest.approx(30) and sum(widths) == pytest.approx(100)
    assert widths[1] / widths[2] == pytest.approx(8)
    assert house.column_widths((1, 1), [80, 80], 100) == [50, 50]  # needs beyond the total: shared


def test_a_column_that_fits_on_one_line_gives_its_spare_room_to_one_that_wraps():
    # A "[1]" column weighted like a wide one keeps only what it fills; the long values get the rest.
    widths = house.column_widths((1, 1), [10, 10], 200, most=[30, 400])
    assert widths[0] == pytest.approx(30) and widths[1] == pytest.approx(170)
    # When every column fits on one line the room left is shared in proportion, as without `most`.
    assert house.column_widths((1, 1), [10, 10], 200, most=[30, 40]) == pytest.approx([100, 100])
    # A column never drops below what its header's longest word needs.
    assert house.column_widths((1, 1), [60, 10], 200, most=[20, 400])[0] == pytest.approx(60)


def test_a_long_figure_wraps_on_fewer_lines_when_a_short_column_has_room_to_spare():
    value = "More than ¥110 million (~$15.2 million)"
    rows = ((((Text(value),), (Text("loans issued"),), (Text("[1]"),)),))
    table = Table(header=((Text("Figure"),), (Text("What"),), (Text("Source"),)), rows=rows,
                  widths=(1, 1, 2), align=("right", "left", "left"))
    lines = [text for _, _, _, text in bbox_lines(write_pdf(doc(table)))]
    assert value in lines  # the "[1]" column's spare room lets the value sit on one line


def test_right_aligned_columns_end_at_the_same_edge():
    rows = tuple(((Text(name),), (Text(value),)) for name, value in
                 (("Loans", "¥110 million"), ("Firms", "793"), ("Growth", "43.7%")))
    table = Table(header=((Text("What"),), (Text("Value"),)), rows=rows, widths=(3, 1), align=("left", "right"))
    data = write_pdf(doc(table))
    rights = {text: right for _, _, right, text in bbox_lines(data)}
    ends = [rights[v] for v in ("¥110 million", "793", "43.7%")]
    assert max(ends) - min(ends) < 1
    lefts = {text: left for _, left, _, text in bbox_lines(data)}
    assert abs(lefts["793"] - lefts["43.7%"]) > 3  # not left-aligned


def test_a_table_never_leaves_its_header_and_one_row_alone_at_a_page_foot():
    # Filler of every length up to a page's worth: wherever the table falls, row 1 has row 2 with it.
    wordy = "a value the port describes at length, so that its cell wraps onto three or four lines of its column"
    rows = tuple(((Text(f"row{k}"),), (Text(wordy),)) for k in range(1, 7))
    table = Table(header=((Text("Name"),), (Text("Value"),)), rows=rows, caption=(Text("As the port reports them."),),
                  widths=(3, 1))
    fillers = [Paragraph((Text(f"Filler paragraph number {n} of the page."),)) for n in range(60)]
    pages = []
    for count in range(18, 40):
        lines = bbox_lines(write_pdf(doc(*fillers[:count], Heading(2, (Text("Port figures"),), "port"), table)))
        page_of = {text: page for page, _, _, text in lines}
        pages.append(page_of["row1"])
        assert page_of["row1"] == page_of["row2"], count
        assert page_of["Port figures"] == page_of["row1"], count  # nor its heading without it
    assert len(set(pages)) > 1  # the filler did push the table across a page break
