"""The PDF writer: read its output back with pypdf (always) and poppler/qpdf (marked `render`)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from itertools import groupby
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus.tables import Table as RlTable

from reegen.errors import RenderError
from reegen.model import (
    BulletList, Document, Heading, Link, ListItem, Meta, Paragraph, Quote, Ref, SourceEntry,
    SourceRef, SourcesList, Table, Text,
)
from reegen.writers import WriteOptions, _house as house, _pdf_story, get_writer
from reegen.writers._pdf_markup import Run, chunk_runs, is_safe_href
from reegen.writers.pdf import PdfWriter

from .conftest import SRC

PINNED = WriteOptions(source_date=datetime(2025, 7, 20, 6, 0, tzinfo=timezone.utc))
A4_HEIGHT = 841.89
#: top of the body frame: the running header sits above it
FRAME_TOP_FROM_TOP = 24 * 72 / 25.4


def write(document: Document, options: WriteOptions = PINNED) -> bytes:
    return PdfWriter().write(document, options)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def squash(text: str) -> str:
    return " ".join(text.split())


def page_texts(data: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in read(data).pages]


def visual_lines(page) -> list[tuple[float, str]]:
    """Return `page`'s text as (baseline y, line) pairs, top to bottom, each line read left to right."""
    found: list[tuple[int, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((round(tm[5] * cm[3] + cm[5]), tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    lines = []
    for y, group in groupby(sorted(found, key=lambda f: (-f[0], f[1])), key=lambda f: f[0]):
        lines.append((y, squash(" ".join(t for _, _, t in group))))
    return lines


def header_text(page) -> str:
    """Return the text above the body frame of `page` (the running header)."""
    return " ".join(t for y, t in visual_lines(page) if y > A4_HEIGHT - FRAME_TOP_FROM_TOP + 1)


def add_blocks(document: Document, *blocks) -> Document:
    return replace(document, blocks=document.blocks + tuple(blocks))


def tiny_document(*blocks, **meta) -> Document:
    return Document(Meta(title=meta.pop("title", "Brief"), **meta), tuple(blocks))


def require_tool(name: str) -> str:
    """Return the path of `name`, skipping (or failing under REEGEN_REQUIRE_TOOLS=1) when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install poppler-utils qpdf)"
    if os.environ.get("REEGEN_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; REEGEN_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def run_tool(tmp_path, data: bytes, *args: str) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    tool = require_tool(args[0])
    result = subprocess.run([tool, *args[1:], str(path), *(["-"] if args[0] == "pdftotext" else [])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


# ----------------------------------------------------------------------------- the writer


def test_writer_is_registered_under_its_name():
    assert PdfWriter.name == "pdf"
    assert isinstance(get_writer("pdf"), PdfWriter)


def test_output_is_a_pdf_of_bytes(document):
    data = write(document)
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")


# ----------------------------------------------------------------------------- text


def test_words_of_every_block_come_back(document):
    text = " ".join(page_texts(write(document)))
    for phrase in (
        "Baotou’s rare-earth magnet machine",
        "What Western supply chains are up against",
        "Executive leadership · Strategy desk · 20 July 2025 · Internal — not for redistribution",
        "Executive summary",
        "Approvals take under half a day in S&P-style <fast> lanes. [1]",
        "The zone offers: [1]", "rapid approvals [1]", "innovative financing [1]",
        "Administrative velocity. Business registration takes under half a day; adjudication time fell by 30% [1].",
        "Cited markers stay visible [2: ref. 1, 2]. [1]",
        "“Baotou has built a complete ecosystem of schools, labs, and factories” [2]",
        "Market context",
        "Costs: ¥110 million (~$15.2 million), €3 and £4 — x < y & z",
        "second line with a link here. [1]",
        "Key figures", "Figure What it measures Source", "Row 40 growth of private enterprises",
        "Shortened: 2 more items omitted.",
        "Source [2] relays Baogang Daily, a state-affiliated outlet. [2]",
        "“Any news out of China must be vetted carefully.” [1]",
        "1. Rare Earth Exchanges, “Baotou’s high-tech zone fast-tracks magnet projects”, 3 July 2025.",
        "https://example.org/zone",
        "2. Rare Earth Exchanges, “Symposium on the Two Rare Earth Bases”, 24 June 2025.",
    ):
        assert phrase in text, phrase


def test_markup_characters_in_text_print_as_written():
    data = write(tiny_document(
        Heading(1, (Text("Risks <i>& rewards</i>"),), "risks"),
        Paragraph((Text("S&P 500 rose; <b> is not bold; 0.1 < x > y &amp; &#65;"),), SRC, (1,)),
    ))
    text = " ".join(page_texts(data))
    assert "Risks <i>& rewards</i>" in text
    assert "S&P 500 rose; <b> is not bold; 0.1 < x > y &amp; &#65;" in text


def test_long_paragraph_is_laid_out_in_full_with_its_text_broken_into_lines_about_once(monkeypatch):
    # Split across sixty pages, the paragraph's rest is not broken into lines again from its
    # start on every page (which grew with the square of its length): the text handed to line
    # breaking stays about the paragraph's own, a few breaks a page.
    broken = {"calls": 0, "characters": 0}
    break_lines = _pdf_story.BriefParagraph.breakLines

    def counted(self, width):
        broken["calls"] += 1
        broken["characters"] += sum(len(getattr(frag, "text", "")) for frag in self.frags)
        return break_lines(self, width)

    monkeypatch.setattr(_pdf_story.BriefParagraph, "breakLines", counted)
    sentence = "The committee reviewed the export licences and found several irregularities. "
    data = write(tiny_document(Paragraph((Text(sentence * 2500),), SRC, (1,))))  # ~200,000 characters
    pages = len(read(data).pages)
    assert pages > 40
    assert broken["characters"] < 1.5 * len(sentence) * 2500 and broken["calls"] <= 5 * pages, (broken, pages)
    text = " ".join(page_texts(data))
    assert text.count("irregularities.") == 2500 and text.count("committee") == 2500
    assert "irregularities. [1]" in text


def test_chunks_end_between_sentences_and_keep_every_character():
    text = "".join(f"Sentence number {i} ends here. " for i in range(400))
    chunks = chunk_runs([Run(text, (("<b>", "</b>"),))], limit=1000)
    assert len(chunks) > 1
    assert all(sum(len(r.text) for r in chunk) <= 1000 for chunk in chunks)
    assert all(chunk[-1].text.endswith("ends here.") for chunk in chunks[:-1])
    assert all(r.tags == (("<b>", "</b>"),) for chunk in chunks for r in chunk)
    assert squash(" ".join(r.text for chunk in chunks for r in chunk)) == squash(text)


def test_chunking_cuts_a_word_longer_than_a_chunk():
    chunks = chunk_runs([Run("x" * 2500)], limit=1000)
    assert [len(c[0].text) for c in chunks] == [1000, 1000, 500]


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(codec="latin-1", exclude_categories=("Cc", "Cs", "Zs", "Cf")) | st.sampled_from(
    list("<>&\"'“”‘’—–…€ ，。、（）")) | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    min_size=1, max_size=80))
def test_any_drawable_text_goes_through_and_its_words_come_back(text):
    data = write(tiny_document(Paragraph((Text(text),), SRC, (1,)), Heading(1, (Text(text),), "h")))
    extracted = squash(" ".join(page_texts(data)))
    for word in text.split():
        # a word longer than the heading's line is broken across lines, read back with a space
        assert word in extracted or len(word) > 20 and word in "".join(extracted.split())


# ----------------------------------------------------------------------------- links


def test_source_numbers_link_to_named_destinations_that_exist(document):
    reader = read(write(document))
    destinations = reader.named_destinations
    assert {"source-1", "source-2"} <= set(destinations)
    targets = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                targets.add(str(annot["/Dest"]))
    assert {"source-1", "source-2"} <= targets
    assert targets <= set(destinations)
    sources_page = next(i for i, t in enumerate(page_texts(write(document))) if "1. Rare Earth Exchanges" in t)
    assert reader.get_destination_page_number(destinations["source-1"]) == sources_page


def test_a_source_number_is_clickable_with_its_brackets():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reegen.writers._pdf_fonts import load_fonts

    entries = tuple(SourceEntry(n, (Text(f"Source {n}."),)) for n in (1, 2, 3))
    document = tiny_document(Paragraph((Text("One claim"),), SRC, (3,)),
                             Paragraph((Text("Two claims"),), SRC, (1, 2)),
                             Paragraph((Text("A claim from nowhere"),), SRC, (9, 1)),
                             SourcesList(entries))
    page = read(write(document)).pages[0]
    links = [(str(a["/Dest"]), [float(v) for v in a["/Rect"]])
             for a in (annot.get_object() for annot in page["/Annots"])]
    assert [dest for dest, _ in links] == ["source-3", "source-1", "source-2", "source-1"]
    body = load_fonts().body.name

    def width(text: str) -> float:
        # source numbers are set at a fraction of the body size
        return stringWidth(text, body, house.MARKER_SCALE * house.BODY_SIZE)

    (_, one), (_, first), (_, second), (_, after_nine) = links
    assert one[2] - one[0] == pytest.approx(width("[3]"), abs=0.01)
    # "[1" and "2]", with the separator between them outside both links
    assert first[2] - first[0] == pytest.approx(width("[1"), abs=0.01)
    assert second[2] - second[0] == pytest.approx(width("2]"), abs=0.01)
    assert second[0] - first[2] == pytest.approx(width(", "), abs=0.01)
    # 9 has no Sources entry: "[9, " stays plain and only "1]" links
    assert after_nine[2] - after_nine[0] == pytest.approx(width("1]"), abs=0.01)
    text = " ".join(page_texts(write(document)))
    assert "One claim [3]" in text and "Two claims [1, 2]" in text and "nowhere [9, 1]" in text


def test_number_of_a_missing_source_prints_without_a_link():
    data = write(tiny_document(Paragraph((Text("Claim "), Ref((7,))), SRC, (7,))))
    assert "Claim [7] [7]" in " ".join(page_texts(data))
    assert not read(data).named_destinations


def test_web_links_become_uri_actions_with_the_url_unchanged():
    url = "https://example.org/a?b=1&c=2#part"
    data = write(tiny_document(Paragraph((Link(url, (Text("report"),)), Text(" and "),
                                          Link("mailto:desk@example.org", (Text("mail"),))))))
    uris = {annot.get_object()["/A"]["/URI"] for page in read(data).pages for annot in page.get("/Annots") or []}
    assert uris == {url, "mailto:desk@example.org"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd",
                                 "data:text/html,x", "pdf:other.pdf", "#source-1", "http:///nohost"])
def test_link_with_a_scheme_outside_the_allowlist_is_plain_text(url):
    data = write(tiny_document(Paragraph((Text("see "), Link(url, (Text("evil"),)), Text(".")))))
    reader = read(data)
    assert not any(page.get("/Annots") for page in reader.pages)
    assert b"JavaScript" not in data and b"javascript" not in data
    assert "see evil." in page_texts(data)[0]


def test_safe_href_allows_only_http_https_and_mailto():
    assert is_safe_href("https://example.org/x") and is_safe_href("mailto:a@b.org")
    assert not is_safe_href("javascript:alert(1)")
    assert not is_safe_href("https://example.org/\" onclick=\"x")
    assert not is_safe_href("jav\tascript:x")


# ----------------------------------------------------------------------------- page furniture


def test_footer_reads_page_x_of_y_on_every_page(document):
    texts = page_texts(write(document))
    assert len(texts) >= 2
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text


def test_running_header_appears_on_every_page_after_the_first(document):
    reader = read(write(document))
    assert header_text(reader.pages[0]) == ""
    for page in reader.pages[1:]:
        assert header_text(page) == "Baotou’s rare-earth magnet machine Internal — not for redistribution"


def test_long_title_is_shortened_in_the_running_header():
    title = "A brief whose title goes on " + "and on " * 30
    data = write(tiny_document(*(Paragraph((Text("Filler text. " * 60),)) for _ in range(12)), title=title,
                               classification="Confidential"))
    header = header_text(read(data).pages[1])
    assert header.startswith("A brief whose title goes on and on") and header.endswith("… Confidential")


def test_forty_row_table_splits_with_its_header_repeated(document):
    texts = page_texts(write(document))
    first = next(i for i, t in enumerate(texts) if "Row 1 growth" in t)
    last = next(i for i, t in enumerate(texts) if "Row 40 growth" in t)
    assert last > first
    for text in texts[first:last + 1]:
        assert "Figure What it measures Source" in text


def test_table_columns_follow_the_relative_widths(document):
    page = read(write(document)).pages[0]
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ("Figure", "What it measures", "Source"):
            found[text.strip()] = tm[4] * cm[0] + cm[4]

    page.extract_text(visitor_text=visit)
    frame_width = house.MEASURE  # the house measure, centred on the A4 page
    frame_left = (595.28 - frame_width) / 2
    padding = found["Figure"] - frame_left
    assert found["What it measures"] == pytest.approx(frame_left + frame_width * 1 / 5 + padding, abs=0.5)
    assert found["Source"] == pytest.approx(frame_left + frame_width * 4 / 5 + padding, abs=0.5)


def test_table_cell_with_thirty_thousand_characters_does_not_fail():
    table = Table(header=((Text("Field"),), (Text("Text"),)),
                  rows=(((Text("a"),), (Text("word " * 6000),)), ((Text("b"),), (Text("y" * 8000),))),
                  widths=(1, 4))
    texts = page_texts(write(tiny_document(table)))
    assert len(texts) > 2
    assert sum(t.count("word") for t in texts) == 6000


def test_heading_is_kept_with_the_start_of_what_follows():
    filler = tuple(Paragraph((Text(f"Paragraph {i}. " + "Filler words follow here. " * 12),)) for i in range(9))
    for pad in range(0, 6):
        blocks = filler + tuple(Paragraph((Text("Short."),)) for _ in range(pad)) + (
            Heading(1, (Text("Closing section"),), "closing"),
            Paragraph((Text("First words of the section."),)),
        )
        for text in page_texts(write(tiny_document(*blocks))):
            if "Closing section" in text:
                assert "First words of the section." in text


def test_a_long_table_is_measured_once_per_cell_and_laid_out_as_reportlab_lays_it_out(monkeypatch):
    from reegen.writers import _pdf_story, _pdf_tags

    rows = tuple(((Text(f"Row {i}"),), (Text("growth of " * (1 + i % 9)),), (Text(f"[{i % 4 + 1}]"),))
                 for i in range(300))
    table = Table(header=((Text("Figure"),), (Text("What it measures"),), (Text("Source"),)), rows=rows,
                  widths=(1, 3, 1))
    # a cell that splits inside its row, across a page end
    tall = Table(header=((Text("Field"),), (Text("Text"),)), rows=(((Text("a"),), (Text("word " * 3000),)),),
                 widths=(1, 4))
    document = tiny_document(table, tall)
    wraps = []  # every measurement, the kept ones too
    original = _pdf_story.BriefParagraph.wrap
    monkeypatch.setattr(_pdf_story.BriefParagraph, "wrap", lambda self, *a: wraps.append(self) or original(self, *a))
    rows_measured = []  # the rows of each table measurement
    calc_height = RlTable._calc_height
    monkeypatch.setattr(RlTable, "_calc_height",
                        lambda self, *a, **k: rows_measured.append(len(self._argH)) or calc_height(self, *a, **k))
    fast = write(document)
    measured, fast_rows = len(wraps), sum(rows_measured)
    # reportlab's table, tagged as the writer tags its own (shading and rules as artifacts)
    def whole(cls, data, style, *, window=True, **kwargs):  # one table of every row, styled
        made = cls(data, **kwargs)
        made.setStyle(style)
        return made

    monkeypatch.setattr(_pdf_story, "BriefTable",
                        type("PlainTable", (_pdf_tags.TaggedTable, RlTable), {"windowed": classmethod(whole)}))
    wraps.clear()
    rows_measured.clear()
    assert write(document) == fast  # same pages, byte for byte
    assert measured < len(wraps) * 0.75  # drawing still wraps each cell once
    assert fast_rows < sum(rows_measured) * 0.6  # a split after a wrap in the same space measures nothing again


def test_a_table_measured_in_another_space_is_measured_again():
    from reportlab.lib.styles import ParagraphStyle
    from reegen.writers._pdf_story import BriefParagraph, BriefTable

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)

    def data():
        return [[BriefParagraph(f"Row {i}", style), BriefParagraph("growth of " * (2 + i % 7), style)]
                for i in range(40)]

    # the same calls, in the same order, on reegen's table and on reportlab's
    mine, plain = BriefTable(data(), colWidths=["30%", "70%"]), RlTable(data(), colWidths=["30%", "70%"])
    for width, height in ((400, 300), (400, 300), (150, 300), (150, 90), (400, 300), (150, 300)):
        assert mine.wrap(width, height) == plain.wrap(width, height)
        assert mine._rowHeights == plain._rowHeights
        parts, plain_parts = mine.split(width, height), plain.split(width, height)
        assert [len(p._cellvalues) for p in parts] == [len(p._cellvalues) for p in plain_parts]
    spanned = BriefTable(data(), colWidths=["30%", "70%"], style=[("SPAN", (0, 0), (1, 0))])
    spanned.wrap(400, 300)
    assert spanned._measured_for is None  # spans: always measured


def test_paragraph_measured_again_answers_for_the_width_asked():
    # Layout measures a paragraph many times; the kept line breaking must follow the width.
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RlParagraph
    from reegen.writers._pdf_story import BriefParagraph

    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    text = "Words that wrap onto several lines when the column is narrow. " * 6
    mine, plain = BriefParagraph(text, style), RlParagraph(text, style)
    for width in (400, 120, 400, 400, 60):
        assert mine.wrap(width, 1000) == plain.wrap(width, 1000)
        assert mine.blPara.lines == plain.blPara.lines
    mine.wrap(400, 1000)
    assert mine.split(400, 11) == []  # no room for two lines: reportlab drops its line breaking
    assert mine.wrap(400, 1000) == plain.wrap(400, 1000)
    first, rest = mine.split(400, 24)
    assert first.wrap(400, 1000)[1] == 24 and rest.wrap(400, 1000)[1] == plain.wrap(400, 1000)[1] - 24


@pytest.mark.parametrize(("size", "width", "height"), [("A4", 595.28, 841.89), ("Letter", 612, 792),
                                                       ("letter", 612, 792)])
def test_page_size_follows_the_option(document, size, width, height):
    data = write(document, WriteOptions(page_size=size))
    for page in read(data).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((width, height), abs=0.01)


def test_unknown_page_size_is_a_render_error(document):
    with pytest.raises(RenderError, match="unknown page size 'A5'"):
        write(document, WriteOptions(page_size="A5"))


# ----------------------------------------------------------------------------- outline and contents


def _outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str]]:
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += _outline(reader, item, depth + 1)
        else:
            out.append((depth, item.title))
    return out


def test_outline_holds_each_heading_at_its_level(document):
    assert _outline(read(write(document))) == [
        (0, "Executive summary"), (0, "Key developments"), (1, "Market context"),
        (0, "Verification caveats"), (0, "Sources"),
    ]


def test_outline_never_skips_a_level():
    data = write(tiny_document(Heading(2, (Text("Starts at two"),), "a"), Heading(1, (Text("One"),), "b"),
                               Heading(3, (Text("Three under one"),), "c")))
    assert _outline(read(data)) == [(0, "Starts at two"), (0, "One"), (1, "Three under one")]


def test_table_of_contents_lists_level_one_and_two_headings_with_page_numbers(dossier_document):
    data = write(add_blocks(dossier_document, Heading(3, (Text("Deep detail"),), "deep")))
    texts = page_texts(data)
    lines = [t for _, t in visual_lines(read(data).pages[0])]
    start = lines.index("Contents")
    entries = {}
    for line in lines[start + 1:]:
        match = re.fullmatch(r"(.+?) [ .]+ (\d+)", line)
        if not match:
            break
        entries[match.group(1)] = int(match.group(2))
    assert list(entries) == ["Executive summary", "Key developments", "Market context", "Verification caveats",
                             "Sources"]
    assert entries["Sources"] == next(i for i, t in enumerate(texts, 1) if "1. Rare Earth Exchanges" in t)
    assert entries["Executive summary"] == 1


# ----------------------------------------------------------------------------- metadata and reproducibility


def test_metadata_carries_title_author_subject_keywords_and_source_date(document):
    info = read(write(document)).metadata
    assert info.title == "Baotou’s rare-earth magnet machine"
    assert info.author == "Strategy desk"
    assert info.subject == "What Western supply chains are up against"
    assert info["/Keywords"] == "baotou, magnets"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250720060000+00'00'"


def test_same_source_date_gives_byte_identical_output(dossier_document):
    assert write(dossier_document) == write(dossier_document)


def test_source_date_does_not_leak_into_later_builds(document):
    write(document)
    assert rl_config.invariant == 0
    later = read(write(document, WriteOptions())).metadata["/CreationDate"]
    assert later != "D:20250720060000+00'00'"


# ----------------------------------------------------------------------------- errors


def write_warned(document: Document):
    """Return the PDF text of `document` and the warnings the writer recorded."""
    from reegen.errors import Report

    report = Report()
    data = write(document, replace(PINNED, report=report))
    return "\n".join(page.extract_text() for page in read(data).pages), report.warnings


@pytest.mark.parametrize(("char", "code"), [("ሀ", "U+1200"), ("ท", "U+0E17"), ("\x00", "U+0000")])
def test_undrawable_character_is_a_placeholder_and_a_warning_naming_code_point_and_source(document, char, code):
    bad = add_blocks(document, Paragraph((Text(f"Output grew {char} fast"),), SourceRef("baotou-symposium", "lead", 31), (2,)))
    text, warnings = write_warned(bad)
    assert "Output grew \ufffd fast" in text
    assert len(warnings) == 1 and warnings[0].code == "render.missing-glyph"
    message = warnings[0].message
    assert code in message and "article 'baotou-symposium'" in message and "line 31" in message


@pytest.mark.parametrize("char", ["\U0001F9F2", "\U0001F9A0", "क", "✅"])
def test_emoji_and_devanagari_are_drawn_without_a_warning(char):
    text, warnings = write_warned(tiny_document(Paragraph((Text(f"Output grew {char} fast"),))))
    assert warnings == [] and "\ufffd" not in text


def test_undrawable_character_in_the_title_names_the_title(document):
    _, warnings = write_warned(replace(document, meta=replace(document.meta, title="ሀ magnets")))
    assert any(re.search(r"U\+1200 'ሀ' in the title", w.message) for w in warnings), warnings


def test_undrawable_character_in_a_list_names_the_list_items_source():
    item = ListItem((Paragraph((Text("bad ሀ"),)),), SourceRef("baotou-zone", None, 5))
    _, warnings = write_warned(tiny_document(BulletList((item,))))
    assert len(warnings) == 1 and re.search(r"U\+1200.*article 'baotou-zone', line 5", warnings[0].message), warnings


def test_other_spaces_and_invisible_marks_are_drawn_without_error():
    text = " ".join(page_texts(write(tiny_document(Paragraph((Text("a\u2009b\u202fc\u200ed\u3000e"),))))))
    assert "a b cd e" in text


def test_layout_failure_becomes_a_render_error_naming_the_block(document, monkeypatch):
    def broken_draw(self):
        raise ValueError("boom")

    monkeypatch.setattr(RlTable, "draw", broken_draw)
    with pytest.raises(RenderError) as caught:
        write(tiny_document(Quote((Paragraph((Text("quoted"),)),), SourceRef("baotou-zone", "lead", 9))))
    assert "quote from article 'baotou-zone', line 9" in str(caught.value)
    assert "boom" in str(caught.value)
    assert caught.value.code == "render.layout"


# ----------------------------------------------------------------------------- external tools


@pytest.mark.render
def test_fonts_are_all_embedded(tmp_path, dossier_document):
    out = run_tool(tmp_path, write(dossier_document), "pdffonts")
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        # columns from the right: object ID (2), uni, sub, emb
        assert row[-5] == "yes", row


@pytest.mark.render
def test_qpdf_check_passes(tmp_path, dossier_document):
    out = run_tool(tmp_path, write(dossier_document), "qpdf", "--check")
    assert "No syntax or stream encoding errors" in out


@pytest.mark.render
def test_pdftotext_gives_words_without_glued_tokens(tmp_path, document):
    text = squash(run_tool(tmp_path, write(document), "pdftotext"))
    for phrase in ("S&P-style <fast> lanes. [1]", "velocity. Business registration", "half a day; adjudication time",
                   "fell by 30% [1]. Cited markers stay visible [2: ref. 1, 2]. [1]",
                   "¥110 million (~$15.2 million), €3 and £4 — x < y & z", "Page 1 of"):
        assert phrase in text, phrase
    assert not re.search(r"[a-z][.;,][A-Za-z]", text.replace("example.org", "").replace("S&P", ""))


@pytest.mark.render
def test_long_urls_wrap_inside_the_frame(tmp_path):
    url = "https://www.example.com/news/2025/07/20/" + "a-very-long-slug-" * 12 + "?utm_source=x&utm_campaign=" + "y" * 90
    document = tiny_document(
        BulletList((ListItem((Paragraph((Text("see "), Link(url, (Text(url),)))),)),)),
        SourcesList((SourceEntry(1, (Text("Example News, 20 July 2025."),), url=url),)),
    )
    out = run_tool(tmp_path, write(document), "pdftotext", "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', out)]
    assert right_edges and max(right_edges) <= 595.28 - 22 * 72 / 25.4 + 1


# ----------------------------------------------------------------------------- CJK and other scripts (issue 5)

CJK_SOURCE = SourceRef("baotou-cjk", "lead", 7)
CJK_LONG = "包头市是内蒙古自治区的重要工业城市，北方稀土的所在地，稀土资源丰富。" * 12


def cjk_document() -> Document:
    return Document(
        Meta(title="包头稀土简报 — Baotou brief", subtitle="北方稀土与磁材产业链", classification="内部 — Internal"),
        (
            Heading(1, (Text("摘要 Summary"),), "summary"),
            Paragraph((Text("Baotou (包头) hosts 北方稀土; costs ¥110 million, €3, £4 — “quoted”."),), CJK_SOURCE, (1,)),
            Paragraph((Text(CJK_LONG),), CJK_SOURCE, (1,)),
            Heading(1, (Text("Sources"),), "sources"),
            SourcesList((SourceEntry(1, (Text("包头日报, “包头稀土高新区加快磁材项目审批”, 3 July 2025."),)),)),
        ) + tuple(Paragraph((Text(f"第{i}段。" + CJK_LONG),), CJK_SOURCE) for i in range(3)),
    )


def test_cjk_latin_curly_quotes_and_currency_all_come_back_as_text():
    text = " ".join(page_texts(write(cjk_document())))
    for phrase in ("包头稀土简报 — Baotou brief", "Baotou (包头) hosts 北方稀土; costs ¥110 million, €3, £4 — “quoted”.",
                   "摘要 Summary", "包头日报"):
        assert phrase in text, phrase


def test_cjk_runs_are_drawn_with_the_bundled_cjk_font_and_latin_with_dejavu():
    reader = read(write(cjk_document()))
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values() for f in [f.get_object()]}
    assert any(name.endswith("+DroidSansFallback") for name in fonts), fonts
    assert any(name.endswith("+DejaVuSans") for name in fonts), fonts
    assert not any("Helvetica" in name for name in fonts), fonts


def test_running_header_draws_a_cjk_title():
    pages = read(write(cjk_document())).pages
    assert len(pages) > 1
    assert "包头稀土简报 — Baotou brief" in header_text(pages[1])
    assert "内部 — Internal" in header_text(pages[1])


def test_cjk_metadata_title_is_unicode():
    assert read(write(cjk_document())).metadata.title == "包头稀土简报 — Baotou brief"


def test_cjk_output_is_byte_identical_with_a_pinned_date():
    assert write(cjk_document()) == write(cjk_document())


@pytest.mark.parametrize(("written", "read_back"), [
    ("word مرحبا بكم word", "مرحبا بكم"), ("word שלום עולם word", "שלום עולם"), ("word ٠١٢ word", "٠١٢"),
])
def test_right_to_left_text_is_drawn_without_a_warning_and_reads_back_in_order(written, read_back):
    import unicodedata

    text, warnings = write_warned(tiny_document(Paragraph((Text(written),), CJK_SOURCE)))
    assert warnings == []
    # Arabic is drawn with its joined presentation forms; NFKC folds them back to letters.
    assert read_back in unicodedata.normalize("NFKC", text).replace("\u00a0", " ")


def test_code_uses_the_monospaced_face_and_falls_back_for_cjk():
    from reegen.model import Code

    reader = read(write(tiny_document(Paragraph((Code("x = 包头"),)))))
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("+DejaVuSansMono") for name in fonts), fonts
    assert any(name.endswith("+DroidSansFallback") for name in fonts), fonts


@pytest.mark.render
def test_cjk_pdf_embeds_every_font_and_passes_qpdf(tmp_path):
    data = write(cjk_document())
    rows = [line.split() for line in run_tool(tmp_path, data, "pdffonts").splitlines()[2:] if line.strip()]
    assert any("DroidSansFallback" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows), rows
    assert "No syntax or stream encoding errors" in run_tool(tmp_path, data, "qpdf", "--check")


@pytest.mark.render
def test_cjk_paragraphs_wrap_inside_the_frame_without_losing_characters(tmp_path):
    data = write(cjk_document())
    out = run_tool(tmp_path, data, "pdftotext", "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', out)]
    assert right_edges and max(right_edges) <= 595.28 - 22 * 72 / 25.4 + 1
    text = "".join(run_tool(tmp_path, data, "pdftotext").split())
    assert CJK_LONG in text and "第0段。" + CJK_LONG in text


def test_the_first_column_of_a_table_is_bold_so_the_figures_stand_out(document):
    drawn: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            drawn.setdefault(text.strip(), str(font["/BaseFont"]).split("+")[-1])

    for page in read(write(document)).pages:
        page.extract_text(visitor_text=visit)
    assert drawn["12%"] == "DejaVuSans-Bold"
    assert drawn["Row 12 growth of private enterprises"] == "DejaVuSans"


def test_the_canvas_saves_and_restores_the_state_reportlab_does():
    from reportlab.pdfgen.canvas import Canvas
    from reegen.writers.pdf import _BriefCanvas

    ours, theirs = _BriefCanvas(io.BytesIO()), Canvas(io.BytesIO())
    for canvas in (ours, theirs):
        canvas.setFont("Helvetica", 9)
        canvas.translate(10, 20)
        canvas.setFillColorRGB(0.1, 0.2, 0.3)
        canvas.saveState()
        canvas.setFont("Courier", 12)
        canvas.rotate(30)
        canvas.setFillAlpha(0.5)

    def saved(canvas):  # reportlab keeps each saved state as a dict, reegen as a tuple of the same values
        return [dict(s) if isinstance(s, dict) else dict(zip(Canvas.STATE_ATTRIBUTES, s)) for s in canvas.state_stack]

    def state(canvas):
        return [{k: v for k, v in s.items() if k != "_extgstate"} for s in saved(canvas)]

    assert state(ours) == state(theirs) and state(ours)[-1]["_fontname"] == "Helvetica"
    assert [s["_extgstate"]._d for s in saved(ours)] == [s["_extgstate"]._d for s in saved(theirs)]
    # the transparency state saved is a copy: what is set after saving does not reach it
    assert saved(ours)[-1]["_extgstate"] is not ours._extgstate
    assert saved(ours)[-1]["_extgstate"]._d != ours._extgstate._d
    ours.restoreState(), theirs.restoreState()
    names = Canvas.STATE_ATTRIBUTES[:-1]
    assert [getattr(ours, n) for n in names] == [getattr(theirs, n) for n in names]
    assert ours._extgstate._d == theirs._extgstate._d and type(ours._extgstate) is type(theirs._extgstate)
    assert ours._code == theirs._code
