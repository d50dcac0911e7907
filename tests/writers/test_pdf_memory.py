"""The PDF writer's memory: a brief's pages, objects and tags are freed when the writer returns.

The `reegen` program holds Python's cyclic collector off during a build (`reegen.collector`),
so whatever the writer leaves in reference cycles stays in memory while the next format
is rendered; on a 1,000-page brief that was half a million objects.
"""

from __future__ import annotations

import collections
import gc

import pytest

from reegen.writers import _pdf_tags
from reegen.writers import _rl_compat as compat

from .conftest import make_document, write_pdf


def _left_in_cycles(render) -> collections.Counter:
    """Run `render()` with the collector off; return the types of the objects it left in reference cycles."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        render()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
    finally:
        gc.set_debug(0)
        if was:
            gc.enable()
    found = collections.Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
    gc.garbage.clear()
    return found


def test_the_pdf_writer_leaves_no_pages_or_tags_in_reference_cycles():
    document = make_document(toc=True)  # a contents page: several layout passes, a canvas each
    left = _left_in_cycles(lambda: write_pdf(document))
    kept = {name: n for name, n in left.items()
            if name.startswith(("reportlab.pdfbase.pdfdoc.", "reportlab.pdfgen.", "reegen.writers."))}
    assert not kept, kept


def test_a_released_tree_is_unlinked():
    tree = _pdf_tags.StructureTree("en", "T")
    section = tree.root.add("Sect")
    paragraph = section.add("P")
    _pdf_tags.release_tree(tree.root)
    assert tree.root.kids == [] and section.kids == []
    assert section.parent is None and paragraph.parent is None


def test_the_pdf_written_into_a_file_is_the_pdf_written_as_bytes_and_never_buffered(tmp_path, monkeypatch):
    # A build stages the PDF by `write_file`: reportlab writes the finished file straight into the
    # staging file, with no in-memory copy of it beside the pieces it is joined from.
    import io
    import types

    from reegen.writers import WriteOptions, get_writer, pdf

    from .conftest import WHEN

    document = make_document(toc=True)  # several layout passes; only the last one saves
    expected = write_pdf(document)
    buffers = []

    def counted_bytes_io(*args):
        buffers.append(args)
        return io.BytesIO(*args)

    monkeypatch.setattr(pdf, "io", types.SimpleNamespace(BytesIO=counted_bytes_io))
    with open(tmp_path / "brief.pdf", "w+b") as out:
        out.write(b"left by an earlier layout, to be overwritten")
        get_writer("pdf").write_file(document, WriteOptions(source_date=WHEN), out)
    assert (tmp_path / "brief.pdf").read_bytes() == expected
    assert buffers == []


def _long_document(title: str = "Baotou’s rare-earth magnet machine"):
    """Return `make_document()` with its key developments run to several pages, citing sources listed at the end.

    Headings follow headings and lead-ins end in colons, so that keep-with-next chains
    meet the points where the story is made further; one lead-in has a character no PDF
    font draws.
    """
    import dataclasses

    from reegen.model import BulletList, Heading, ListItem, Paragraph, Ref, Text

    from .conftest import SRC

    document = make_document()
    extra = []
    for n in range(1, 41):
        extra += [
            Heading(2, (Text(f"Development {n}"),), f"development-{n}"),
            Heading(3, (Text(f"What changed in round {n}"),), f"round-{n}"),
            Paragraph((Text(f"Approvals in round {n} took under half a day in the zone's fast lanes, "
                            "and registrations kept pace with the new plants "), Ref((1 + n % 2,)), Text(".")), SRC, (1,)),
            Paragraph((Text(f"Round {n} brought" + (" ท:" if n == 30 else ":")),), SRC, (1,)),
            BulletList(tuple(ListItem((Paragraph((Text(f"item {n}.{i}"),), SRC, (1,)),), SRC) for i in range(3))),
        ]
    at = next(i for i, b in enumerate(document.blocks) if isinstance(b, Heading) and b.anchor == "market-context")
    blocks = (*document.blocks[:at], *extra, *document.blocks[at:])
    return dataclasses.replace(document, blocks=blocks, meta=dataclasses.replace(document.meta, title=title))


def test_the_story_is_made_as_the_layout_asks_for_it(monkeypatch):
    # A brief's flowables are made a few blocks ahead of the layout, not all before it: a
    # 1,000-page brief's paragraphs were all alive at once (about 40 MB of the PDF's peak).
    from reegen.writers import pdf
    from reegen.writers._pdf_story import StoryBuilder

    made, at_first_page = [], []
    parts = StoryBuilder.parts

    def counted(builder):
        for part in parts(builder):
            made.append(part)
            yield part

    show_page = pdf._BriefCanvas.showPage

    def first_page_shown(canvas):
        if not at_first_page:
            at_first_page.append(len(made))
        show_page(canvas)

    monkeypatch.setattr(StoryBuilder, "parts", counted)
    monkeypatch.setattr(pdf._BriefCanvas, "showPage", first_page_shown)
    write_pdf(_long_document())
    assert len(made) > 200  # every part was made, once
    assert at_first_page[0] < len(made) / 10


def test_the_story_made_as_it_goes_gives_the_pdf_and_warnings_of_the_whole_story_made_first(monkeypatch):
    # The same bytes (links to sources described by the Sources list made pages later,
    # keep-with-next chains across the parts) and the same warnings in the same order
    # (the running header's after the story's, as when the whole story was made first).
    from reegen.errors import Report
    from reegen.writers import WriteOptions, get_writer
    from reegen.writers._pdf_story import StoryBuilder

    from .conftest import WHEN

    document = _long_document(title="Baotou’s magnet machine ሀ")

    def write():
        report = Report()
        data = get_writer("pdf").write(document, WriteOptions(source_date=WHEN, report=report))
        return data, [(d.message, d.location) for d in report.warnings]

    as_it_goes = write()
    parts = StoryBuilder.parts
    monkeypatch.setattr(StoryBuilder, "parts", lambda builder: iter([[f for part in parts(builder) for f in part]]))
    whole_first = write()
    assert len(as_it_goes[1]) == 2  # the title's (the title page's, the running header's) and a paragraph's
    assert as_it_goes == whole_first


@pytest.mark.skipif(not compat.active("fast"), reason="the fast paths are off with this reportlab")
def test_the_file_is_written_as_its_objects_are_formatted_with_the_bytes_reportlab_joins(monkeypatch):
    # The "stream" fast path writes each object into the file as it is formatted: reportlab's
    # own keeps them all and joins them (a 1,000-page brief's 16 MB twice over, at the peak).
    from reportlab.pdfbase import pdfdoc

    joined = []
    join = pdfdoc.PDFFile.format

    def recorded(self, document):
        joined.append(self)
        return join(self, document)

    monkeypatch.setattr(pdfdoc.PDFFile, "format", recorded)
    document = make_document(toc=True)  # several layout passes; only the last one saves
    before = compat.ran["stream"]
    streamed = write_pdf(document)
    assert compat.ran["stream"] == before + 1 and joined == []
    with compat.without("stream"):
        plain = write_pdf(document)
    assert compat.ran["stream"] == before + 1 and len(joined) == 1
    assert streamed == plain
