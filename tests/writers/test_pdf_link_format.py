"""Link annotations and named destinations are written without reportlab's general machinery: the bytes must not change."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray, PDFDocument, PDFString

from reegen.writers import _rl_compat as compat
from reegen.writers.pdf import _Link

# These compare the ``links`` fast path with reportlab's own formatting: only where it runs.
pytestmark = pytest.mark.skipif(not compat.active(), reason="the fast paths are off with this reportlab")

_NUMBER = st.one_of(st.integers(-10_000, 10_000), st.floats(-1e5, 1e5, allow_nan=False, allow_infinity=False))


#: names as the writer makes them (source-3, a heading's key), and any text at all
_NAME = st.one_of(st.from_regex(r"[A-Za-z0-9_.-]{0,30}", fullmatch=True),
                  st.from_regex(r"[A-Za-z0-9_.() \\/#é-]{0,30}", fullmatch=True), st.text(max_size=30))


@given(rect=st.lists(_NUMBER, min_size=4, max_size=4), name=_NAME,
       contents=st.one_of(st.just(""), st.text(max_size=10)),
       border=st.lists(st.one_of(st.integers(0, 3), st.floats(0, 3)), min_size=3, max_size=3),
       encrypted=st.booleans())
@example(rect=[1, 2.5, 3, 4], name="a(b) c", contents="", border=[0, 0, 0], encrypted=False)
@example(rect=[1, 2.5, 3, 4], name="back\\slash", contents="", border=[0, 0, 0], encrypted=False)
@example(rect=[1, 2.5, 3, 4], name="café", contents="", border=[0, 0, 0], encrypted=False)
@example(rect=[1, 2.5, 3, 4], name="source-3", contents="", border=[0, 0, 0], encrypted=True)
def test_a_link_formats_as_reportlab_formats_it(rect, name, contents, border, encrypted):
    document = PDFDocument()
    if encrypted:  # strings are then written encrypted, never as they are
        encryption = StandardEncryption("secret")
        encryption.prepare(document)
        encryption.register(1, 0)  # as the document does for the object it formats
        document.encrypt = encryption
    kw = dict(Rect=tuple(rect), Contents=contents, Destination=PDFString(name), Border=PDFArray(border))
    before = compat.ran["links"]
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)
    assert compat.ran["links"] == before + 1  # formatted the fast way


def test_other_shapes_take_reportlab_s_own_way():
    document = PDFDocument()
    kw = dict(Rect="[0 0 1 1]", Contents="", Destination=PDFString("x"), Border=PDFArray([0, 0, 0]), C=PDFArray([1, 0, 0]))
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)
    kw = dict(Rect=(0, 0, 1, 1), Contents="", Destination=PDFString("x"), Border="[0 0 0]")
    assert _Link(**kw).format(document) == LinkAnnotation(**kw).format(document)


def _bound_destination():
    """A destination as a build leaves it: named by a heading on a page that was then shown."""
    import io

    from reegen.writers.pdf import _BriefCanvas

    canvas = _BriefCanvas(io.BytesIO())
    canvas.bookmarkHorizontal("h-baotou", 72.5, 700.25)
    canvas.showPage()
    return canvas._doc, canvas._destinations["h-baotou"]


_ZOOM = st.one_of(st.none(), st.just(0), _NUMBER, st.text(alphabet="null01. ", max_size=4))


@given(left=st.one_of(_NUMBER, st.none()), top=_NUMBER, zoom=_ZOOM, multiline=st.booleans())
@example(left=72.5, top=700.25, zoom=0, multiline=False)
def test_a_destination_formats_as_reportlab_formats_it(left, top, zoom, multiline):
    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import Destination, PDFDestinationXYZ

    from reegen.writers.pdf import _Destination

    document, destination = _bound_destination()
    assert type(destination) is _Destination
    destination.fmt = PDFDestinationXYZ(None, left, top, zoom)
    saved = rl_config.pdfMultiLine
    rl_config.pdfMultiLine = multiline
    try:
        assert destination.format(document) == Destination.format(destination, document)
    finally:
        rl_config.pdfMultiLine = saved


def test_a_destination_of_another_kind_or_unbound_takes_reportlab_s_own_way():
    import pytest
    from reportlab.pdfbase.pdfdoc import Destination

    document, destination = _bound_destination()
    assert destination.format(document) == Destination.format(destination, document)
    destination.fit()
    assert destination.format(document) == Destination.format(destination, document)
    destination.page = None
    with pytest.raises(ValueError, match="Page not bound"):
        destination.format(document)
