"""Link annotations are written without reportlab's dictionary machinery: the bytes must not change."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray, PDFDocument, PDFString

from reegen.writers.pdf import _Link

_NUMBER = st.one_of(st.integers(-10_000, 10_000), st.floats(-1e5, 1e5, allow_nan=False, allow_infinity=False))


@given(rect=st.lists(_NUMBER, min_size=4, max_size=4), name=st.text(max_size=30), contents=st.text(max_size=10),
       border=st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_a_link_formats_as_reportlab_formats_it(rect, name, contents, border):
    document = PDFDocument()
    kw = dict(Rect=tuple(rect), Contents=contents, Destination=PDFString(name), Border=PDFArray(border))
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)


def test_other_shapes_take_reportlab_s_own_way():
    document = PDFDocument()
    kw = dict(Rect="[0 0 1 1]", Contents="", Destination=PDFString("x"), Border=PDFArray([0, 0, 0]), C=PDFArray([1, 0, 0]))
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)
    kw = dict(Rect=(0, 0, 1, 1), Contents="", Destination=PDFString("x"), Border="[0 0 0]")
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)
