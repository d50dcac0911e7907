"""The PDF writer's uses of reportlab's canvas, document and table internals, and their public fallbacks.

Each ("totals", "names", "keep", "memo", "split": see `_rl_compat`) runs on the pinned
reportlab (the tests check that it did the work) and, held off, leaves the brief's text
as it was. These tests also run in CI on the oldest supported reportlab (`.ci/run`),
which is inside the internals' range.
"""

from __future__ import annotations

import io
import re
import warnings

import pytest
from pypdf import PdfReader

from reegen import api
from reegen.model import Document, Heading, Meta, Paragraph, Table, Text
from reegen.writers import _rl_compat as compat
from reegen.writers import pdf as pdf_writer

from .conftest import REPO, write_pdf

pytestmark = pytest.mark.skipif(not compat.active("internals"),
                                reason="the internals are off with this reportlab")

_FOOTER = re.compile(r"Page \d+ of \d+")
#: a page's text up to its footer: the running header (from the second page on) and the footer
_FURNITURE = re.compile(r"\A.*?Page \d+ of \d+")


@pytest.fixture(autouse=True)
def fast_paths_off_say_so_quietly():
    """Outside the fast paths' range (CI's oldest reportlab) the first PDF warns; not these tests' subject."""
    with warnings.catch_warnings():
        if not compat.active():
            warnings.simplefilter("ignore", compat.FallbackWarning)
        yield


@pytest.fixture(scope="module")
def dossier() -> Document:
    return api.load_document(REPO / "briefs" / "baotou-dossier.yaml")


def pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def words(pdf: bytes) -> list[str]:
    return body_words(pages(pdf))


def body_words(texts: list[str]) -> list[str]:
    """The brief's words in reading order without the page furniture: the same text wherever the page breaks fall.

    The running header and the "Page X of Y" footer are drawn before a page's body, so each
    page's text up to its footer is furniture.
    """
    return " ".join(_FURNITURE.sub(" ", text, count=1) for text in texts).split()


def written(document: Document, name: str) -> tuple[bytes, int]:
    """Return the PDF of `document` and how many times internal `name` did its work for it."""
    before = compat.ran[name]
    data = write_pdf(document, base_dir=REPO)
    return data, compat.ran[name] - before


def held_off(document: Document, name: str) -> bytes:
    before = compat.ran[name]
    with compat.without(name):
        data = write_pdf(document, base_dir=REPO)
    assert compat.ran[name] == before  # the public way was taken
    return data


def table_after_filler(count: int) -> Document:
    """A heading and a six-row table after `count` short paragraphs: for some counts it meets a page foot."""
    wordy = "a value the port describes at length, so that its cell wraps onto three or four lines of its column"
    rows = tuple(((Text(f"row{k}"),), (Text(wordy),)) for k in range(1, 7))
    table = Table(header=((Text("Name"),), (Text("Value"),)), rows=rows, widths=(3, 1))
    fillers = [Paragraph((Text(f"Filler paragraph number {n} of the page."),)) for n in range(count)]
    return Document(Meta(title="Brief"), (*fillers, Heading(2, (Text("Port figures"),), "port"), table))


@pytest.mark.parametrize("name", ["totals", "names", "keep", "memo"])
def test_each_internal_runs_on_the_dossier_and_its_public_way_gives_the_same_text(dossier, name):
    gated, runs = written(dossier, name)
    assert runs > 0
    public = held_off(dossier, name)
    assert words(public) == words(gated)


def test_page_totals_of_the_public_way_are_right_on_every_page(dossier):
    gated, runs = written(dossier, "totals")
    public = held_off(dossier, "totals")
    assert runs == len(pages(gated))  # one footer drawn at save time per page
    for data in (gated, public):
        texts = pages(data)
        assert [_FOOTER.search(t).group() for t in texts] == [f"Page {k} of {len(texts)}" for k in
                                                             range(1, len(texts) + 1)]
    assert pages(public) == pages(gated)  # the footers do not move the body


def test_named_destinations_only_on_the_gated_way_with_links_to_the_same_pages(dossier):
    def targets(data: bytes) -> list[int]:
        reader = PdfReader(io.BytesIO(data))
        found = []
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                dest = annotation.get("/Dest")
                if dest is None:
                    continue
                if not isinstance(dest, (list, tuple)):  # a name: look it up in the name tree
                    dest = reader.named_destinations[str(dest)]
                    found.append(reader.get_destination_page_number(dest))
                else:
                    found.append(reader.get_page_number(dest[0].get_object()))
        return found

    gated, runs = written(dossier, "names")
    public = held_off(dossier, "names")
    assert runs > 0 and _name_tree(gated) and not _name_tree(public)
    assert targets(public) == targets(gated) and targets(gated)


def _name_tree(data: bytes) -> bool:
    root = PdfReader(io.BytesIO(data)).trailer["/Root"].get_object()
    return "/Names" in root and "/Dests" in root["/Names"].get_object()


def test_the_table_split_rule_runs_and_its_public_way_keeps_every_row():
    runs = 0
    for count in (24, 27, 30, 33):
        document = table_after_filler(count)
        gated, ran = written(document, "split")
        runs += ran
        assert words(held_off(document, "split")) == words(gated)
    assert runs > 0


def test_outside_their_range_the_internals_are_off_with_one_warning_and_the_same_text(dossier, monkeypatch):
    reference = write_pdf(dossier, base_dir=REPO)
    monkeypatch.setattr(compat, "_warned", set())
    monkeypatch.setattr(compat, "_internals_off", "reportlab 9.9 is outside the range")
    before = {name: compat.ran[name] for name in compat.INTERNALS}
    with pytest.warns(compat.FallbackWarning, match="9.9") as caught:
        data = write_pdf(dossier, base_dir=REPO)
    assert len(caught) == 1
    assert {name: compat.ran[name] for name in compat.INTERNALS} == before
    assert words(data) == words(reference)


def test_an_internal_meeting_a_reshaped_reportlab_falls_back_once_with_the_same_text(dossier, monkeypatch):
    reference = write_pdf(dossier, base_dir=REPO)
    # (with the fast paths off, as on the oldest supported reportlab, the process has said so already)
    monkeypatch.setattr(compat, "_warned", set() if compat.active() else {"fallback"})
    monkeypatch.setattr(compat, "_off_reason", compat._off_reason)
    monkeypatch.setattr(compat, "_internals_off", None)

    draw_totals = pdf_writer._BriefCanvas._draw_page_totals

    def reshaped(self):  # as if reportlab's canvas had renamed its content list
        if self._reegen_totals:
            raise AttributeError("'Canvas' object has no attribute '_code'")
        draw_totals(self)

    monkeypatch.setattr(pdf_writer._BriefCanvas, "_draw_page_totals", reshaped)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = write_pdf(dossier, base_dir=REPO)
    said = [str(w.message) for w in caught if w.category is compat.FallbackWarning]
    if compat.active():  # said once
        assert len(said) == 1 and "'totals' use of reportlab internals failed" in said[0], said
    else:
        assert said == []
    assert not compat.active("internals")
    assert compat.active() == (compat._off_reason is None)  # the fast paths are a group of their own
    assert pages(data) == pages(reference)


def long_table(rows: int, *, header: bool = True, tall: bool = False) -> Document:
    """A document with a two-column table of `rows` rows after a few paragraphs; `tall`: some rows split inside."""
    wordy = " ".join(["a long cell of words that wraps over many lines of its narrow column"] * 12)
    body = tuple(((Text(f"row {k}"),), (Text(wordy if tall and k % 7 == 0 else f"value {k}"),)) for k in range(rows))
    table = Table(header=((Text("Name"),), (Text("Value"),)) if header else (), rows=body, widths=(1, 3))
    lead = tuple(Paragraph((Text(f"Paragraph {n} before the table."),)) for n in range(5))
    return Document(Meta(title="Brief"), (*lead, table, Paragraph((Text("After the table."),))))


@pytest.mark.parametrize("shape", [{}, {"header": False}, {"tall": True}])
def test_a_long_table_given_a_window_at_a_time_makes_the_same_pdf(shape):
    document = long_table(420, **shape)
    gated, runs = written(document, "window")
    assert runs > 0
    assert held_off(document, "window") == gated  # byte for byte, every page, line and stripe


def test_a_long_tables_layout_work_grows_with_its_rows_not_their_square(monkeypatch):
    from reportlab.platypus import tables

    handed = []
    init = tables.Table.__init__

    def counted(self, data, *args, **kwargs):
        handed[-1] += len(data)
        return init(self, data, *args, **kwargs)

    monkeypatch.setattr(tables.Table, "__init__", counted)

    def per_row(rows: int, *, gated: bool) -> float:
        handed.append(0)
        if gated:
            assert written(long_table(rows), "window")[1] > 0
        else:
            held_off(long_table(rows), "window")
        return handed[-1] / rows

    small, large = per_row(300, gated=True), per_row(1200, gated=True)
    assert large < 1.25 * small  # rows handed to reportlab's tables: about a constant a row
    # one table of every row (reportlab's own way) remakes the rest at every page: four times the rows,
    # about four times the work a row
    assert per_row(1200, gated=False) > 3 * per_row(300, gated=False)


def test_a_long_table_in_a_quote_is_one_table_with_every_row():
    from reegen.model import Quote

    rows = tuple(((Text(f"row{k}"),), (Text(f"value{k}"),)) for k in range(150))
    table = Table(header=((Text("Name"),), (Text("Value"),)), rows=rows)
    document = Document(Meta(title="Brief"), (Quote((table,)),))
    data, runs = written(document, "window")
    assert runs == 0  # measured whole by the quote's box, so never given a window at a time
    assert [w for w in words(data) if w.startswith("row")] == [f"row{k}" for k in range(150)]
