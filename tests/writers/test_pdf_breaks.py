"""The space a line break stands for is in the PDF's text, on both drawing paths (see `_pdf_breaks`).

Without it, a reader that takes a structure element's text as it comes (poppler's
`pdfinfo -struct-text`, a screen reader reading the tags) runs the last word of one line
into the first word of the next. A line cut inside a word (a word too long for its line,
CJK text broken between two characters) must not get one.
"""

from __future__ import annotations

import contextlib
import subprocess

import pytest

from reegen import api
from reegen.model import Heading, Table, plain_text, walk
from reegen.writers import _pdf_story, _rl_compat as compat
from reegen.writers._pdf_breaks import break_spaces, with_break_spaces
from reegen.writers._pdf_story import StoryBuilder

from ..conftest import require_tool
from .conftest import REPO, make_document, write_pdf

BRIEFS = ["baotou-executive", "baotou-dossier"]
WORDS = ("Baotou's zone reports that permits for a magnet plant now take hours rather than weeks, "
         "and that the approvals for land, power and water are handled in one office")


def _words(text: str) -> str:
    return " ".join(text.split())


@contextlib.contextmanager
def _path(fast: bool):
    """Draw with reegen's fast paths (asserting they ran) or with plain reportlab."""
    if fast and not compat.active():
        pytest.skip("the fast paths are off with this reportlab")
    if not fast:
        with compat.without():
            before = compat.ran["draw"]
            yield
            assert compat.ran["draw"] == before
        return
    before = compat.ran["draw"]
    yield
    assert compat.ran["draw"] > before + 20  # the fast path drew the paragraphs


def element_texts(data: bytes, tmp_path) -> list[str]:
    """The text of each structure element as poppler reads it (`pdfinfo -struct-text`), whitespace-normalised.

    An element's text is printed in pieces where an inline child (a source number's link)
    sits between them: the pieces are joined as they come, with nothing added.
    """
    require_tool("pdfinfo")
    path = tmp_path / "tagged.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, encoding="utf-8",
                         errors="replace").stdout
    texts: list[str] = []
    element_at: dict[int, int] = {}  # depth -> index in `texts` of the element last opened there
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        text = line.strip()
        if text.startswith('"'):
            texts[element_at[depth - 1]] += text[1:-1]
        elif text and not text.startswith("/") and not text.startswith("Object "):
            element_at[depth] = len(texts)
            texts.append("")
    return [_words(t) for t in texts if t]


# ---- the rule

@pytest.mark.parametrize(("lines", "text", "ends", "rest"), [
    (["one two", "three four", "five"], "one two three four five", [True, True, False], ""),
    (["one two", "three"], "one two three four", [True, True], "four"),
    (["see http://ex", "ample.org now"], "see http://example.org now", [False, False], ""),
    (["inter-", "national"], "international", [False, False], ""),  # a hyphen added where the word was cut
    (["稀土稀", "土"], "稀土稀土", [False, False], ""),
    (["稀土 ", "magnets"], "稀土 magnets", [False, False], ""),  # the line has its space already
    (["one", "two"], "one\ntwo", [True, False], ""),  # a line break in the text
    (["one two", "thr", "ee"], "one two three", [True, False, False], ""),
    (["one two", "three"], "one two six", [True, False], None),  # a line that is not the text's: left alone
])
def test_a_line_ends_with_a_space_where_the_text_has_one(lines, text, ends, rest):
    assert break_spaces(lines, text) == (ends, rest)


# ---- paragraphs as the writer makes them

def _drawn_lines(builder, para) -> list[str]:
    with with_break_spaces(para):
        bl_para = para.blPara
        if bl_para.kind == 0:
            return [" ".join(words) for _, words in bl_para.lines]
        return ["".join(getattr(f, "text", "") for f in line.words) for line in bl_para.lines]


def _paragraph(fonts, text: str, style: str = "body", numbered: bool = False):
    builder = StoryBuilder(make_document(), fonts)
    runs = builder.inline.text(text, "a test", fonts=fonts)
    if numbered:  # a linked source number: a paragraph of several fragments
        runs = [*runs, builder.inline.numbers((1,), 10, lead="\u00a0")]
    return builder, builder._paragraph(runs, builder.styles[style], "a test", wide=any(r.wide for r in runs))


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "reportlab"])
@pytest.mark.parametrize(("style", "numbered"), [("body", True), ("cell", False)], ids=["fragments", "one-fragment"])
def test_each_line_broken_at_a_space_ends_with_it(fonts, fast, style, numbered):
    if fast and not compat.active():
        pytest.skip("the fast paths are off with this reportlab")
    with compat.without() if not fast else contextlib.nullcontext():
        builder, para = _paragraph(fonts, WORDS, style, numbered)
        para.wrap(160.0, 10_000)
        lines = _drawn_lines(builder, para)
    assert len(lines) > 3
    assert all(line.endswith(" ") and not line.endswith("  ") for line in lines[:-1])
    assert not lines[-1].endswith(" ")
    assert _words("".join(lines)) == _words(WORDS + (" [1]" if numbered else ""))


def test_a_word_cut_across_lines_gets_no_space(fonts):
    long_word = "https://example.org/" + "a/" * 120
    text = f"The zone's permits, see {long_word} for the list of the approvals it has handled"
    builder, para = _paragraph(fonts, text, "body", True)
    para.wrap(160.0, 10_000)
    lines = _drawn_lines(builder, para)
    cut = [line for line in lines if "a/" in line]
    assert len(cut) > 3
    assert [line.endswith(" ") for line in cut[:-1]] == [False] * (len(cut) - 1)
    assert _words("".join(lines)) == _words(text + " [1]")  # no space inside the word, none missing after it


def test_cjk_text_broken_between_characters_gets_no_space(fonts):
    builder, para = _paragraph(fonts, "包头的稀土永磁产业链正在迅速扩张，审批只需数小时。" * 6)
    assert para.style.wordWrap == "CJK"
    para.wrap(120.0, 10_000)
    lines = _drawn_lines(builder, para)
    assert len(lines) > 3 and not any(line.endswith(" ") for line in lines)


def test_a_paragraph_split_across_pages_keeps_the_space_at_the_page_break(fonts):
    builder, para = _paragraph(fonts, WORDS, "body", True)
    para.wrap(160.0, 10_000)
    first, rest = para.split(160.0, 3 * para.style.leading + 1)  # room for three lines
    first.wrap(160.0, 10_000)
    rest.wrap(160.0, 10_000)
    head, tail = _drawn_lines(builder, first), _drawn_lines(builder, rest)
    assert len(head) == 3 and head[-1].endswith(" ")
    assert _words("".join(head) + "".join(tail)) == _words(WORDS + " [1]")


# ---- whole briefs

@pytest.mark.parametrize("fast", [True, False], ids=["fast", "reportlab"])
@pytest.mark.parametrize("brief", BRIEFS)
def test_poppler_reads_each_paragraph_with_the_spaces_between_its_words(brief, fast, tmp_path):
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    with _path(fast):
        data = write_pdf(document, base_dir=REPO)
    texts = element_texts(data, tmp_path)
    blocks = list(walk(document.blocks))
    paragraphs = [_words(plain_text(b.children)) for b in blocks if type(b).__name__ == "Paragraph"]
    assert len(paragraphs) > 20
    assert [p for p in paragraphs if p not in texts] == []
    for heading in (b for b in blocks if isinstance(b, Heading)):
        assert _words(plain_text(heading.children)) in texts
    cells = [_words(plain_text(cell)) for t in blocks if isinstance(t, Table) for row in t.rows for cell in row]
    assert [c for c in cells if c and c not in texts] == []


@pytest.mark.parametrize("brief", BRIEFS)
def test_the_spaces_change_no_pixel_and_no_word_of_the_page_text(brief, monkeypatch, tmp_path):
    require_tool("pdftoppm")
    require_tool("pdftotext")
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    spaced = write_pdf(document, base_dir=REPO)
    monkeypatch.setattr(_pdf_story, "with_break_spaces", lambda para: contextlib.nullcontext())
    plain = write_pdf(document, base_dir=REPO)
    assert spaced != plain
    pages, words = {}, {}
    for name, data in (("spaced", spaced), ("plain", plain)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(tmp_path / f"page-{name}")], check=True)
        pages[name] = sorted(p.read_bytes() for p in tmp_path.glob(f"page-{name}*"))
        words[name] = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                     encoding="utf-8").stdout.split()
    assert len(pages["spaced"]) > 1 and pages["spaced"] == pages["plain"]
    assert len(words["spaced"]) > 500 and words["spaced"] == words["plain"]


def test_the_lines_of_a_right_to_left_paragraph_end_with_a_space(fonts):
    # drawn as lines in visual order joined by line breaks (see `_pdf_bidi`): each break stands for a space
    text = "השר אמר היום כי ההיתרים ניתנים בתוך שעות ספורות ולא שבועות כפי שהיה בעבר במשך שנים רבות"
    builder, flowable = _paragraph(fonts, text)
    flowable.wrap(160.0, 10_000)
    para = flowable._inner
    lines = _drawn_lines(builder, para)
    assert len(lines) > 2
    assert all(line.endswith(" ") for line in lines[:-1]) and not lines[-1].endswith(" ")
    assert sorted(w[::-1] for w in _words("".join(lines)).split()) == sorted(text.split())  # letters in visual order
