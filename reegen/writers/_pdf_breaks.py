"""The space a line break stands for, put back into the page's text.

reportlab draws each line of a paragraph without the space at which it was broken: the
line ends with its last word and the next line starts with the next word. A viewer that
places text by position sees the gap, but a reader that takes the text of a structure
element as it comes (poppler's `pdfinfo -struct-text`, screen readers reading the tags)
runs the last word of one line into the first word of the next.

`with_break_spaces` gives the paragraph's lines with one space drawn after the last word
of every line that ends where the paragraph's text has a space (or a line break), on
whichever path then draws them: reegen's `_pdf_draw` or reportlab's own `drawPara`. A
space draws no ink, and it is drawn after everything on its line, so nothing visible
moves. A line cut inside a word (a word too long for the line, reportlab's CJK wrapping
between two characters, a hyphenated word) gets none.

Which breaks stand for a space is read from the paragraph's own text, not from how it
was broken: the lines' words are walked along the text's whitespace-separated words,
and a line that ends at the end of one of them ends at a space. When the two do not
agree (something reportlab added or dropped), the lines from there on are left as they
are, as before. The text is kept when the paragraph is first broken into lines
(`remember_text`: breaking leaves a word list in place of its fragments), and a
paragraph split across pages passes it on (`pass_on`): all of it to the first part,
whose last line then gets the space before the page break, and what follows to the rest.

The kind-1 lines (several fragments) get the space as a fragment of its own, copied
from the line's last text fragment without its link, underline or background, so that
link rectangles end where they did. Kind-0 lines (one fragment: table cells, headings)
get it at the end of their last word; word spacing, which reportlab counts from the
words, is unchanged. Only `clone`, which every reportlab line and fragment object has,
is used, so this runs the same with the fast paths off; a contents entry, which reportlab
breaks before reegen sees it, has its text read from reportlab's word list, telling whole
words from pieces of a cut one by their type's name (an unknown name: no spaces there).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: the types of reportlab's word list entries (`_getFragWords`) that hold a whole word: the
#: others (`_SplitFrag...`) are pieces of a word cut between letters
_WHOLE_WORDS = {"list", "_HSFrag"}

__all__ = ["break_spaces", "pass_on", "remember_text", "with_break_spaces"]


def remember_text(para) -> None:
    """Keep the paragraph's text before its first line breaking (which leaves words in place of its fragments)."""
    if "_reegen_text" in para.__dict__:
        return
    frags = para.frags
    if frags and not isinstance(frags[0], list):  # the parse fragments
        text = "".join(_frag_text(f) for f in frags)
    elif frags and all(type(w).__name__ in _WHOLE_WORDS for w in frags):
        # the words of an earlier breaking (reportlab made this paragraph and broke it before
        # reegen saw it: a contents entry): [width, (fragment, text), ...], whitespace between them
        text = " ".join("".join(_frag_text(f) if getattr(f, "lineBreak", False) else t for f, t in w[1:])
                        for w in frags)
    else:  # words cut between letters: where the spaces were is not known
        text = None
    para._reegen_text = None if text is None else text.replace("\xad", "")  # soft hyphens draw nothing


def pass_on(para, parts: list) -> None:
    """Give the parts `para` split into their share of its text: the first all of it, the rest what follows."""
    text = para.__dict__.get("_reegen_text")
    if len(parts) != 2 or text is None:
        for part in parts:
            if part is not para:
                part._reegen_text = text if len(parts) == 1 else None
        return
    first, rest = parts
    first._reegen_text = text
    lines = getattr(first.__dict__.get("blPara"), "lines", None)  # the first lines of `para`'s own
    texts = _line_texts(para.__dict__.get("blPara"))
    rest._reegen_text = None if lines is None or texts is None else break_spaces(texts[:len(lines)], text)[1]


@contextmanager
def with_break_spaces(para) -> Iterator[None]:
    """Inside the block, `para.blPara` holds lines with the spaces their breaks stand for (see the module)."""
    original = para.__dict__.get("blPara")
    text = para.__dict__.get("_reegen_text")
    spaced = _spaced(original, text) if original is not None and text else None
    if spaced is None:
        yield
        return
    para.blPara = spaced
    try:
        yield
    finally:
        para.blPara = original


def _line_texts(bl_para) -> list[str] | None:
    if bl_para is None:
        return None
    kind = getattr(bl_para, "kind", 0)
    if kind == 0:
        return [" ".join(words) for _, words in bl_para.lines]
    if kind == 1:
        # (a line ended by a line break holds the break's fragment: not drawn, so not counted)
        return ["".join(getattr(f, "text", "") for f in line.words) for line in bl_para.lines]
    return None


def _spaced(bl_para, text: str):
    texts = _line_texts(bl_para)
    if not texts:
        return None
    ends = break_spaces(texts, text)[0]
    if not any(ends):
        return None
    kind = bl_para.kind
    new_lines = []
    for line, end in zip(bl_para.lines, ends):
        if end and kind == 0:
            extra, words = line
            line = (extra, [*words[:-1], words[-1] + " "])
        elif end:
            last = next((f for f in reversed(line.words) if not hasattr(f, "cbDefn")), None)
            if last is not None:
                space = last.clone(text=" ", link=[], us_lines=[])
                if getattr(space, "backColor", None):
                    space.backColor = None
                line = line.clone(words=[*line.words, space])
        new_lines.append(line)
    return bl_para.clone(lines=new_lines)


def _frag_text(frag) -> str:
    if getattr(frag, "lineBreak", False):
        return "\n"
    return getattr(frag, "text", "")


def break_spaces(lines: list[str] | None, text: str) -> tuple[list[bool], str | None]:
    """For each line (as drawn) of `text`, whether it ends where `text` has whitespace before more text; and the rest.

    A line that already ends with whitespace, the last line, and a line ending inside a
    word of `text` get False; so do the lines from the first one that does not follow
    `text` (its words are not the next piece of `text`'s words), and the rest is then
    None. Otherwise the rest is the text after the lines, from its next word (or the
    remainder of a word the last line cut).
    """
    if lines is None:
        return [], None
    words = text.split()
    ends = [False] * len(lines)
    index, offset = 0, 0  # the word of `text` the next line continues, and how far into it
    for number, line in enumerate(lines):
        pieces = line.split()
        count = len(pieces)
        if offset == 0 and words[index:index + count] == pieces:  # the usual line: whole words of the text
            index += count
            ends[number] = index < len(words) and bool(line) and not line[-1].isspace()
            continue
        for piece in pieces:
            if index >= len(words):
                return ends, None
            rest = words[index][offset:]
            if rest == piece:
                index, offset = index + 1, 0
            elif rest.startswith(piece):
                offset += len(piece)
            elif piece.endswith("-") and rest.startswith(piece[:-1]):  # a hyphen added where a word was cut
                offset += len(piece) - 1
            else:
                return ends, None
        ends[number] = offset == 0 and index < len(words) and bool(line) and not line[-1].isspace()
    if index >= len(words):
        return ends, ""
    return ends, " ".join([words[index][offset:], *words[index + 1:]])
