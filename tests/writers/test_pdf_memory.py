"""The PDF writer's memory: a brief's pages, objects and tags are freed when the writer returns.

The `reegen` program holds Python's cyclic collector off during a build (`reegen.collector`),
so whatever the writer leaves in reference cycles stays in memory while the next format
is rendered; on a 1,000-page brief that was half a million objects.
"""

from __future__ import annotations

import collections
import gc

from reegen.writers import _pdf_tags

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
