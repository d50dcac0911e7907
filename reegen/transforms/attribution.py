"""Number the brief's sources and attach them to every block taken from an article.

Sources are numbered in order of first use. An article is a source; so is each of its
own references that the selected text cites (listed with the article that cites it).
`[@id]` citations become `Ref`s; an article's marker `[2]` is renumbered into the
brief's list, or, when the article does not list reference 2, printed as
`[k: ref. 2]` (k being the article's number) and reported as unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..corpus import Article, Corpus
from ..errors import Location, Report, did_you_mean
from ..model import (
    Block, BulletList, Cite, Document, Emph, Heading, Inline, Link, ListItem, Marker, Paragraph, Quote, Ref,
    SourceEntry, SourceRef, Strong, Table, Text, Unresolved,
)
from ..text import ends_right_to_left, format_date


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


def attribute(document: Document, corpus: Corpus, report: Report) -> tuple[Document, Attribution]:
    """Return `document` with every article-derived paragraph numbered, and the attribution.

    Unknown `[@id]` citations are errors located where they were written; unresolved
    article markers are warnings located in the article.
    """
    numbering = _Numbering(corpus, report)
    blocks = tuple(_block(b, None, numbering) for b in document.blocks)
    entries = tuple(_entry(n, key, corpus, numbering.result) for n, key in enumerate(numbering.result.order, 1))
    return replace(document, blocks=blocks, sources=entries), numbering.result


def _block(block: Block, source: SourceRef | None, numbering: _Numbering) -> Block:
    if isinstance(block, Paragraph):
        src = block.source or source
        numbers = block.numbers
        if src is not None:
            numbers = (numbering.article(src.article_id),)
        children = _inlines(block.children, src, numbering)
        return replace(block, children=children, numbers=numbers, source=src)
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
            out.extend(_cite(node, numbering))
        elif isinstance(node, Marker):
            out.extend(_marker(node, source, numbering))
        elif isinstance(node, (Strong, Emph, Link)):
            out.append(replace(node, children=_inlines(node.children, source, numbering)))
        else:
            out.append(node)
    return tuple(out)


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
        number = numbering.article(node.article_id)
        out.append(Unresolved(f"[{number}: ref. {', '.join(missing)}]"))
    return out


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
