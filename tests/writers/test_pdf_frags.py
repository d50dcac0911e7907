"""The PDF writer makes paragraph fragments without reportlab's parser: they must equal what it parses.

These compare the ``frags`` fast path with reportlab's parser, so they run only where the
fast paths do (see `reegen.writers._rl_compat`; the fallback has its own tests).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _wsc, cleanBlockQuotedText

from reegen import api
from reegen.writers import _pdf_frags, _rl_compat as compat
from reegen.writers._pdf_frags import FragmentMaker, fold_white_space
from reegen.writers._pdf_markup import Run, to_markup
from reegen.writers._pdf_story import StoryBuilder

from .conftest import CASES, REPO, build_case, make_document, plain, write_pdf

pytestmark = pytest.mark.skipif(not compat.active(), reason="the fast paths are off with this reportlab")


def parsed(runs: list[Run], style) -> list:
    """The fragments reportlab's own parser makes of the runs' markup."""
    return plain(Paragraph(to_markup(runs), style).frags)


@pytest.fixture
def compared(monkeypatch):
    """Check every paragraph the story builder makes against the parser; return the counts."""
    seen = {"direct": 0, "parsed": 0}
    original = FragmentMaker.frags

    def frags(self, runs, style):
        got = original(self, runs, style)
        if got is None:
            seen["parsed"] += 1
        else:
            seen["direct"] += 1
            assert plain(got) == parsed(runs, style), to_markup(runs)
        return got

    monkeypatch.setattr(FragmentMaker, "frags", frags)
    return seen


@pytest.mark.parametrize("toc", [False, True])
def test_every_paragraph_of_the_writer_document_matches_the_parser(fonts, compared, toc):
    story = StoryBuilder(make_document(toc=toc), fonts).build()
    assert story
    # Links, source numbers, anchors, code, a line break, entities: none needs the parser.
    assert compared["direct"] > 40 and compared["parsed"] == 0


@pytest.mark.parametrize("brief", ["baotou-executive", "baotou-dossier"])
def test_every_paragraph_of_the_sample_briefs_matches_the_parser(fonts, compared, brief):
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    StoryBuilder(document, fonts).build()
    assert compared["direct"] > 50 and compared["parsed"] == 0


_WHITE = [" ", "  ", "\n", " \n ", "\t", "\u00a0", "\u2009", "\u3000", "\u200b", "\x1c"]
_WORDS = ["Baotou", "R", "D", "30%", "¥110", "“x”", "&", "<", ">", "&amp;", "a;b"]
_TEXT = st.lists(st.one_of(st.sampled_from(_WORDS),
                           st.sampled_from(_WHITE)), max_size=8).map("".join)
_TAGS = st.lists(st.sampled_from([
    ("<b>", "</b>"), ("<i>", "</i>"), ('<font face="ReegenMono" color="#6b7280">', "</font>"),
    ('<font face="ReegenSans" backColor="#f2f4f7">', "</font>"),
    ('<a href="https://example.org/a?b=1&amp;c=&quot;2&quot; " color="#1f4e79">', "</a>"),
    ('<a href="#src-3">', "</a>"),
]), max_size=2, unique=True).map(tuple)


@st.composite
def _runs(draw, inline):
    runs: list[Run] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "text", "text", "br", "anchor", "numbers"]))
        tags = draw(_TAGS)
        if kind == "text":
            runs.append(Run(draw(_TEXT), tags))
        elif kind == "br":
            runs.append(Run(raw="<br/>", tags=tags))
        elif kind == "anchor":
            runs.append(Run(raw=f'<a name="{draw(st.sampled_from(["h-a", "src-2", "h-x&amp;y"]))}"/>'))
        else:
            numbers = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=4)))
            runs.append(inline.numbers(numbers, 10, linked=draw(st.booleans()), tags=tags,
                                       lead=draw(st.sampled_from(["", "\u00a0", " "]))))
    return runs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_runs_make_the_fragments_the_parser_makes(fonts, data):
    builder = StoryBuilder(make_document(), fonts)
    inline = builder.inline  # its source numbers link to entries 1 and 2 only
    runs = data.draw(_runs(inline))
    style = builder.styles[data.draw(st.sampled_from(["body", "h1", "cell"]))]
    got = FragmentMaker().frags(runs, style)
    if got is None:  # only where reportlab refuses the markup too (a face it cannot make bold)
        with pytest.raises(ValueError):
            parsed(runs, style)
    else:
        assert plain(got) == parsed(runs, style)


def test_markup_it_cannot_vouch_for_goes_to_the_parser(fonts):
    builder = StoryBuilder(make_document(), fonts)
    style = builder.styles["body"]
    maker = FragmentMaker()
    # Raw markup with text at its edge would join its neighbours' text; a NUL cannot be folded.
    assert maker.frags([Run("a"), Run(raw="b<br/>")], style) is None
    assert maker.frags([Run("a\x00b")], style) is None
    # An underline adds line decorations the maker does not copy.
    assert maker.frags([Run("a", (("<u>", "</u>"),))], style) is None


def test_each_kind_of_run_is_parsed_once(fonts, monkeypatch):
    builder = StoryBuilder(make_document(), fonts)
    calls = []
    original = _pdf_frags._parse_prototype
    monkeypatch.setattr(_pdf_frags, "_parse_prototype", lambda *a: calls.append(a) or original(*a))
    maker = FragmentMaker()
    style = builder.styles["body"]
    for n in range(1, 50):
        runs = [Run(raw=f'<a name="h-{n}"/>'), Run(f"Paragraph {n} & more"),
                builder.inline.numbers((n % 2 + 1, 1), 10, lead="\u00a0")]
        assert plain(maker.frags(runs, style)) == parsed(runs, style)
    # the anchor, the body text, the numbers' brackets and their link: four prototypes for 49 paragraphs
    assert len(calls) == 4


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_paragraph_of_the_hostile_cases_matches_the_parser(compared, case, tmp_path):
    # CJK line breaking, fallback faces, brand fonts, 5,000-character words and URLs, control characters.
    if build_case(case, tmp_path):
        assert api.load_document(tmp_path / "project" / "briefs" / "brief.yaml").blocks and compared["direct"] > 0
    assert compared["parsed"] == 0


# Every character either folding treats as white space, plus neighbours that are not.
_SPACES = sorted(set(_wsc) | {chr(c) for c in range(0x3001) if chr(c).isspace()} | {"\xa0", "\u200b"})


@pytest.mark.parametrize("space", _SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_white_space_folds_as_reportlab_folds_it_wherever_it_stands(space):
    for text in (space, f"{space}a b", f"a b{space}", f"a{space}b", f"a {space}b", f"a{space} b",
                 f"a\xa0b{space}c", f"\x00{space}\x00", f"a{space}{space}b"):
        assert fold_white_space(text) == cleanBlockQuotedText(text), repr(text)


@given(st.text(alphabet=st.sampled_from([*_SPACES, "a", "Z", "\x00", "[", "é", "包"]), max_size=40))
def test_any_text_folds_as_reportlab_folds_it(text):
    assert fold_white_space(text) == cleanBlockQuotedText(text)


def test_the_pdf_is_the_same_byte_for_byte_either_way():
    document = api.load_document(REPO / "briefs" / "baotou-dossier.yaml")
    before = compat.ran["frags"]
    fast = write_pdf(document, base_dir=REPO)
    made = compat.ran["frags"] - before
    assert made > 100  # the fast way made the paragraphs' fragments
    with compat.without("frags"):
        assert write_pdf(document, base_dir=REPO) == fast
    assert compat.ran["frags"] - before == made  # held off, it made none
