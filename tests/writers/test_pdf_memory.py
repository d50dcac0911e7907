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
