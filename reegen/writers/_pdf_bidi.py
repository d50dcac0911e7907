"""Paragraphs with right-to-left text: lines broken in logical order, then each line put in visual order.

The Unicode bidirectional algorithm reorders a paragraph line by line, after the lines
are broken (rule L2). reportlab breaks lines left to right over the text it is given, so
a paragraph holding Hebrew or Arabic is laid out here: its runs (logical order, Arabic
already in joined forms, see `_pdf_fonts.reshape`) are cut into words, the words are
measured with the faces and sizes their tags select (`reportlab.lib.fonts`,
`pdfmetrics.stringWidth`) and set greedily into lines of the width the frame offers;
each line is reordered (`_pdf_fonts.bidi_order`) and the lines become one reportlab
Paragraph with explicit line breaks. Only public reportlab calls are used; the
paragraph is laid out again whenever it is offered another width.

Source numbers and other writer-made runs are kept whole, as one neutral object in the
line: after a right-to-left sentence they stay at its end, on the right, as in the DOCX
and HTML outputs.
"""

from __future__ import annotations

import re

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.flowables import Flowable

from ._pdf_fonts import BIDI_MARKS, bidi_order
from ._pdf_markup import Run

_FACE = re.compile(r'<font\b[^>]*\bface="([^"]+)"')
_SIZE = re.compile(r'<font\b[^>]*\bsize="([0-9.]+)"')
#: stands for a writer-made run (a source number) in the text the bidi algorithm reorders: a neutral
_OBJECT = "\ufffc"
#: points left free on every line, so reportlab never breaks a line this module set
_SLACK = 1.0


def _face_and_size(tags: tuple[tuple[str, str], ...], style) -> tuple[str, float]:
    """Return the registered face and the size a run inside `tags` is drawn with in `style`, as reportlab picks them."""
    family, bold, italic = ps2tt(style.fontName)
    size = style.fontSize
    for opening, _ in tags:
        if opening == "<b>":
            bold = 1
        elif opening == "<i>":
            italic = 1
        elif opening.startswith("<font"):
            face = _FACE.search(opening)
            if face:
                family, bold, italic = ps2tt(face.group(1))
            found = _SIZE.search(opening)
            if found:
                size = float(found.group(1))
    return tt2ps(family, bold, italic), size


class _Measure:
    """Widths of text in runs, cached per (text, tags)."""

    def __init__(self, style):
        self.style = style
        self._cache: dict[tuple[str, tuple], float] = {}

    def __call__(self, text: str, run: Run) -> float:
        if run.raw:
            return sum(self(piece.text, piece) for piece in run.pieces)
        key = (text, run.tags)
        width = self._cache.get(key)
        if width is None:
            face, size = _face_and_size(run.tags, self.style)
            width = self._cache[key] = stringWidth(text, face, size)
        return width


def _items(runs: list[Run]) -> list[tuple[str, int]]:
    """Return the paragraph as (character, run index); a writer-made run is one `_OBJECT`, a line break "\\n"."""
    items: list[tuple[str, int]] = []
    for i, run in enumerate(runs):
        if run.raw == "<br/>":
            items.append(("\n", i))
        elif run.raw:
            items.append((_OBJECT, i))
        else:
            items.extend((ch, i) for ch in run.text)
    return items


def _words(items: list[tuple[str, int]]) -> list[tuple[list[tuple[str, int]], int] | None]:
    """Return the items cut at spaces into (word, run of the space before it); None stands for a forced line break."""
    words: list[tuple[list[tuple[str, int]], int] | None] = []
    current: list[tuple[str, int]] = []
    space_run = -1
    for item in items:
        ch = item[0]
        if ch == " " or ch == "\n":
            if current:
                words.append((current, space_run))
                current = []
            if ch == "\n":
                words.append(None)
            space_run = item[1]
        else:
            current.append(item)
    if current:
        words.append((current, space_run))
    return words


def _width(word: list[tuple[str, int]], runs: list[Run], measure: _Measure) -> float:
    """Return the width of `word`, its pieces measured in their runs' faces."""
    width = 0.0
    start = 0
    for k in range(1, len(word) + 1):
        if k == len(word) or word[k][1] != word[start][1]:
            run = runs[word[start][1]]
            text = "".join(ch for ch, _ in word[start:k] if ch not in BIDI_MARKS)
            width += measure(text, run) if not run.raw else measure("", run)
            start = k
    return width


def break_lines(runs: list[Run], style, width: float) -> list[list[tuple[str, int]]]:
    """Return the paragraph's lines, each a list of (character, run index) in logical order."""
    measure = _Measure(style)
    lines: list[list[tuple[str, int]]] = []
    line: list[tuple[str, int]] = []
    used = 0.0
    room = width - style.leftIndent - style.rightIndent - style.firstLineIndent - _SLACK
    for found in _words(_items(runs)):
        if found is None:
            lines.append(line)
            line, used = [], 0.0
            room = width - style.leftIndent - style.rightIndent - _SLACK
            continue
        word, space_run = found
        w = _width(word, runs, measure)
        if line:
            # the space is drawn in the run it was written in (a writer-made run has none: the word's)
            if space_run < 0 or runs[space_run].raw:
                space_run = line[-1][1] if not runs[line[-1][1]].raw else word[0][1]
            space = measure(" ", runs[space_run]) if not runs[space_run].raw else 0.0
            if used + space + w <= room:
                line.append((" ", space_run))
                line.extend(word)
                used += space + w
                continue
            lines.append(line)
            room = width - style.leftIndent - style.rightIndent - _SLACK
            line, used = [], 0.0
        line.extend(word)
        used = w
    if line:
        lines.append(line)
    return lines


def visual_runs(lines: list[list[tuple[str, int]]], runs: list[Run]) -> list[Run]:
    """Return the lines as runs in visual order, joined by line breaks."""
    out: list[Run] = []
    for n, line in enumerate(lines):
        if n:
            out.append(Run(raw="<br/>"))
        text = "".join(ch for ch, _ in line)
        current: list[str] = []
        current_run = -1
        for index, ch in bidi_order(text):
            run_index = line[index][1]
            run = runs[run_index]
            if run.raw:
                if current:
                    out.append(Run("".join(current), runs[current_run].tags))
                    current = []
                current_run = -1
                out.append(run)
                continue
            if run_index != current_run and current:
                out.append(Run("".join(current), runs[current_run].tags))
                current = []
            current_run = run_index
            if ch not in BIDI_MARKS:
                current.append(ch)
        if current:
            out.append(Run("".join(current), runs[current_run].tags))
    return out


class BidiParagraph(Flowable):
    """A paragraph holding right-to-left text, laid out by `break_lines` and `visual_runs` for each width.

    `make(runs, style, bullet)` builds the reportlab Paragraph of the visual lines; it
    draws, and splits across pages. `outline` (a heading's) is passed on to it.
    """

    def __init__(self, runs: list[Run], style, bullet: str | None, make):
        super().__init__()
        self.runs = runs
        self.style = style
        self.bullet = bullet
        self._make = make
        self._inner = None
        self._width: float | None = None
        self.outline = None

    def _laid_out(self, width: float):
        if self._inner is None or self._width != width:
            lines = break_lines(self.runs, self.style, width)
            self._inner = self._make(visual_runs(lines, self.runs), self.style, self.bullet)
            self._inner.outline = self.outline
            self._width = width
        return self._inner

    def wrap(self, availWidth, availHeight):
        inner = self._laid_out(availWidth)
        self.width, self.height = inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return self._laid_out(availWidth).split(availWidth, availHeight)

    def draw(self):
        self._inner.drawOn(self.canv, 0, 0)

    def getKeepWithNext(self):
        return getattr(self.style, "keepWithNext", 0)


def one_line(runs: list[Run]) -> list[Run]:
    """Return `runs` as one line in visual order (a contents entry), without bidi marks."""
    if not any(run.rtl for run in runs):
        return runs
    return visual_runs([[item for item in _items(runs) if item[0] != "\n"]], runs)
