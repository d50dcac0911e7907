"""Inline model nodes to reportlab Paragraph markup, with every character checked and escaped.

Model text is data: it is escaped here and nowhere else, and only this module writes tags.
Text is first turned into `Run`s (escaped text plus the tags around it) so that a long
paragraph can be cut between sentences into several Paragraph flowables, each closing and
reopening its tags; reportlab's Paragraph is quadratic on very long text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape as _escape
from urllib.parse import urlsplit

from reportlab.lib import colors

from ..errors import Location, RenderError
from ..model import (
    Cite, Code, Emph, Inline, LineBreak, Link, Marker, Ref, Strong, Text, Unresolved,
    number_labels, plain_text, source_anchor,
)
from ._pdf_fonts import BIDI_MARKS, PLACEHOLDER, FontSet, bidi_order, has_right_to_left, is_wide, reshape, split_by_family

#: removes the bidi marks, which steer reordering but are never drawn
_NO_MARKS = dict.fromkeys(map(ord, BIDI_MARKS))


def styled_faces(runs: list[Run], fonts: FontSet, bold: bool, italic: bool) -> list[Run]:
    """Return `runs` with each fallback family's `<font face>` naming the face for its bold and italic.

    reportlab takes a `<font face>` as it is, whatever `<b>` or the style around it say:
    Arabic in a heading or in bold text must name the Arabic bold face itself.
    """
    names = {f.name: f for f in fonts.families if f is not fonts.body}
    if not any(run.tags and run.tags[-1][0].startswith('<font face="') for run in runs):
        return runs
    out = []
    for run in runs:
        found = names.get(run.tags[-1][0][12:-2]) if run.tags and run.tags[-1][0].startswith('<font face="') else None
        if found is None:
            out.append(run)
            continue
        b = bold or any(o == "<b>" for o, _ in run.tags)
        i = italic or any(o == "<i>" for o, _ in run.tags)
        face = found.face(bold=b, italic=i)
        out.append(replace(run, tags=run.tags[:-1] + ((f'<font face="{face}">', "</font>"),)))
    return out


def without_marks(runs: list[Run]) -> list[Run]:
    """Return `runs` without bidi marks: in a paragraph with no right-to-left text they change nothing."""
    if not any(mark in run.text for run in runs for mark in BIDI_MARKS):
        return runs
    return [replace(run, text=run.text.translate(_NO_MARKS)) if run.text else run for run in runs]
#: a paragraph longer than this (in characters) is laid out as several flowables
CHUNK_CHARS = 4000

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f<>\"\\]")
# Places to end a chunk, best first: after a sentence, then after any word.
_SENTENCE_END = re.compile(r"[.!?;:\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s")


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours the markup uses, as `#rrggbb`."""

    accent: str
    muted: str
    code: str
    code_back: str


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of paragraph content: plain `text`, or writer-made `raw` markup, inside `tags`."""

    text: str = ""
    tags: tuple[tuple[str, str], ...] = ()
    raw: str = ""
    #: the text holds East Asian wide characters: its paragraph breaks lines between any two
    wide: bool = False
    #: `raw` as text runs with tags, for making its fragments without parsing it (see _pdf_frags)
    pieces: tuple[Run, ...] = ()
    #: the text needs OpenType shaping (Devanagari): its paragraph goes through reportlab's shaping path
    shaped: bool = False
    #: the text holds right-to-left characters (in logical order): its paragraph is laid out by `_pdf_bidi`
    rtl: bool = False

    def markup(self) -> str:
        body = self.raw if self.raw else escape(self.text)
        if not self.tags:
            return body
        opens = "".join(o for o, _ in self.tags)
        closes = "".join(c for _, c in reversed(self.tags))
        return opens + body + closes


def escape(text: str) -> str:
    """Return `text` with the three characters Paragraph markup gives meaning to escaped.

    (Not xml.sax.saxutils: importing it pulls in urllib.request, http.client and ssl, about
    20 ms of every PDF build's start-up. `html` is loaded by reportlab's parser anyway.)
    """
    return _escape(text, quote=False)


@lru_cache(maxsize=None)
def colour(hex_colour: str) -> colors.Color:
    """Return `#rrggbb` as a reportlab colour, parsed once.

    A style's textColor given as a string is parsed again for every line drawn, so styles
    take these objects. Markup colours stay strings: reportlab's parser works each out once
    per kind of run (see `_pdf_frags`). (reegen does not enter them in reportlab's table of
    colour names, `toColor.extraColorsNS`: that table is every reportlab user's in the process.)
    """
    return colors.HexColor(hex_colour)


def to_markup(runs: list[Run]) -> str:
    """Return the Paragraph markup of `runs`."""
    return "".join(run.markup() for run in runs)


def is_safe_href(url: str) -> bool:
    """Return whether `url` may become a live link: http(s) with a host, or mailto."""
    if not url or _UNSAFE_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return False
    return bool(parts.netloc) if scheme != "mailto" else bool(parts.path)


def attr(value: str) -> str:
    """Return `value` escaped for a double-quoted markup attribute."""
    return escape(value).replace('"', "&quot;")


class InlineRenderer:
    """Turns inline nodes into `Run`s; a character no font can draw becomes a placeholder, and `warn` hears of it.

    `warn(message, location, hint)` is called once per character and place.
    """

    def __init__(self, fonts: FontSet, palette: Palette, anchors: frozenset[int], warn=None):
        self.fonts = fonts
        self.warn = warn
        self._warned: set[tuple[int, str]] = set()
        #: inline code: the monospaced family first, the body families behind it
        self.code_fonts = FontSet((fonts.mono, *fonts.families), fonts.mono)
        self.palette = palette
        #: Sources numbers that have an entry (and so a destination) in this document
        self.anchors = anchors

    # ------------------------------------------------------------------ text
    def text(self, text: str, where: str, tags: tuple[tuple[str, str], ...] = (),
             fonts: FontSet | None = None) -> list[Run]:
        """Return runs for plain `text`, with a font tag wherever a fallback family draws it.

        `fonts` (default: the body fonts) names the family the surrounding tags already
        select as its first; only runs another family draws get a tag of their own.
        """
        if not text:
            return []
        fonts = fonts or self.fonts
        missing: list[int] = []
        parts = split_by_family(reshape(text), fonts, missing)
        for code in missing:
            self._missing(code, where, fonts)
        body = fonts.body
        rtl = has_right_to_left(text)
        return [
            Run(chunk, tags if family is body else tags + ((f'<font face="{family.name}">', "</font>"),),
                wide=is_wide(chunk), shaped=family.shaped, rtl=rtl)
            for chunk, family in parts if chunk
        ]

    def check(self, text: str, where: str) -> str:
        """Return one line of `text` as it will be drawn outside Paragraph markup (the running header), in visual order."""
        line = "".join(run.text for run in self.text(text, where))
        return "".join(ch for _, ch in bidi_order(line)).translate(_NO_MARKS)

    def _missing(self, code: int, where: str, fonts: FontSet) -> None:
        key = (code, str(where))
        if key in self._warned or self.warn is None:
            return
        self._warned.add(key)
        message, location, hint = missing_glyph(code, where, fonts)
        self.warn(message, location, hint)

    # ------------------------------------------------------------------ inlines
    def inlines(self, nodes: tuple[Inline, ...], where: str, size: float,
                tags: tuple[tuple[str, str], ...] = (), in_link: bool = False) -> list[Run]:
        """Return runs for `nodes`; `size` is the font size source numbers are scaled from."""
        out: list[Run] = []
        for node in nodes:
            if isinstance(node, Text):
                out += self.text(node.text, where, tags)
            elif isinstance(node, Strong):
                out += self.inlines(node.children, where, size, tags + (("<b>", "</b>"),), in_link)
            elif isinstance(node, Emph):
                out += self.inlines(node.children, where, size, tags + (("<i>", "</i>"),), in_link)
            elif isinstance(node, Code):
                p = self.palette
                tag = (f'<font face="{self.fonts.mono.name}" color="{p.code}" backColor="{p.code_back}">', "</font>")
                out += self.text(node.text, where, tags + (tag,), self.code_fonts)
            elif isinstance(node, Link):
                if not in_link and is_safe_href(node.url.strip()):
                    tag = (f'<a href="{attr(node.url.strip())}" color="{self.palette.accent}">', "</a>")
                    out += self.inlines(node.children, where, size, tags + (tag,), True)
                else:
                    out += self.inlines(node.children, where, size, tags, in_link)
            elif isinstance(node, LineBreak):
                out.append(Run(raw="<br/>", tags=tags))
            elif isinstance(node, Ref):
                out.append(self.numbers(node.numbers, size, linked=not in_link, tags=tags))
            elif isinstance(node, (Unresolved, Cite, Marker)):
                # Cite and Marker reach a writer only if `attribute` did not run; shown as written.
                shown = node.text if isinstance(node, Unresolved) else plain_text((node,))
                out += self.text(shown, where, tags + ((f'<font color="{self.palette.muted}">', "</font>"),))
            else:  # pragma: no cover - the model's Inline union is closed
                raise RenderError(f"the PDF writer cannot render a {type(node).__name__} inline ({where})",
                                  code="render.unknown-inline")
        return out

    def numbers(self, numbers: tuple[int, ...], size: float, *, linked: bool = True,
                tags: tuple[tuple[str, str], ...] = (), lead: str = "") -> Run:
        """Return the run printing source `numbers` as `[1, 2]`, each a link to its Sources entry."""
        family = self.fonts.family_for("[], 0123456789")
        face = f' face="{family.name}"' if family is not self.fonts.body else ""
        font = (f'<font size="{size * 0.8:.1f}" color="{self.palette.accent}"{face}>', "</font>")
        outer = (*tags, font)
        # A linked number takes the brackets beside it into its link ("[3]", or "[3" and "5]"):
        # a source number is one fragment to break and draw, and all of "[3]" is the place to click.
        pieces: list[Run] = []  # the same content as runs, for making fragments without parsing
        markup = ""
        plain = lead  # text not yet placed, outside any link
        for n, (before, label) in zip(numbers, number_labels(numbers)):
            plain += before
            if linked and n in self.anchors:
                if plain:
                    pieces.append(Run(plain, outer))
                    markup += escape(plain)
                link = (f'<a href="#{source_anchor(n)}">', "</a>")
                pieces.append(Run(label, (*outer, link)))
                markup += link[0] + label + link[1]
                plain = ""
            else:
                plain += label
        if not numbers:
            plain += "[]"
        if plain:
            pieces.append(Run(plain, outer))
            markup += escape(plain)
        raw = f'{font[0]}{markup}{font[1]}'
        return Run(raw=raw, tags=tags, pieces=tuple(pieces))


def missing_glyph(code: int, where: str, fonts: FontSet) -> tuple[str, Location | None, str]:
    """Return (message, location, hint) for code point `code` that no font can draw, located when `where` knows its file."""
    ch = chr(code)
    found = getattr(where, "location", None)
    location = Location(found[0], found[1]) if found else None
    shown = f" '{ch}'" if ch.isprintable() and not ch.isspace() else ""
    return (
        f"U+{code:04X}{shown} in {where} is shown as {PLACEHOLDER} in the PDF: no PDF font has it "
        f"({fonts.label()}); the DOCX, HTML and Markdown keep it",
        location,
        "replace the character in the source text, or set a [brand] font in reegen.toml that has it",
    )


# ---------------------------------------------------------------------------- chunking


def chunk_runs(runs: list[Run], limit: int = CHUNK_CHARS) -> list[list[Run]]:
    """Return `runs` cut into pieces of at most about `limit` characters, between sentences if possible.

    Each run is visited once and each cut searches only the text before it, so the work
    is linear in the paragraph's length.
    """
    if sum(len(r.text) for r in runs) <= limit:
        return [runs]
    chunks: list[list[Run]] = []
    current: list[Run] = []
    size = 0
    for run in runs:
        if run.raw:
            current.append(run)
            size += 1
            continue
        text = run.text
        while size + len(text) > limit:
            room = limit - size
            cut = _cut_point(text, room) if room > 0 else 0
            if cut == 0:
                if current:
                    chunks.append(current)
                    current, size = [], 0
                    continue
                cut = limit  # one word longer than a chunk: cut it anyway
            current.append(replace(run, text=text[:cut]))
            chunks.append(current)
            current, size = [], 0
            text = text[cut:].lstrip(" ")
        if text:
            current.append(replace(run, text=text))
            size += len(text)
    if current:
        chunks.append(current)
    return chunks


def _cut_point(text: str, room: int) -> int:
    """Return where to cut `text` so the first part fits `room`, or 0 when no good place exists."""
    window = text[: room + 1]
    best = 0
    for match in _SENTENCE_END.finditer(window):
        best = match.end() - 1
    if best >= room // 4:
        return best
    space = window.rfind(" ")
    return space if space > 0 else 0
