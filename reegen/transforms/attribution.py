"""Number the brief's sources and mark every claim taken from an article with its source, once.

Sources are numbered in order of first use. An article is a source; so is each of its
own references that the selected text cites (listed with the article that cites it).
`[@id]` citations become `Ref`s; an article's marker `[2]` is renumbered into the
brief's list, or, when the article does not list reference 2, dropped from the text and
reported as unresolved, the claim's source marker then reading `[k]†`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..corpus import Article, Corpus
from ..errors import Location, Report, did_you_mean
from ..model import (
    Block, BulletList, Cite, Document, Emph, Heading, Inline, Link, ListItem, Marker, Paragraph, Quote, Ref,
    SourceEntry, SourceRef, Strong, Table, Text, Unresolved, plain_text, walk,
)
from ..text import CUT, EDITORS_NOTES, NBSP, NOTES_ANCHOR, ends_right_to_left, format_date, is_lead_in

if TYPE_CHECKING:  # the context holds this module's `Attribution`
    from .context import BuildContext


@dataclass(slots=True)
class Attribution:
    """What `attribute` found: each source's number and the markers it could not resolve."""

    #: article id -> source number
    articles: dict = field(default_factory=dict)
    #: (article id, reference label) -> source number
    references: dict = field(default_factory=dict)
    #: article id -> labels of markers with no listed reference, in order of first use
    unresolved: dict = field(default_factory=dict)
    #: source number -> (article id, reference label or None), in number order
    order: list = field(default_factory=list)

    def number_of(self, article_id: str) -> int | None:
        """Return the source number of article `article_id`, or None when it is not cited."""
        return self.articles.get(article_id)


class _Numbering:
    def __init__(self, corpus: Corpus, report: Report):
        self.corpus = corpus
        self.report = report
        self.result = Attribution()
        #: unlisted markers met so far, and source markers printed with the dagger
        self.untraced = 0
        self.daggers = 0

    def article(self, article_id: str) -> int:
        numbers = self.result.articles
        if article_id not in numbers:
            numbers[article_id] = len(self.result.order) + 1
            self.result.order.append((article_id, None))
        return numbers[article_id]

    def reference(self, article_id: str, label: str) -> int:
        key = (article_id, label)
        if key not in self.result.references:
            self.result.references[key] = len(self.result.order) + 1
            self.result.order.append(key)
        return self.result.references[key]


def attribute(document: Document, context: "BuildContext") -> Document:
    """Return `document` with its sources numbered and every claim taken from an article marked with its source.

    The numbers go to `context.attribution`, and the figures the brief carries take their
    articles' numbers (`context.figures`), for the caveats and the manifest after it. See
    `number_sources` for where the markers go.
    """
    document, context.attribution = number_sources(document, context.corpus, context.report)
    context.figures = context.figures.numbered(context.attribution.articles)
    return document


def number_sources(document: Document, corpus: Corpus, report: Report) -> tuple[Document, Attribution]:
    """Return `document` with every claim taken from an article marked with its source, and the numbering.

    One marker per claim: a paragraph carries its article's number once, a run of
    consecutive bullets from one article carries it once (on its last line), and nothing
    under a heading that already names the article (`subheadings: true`). The marker sits
    before the final full stop, after a no-break space, exactly like a `[@id]` citation
    written in spec text. Unknown `[@id]` citations are errors located where they were
    written; unresolved article markers are warnings located in the article, and the
    claim's marker is followed by `UNTRACED` ("[5]†"), explained once in the Editor's notes.
    """
    numbering = _Numbering(corpus, report)
    blocks: list[Block] = []
    named: str | None = None  # the article a heading above names (its material needs no marker)
    for at, block in enumerate(document.blocks):
        following = document.blocks[at + 1] if at + 1 < len(document.blocks) else None
        if _leads_into_own_list(block, following):
            # "…the West should take note:" then its list: the list's marker covers both.
            blocks.append(_top(block, numbering, block.source.article_id))
            continue
        if isinstance(block, Heading) and block.level <= 2:
            named = None
        elif isinstance(block, Paragraph) and block.role == "note" and blocks and isinstance(blocks[-1], Heading):
            # A note citing one article right under a heading names the source of what follows (subheadings).
            cited = [n for n in block.children if isinstance(n, Cite)]
            if len(cited) == 1 and len(cited[0].ids) == 1:
                named = cited[0].ids[0]
        blocks.append(_top(block, numbering, named))
    if numbering.daggers:
        blocks = _note_untraced(blocks)
    entries = tuple(_entry(n, key, corpus, numbering.result) for n, key in enumerate(numbering.result.order, 1))
    return replace(document, blocks=tuple(blocks), sources=entries), numbering.result


#: what follows a source number when the claim rests on references its article does not list
UNTRACED = "†"
UNTRACED_NOTE = (f"{UNTRACED} marks a claim for which its source cites references of its own that it does not "
                 "list (see Verification caveats).")


def _leads_into_own_list(block: Block, following: Block | None) -> bool:
    """Return whether `block` is a lead-in paragraph ending in a colon whose list, from the same article, follows."""
    if not (isinstance(block, Paragraph) and block.source is not None and isinstance(following, BulletList)
            and following.items and is_lead_in(plain_text(block.children))):
        return False
    first = following.items[0]
    src = first.source or _first_source(first)
    return src is not None and src.article_id == block.source.article_id


def _top(block: Block, numbering: _Numbering, named: str | None) -> Block:
    """Return a top-level block with its citations resolved and its source marked once."""
    if isinstance(block, Paragraph) and block.source is not None:
        para, untraced = _paragraph(block, block.source, numbering)
        if block.source.article_id == named:
            return _mark_last(para, None, untraced, numbering) if untraced else para
        return _mark_last(para, block.source.article_id, untraced, numbering)
    if isinstance(block, (BulletList, Quote)):
        return _runs(block, None, numbering, named)
    return _block(block, None, numbering)


def _runs(block: BulletList | Quote, inherited: SourceRef | None, numbering: _Numbering, named: str | None):
    """Return a list (or quote) with one marker per run of consecutive items from one article."""
    if isinstance(block, Quote):
        src = block.source or inherited
        inner, untraced = _quiet(block.blocks, src, numbering)
        quote = replace(block, blocks=inner, source=src)
        if src is not None and src.article_id == named and untraced:
            return _mark_last(quote, None, untraced, numbering)
        if src is None or src.article_id == named:
            return quote
        return _mark_last(quote, src.article_id, untraced, numbering)
    items: list[ListItem] = []
    run: list[tuple[int, bool]] = []  # (index in items, untraced) of the current run

    def close() -> None:
        if run:
            last = run[-1][0]
            article_id = (items[last].source or inherited).article_id
            untraced = any(u for _, u in run)
            if article_id != named or untraced:  # under a heading naming it, only a dagger, when due
                items[last] = _mark_last(items[last], None if article_id == named else article_id, untraced, numbering)
            run.clear()

    current = None
    for item in block.items:
        src = item.source or inherited or _first_source(item)
        if src is None:
            close()
            current = None
            items.append(_item(item, None, numbering))
            continue
        blocks, untraced = _quiet(item.blocks, src, numbering)
        processed = replace(item, blocks=blocks, source=src)
        if src.article_id != current:
            close()
            current = src.article_id
        items.append(processed)
        run.append((len(items) - 1, untraced))
    close()
    return replace(block, items=tuple(items))


def _first_source(item: ListItem) -> SourceRef | None:
    for inner in walk(item.blocks):
        if isinstance(inner, Paragraph) and inner.source is not None:
            return inner.source
    return None


def _quiet(blocks: tuple[Block, ...], src: SourceRef | None, numbering: _Numbering) -> tuple[tuple[Block, ...], bool]:
    """Return `blocks` with citations resolved and no source markers, and whether any marker was untraced."""
    out, untraced = [], False
    for inner in blocks:
        if isinstance(inner, Paragraph):
            para, u = _paragraph(inner, inner.source or src, numbering)
            out.append(para)
            untraced |= u
        elif isinstance(inner, BulletList):
            items = []
            for item in inner.items:
                sub, u = _quiet(item.blocks, item.source or src, numbering)
                items.append(replace(item, blocks=sub, source=item.source or src))
                untraced |= u
            out.append(replace(inner, items=tuple(items)))
        elif isinstance(inner, Quote):
            sub, u = _quiet(inner.blocks, inner.source or src, numbering)
            out.append(replace(inner, blocks=sub, source=inner.source or src))
            untraced |= u
        else:
            out.append(_block(inner, src, numbering))
    return tuple(out), untraced


def _paragraph(block: Paragraph, src: SourceRef | None, numbering: _Numbering) -> tuple[Paragraph, bool]:
    """Return the paragraph with its citations resolved (no source marker yet), and whether it had untraced ones."""
    before = numbering.untraced
    if src is not None:
        numbering.article(src.article_id)  # numbered before the references it cites, marker or not
    children = _settle(_inlines(block.children, src, numbering))
    return replace(block, children=children, numbers=(), source=src), numbering.untraced > before


def _mark_last(block, article_id: str | None, untraced: bool, numbering: _Numbering):
    """Return `block` (paragraph, item, quote) with the article's marker on its last paragraph.

    With `article_id` None (material under a heading naming its article) only the dagger is placed.
    """
    number = numbering.article(article_id) if article_id is not None else None
    if untraced:
        numbering.daggers += 1
    if isinstance(block, Paragraph):
        return replace(block, children=_place(block.children, number, untraced))
    inner = list(block.blocks)
    for i in range(len(inner) - 1, -1, -1):
        target = inner[i]
        if isinstance(target, Paragraph):
            inner[i] = replace(target, children=_place(target.children, number, untraced))
            return replace(block, blocks=tuple(inner))
        if isinstance(target, BulletList) and target.items:
            items = list(target.items)
            items[-1] = _mark_last(items[-1], article_id, untraced, _Quiet(numbering))
            inner[i] = replace(target, items=tuple(items))
            return replace(block, blocks=tuple(inner))
        if isinstance(target, Quote):
            inner[i] = _mark_last(target, article_id, untraced, _Quiet(numbering))
            return replace(block, blocks=tuple(inner))
    return block


class _Quiet:
    """A numbering seen through a nested `_mark_last`: the dagger is counted once, by the outer call."""

    def __init__(self, numbering: _Numbering):
        self._numbering = numbering
        self.daggers = 0

    def article(self, article_id: str) -> int:
        return self._numbering.article(article_id)


_STOP = re.compile(r"(?<![.!?…])([.!?…])\s*$")
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Inc|Ltd|Co|Corp|etc|Jr|Sr|St|No|vs)\.)\s*$")


def _place(children: tuple[Inline, ...], number: int | None, untraced: bool) -> tuple[Inline, ...]:
    """Return `children` with source `number` placed before the final full stop, after a no-break space.

    "…engine”." becomes "…engine”\u00a0[1]."; a trailing cut mark stays last ("… [1]. […]");
    a full stop that is part of an abbreviation ("U.S.") or inside a closing quote keeps its
    place and the marker follows. A marker already closing the text (a `[@id]` citation, an
    article's own reference) takes the number in, so one claim never ends "[3]. [5]".
    """
    out = list(children)
    tail: list[Inline] = []
    if out and isinstance(out[-1], Text) and out[-1].text.endswith(CUT):
        rest = out[-1].text[: -len(CUT)]
        out[-1:] = [Text(rest)] if rest else []
        tail.append(Text(CUT))
    if out and isinstance(out[-1], Text):
        text = out[-1].text.rstrip()
        match = _STOP.search(text)
        if match and not _ABBREVIATION_END.search(text):
            tail.insert(0, Text(match.group(1)))
            text = text[: match.start()].rstrip()
        out[-1:] = [Text(text)] if text else []
    mark = [Unresolved(UNTRACED)] if untraced else []
    if number is None:
        return tuple(out + mark + tail)
    if out and isinstance(out[-1], Ref):
        merged = tuple(sorted(set(out[-1].numbers) | {number}))
        out[-1] = Ref(merged)
        return tuple(out + mark + tail)
    if not out:
        return tuple([Ref((number,))] + mark + tail)
    return tuple(out + [Text(_gap(plain_text(tuple(out)))), Ref((number,))] + mark + tail)


def _gap(before: str) -> str:
    """Return what goes between `before` and a source number: a no-break space, after a
    left-to-right mark when `before` ends right to left (else Word's and a browser's bidi
    would draw "[1]" into the Arabic or Hebrew run, where the PDF does not)."""
    return ("\u200e" if ends_right_to_left(before) else "") + NBSP


def _settle(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Return `children` with a closing citation written after the full stop moved before it ("x. [1]" -> "x\u00a0[1].")."""
    if len(children) < 2 or not isinstance(children[-1], Ref) or not isinstance(children[-2], Text):
        return children
    text = children[-2].text.rstrip(" \u00a0")
    match = _STOP.search(text)
    if not match or _ABBREVIATION_END.search(text):
        return children
    body = text[: match.start()].rstrip()
    return children[:-2] + ((Text(body + _gap(body)),) if body else ()) + (children[-1], Text(match.group(1)))


def _block(block: Block, source: SourceRef | None, numbering: _Numbering) -> Block:
    if isinstance(block, Paragraph):
        src = block.source or source
        return _paragraph(block, src, numbering)[0]
    if isinstance(block, BulletList):
        return replace(block, items=tuple(_item(i, source, numbering) for i in block.items))
    if isinstance(block, ListItem):
        return _item(block, source, numbering)
    if isinstance(block, Quote):
        src = block.source or source
        return replace(block, blocks=tuple(_block(b, src, numbering) for b in block.blocks), source=src)
    if isinstance(block, Heading):
        return replace(block, children=_inlines(block.children, None, numbering))
    if isinstance(block, Table):
        return replace(
            block,
            header=tuple(_inlines(c, source, numbering) for c in block.header),
            rows=tuple(tuple(_inlines(c, source, numbering) for c in row) for row in block.rows),
        )
    return block


def _item(item: ListItem, source: SourceRef | None, numbering: _Numbering) -> ListItem:
    src = item.source or source
    return replace(item, blocks=tuple(_block(b, src, numbering) for b in item.blocks), source=src)


def _inlines(inlines: tuple[Inline, ...], source: SourceRef | None, numbering: _Numbering) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Cite):
            _glue(out, _cite(node, numbering))
        elif isinstance(node, Marker):
            _glue(out, _marker(node, source, numbering))
        elif isinstance(node, (Strong, Emph, Link)):
            out.append(replace(node, children=_inlines(node.children, source, numbering)))
        else:
            out.append(node)
    return tuple(out)


def _glue(out: list[Inline], markers: list[Inline]) -> None:
    """Append `markers` to `out`, the space before them made a no-break space so "[1]" never starts a line."""
    if not markers:
        # An untraced marker leaves nothing inline: drop the space that stood before it.
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text.rstrip(" \u00a0"))
        return
    if out and isinstance(out[-1], Text) and out[-1].text.endswith((" ", NBSP)):
        text = out[-1].text.rstrip(" \u00a0\u200e")
        out[-1] = Text(text + _gap(text))
    out.extend(markers)


def _cite(node: Cite, numbering: _Numbering) -> list[Inline]:
    numbers = []
    for article_id in node.ids:
        if numbering.corpus.get(article_id) is None:
            hint = did_you_mean(article_id, numbering.corpus.articles)
            numbering.report.error(f"citation of unknown article '{article_id}'" + (f"; {hint}" if hint else ""),
                                   "cite.unknown-article", _origin(node.origin))
            continue
        numbers.append(numbering.article(article_id))
    return [Ref(tuple(dict.fromkeys(numbers)))] if numbers else [Unresolved("[@" + "; @".join(node.ids) + "]")]


def _marker(node: Marker, source: SourceRef | None, numbering: _Numbering) -> list[Inline]:
    """Return an article's own marker renumbered into the Sources list; an unlisted one leaves nothing inline.

    The claim's source marker then carries `UNTRACED` (see `attribute`), and the
    caveats say which references the article cites without listing.
    """
    article = numbering.corpus.get(node.article_id)
    resolved, missing = [], []
    for label in node.labels:
        if article is not None and label in article.references:
            resolved.append(numbering.reference(node.article_id, label))
        else:
            missing.append(label)
    out: list[Inline] = []
    if resolved:
        out.append(Ref(tuple(resolved)))
    if missing:
        known = numbering.result.unresolved.setdefault(node.article_id, [])
        for label in missing:
            if label not in known:
                known.append(label)
                path = article.path if article else node.article_id
                numbering.report.warning(
                    f"citation marker [{label}] in article '{node.article_id}' has no entry in its references",
                    "citation.unresolved", Location(path, source.line if source else None),
                )
        numbering.article(node.article_id)
        numbering.untraced += 1
    return out


def _note_untraced(blocks: list[Block]) -> list[Block]:
    """Return `blocks` with the dagger explained once, in the Editor's notes (made at the end when there are none)."""
    note = Paragraph((Text(UNTRACED_NOTE),), role="note")
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and block.anchor == NOTES_ANCHOR:
            end = i + 1
            while end < len(blocks) and isinstance(blocks[end], Paragraph) and blocks[end].role == "note":
                end += 1
            return blocks[:end] + [note] + blocks[end:]
    return blocks + [Heading(1, (Text(EDITORS_NOTES),), NOTES_ANCHOR), note]


def _origin(origin: str | None) -> Location | None:
    if not origin:
        return None
    path, _, line = origin.rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else Location(origin)


def _entry(number: int, key: tuple, corpus: Corpus, result: Attribution) -> SourceEntry:
    article_id, label = key
    article = corpus.get(article_id)
    if label is None:
        return SourceEntry(number, _article_entry(article), article.url, article_id=article_id)
    ref = article.references[label]
    parts = _citation(ref.publisher, ref.title, format_date(ref.date) if ref.date else None) or [Text(f"Reference {label}.")]
    parts.append(Text(" "))
    if ref.url:
        parts += [Link(ref.url, (Text(ref.url),)), Text(". ")]
    parts.append(Text(f"Cited as [{label}] by source "))
    parts.append(Ref((result.articles[article_id],)))
    parts.append(Text("."))
    return SourceEntry(number, tuple(parts), ref.url, article_id=article_id, label=label)


def _citation(publisher: str | None, title: str | None, date: str | None) -> list[Inline]:
    """Return "Publisher, *Title*, date." with the title in italics, exactly as written (never requoted)."""
    parts: list[Inline] = []
    for i, (kind, value) in enumerate((k, v) for k, v in (("p", publisher), ("t", title), ("d", date)) if v):
        if i:
            # After a right-to-left title or publisher, a left-to-right mark keeps ", 3 July 2025"
            # out of its run in every format (the bidi algorithm would draw the date into it).
            parts.append(Text(("\u200e" if ends_right_to_left(previous) else "") + ", "))
        parts.append(Emph((Text(value),)) if kind == "t" else Text(value))
        previous = value
    if parts:
        parts.append(Text("."))
    return parts


#: how the Sources list names a front-matter field when it says the value was derived or inferred
_FIELD_NAMES = {"publisher": "publisher", "title": "title", "published": "date"}


def _article_entry(article: Article) -> tuple[Inline, ...]:
    """Return a Sources entry for `article`: publisher, title, date, URL, origin, translation.

    The entry never passes off what reegen or the analyst made as the publisher's word: a
    title marked `derived` in the article's provenance is shown as a summary ("title not
    stated (summary: …)"), and any field marked `derived` or `inferred` says so after its
    value. An article with no date says "undated"; an origin that carries its own date
    (the relayed report's) says so, which bounds how old the article can be.
    """
    how = article.provenance

    def marked(field: str, value: str) -> str:
        kind = how.get(field)
        return f"{value} ({_FIELD_NAMES[field]} {kind})" if kind in ("derived", "inferred") else value

    parts: list[Inline] = [Text(marked("publisher", article.publisher) if article.publisher else "Publisher not stated"),
                           Text(", ")]
    if how.get("title") == "derived":
        parts += [Text("title not stated (summary: "), Emph((Text(article.title),)), Text(")")]
    else:
        parts.append(Emph((Text(article.title),)))
        if how.get("title") == "inferred":
            parts.append(Text(" (title inferred)"))
    parts.append(Text(", " + (marked("published", format_date(article.published)) if article.published else "undated") + "."))
    if article.url:
        parts += [Text(" "), Link(article.url, (Text(article.url),)), Text(".")]
    for origin in article.origin:
        kind = f" ({origin.kind})" if origin.kind != "unknown" else ""
        verb = "Translated from" if origin.translated else "Relays"
        if origin.date:
            parts.append(Text(f" {verb} a report by {origin.name}{kind} dated {format_date(origin.date)}."))
        else:
            parts.append(Text(f" {verb} {origin.name}{kind}."))
    return tuple(parts)
