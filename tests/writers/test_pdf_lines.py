"""The PDF writer breaks multi-fragment paragraphs itself: the lines must be the ones reportlab breaks.

These compare the ``lines`` fast path with reportlab's own way, so they run only where the
fast paths do (see `reegen.writers._rl_compat`; the fallback has its own tests).
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from reegen import api
from reegen.writers import _pdf_story, _rl_compat as compat
from reegen.writers._pdf_frags import FragmentMaker
from reegen.writers._pdf_lines import WidthCache, break_lines
from reegen.writers._pdf_markup import Run, to_markup
from reegen.writers._pdf_story import StoryBuilder

from .conftest import CASES, REPO, build_case, make_document, plain, write_pdf
from .test_pdf_frags import _runs

pytestmark = pytest.mark.skipif(not compat.active(), reason="the fast paths are off with this reportlab")


def _plain(value):
    """Lines and fragment words as plain data, keeping the kinds of list reportlab tells apart."""
    return plain(value, kinds=True)


def _twin(para) -> Paragraph:
    """A plain reportlab Paragraph with copies of `para`'s fragments, not yet broken into lines."""
    return Paragraph(None, para.style, bulletText=para.bulletText, frags=copy.deepcopy(para.frags))


def agrees(para, width) -> bool:
    """Break `para` both ways at `width`; assert equal results; return whether the fast way applied.

    `para` itself is left as it was: both ways work on copies.
    """
    theirs, ours = _twin(para), _twin(para)
    theirs_widths, ours_widths = list(width), list(width)
    expected = Paragraph.breakLines(theirs, theirs_widths)
    got = break_lines(ours, ours_widths, WidthCache())
    if got is None:  # reportlab then breaks the lines as if nothing had been tried
        assert _plain(Paragraph.breakLines(ours, ours_widths)) == _plain(expected)
        assert ours_widths == theirs_widths
        return False
    assert _plain(got) == _plain(expected)
    assert _plain(ours.frags) == _plain(theirs.frags)  # the word list a page split works from
    assert ours_widths == theirs_widths  # a wide bullet narrows the first line in the caller's list
    assert (ours._width_max, ours.height) == (theirs._width_max, theirs.height)
    return True


@pytest.fixture
def checked(monkeypatch):
    """Compare every line breaking a build asks for (and two narrower ones); count where it applied.

    "broken fast" counts the build's own calls that the fast path answered (its counter says so).
    """
    seen = {"fast": 0, "reportlab": 0, "broken fast": 0}
    original = _pdf_story.break_lines

    def check(para, width, widths):
        if isinstance(width, list):
            for w in (width, [w * 0.45 for w in width], [90.0, 60.0]):
                seen["fast" if agrees(para, w) else "reportlab"] += 1
        before = compat.ran["lines"]
        lines = original(para, width, widths)
        assert compat.ran["lines"] == before + (lines is not None)
        seen["broken fast"] += lines is not None
        return lines

    monkeypatch.setattr(_pdf_story, "break_lines", check)
    return seen



@pytest.mark.parametrize("toc", [False, True])
def test_every_paragraph_of_the_writer_document_breaks_as_reportlab_breaks_it(checked, toc):
    write_pdf(make_document(toc=toc))
    assert checked["fast"] > 60 and checked["broken fast"] > 20


@pytest.mark.parametrize("brief", ["baotou-executive", "baotou-dossier"])
def test_every_paragraph_of_the_sample_briefs_breaks_as_reportlab_breaks_it(checked, brief):
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    write_pdf(document, base_dir=REPO)
    # Source-numbered paragraphs, bullets, headings with anchors, source entries, table cells.
    assert checked["fast"] > 150 and checked["broken fast"] > 50


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_paragraph_of_the_hostile_cases_breaks_as_reportlab_breaks_it(checked, case, tmp_path):
    # CJK wrapping, fallback faces, 5,000-character words and URLs, control characters, odd spaces.
    if build_case(case, tmp_path):
        assert checked["broken fast"] > 0


_STYLES = ["body", "h1", "cell", "source", "quote"]
#: texts as no folding leaves them: tabs, new lines, runs of spaces, no-break and other spaces
_RAW = st.lists(st.sampled_from(["magnet", "12%", "¥1", "a", " ", "  ", "\t", "\n", "\u00a0", "\u2009",
                                 "\u3000", "\x0b", ""]), max_size=6).map("".join)


def _any_runs(fonts, data) -> tuple[list[Run], object]:
    """Runs the writer could make, and one of its paragraph styles, drawn at random."""
    builder = StoryBuilder(make_document(), fonts)
    return data.draw(_runs(builder.inline)), builder.styles[data.draw(st.sampled_from(_STYLES))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_runs_break_as_reportlab_breaks_them(fonts, data):
    runs, style = _any_runs(fonts, data)
    bullet = data.draw(st.sampled_from([None, "•", "10.", "a very wide bullet"]))
    frags = FragmentMaker().frags(runs, style)
    if frags is not None and data.draw(st.booleans()):  # fragments made some other way
        for f in frags:
            if "cbDefn" not in f.__dict__ and "lineBreak" not in f.__dict__:
                f.text = data.draw(_RAW)
    try:
        para = (Paragraph(None, style, bulletText=bullet, frags=frags) if frags is not None
                else Paragraph(to_markup(runs), style, bulletText=bullet))
    except ValueError:
        return  # markup reportlab refuses (a face it cannot make bold): the writer reports it
    first = data.draw(st.floats(8, 500))
    agrees(para, [first, data.draw(st.sampled_from([first, first + 20, 425.0]))])


def test_what_it_does_not_do_is_left_to_reportlab(fonts, tmp_path):
    builder = StoryBuilder(make_document(), fonts)
    style = builder.styles["body"]
    number = builder.inline.numbers((1,), 10, lead="\u00a0")

    def para(runs, st=style):
        return Paragraph(None, st, frags=FragmentMaker().frags(runs, st))

    cache = WidthCache()
    ordinary = para([Run("Output rose 12% in the first quarter"), number])
    assert break_lines(ordinary, [200.0, 200.0], cache) is not None
    # A word wider than the line: reportlab cuts it between letters.
    long_word = para([Run("Monitoring " + "x" * 80), number])
    assert break_lines(long_word, [200.0, 200.0], cache) is None
    lines = Paragraph.breakLines(long_word, [200.0, 200.0])
    assert len(lines.lines) > 2 and long_word._splitLongWordCount
    # Soft hyphens, hyphenation, right-to-left or CJK wrapping, line breaks.
    assert break_lines(para([Run("magne\u00adtic materials"), number]), [200.0], cache) is None
    hyphenated = builder.styles.variant(style, hyphenationLang="en_GB")
    assert break_lines(para([Run("magnetic materials"), number], hyphenated), [200.0], cache) is None
    cjk = builder.styles.variant(style, wordWrap="CJK")
    assert break_lines(para([Run("稀土永磁"), number], cjk), [200.0], cache) is None
    assert break_lines(para([Run("one"), Run(raw="<br/>"), Run("two")]), [200.0], cache) is None
    # One fragment (reportlab's simple case) is done; within it, the same things are not.
    plain_text = para([Run("Plain text only")])
    assert break_lines(plain_text, [200.0], cache).kind == 0
    assert break_lines(para([Run("Monitoring " + "x" * 80)]), [200.0], cache) is None
    assert break_lines(para([Run("magne\u00adtic materials")]), [200.0], cache) is None
    assert break_lines(para([Run("magnetic materials")], hyphenated), [200.0], cache) is None
    assert break_lines(para([Run("   ")]), [200.0], cache) is None
    # Words an earlier breaking left are broken again (see below), unless one was cut between letters.
    assert isinstance(ordinary.frags[0], list) and agrees(ordinary, [120.0, 120.0])
    assert isinstance(long_word.frags[0], list) and not agrees(long_word, [200.0, 200.0])
    from PIL import Image
    Image.new("RGB", (8, 8), "#1f4e79").save(tmp_path / "dot.png")
    pictured = Paragraph(f'Output rose <img src="{tmp_path / "dot.png"}" width="8" height="8"/> 12% in the '
                         'first quarter', style)
    Paragraph.breakLines(pictured, [200.0, 200.0])
    assert isinstance(pictured.frags[0], list) and break_lines(pictured, [120.0, 120.0], cache) is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_words_left_by_an_earlier_breaking_break_as_reportlab_breaks_them(fonts, data):
    # A paragraph that moves to the next page is broken again from the words its first
    # breaking left in place of its fragments; so is the rest of one split across pages.
    runs, style = _any_runs(fonts, data)
    frags = FragmentMaker().frags(runs, style)
    if frags is None:
        return
    para = Paragraph(None, style, bulletText=data.draw(st.sampled_from([None, "•", "10."])), frags=frags)
    first = data.draw(st.floats(40, 500))
    para.wrap(first, 10_000)
    if not para.frags or not isinstance(para.frags[0], list):
        return  # no text, or one fragment: nothing was cut into words
    agrees(para, [data.draw(st.floats(8, 500))] * 2)
    rest = Paragraph.split(para, first, data.draw(st.floats(20, 60)))
    if len(rest) == 2:
        agrees(rest[1], [data.draw(st.floats(8, 500))] * 2)


def test_a_paragraph_moved_or_split_across_pages_is_broken_again_by_reegen(fonts):
    builder = StoryBuilder(make_document(), fonts)
    style = builder.styles["body"]
    runs = [Run("Output rose 12% in the first quarter, the bureau said, and exports followed. " * 6),
            builder.inline.numbers((1,), 10, lead="\u00a0")]
    para = builder._paragraph(runs, style, "a paragraph")
    para.wrap(300.0, 10_000)
    assert para.split(300.0, 10.0) == [] and "blPara" not in para.__dict__  # no room: it moves on
    calls = []
    original = _pdf_story.break_lines
    try:
        _pdf_story.break_lines = lambda *args: calls.append(original(*args)) or calls[-1]
        para.wrap(300.0, 10_000)
        first, rest = para.split(300.0, 3 * style.leading + 1)  # room for three lines
        rest.wrap(300.0, 10_000)
    finally:
        _pdf_story.break_lines = original
    assert len(calls) == 2 and None not in calls
    assert rest._widths is para._widths and len(rest.blPara.lines) == len(para.blPara.lines) - 3


def test_the_pdf_is_the_same_byte_for_byte_either_way():
    document = api.load_document(REPO / "briefs" / "baotou-dossier.yaml")
    before = compat.ran["lines"]
    fast = write_pdf(document, base_dir=REPO)
    broken = compat.ran["lines"] - before
    assert broken > 100  # the fast way broke the paragraphs' lines
    with compat.without("lines"):
        assert write_pdf(document, base_dir=REPO) == fast
    assert compat.ran["lines"] - before == broken  # held off, it broke none
