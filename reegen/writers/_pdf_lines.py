"""Line breaking for multi-fragment paragraphs: reportlab's result, reached with less work.

Nearly every paragraph of a brief has more than one fragment: its text, then a smaller,
linked `[n]` source number. reportlab breaks such a paragraph with its general
algorithm (`Paragraph.breakLines`, the "kind 1" branch), which measures every word with
`stringWidth`, compares styles with `sameFrag` word by word and checks for soft hyphens,
images and hyphenation as it goes. On a 230-page brief that was a third of the
writer's profiled time. A brief's text repeats its words, and its fragments come from
a handful of prototypes, so `break_lines` below does the same steps with the branches
a brief cannot reach left out: word widths come from a cache per font and size, and
two words cut from the same fragment are known to share its style without comparing.
It takes about half of reportlab's time for the same lines.

A one-fragment paragraph (a table cell, a heading) takes reportlab's simpler branch,
which measures every word as well; `_break_single` does that branch with the same cache.

It returns None, and reportlab breaks the lines itself, whenever the paragraph or its
style asks for something it does not do: hyphenation, soft hyphens, a word wider than
the line (reportlab splits it), right-to-left or CJK wrapping, shaping, line breaks,
images, words reportlab cut between letters. A paragraph broken before (moved to the
next page, or the rest of one split across pages) is broken again from its word list,
as reportlab does. `tests/writers/test_pdf_lines.py` checks that both give equal lines
and fragments.
"""

from __future__ import annotations

from string import whitespace

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from . import _rl_compat as compat

# reportlab's internals this module works with: present only while the fast paths may run (see `_rl_compat`)
(sameFrag,) = compat.private("reportlab.lib.rl_accel", "sameFrag")
_FK_APPEND, _FK_TEXT, FragLine, ParaLines, _handleBulletWidth, _HSFrag, _shy, lstrip, split, strip = compat.private(
    "reportlab.platypus.paragraph",
    "_FK_APPEND", "_FK_TEXT", "FragLine", "ParaLines", "_handleBulletWidth", "_HSFrag", "_shy", "lstrip", "split",
    "strip")

_new = object.__new__


class WidthCache:
    """Word widths per (font name, size), for one document (font names are re-registered per build)."""

    __slots__ = ("_tables", "_metrics")

    def __init__(self) -> None:
        self._tables: dict[tuple[str, float], dict[str, float]] = {}
        self._metrics: dict[tuple[str, float], tuple[float, float, float]] = {}

    def metrics(self, font_name: str, size: float) -> tuple[float, float, float]:
        """(width of a space, ascent, descent) of the font at this size."""
        key = (font_name, size)
        found = self._metrics.get(key)
        if found is None:
            found = self._metrics[key] = (stringWidth(" ", font_name, size), *getAscentDescent(font_name, size))
        return found

    def table(self, font_name: str, size: float) -> dict[str, float]:
        key = (font_name, size)
        found = self._tables.get(key)
        if found is None:
            found = self._tables[key] = {}
        return found


def _clone(f):
    """`f.clone()`: a fragment of the same class with a copy of its attributes, without the keyword round trip."""
    g = _new(type(f))
    g.__dict__ = f.__dict__.copy()
    return g


def _line(**attrs):
    """`FragLine(**attrs)`, made as ABag's constructor makes it, attributes and all."""
    line = _new(FragLine)
    line.__dict__ = attrs
    return line


def _simple_style(style) -> bool:
    """True when the style asks for nothing `break_lines` leaves to reportlab."""
    return not (style.wordWrap or getattr(style, "hyphenationLang", "") or style.uriWasteReduce
                or style.embeddedHyphenation or getattr(style, "shaping", 0) or style.endDots or style.justifyBreaks)


def _frag_words(frags, widths: WidthCache, limit: float) -> list | None:
    """reportlab's `_getFragWords` for plain text fragments, or None past what it covers.

    None also when a word is wider than `limit`: reportlab would cut it between letters.
    """
    out: list = []
    add = out.append
    word: list = []
    n = 0
    hanging_strip = True
    for f in frags:
        d = f.__dict__
        text = d.get("text")
        if "lineBreak" in d or text is None:
            return None
        if "cbDefn" in d:
            # an anchor (a heading's or a source's destination) rides on the next word;
            # anything with a width (an image) is left to reportlab
            if text != "" or getattr(d["cbDefn"], "width", 0):
                return None
            f._fkind = _FK_APPEND
            if not word and out and isinstance(out[-1], _HSFrag):
                out[-1].append((f, ""))
            else:
                word.append((f, ""))
            continue
        if text == "":
            continue
        if _shy in text:
            return None
        f._fkind = _FK_TEXT
        if hanging_strip:
            text = lstrip(text)
            if not text:
                continue
            hanging_strip = False
        parts = split(text)
        if text[0] in whitespace or not parts:
            if word:
                if n > limit:
                    return None
                word.insert(0, n)
                add(word)
                whs = False
                word = []
                n = 0
            else:
                whs = out and isinstance(out[-1], _HSFrag)
            if not whs:
                parts.insert(0, "")
            elif not parts:
                continue
        table = widths.table(f.fontName, f.fontSize)
        last = len(parts) - 1
        if last:
            # the first part ends the word carried over from the fragment before, if any
            w = parts[0]
            width = table.get(w)
            if width is None:
                width = table[w] = stringWidth(w, f.fontName, f.fontSize)
            word.append((f, w))
            n += width
            if n > limit:
                return None
            word.insert(0, n)
            add(_HSFrag(word))
            for w in parts[1:last]:  # whole words, each followed by a space
                width = table.get(w)
                if width is None:
                    width = table[w] = stringWidth(w, f.fontName, f.fontSize)
                if width > limit:
                    return None
                add(_HSFrag((width, (f, w))))
            word = []
            n = 0
        w = parts[last]
        width = table.get(w)
        if width is None:
            width = table[w] = stringWidth(w, f.fontName, f.fontSize)
        word.append((f, w))
        n += width
        if text[-1] in whitespace:
            if n > limit:
                return None
            word.insert(0, n)
            add(_HSFrag(word))
            word = []
            n = 0
    if word:
        if n > limit:
            return None
        word.insert(0, n)
        add(word)
    if not out:
        return None
    return out


def _later_pieces(w, words: list, of, max_size, max_ascent, min_descent) -> tuple:
    """Append a clone of each piece of word `w` after its first (a word that crosses fragments).

    Returns the last clone, the fragment it copies, whether any of those pieces has text,
    and the line's largest size and ascent and lowest descent with the pieces counted.
    """
    g = source = None
    has_text = False
    for source, text in w[2:]:
        g = _clone(source)
        g.text = text
        if text:
            has_text = True
        words.append(g)
        size = g.fontSize
        _, ascent, descent = of(source)
        if size > max_size:
            max_size = size
        if ascent > max_ascent:
            max_ascent = ascent
        if descent < min_descent:
            min_descent = descent
    return g, source, has_text, max_size, max_ascent, min_descent


def _cut_words(frags, limit: float) -> list | None:
    """The word list of a paragraph broken before, as reportlab's `_getFragWords` passes it on; else None.

    Breaking lines leaves the paragraph's words in place of its fragments (see the end of
    `break_lines`). A paragraph that moves to the next page is broken again from them, and
    so is the rest of one split across pages (a slice of them). reportlab takes such words
    as they are. A word cut between letters or sized in percent, one wider than the line
    (reportlab would cut it), and line breaks, images and soft hyphens are left to it.
    """
    for w in frags:
        kind = type(w)
        if (kind is not list and kind is not _HSFrag) or type(w[0]) not in (float, int) or w[0] > limit:
            return None
        for f, text in w[1:]:  # what `_frag_words` would not have made: line breaks, images, soft hyphens
            d = f.__dict__
            if "lineBreak" in d or type(text) is not str or _shy in text or (
                    "cbDefn" in d and (text != "" or getattr(d["cbDefn"], "width", 0))):
                return None
    return list(frags)


def break_lines(para, width, widths: WidthCache):
    """`para.breakLines(width)` as reportlab computes it, for plain text; else None (reportlab breaks them).

    None too while the fast paths are off (see `_rl_compat`); raises `FastPathFailed`
    when reportlab's internals are not what this expects.
    """
    if not compat.fast("lines"):
        return None
    try:
        lines = _break_lines(para, width, widths)
    except compat.CHANGED as exc:
        raise compat.FastPathFailed("lines", exc) from exc
    if lines is not None:
        compat.ran["lines"] += 1
    return lines


def _break_lines(para, width, widths: WidthCache):
    frags = para.frags
    style = para.style
    if not frags or not _simple_style(style):
        return None
    cut = isinstance(frags[0], list)  # words from an earlier breaking, not fragments
    if len(frags) == 1 and not cut:
        return _break_single(para, frags[0], style, width, widths)
    # reportlab narrows the first line for a wide bullet in the caller's own list: so do we,
    # but only once this is sure to go ahead (else reportlab would narrow it twice)
    max_widths = width if isinstance(width, list) else [width]
    trial = list(max_widths)
    _handleBulletWidth(para.bulletText, style, trial)
    words_in = _cut_words(frags, min(trial)) if cut else _frag_words(frags, widths, min(trial))
    if words_in is None:
        return None
    _handleBulletWidth(para.bulletText, style, max_widths)

    para._width_max = 0
    para.height = 0
    para._splitLongWordCount = para._hyphenations = 0
    shrinkage = style.spaceShrinkage
    last_max = len(max_widths) - 1
    lineno = 0
    max_width = max_widths[0]
    width_max = 0
    lines = []
    fw: list = []
    s_fw = 0
    words: list = []
    g = None
    # the fragment `g` was cloned from: a word cut from it has its style. (An anchor, which
    # sameFrag never calls alike, is a piece of one word only, so it never meets itself.)
    source = None
    n = space_width = current_width = 0
    max_size = max_ascent = min_descent = 0
    metrics = widths.metrics
    by_frag: dict = {}  # fragment -> (space width, ascent, descent): fragments are few, words many

    def of(f) -> tuple[float, float, float]:
        found = by_frag.get(f)
        if found is None:
            found = by_frag[f] = metrics(f.fontName, f.fontSize)
        return found

    for w in words_in:
        fw.append(w)
        f = w[-1][0]
        font_name = f.fontName
        font_size = f.fontSize
        if not words:
            n = space_width = current_width = 0
            max_size = font_size
            _, max_ascent, min_descent = of(f)
        word_width = w[0]
        f = w[1][0]
        new_width = current_width + space_width + word_width if word_width > 0 else current_width
        lim_width = max_width
        if shrinkage:
            shrink = space_width
            for wi in words:
                if wi._fkind == _FK_TEXT:
                    ns = wi.text.count(" ")
                    if ns:
                        shrink += ns * metrics(wi.fontName, wi.fontSize)[0]
            shrink *= shrinkage
            lim_width += shrink
        if not (new_width > lim_width and n > 0):
            text = w[1][1]
            if text:
                n += 1
            font_size = f.fontSize
            _, ascent, descent = of(f)
            if font_size > max_size:
                max_size = font_size
            if ascent > max_ascent:
                max_ascent = ascent
            if descent < min_descent:
                min_descent = descent
            if not words:
                g = _clone(f)
                source = f
                words = [g]
                g.text = text
            elif f is not source and not sameFrag(g, f):
                if space_width:
                    i = len(words) - 1
                    while i >= 0:
                        wi = words[i]
                        i -= 1
                        if wi._fkind == _FK_TEXT:
                            if not wi.text.endswith(" "):
                                wi.text += " "
                            break
                g = _clone(f)
                source = f
                words.append(g)
                g.text = text
            elif space_width:
                if not g.text.endswith(" "):
                    g.text += " " + text
                else:
                    g.text += text
            else:
                g.text += text
            # reportlab's own mix: the font of the word's last piece, the size of its first
            space_width = metrics(font_name, font_size)[0] if isinstance(w, _HSFrag) else 0
            if len(w) > 2:
                g, source, more_text, max_size, max_ascent, min_descent = _later_pieces(
                    w, words, of, max_size, max_ascent, min_descent)
                if not text and more_text:
                    n += 1
            current_width = new_width
        else:
            if current_width > width_max:
                width_max = current_width
            lines.append(_line(extraSpace=max_width - current_width, wordCount=n, lineBreak=False,
                                  words=words, fontSize=max_size, ascent=max_ascent, descent=min_descent,
                                  maxWidth=max_width, sFW=s_fw))
            s_fw = len(fw) - 1
            lineno += 1
            max_width = max_widths[min(last_max, lineno)]
            space_width = metrics(font_name, font_size)[0] if isinstance(w, _HSFrag) else 0
            current_width = word_width
            n = 1
            g = _clone(f)
            source = f
            max_size = g.fontSize
            _, max_ascent, min_descent = of(f)
            words = [g]
            g.text = w[1][1]
            if len(w) > 2:
                g, source, _, max_size, max_ascent, min_descent = _later_pieces(
                    w, words, of, max_size, max_ascent, min_descent)
    if words:
        if current_width > width_max:
            width_max = current_width
        lines.append(_line(extraSpace=max_width - current_width, wordCount=n, lineBreak=False,
                              words=words, fontSize=max_size, ascent=max_ascent, descent=min_descent,
                              maxWidth=max_width, sFW=s_fw))
    para._width_max = width_max
    para.frags = fw
    return ParaLines(kind=1, lines=lines)


def _break_single(para, f, style, width, widths: WidthCache):
    """reportlab's "kind 0" line breaking of a one-fragment paragraph, with word widths from the cache.

    None for what it leaves to reportlab: an anchor, a background, soft hyphens, no text,
    and a word wider than its line when long words are split.
    """
    d = f.__dict__
    text = d.get("text")
    if text is None or hasattr(f, "cbDefn") or hasattr(f, "backColor"):
        return None
    text = strip(text)
    if not text or _shy in text:
        return None
    max_widths = width if isinstance(width, list) else [width]
    trial = list(max_widths)
    _handleBulletWidth(para.bulletText, style, trial)
    font_name, font_size = f.fontName, f.fontSize
    space_width, ascent, descent = widths.metrics(font_name, font_size)
    shrink = style.spaceShrinkage * space_width
    split_long = style.splitLongWords
    table = widths.table(font_name, font_size)
    last_max = len(trial) - 1
    lineno = 0
    max_width = trial[0]
    width_max = 0
    lines = []
    line: list[str] = []
    current_width = -space_width  # reportlab's way of not counting a space before the first word
    for word in split(text):
        word_width = table.get(word)
        if word_width is None:
            word_width = table[word] = stringWidth(word, font_name, font_size)
        new_width = current_width + space_width + word_width
        lim_width = max_width + shrink * len(line)
        if new_width > lim_width and split_long:
            n = min(lineno, last_max)
            if word_width > max(trial[n:n + 1]):
                return None  # reportlab cuts the word between letters
        if new_width <= lim_width or not line:
            line.append(word)
            current_width = new_width
        else:
            if current_width > width_max:
                width_max = current_width
            lines.append((max_width - current_width, line))
            line = [word]
            current_width = word_width
            lineno += 1
            max_width = trial[min(last_max, lineno)]
    if line:
        if current_width > width_max:
            width_max = current_width
        lines.append((max_width - current_width, line))
    _handleBulletWidth(para.bulletText, style, max_widths)  # the caller's list, as reportlab narrows it
    para.height = 0
    para._splitLongWordCount = para._hyphenations = 0
    para._width_max = width_max
    return f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)
