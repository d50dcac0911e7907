"""The PDF writer draws multi-fragment paragraphs itself: the page content must be what reportlab draws.

These compare the ``draw`` and ``subset`` fast paths with reportlab's own way, so they run
only where the fast paths do (see `reegen.writers._rl_compat`; the fallback has its own tests).
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from reegen import api
from reegen.writers import _pdf_story, _rl_compat as compat
from reegen.writers._pdf_draw import draw_paragraph
from reegen.writers._pdf_fonts import SubsetFont
from reegen.writers._pdf_frags import FragmentMaker
from reegen.writers._pdf_markup import Run, to_markup
from reegen.writers._pdf_story import StoryBuilder
from reegen.writers.pdf import _BriefCanvas

from .conftest import CASES, REPO, build_case, make_document, write_pdf
from .test_pdf_frags import _runs

pytestmark = pytest.mark.skipif(not compat.active(), reason="the fast paths are off with this reportlab")


def _scratch() -> _BriefCanvas:
    canvas = _BriefCanvas(io.BytesIO())
    canvas.translate(72.5, 301.25)  # as a frame places a flowable: link rectangles are made absolute
    return canvas


def _drawn(canvas) -> tuple:
    """What a paragraph left on `canvas`: its operators, link annotations and destinations."""
    doc = canvas._doc
    annotations = [doc.idToObject[ref.name].format(doc) for ref in canvas._annotationrefs]
    destinations = {name: (vars(d.fmt) if d.fmt else None) for name, d in canvas._destinations.items()}
    return canvas._code, annotations, destinations


def draws_alike(para) -> bool:
    """Draw wrapped `para` both ways on fresh canvases; assert equal results; return whether the fast way applied."""
    ours, theirs = _scratch(), _scratch()
    canvas = para.canv if hasattr(para, "canv") else None
    try:
        para.canv = ours
        fast = draw_paragraph(para)
        para.canv = theirs
        Paragraph.drawPara(para)
    finally:
        if canvas is None:
            del para.canv
        else:
            para.canv = canvas
    if not fast:
        assert _drawn(ours)[0] == ["1 0 0 1 72.5 301.25 cm"]  # nothing drawn before giving up
        return False
    assert _drawn(ours) == _drawn(theirs)
    return True


def _drawn_canvas(para):
    """A fresh canvas with wrapped `para` drawn on it the fast way."""
    canvas = _scratch()
    para.canv = canvas
    try:
        assert draw_paragraph(para)
    finally:
        del para.canv
    return canvas


@pytest.fixture
def checked(monkeypatch):
    """Compare every paragraph a build draws; count where the fast way applied, and where the build's own draw took it."""
    seen = {"fast": 0, "reportlab": 0, "drawn fast": 0}
    original = _pdf_story.draw_paragraph

    def check(para):
        seen["fast" if draws_alike(para) else "reportlab"] += 1
        before = compat.ran["draw"]
        drawn = original(para)
        assert compat.ran["draw"] == before + drawn  # the counter says what the build's own call did
        seen["drawn fast"] += drawn
        return drawn

    monkeypatch.setattr(_pdf_story, "draw_paragraph", check)
    return seen



@pytest.mark.parametrize("toc", [False, True])
def test_every_paragraph_of_the_writer_document_draws_as_reportlab_draws_it(checked, toc):
    write_pdf(make_document(toc=toc))
    # source-numbered paragraphs, nested bullets, a quote, headings with anchors, links, sources
    assert checked["fast"] > 20 and checked["drawn fast"] == checked["fast"]


@pytest.mark.parametrize("brief", ["baotou-executive", "baotou-dossier"])
def test_every_paragraph_of_the_sample_briefs_draws_as_reportlab_draws_it(checked, brief):
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    write_pdf(document, base_dir=REPO)
    assert checked["fast"] > 50 and checked["drawn fast"] == checked["fast"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_paragraph_of_the_hostile_cases_draws_as_reportlab_draws_it(checked, case, tmp_path):
    # CJK and fallback faces, long words cut across lines, odd spaces, emoji, links to odd places
    if build_case(case, tmp_path):
        assert checked["drawn fast"] == checked["fast"] > 0


_STYLES = ["body", "h1", "cell", "source", "quote", "note"]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_runs_draw_as_reportlab_draws_them(fonts, data):
    builder = StoryBuilder(make_document(), fonts)
    runs = data.draw(_runs(builder.inline))
    style = builder.styles[data.draw(st.sampled_from(_STYLES))]
    bullet = data.draw(st.sampled_from([None, "•", "10."]))
    frags = FragmentMaker().frags(runs, style)
    try:
        para = (Paragraph(None, style, bulletText=bullet, frags=frags) if frags is not None
                else Paragraph(to_markup(runs), style, bulletText=bullet))
    except ValueError:
        return  # markup reportlab refuses: the writer reports it
    para.wrap(data.draw(st.floats(40, 500)), 10_000)
    draws_alike(para)


def test_links_inside_links_are_drawn_in_reportlabs_order(fonts):
    body = StoryBuilder(make_document(), fonts).styles["body"]
    # Links that start on the same fragment are written in the order of their numbers.
    para = Paragraph('Output <a href="https://example.org/outer">rose <a href="#source-2">12%</a> '
                     'in <a href="#source-1">the</a> quarter</a> <a href="#source-3">[3]</a> and '
                     '<a href="#z"><a href="#y"><a href="#x">three at once</a></a></a>', body)
    para.wrap(120.0, 10_000)
    assert draws_alike(para)


def test_what_it_does_not_do_is_left_to_reportlab(fonts, tmp_path):
    builder = StoryBuilder(make_document(), fonts)
    body = builder.styles["body"]
    number = builder.inline.numbers((1,), 10, lead="\u00a0")

    def para(runs, style=body, width=200.0):
        p = Paragraph(None, style, frags=FragmentMaker().frags(runs, style))
        p.wrap(width, 10_000)
        return p

    ordinary = para([Run("Output rose 12% in the first quarter of the year, the bureau said"), number])
    assert draws_alike(ordinary)
    plain_text = para([Run("Plain text only, on a line or two of its own")], width=120.0)
    assert plain_text.blPara.kind == 0 and draws_alike(plain_text)  # one fragment: reportlab's simple branch
    bulleted = Paragraph("Plain text after a bullet", body, bulletText="\u2022")
    bulleted.wrap(120.0, 10_000)
    assert bulleted.blPara.kind == 0 and draws_alike(bulleted)
    linked = Paragraph('<a href="https://example.org/">All of it a link</a>', body)
    linked.wrap(200.0, 10_000)
    assert linked.blPara.kind == 0 and draws_alike(linked)  # one link over whole lines, as "[3]" in a cell
    long_link = Paragraph('<a href="#source-3">A link of several lines, all of it</a>', body, bulletText="1.")
    long_link.wrap(60.0, 10_000)
    assert long_link.blPara.kind == 0 and len(long_link.blPara.lines) > 2 and draws_alike(long_link)
    underlined = Paragraph('<u>All of it underlined</u>', body)
    underlined.wrap(200.0, 10_000)
    assert underlined.blPara.kind == 0 and not draws_alike(underlined)
    for changes in ({"alignment": TA_JUSTIFY}, {"alignment": TA_CENTER}, {"backColor": "#eeeeee"},
                    {"borderColor": "#000000", "borderWidth": 1}, {"autoLeading": "max"}, {"endDots": "."}):
        style = builder.styles.variant(body, **changes)
        assert not draws_alike(para([Run("Output rose 12% in the first quarter"), number], style)), changes
    for markup in ("Output <u>rose</u> 12%", "Output <super>2</super> rose",
                   "Output <span backColor='#eee'>rose</span>"):
        marked = Paragraph(markup + " in the quarter [1]", body)
        marked.wrap(200.0, 10_000)
        assert not draws_alike(marked), markup
    from PIL import Image
    Image.new("RGB", (8, 8), "#1f4e79").save(tmp_path / "dot.png")
    pictured = Paragraph(f'Output rose <img src="{tmp_path / "dot.png"}" width="8" height="8"/> 12% [1]', body)
    pictured.wrap(200.0, 10_000)
    assert not draws_alike(pictured)
    # A line wider than its room is squeezed with negative word spacing: drawn here too, with
    # the links after its spaces moved as reportlab moves them.
    unsplit = builder.styles.variant(body, splitLongWords=0)
    link = ('<a href="#source-2">', "</a>")
    for runs in ([Run("Monitoring " + "x" * 80), number],  # a word wider than the line
                 [Run("Monitoring the\u00a0works at Baotou " + "x" * 60 + " and then"), number],
                 [Run("Monitoring "), Run("the works at", (link,)), Run(" Baotou " + "x" * 70), number],
                 [Run("Monitoring the works "), Run("x" * 70 + " at Baotou", (link,)), Run(" and the rest")],
                 [Run(raw='<a name="here"/>'), Run("Monitoring the works " + "x" * 80)]):
        squeezed = para(runs, unsplit)
        assert squeezed.blPara.kind == 1 and any(line.extraSpace < 0 for line in squeezed.blPara.lines)
        assert draws_alike(squeezed), runs
    for text in ("Monitoring " + "x" * 80, "Monitoring the\u00a0works " + "x" * 80):
        squeezed = para([Run(text)], unsplit)
        assert squeezed.blPara.kind == 0 and any(extra < 0 for extra, _ in squeezed.blPara.lines)
        assert draws_alike(squeezed)
    # Lines a little wider than their room (reportlab lets spaces shrink by 5%), with links
    # starting, ending and running across the squeezed spaces, and no-break spaces.
    runs = [Run("Output at the Baotou\u00a0works rose "), Run("by twelve per cent in the", (link,)),
            Run(" first quarter of the year, the bureau said, and "), Run("exports", (link,)),
            Run(" followed within weeks"), number]
    squeezed_with_links = 0
    for tenth in range(1200, 3200, 7):
        p = para(runs, body, width=tenth / 10)
        squeezed = [line for line in p.blPara.lines if line.extraSpace < -1e-8 and line.wordCount > 1]
        if any(f.link for line in squeezed for f in line.words):
            assert draws_alike(p)
            assert " Tw" in " ".join(_drawn(_drawn_canvas(p))[0])
            squeezed_with_links += 1
    assert squeezed_with_links > 5
    one_fragment = 0
    for tenth in range(600, 2400, 7):
        p = para([Run("Output at the Baotou\u00a0works rose by twelve per cent in the first quarter")], body,
                 width=tenth / 10)
        if p.blPara.kind == 0 and any(extra < -1e-8 and len(words) > 1 for extra, words in p.blPara.lines):
            assert draws_alike(p) and " Tw" in " ".join(_drawn(_drawn_canvas(p))[0])
            one_fragment += 1
    assert one_fragment > 5
    linked = Paragraph('<a href="#source-2">Monitoring the works ' + "x" * 80 + "</a>", unsplit)
    linked.wrap(200.0, 10_000)
    assert linked.blPara.kind == 0 and any(extra < 0 for extra, _ in linked.blPara.lines) and draws_alike(linked)


def test_the_pdf_is_the_same_byte_for_byte_either_way():
    document = api.load_document(REPO / "briefs" / "baotou-dossier.yaml")
    before = compat.ran["draw"]
    fast = write_pdf(document, base_dir=REPO)
    drawn = compat.ran["draw"] - before
    assert drawn > 100  # the fast way drew the paragraphs
    with compat.without("draw"):
        assert write_pdf(document, base_dir=REPO) == fast
    assert compat.ran["draw"] - before == drawn  # held off, it drew none


# ---------------------------------------------------------------- subset encoding

_CHARS = st.sampled_from(list("Baotou magnet 12% ¥$€—–“”’é\u00a0\t\x00") + ["稀", "土", "😀", "\u0301", "\ufffe"]
                         + [chr(c) for c in range(0x100, 0x1A0)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(_CHARS, max_size=40), min_size=1, max_size=30))
def test_subset_encoding_is_reportlabs(fonts, texts):
    # Two faces of the same file, one per way, each with its own document: the codes each
    # assigns, in the order it meets the text, and every split must agree, through the
    # first subset filling up and a second one starting.
    _split_alike(texts * 2)  # the second time round, every character is assigned


def test_subset_encoding_is_reportlabs_across_subsets():
    # 600 characters fill the first subset and two more; then text mixing them, and text seen before.
    letters = [chr(c) for c in range(0x100, 0x358)]
    subsets = _split_alike(["plain text"] + ["".join(letters[i:i + 30]) for i in range(0, 600, 30)]
                           + ["Baotou " + "".join(letters[::7]), "plain\u00a0text", "".join(letters), "plain text"])
    assert subsets == 3


class _Doc:
    """A stand-in for the PDF document a font keeps its subsets for."""


def _split_alike(texts: list[str]) -> int:
    """Split `texts` in turn with reportlab's encoding and ours, each for its own document; assert equal.

    Returns how many subsets the texts filled.
    """
    path = str(REPO / "reegen" / "data" / "fonts" / "DejaVuSans.ttf")
    ours, theirs = SubsetFont("check-ours", path), TTFont("check-theirs", path)
    doc_ours, doc_theirs = _Doc(), _Doc()
    ours.splitString("", doc_ours), theirs.splitString("", doc_theirs)  # the state each document starts with
    for text in texts:
        assert ours.splitString(text, doc_ours) == theirs.splitString(text, doc_theirs), text
        assert ours.state[doc_ours].assignments == theirs.state[doc_theirs].assignments
    return len(theirs.state[doc_theirs].subsets)


def test_the_writer_embeds_its_faces_as_subset_fonts(fonts):
    assert isinstance(getFont(fonts.body.name), SubsetFont)


def test_text_in_the_first_subset_is_encoded_without_reportlabs_loop(monkeypatch):
    font = SubsetFont("check-fast", str(REPO / "reegen" / "data" / "fonts" / "DejaVuSans.ttf"))
    doc = _Doc()
    assert font.splitString("Baotou", doc) == [(0, b"Baotou")]
    text = "Baotou’s magnet output rose 12% — ¥1.2 billion"
    first = font.splitString(text, doc)  # assigns ’ — ¥ their codes
    monkeypatch.setattr(TTFont, "splitString", lambda *args: pytest.fail("reportlab's loop ran"))
    before = compat.ran["subset"]
    assert font.splitString(text, doc) == first
    assert font.splitString("rose\u00a012%", doc) == [(0, b"rose 12%")]
    assert compat.ran["subset"] == before + 2
