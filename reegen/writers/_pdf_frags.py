"""Paragraph fragments made directly from runs: what reportlab's markup parser would make of them.

reportlab turns Paragraph markup into fragments (a piece of text and its font, size,
colour and link) with an HTML parser, per paragraph. Parsing was a sixth of the PDF
writer's time on a long brief, yet a brief's paragraphs are made of few distinct kinds
of run: body text, bold, italic, a fallback face, a source number. So each kind is
parsed once, as a prototype, and a paragraph's fragments are copies of the prototypes
carrying its text, with the three things reportlab's parsing does to the whole text
reproduced: white space folded as its `cleanBlockQuotedText` folds it (across run
boundaries), a separate fragment for each `&`, `<` and `>` (each was an entity in the
markup), and links numbered through the paragraph.

Runs whose markup this cannot reproduce exactly (a raw run that does not start and end
with a tag, underlines or strikes, a NUL in the text) return None, and the caller
parses the markup as before. `tests/writers/test_pdf_frags.py` checks that both ways
give equal fragments.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from reportlab.platypus.paraparser import ParaFrag, ParaParser

from . import _rl_compat as compat
from ._pdf_markup import Run

# reportlab's internals this module works with: present only while the fast paths may run (see `_rl_compat`)
_wsc, cleanBlockQuotedText, textTransformFrags = compat.private(
    "reportlab.platypus.paragraph", "_wsc", "cleanBlockQuotedText", "textTransformFrags")

#: where a text run's markup held an entity: each becomes a fragment of its own
_ENTITY_CHARS = re.compile(r"([&<>])")
#: joins the fragments' texts for folding white space; no run may contain it
_SEP = "\x00"
_NONE: list = []  # no links (never changed)
_new = object.__new__
#: a link's opening tag, and a heading's or source's anchor: parsed once with a stand-in target
_HREF = re.compile(r'<a href="([^"]*)"')
_ANCHOR = re.compile(r'<a name="([^"]*)"/>')
#: what `cleanBlockQuotedText` would change in a text: white space other than a single
#: space or a no-break space (reportlab's own set, or Python's, which `split` uses when
#: the text has no no-break space), two spaces in a row, a space at either end
_FOLDABLE = re.compile("[%s]|  |^ | $" % re.escape(
    "".join(sorted((set(_wsc or "") | {c for c in map(chr, range(0x3001)) if c.isspace()}) - {" ", "\xa0"}))))


class _Prototype:
    """The fragments reportlab parses from one kind of run, and how many links the run opens."""

    __slots__ = ("frags", "links", "style")

    def __init__(self, frags: list[ParaFrag], links: int, style: object):
        self.frags = frags
        self.links = links
        self.style = style  # kept alive: the cache is keyed by its id


class _Piece:
    """One fragment to make: its prototype, its text, and its links' numbers and targets (or anchor name)."""

    __slots__ = ("proto", "text", "indices", "targets", "anchor")

    def __init__(self, proto: ParaFrag, text: str, indices: list[int], targets: tuple[str, ...],
                 anchor: str | None = None):
        self.proto = proto
        self.text = text
        self.indices = indices
        self.targets = targets
        self.anchor = anchor


class _Paragraph:
    """The pieces of one paragraph so far, and how many links its markup has opened."""

    __slots__ = ("pieces", "links")

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.links = 0


class FragmentMaker:
    """Makes Paragraph fragments from runs, parsing each kind of run once per style."""

    def __init__(self) -> None:
        self._prototypes: dict[tuple[int, tuple[tuple[str, str], ...], str], _Prototype | None] = {}

    def frags(self, runs: list[Run], style) -> list[ParaFrag] | None:
        """Return the fragments reportlab would parse from the markup of `runs`, or None when unsure.

        None too while the fast paths are off (see `_rl_compat`); raises `FastPathFailed`
        when reportlab's internals are not what this expects.
        """
        if not compat.fast("frags"):
            return None
        try:
            made = self._frags(runs, style)
        except compat.CHANGED as exc:
            raise compat.FastPathFailed("frags", exc) from exc
        if made is not None:
            compat.ran["frags"] += 1
        return made

    def _frags(self, runs: list[Run], style) -> list[ParaFrag] | None:
        runs = [run for run in runs if run.text or run.tags or run.raw]  # the rest adds nothing to the markup
        if not runs:
            return []
        para = _Paragraph()
        pending: list[str] = []  # text of neighbouring runs without tags: one text in the markup
        for run in runs:
            if not run.raw and not run.tags:
                pending.append(run.text)
                continue
            if pending:
                if not self._text(para, "".join(pending), (), style):
                    return None
                pending.clear()
            if run.pieces:
                # The run's own tags open once around all its pieces: so do their links.
                outer = len(_generic_links(run.tags)[1])
                shared = (para.links, outer)
                para.links += outer
                for piece in run.pieces:
                    if piece.raw or piece.pieces or piece.tags[:len(run.tags)] != run.tags or \
                            not self._text(para, piece.text, piece.tags, style, shared):
                        return None
            elif not (self._raw(para, run.raw, run.tags, style) if run.raw else
                      self._text(para, run.text, run.tags, style)):
                return None
        if pending and not self._text(para, "".join(pending), (), style):
            return None
        pieces = para.pieces
        if not pieces:
            return []
        # Fold white space the way Paragraph folds the markup before parsing it: the
        # separator stands where a tag or an entity stood (and at either end when the markup
        # starts or ends with a tag), and is not white space itself.
        texts = [piece.text for piece in pieces]
        if any(_SEP in text for text in texts):
            return None
        opens, closes = _tagged(runs[0]), _tagged(runs[-1])
        skeleton = _SEP * opens + _SEP.join(texts) + _SEP * closes
        folded = fold_white_space(skeleton).split(_SEP)
        if len(folded) != len(pieces) + opens + closes or (opens and folded[0]) or (closes and folded[-1]):
            return None
        folded = folded[opens:len(folded) - closes]
        out: list[ParaFrag] = []
        for piece, text in zip(pieces, folded):
            if not text and piece.text:
                continue  # white space the folding removed was never data, so never a fragment
            # What the prototype's `clone(text=text)` makes, without its keyword round trip.
            frag = _new(ParaFrag)
            frag.__dict__ = piece.proto.__dict__.copy()
            frag.text = text
            if len(frag.link) != len(piece.indices):
                return None
            if frag.link:
                frag.link = list(zip(piece.indices, piece.targets))
            if piece.anchor is not None:
                frag.cbDefn = frag.cbDefn.clone(name=piece.anchor)
            out.append(frag)
        textTransformFrags(out, style)
        return out

    def _text(self, para: _Paragraph, text: str, tags, style, shared: tuple[int, int] = (0, 0)) -> bool:
        """Add the pieces of a text run; `shared` = (first number, count) of links its run opened already."""
        generic, targets = _generic_links(tags)
        proto = self._prototype(style, generic, "")
        first, count = shared
        if proto is None or len(targets) != proto.links or count > proto.links:
            return False
        if proto.links:
            own = proto.links - count
            indices = [first + i for i in range(count)] + [para.links + i for i in range(own)]
            para.links += own
        else:
            indices = _NONE
        frag = proto.frags[0]
        if "&" in text or "<" in text or ">" in text:
            for part in _ENTITY_CHARS.split(text):
                if part:
                    para.pieces.append(_Piece(frag, part, indices, targets))
        elif text:
            para.pieces.append(_Piece(frag, text, indices, targets))
        return True

    def _raw(self, para: _Paragraph, raw: str, tags, style) -> bool:
        """Add the fragments of writer-made markup `raw` (a line break, an anchor) in `tags`."""
        generic, targets = _generic_links(tags)
        anchor = _ANCHOR.fullmatch(raw)
        name = None
        if anchor:
            raw, name = '<a name="x"/>', html.unescape(anchor.group(1)).strip()
        proto = self._prototype(style, generic, raw)
        if proto is None or len(targets) != proto.links:
            return False  # links inside `raw` itself would need their targets copied
        indices = [para.links + i for i in range(proto.links)]
        para.links += proto.links
        for frag in proto.frags:
            if name is not None and getattr(getattr(frag, "cbDefn", None), "name", None) != "x":
                return False
            para.pieces.append(_Piece(frag, frag.text, indices, targets, name))
        return True

    def _prototype(self, style, tags: tuple[tuple[str, str], ...], raw: str) -> _Prototype | None:
        key = (id(style), tags, raw)
        try:
            return self._prototypes[key]
        except KeyError:
            pass
        proto = _parse_prototype(style, tags, raw)
        self._prototypes[key] = proto
        return proto


def fold_white_space(text: str) -> str:
    """`cleanBlockQuotedText(text)`, without its split and join when there is nothing to fold.

    Nearly every paragraph's text is already folded: one regex search then settles it.
    """
    return cleanBlockQuotedText(text) if _FOLDABLE.search(text) else text


def _tagged(run: Run) -> bool:
    """Return whether the markup of `run` starts (and ends) with a tag."""
    return bool(run.raw or run.tags)


@lru_cache(maxsize=4096)  # a brief's runs share few tag stacks: one per source number, link and style
def _generic_links(tags: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Return `tags` with each link's target replaced by a stand-in, and the targets as reportlab reads them."""
    if not any(opening.startswith("<a href=") for opening, _ in tags):
        return tags, ()
    generic, targets = [], []
    for opening, closing in tags:
        match = _HREF.match(opening)
        if match:
            # The parser unescapes attribute values and strips the target.
            targets.append(html.unescape(match.group(1)).strip())
            opening = '<a href="#"' + opening[match.end():]
        generic.append((opening, closing))
    return tuple(generic), tuple(targets)


def _parse_prototype(style, tags: tuple[tuple[str, str], ...], raw: str) -> _Prototype | None:
    """Parse one run's markup (text runs with the text "x") and return its fragments, or None if unusable."""
    if raw and not (raw.startswith("<") and raw.endswith(">")):
        return None  # text at a raw run's edge would join its neighbours' text in the markup
    body = raw or "x"
    markup = "".join(o for o, _ in tags) + body + "".join(c for _, c in reversed(tags))
    parser = ParaParser()
    parser.caseSensitive = 1  # as Paragraph sets it
    try:
        _, frags, bullet_frags = parser.parse(markup, style)
    except Exception:
        return None
    if frags is None or bullet_frags or parser.nlines:
        return None
    if not raw and (len(frags) != 1 or frags[0].text != "x"):
        return None
    return _Prototype(frags, parser.nlinks, style)
