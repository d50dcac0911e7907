"""reegen's house style: what the PDF, the DOCX and the HTML page share.

One place for the facts a reader sees in every format: the body font and its sizes,
the colours, the text measure, the bullet glyph of each list level, the size of source
markers, how a title's em dash stays with the word after it, and how wide a table column
must be for its header. The writers take their values from here, and the parity test
compares what they produce against it.
"""

from __future__ import annotations

import re

#: the body font: bundled with reegen and embedded in the PDF; the DOCX declares it
BODY_FONT = "DejaVu Sans"
#: what Word substitutes when DejaVu Sans is not installed (declared in the DOCX font table)
BODY_FONT_FALLBACK = "Arial"
#: the PANOSE number of DejaVu Sans (a sans-serif, "swiss"), which Word uses to pick a substitute
BODY_FONT_PANOSE = "020B0603030804020204"
MONO_FONT = "DejaVu Sans Mono"
MONO_FONT_FALLBACK = "Courier New"
MONO_FONT_PANOSE = "020B0609030804020204"

INK = "#1a1a1a"
ACCENT = "#1f4e79"
CLASSIFICATION = "#a4262c"
MUTED = "#6b6b6b"
RULE = "#c5ccd3"
ZEBRA = "#f2f5f8"
SUBTITLE_INK = "#444444"

#: sizes in points
BODY_SIZE = 10.5
BODY_LEADING = 15.5
TITLE_SIZE = 22
SUBTITLE_SIZE = 13
META_SIZE = 8.5
NOTE_SIZE = 8.5
CELL_SIZE = 8.5
SOURCE_SIZE = 9
#: heading levels 1-3: (size, bold, italic, coloured with the accent)
HEADINGS = ((15.0, True, False, True), (12.5, True, False, False), (10.5, True, True, False))
#: a source marker such as [2] is this fraction of its paragraph's size, on the baseline, in the accent colour
MARKER_SCALE = 0.8

#: the text measure in points: about 70 characters of body text a line on A4 and Letter alike
MEASURE = 390.0
#: the least side margin, in points, when a page is too narrow for the measure
MIN_MARGIN = 56.0

#: the bullet of each list level; deeper levels take turns
BULLETS = ("\u2022", "\u2013")


def bullet(depth: int) -> str:
    """Return the bullet glyph of list level `depth` (1 is the outermost): • then –, in turn."""
    return BULLETS[(max(depth, 1) - 1) % len(BULLETS)]


def side_margin(page_width: float) -> float:
    """Return the left and right margin, in points, that gives `page_width` the house measure."""
    return max(MIN_MARGIN, (page_width - MEASURE) / 2)


_DASH_SPACE = re.compile("([\u2014\u2013]) +(?=\\S)")


def keep_dash_with_next(text: str) -> str:
    """Return `text` with the space after an em or en dash made a no-break space.

    A line may then break before the dash ("reporting" / "— dossier") but never right
    after it, which would leave the dash hanging at the end of a title's first line.
    """
    if "\u2014" not in text and "\u2013" not in text:
        return text
    return _DASH_SPACE.sub("\\1\u00a0", text)


def column_widths(weights, least: list[float], total: float, most: list[float] | None = None) -> list[float]:
    """Return column widths summing to `total`: in proportion to `weights`, each at least `least[i]`.

    A column given less than it needs (its header's longest word, say) gets that much,
    taken from the columns with room to spare in proportion to their spare room. When
    the needs add up to more than `total`, every column gets its share of `total` in
    proportion to its need. With `most` (each column's widest cell on one line), a column
    never gets more than it can fill while another still wraps: a "[1]" column gives its
    spare room to a column of long values, so those wrap on fewer lines.
    """
    count = len(least)
    if count == 0:
        return []
    weights = [float(w) for w in weights] if len(weights) == count and all(w > 0 for w in weights) else [1.0] * count
    need = sum(least)
    if need >= total:
        return [total * n / need if need else total / count for n in least]
    widths = _proportional(weights, least, total, count)
    if most is None or len(most) != count:
        return widths
    cap = [max(most[i], least[i]) for i in range(count)]
    for _ in range(count):
        over = [i for i in range(count) if widths[i] > cap[i] + 1e-6]
        hungry = [i for i in range(count) if widths[i] < cap[i] - 1e-6]
        if not over or not hungry:
            break
        spare = sum(widths[i] - cap[i] for i in over)
        for i in over:
            widths[i] = cap[i]
        weight = sum(weights[i] for i in hungry)
        for i in hungry:
            widths[i] += spare * weights[i] / weight
    if all(widths[i] <= cap[i] + 1e-6 for i in range(count)) and sum(widths) < total - 1e-6:
        # every column fits on one line: the room left is shared in proportion, as before
        left = total - sum(widths)
        for i in range(count):
            widths[i] += left * weights[i] / sum(weights)
    return widths


def _proportional(weights: list[float], least: list[float], total: float, count: int) -> list[float]:
    """Return widths in proportion to `weights`, each raised to `least[i]` at the others' expense."""
    widths = [total * w / sum(weights) for w in weights]
    for _ in range(count):
        short = [i for i in range(count) if widths[i] < least[i] - 1e-6]
        if not short:
            break
        for i in short:
            widths[i] = least[i]
        fixed = set(short) | {i for i in range(count) if widths[i] <= least[i] + 1e-6}
        free = [i for i in range(count) if i not in fixed]
        left = total - sum(widths[i] for i in fixed)
        spare_weight = sum(weights[i] for i in free)
        if not free or spare_weight <= 0:
            break
        for i in free:
            widths[i] = left * weights[i] / spare_weight
    return widths


def dash_kept(inlines: tuple) -> tuple:
    """Return heading inlines with `keep_dash_with_next` applied to their plain text nodes."""
    from ..model import Text

    return tuple(Text(keep_dash_with_next(node.text)) if isinstance(node, Text) else node for node in inlines)


_TRAILING_MARKERS = re.compile(r"(?:\s*\[[^\[\]]*\])*\s*$")


def is_lead_in(block, following) -> bool:
    """Return whether paragraph `block` introduces `following`: it ends in a colon and a list or table comes next.

    Writers keep such a paragraph on the page of what it introduces. Source markers after
    the colon ("take note: [3]") do not count.
    """
    from ..model import BulletList, Paragraph, Table, plain_text

    if not isinstance(block, Paragraph) or block.role == "note" or not isinstance(following, (BulletList, Table)):
        return False
    return _TRAILING_MARKERS.sub("", plain_text(block.children)).endswith(":")
