"""Compose a `Document` from a `Selection`: fill each section, then the brief template.

Article material never passes through Jinja or Markdown again: it is already model
blocks (parsed once with the corpus) and is dropped into the template's output at a
slot, so article text cannot change the brief's structure. Template and spec text is
rendered in the sandbox, then parsed as Markdown.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .corpus import Article
from .errors import Location, Report, TemplateError, did_you_mean
from .markdown import Trusted, parse_markdown
from .model import (
    Block, BulletList, Cite, Emph, Heading, Inline, ListItem, Meta, Paragraph, Quote, SourceRef, Strong, Table,
    TableOfContents, Text, Document, plain_text, slugify, walk,
)
from .project import Project
from .renders import RenderCache, Rendered, folder_state, is_stable
from .select import Selection, SectionPlan
from .spec import BriefSpec
from .text import CUT, EDITORS_NOTES, NOTES_ANCHOR, is_lead_in, is_name_list, leans_back, opening_words, sentence_spans, sentences
from .transforms import FigurePlan, key_figures_blocks, pool_basis

#: the file a template folder must hold; it lays out the whole brief
BRIEF_TEMPLATE = "brief.md.j2"


#: how every placeholder starts; a random part and the slot's number follow
_SLOT = "reegenslot"
#: the random part of the placeholders in a render kept in the render cache
_FIXED = "0" * 16


@dataclass(slots=True)
class _Slots:
    """Placeholders the template prints, replaced by model blocks after parsing.

    A placeholder's random part (`nonce`) keeps article text and templates from forging
    one. Once a render's output is known to hold the placeholder prefix nowhere else,
    its placeholders are given the fixed part instead (`fix`), so that the same render
    reads the same in every build and can be kept in the render cache.
    """

    nonce: str
    #: each slot's blocks, by number
    blocks: list
    #: numbers of the slots placed (by the brief template, or a `toc()` in a section)
    used: set
    #: titles of the `toc()` calls so far
    tocs: list

    def add(self, blocks: tuple[Block, ...]) -> Trusted:
        self.blocks.append(blocks)
        return Trusted(f"{_SLOT}{self.nonce}n{len(self.blocks) - 1}")

    def add_toc(self, title: str) -> Trusted:
        self.tocs.append(title)
        return self.add((TableOfContents(title),))

    def fix(self, markdown: str) -> tuple[str, str]:
        """Return `markdown` with this build's placeholders in the fixed form when safe, and the form they have.

        Safe when every occurrence of the prefix starts one of this build's placeholders:
        nothing else in the text can then pass for one in either form.
        """
        mine = _SLOT + self.nonce
        if markdown.count(_SLOT) == markdown.count(mine):
            return markdown.replace(mine, _SLOT + _FIXED), _FIXED
        return markdown, self.nonce

    def tokens(self, form: str) -> dict[str, int]:
        """Return every placeholder in `form` (a random part), with its slot's number."""
        return {f"{_SLOT}{form}n{i}": i for i in range(len(self.blocks))}


class _Renderer:
    """Renders template files and spec text to blocks, through the render cache when one is given.

    Jinja is imported, and the environment made, only when a render is not in the cache.
    """

    def __init__(self, dirs: list[Path], display, slots: _Slots, cache: RenderCache | None):
        self.dirs = dirs
        self.display = display
        self.slots = slots
        self.cache = cache
        self.state = folder_state(dirs, display) if cache is not None else None
        self.env = None
        #: every template file read, display name -> real path (inputs for the manifest)
        self.loaded: dict[str, Path] = {}

    def render(self, context: dict, data: str | None, report: Report, *, template: str | None = None,
               text: str | None = None, path: str = "", first_line: int = 1) -> tuple[Rendered, str]:
        """Return template file `template`, or spec `text` written in `path` from `first_line`, rendered and parsed.

        Also returns the form of its placeholders (see `_Slots.tokens`). `data` is
        `context` as JSON, with placeholders as slot numbers (None: not cacheable).
        Problems found by the parse go to `report`; raises `TemplateError`.
        """
        key = None
        if self.state is not None and data is not None and (text is None or is_stable(text)):
            what = f"text\0{path}\0{first_line}\0{text}" if text is not None else f"template\0{template}"
            key = self.cache.key(self.state, what, str(len(self.slots.blocks)), data)
            found = self.cache.get(key)
            if found is not None:
                for title in found.tocs:
                    self.slots.add_toc(title)
                report.extend(found.diagnostics)
                self.loaded.update(found.loaded)
                return found, _FIXED
        from .templating import make_environment, render_string, render_template

        if self.env is None:
            self.env = make_environment(self.dirs, self.display)
        tocs = len(self.slots.tocs)
        if text is not None:
            markdown, filename, offset = render_string(self.env, text, context, path, first_line), path, first_line - 1
        else:
            (markdown, filename), offset = render_template(self.env, template, context), 0
        markdown, form = self.slots.fix(markdown)
        own = Report()
        blocks = parse_markdown(markdown, path=filename, line_offset=offset, report=own)
        report.extend(own)
        self.loaded.update(self.env.loader.loaded)
        rendered = Rendered(blocks, filename, tuple(own.diagnostics), dict(self.env.loader.loaded),
                            tuple(self.slots.tocs[tocs:]))
        if key is not None and form == _FIXED:
            self.cache.put(key, rendered)
        return rendered, form


def compose(spec: BriefSpec, selection: Selection, project: Project, report: Report, *,
            date: str, figures: FigurePlan, cache: RenderCache | None = None) -> tuple[Document, dict[str, Path]]:
    """Return the brief's `Document` before attribution, and the template files it read.

    `date` is the brief's ISO date; `figures` is the brief's `FigurePlan` (`plan_figures`),
    whose tables fill the `figures:` sections; `cache` keeps renders between builds.

    Records template problems (each located in its template, or at the spec line that asked for it)
    and section problems in `report`, composing what it can, so that one run finds them all.
    """
    dirs = project.template_dirs(spec.template)
    if not dirs:
        # Told, and the rest composed without template files, so that spec text and citations are still checked.
        hint = did_you_mean(spec.template, project.template_names())
        report.error(f"unknown template '{spec.template}'" + (f"; {hint}" if hint else
                     f" (available: {', '.join(project.template_names())})"),
                     "spec.unknown-template", spec.location("template"))
    slots = _Slots(os.urandom(8).hex(), [], set(), [])
    renderer = _Renderer(dirs, project.display, slots, cache)
    meta = Meta(
        title=spec.title, subtitle=spec.subtitle, audience=spec.audience, author=spec.author, date=date,
        classification=spec.classification, template=spec.template, language=spec.language,
        keywords=tuple(dict.fromkeys(t for a in selection.pool for t in a.tags)),
    )
    context = {
        "brief": {
            "title": meta.title, "subtitle": meta.subtitle, "audience": meta.audience, "author": meta.author,
            "date": meta.date, "classification": meta.classification, "template": meta.template,
        },
        "pool": [_article_context(a) for a in selection.pool],
        "basis": pool_basis(selection.pool),
        "cite": lambda article_id: Trusted(f"[@{article_id}]"),
        "toc": lambda title="Contents": slots.add_toc(str(title)),
    }
    # The data the templates are given, as part of their cache key (the functions are code).
    data = _json({"brief": context["brief"], "pool": context["pool"]})
    sections = []
    bodies = []  # each section's slot number
    cuts: list[_Cuts] = []
    for index, plan in enumerate(selection.sections):
        rows = figures.tables.get(index, ())
        try:
            blocks = () if not dirs and plan.spec.template else \
                _section_blocks(plan, spec, renderer, context, data, report, rows, cuts)
        except TemplateError as exc:
            # One broken section does not hide the problems of the others, nor the brief template's.
            _record(exc, report, spec.location(line=plan.spec.line or None))
            blocks = ()
        token = slots.add(blocks)
        bodies.append(len(slots.blocks) - 1)
        sections.append({
            "title": plan.spec.title,
            "anchor": slugify(plan.spec.title),
            "kind": _kind(plan),
            "body": token,
            "articles": [m.article.id for m in plan.material],
        })
    context["sections"] = sections
    listed = _json([{**s, "body": n} for s, n in zip(sections, bodies)])
    judged = _judgement_blocks(spec, renderer, context, data, report)
    if judged:
        context["judgements"] = slots.add(judged)
        listed = None if listed is None else listed + _json(["judgements", len(slots.blocks) - 1])
    else:
        context["judgements"] = ""
    known = None if data is None or listed is None else data + listed
    rendered = None
    if dirs:
        try:
            rendered, form = renderer.render(context, known, report, template=BRIEF_TEMPLATE)
        except TemplateError as exc:
            _record(exc, report, spec.location("template"))
    if rendered is None:
        # Not a brief, but what the sections and judgements hold, so that their citations are still checked.
        return Document(meta, judged + tuple(b for n in bodies for b in slots.blocks[n])), renderer.loaded
    blocks = _fill_slots(rendered.blocks, slots, form, rendered.filename)
    missing = [s for s, n in zip(sections, bodies) if n not in slots.used]
    for section in missing:
        report.error(f"the template did not place section '{section['title']}' (print {{{{ section.body }}}})",
                     "template.section-dropped", Location(rendered.filename))
    # After the template, like the caveats: what selection left out is said once, whatever the layout.
    blocks.extend(editors_notes(cuts))
    return Document(meta, _unique_anchors(blocks)), renderer.loaded


def _judgement_blocks(spec: BriefSpec, renderer: _Renderer, context: dict, data: str | None,
                      report: Report) -> tuple[Block, ...]:
    """Return the spec's judgements as one bulleted list (each rendered like spec text), or nothing."""
    items = []
    for text, line in zip(spec.judgements, spec.judgement_lines):
        try:
            rendered, form = renderer.render(context, data, report, text=text, path=spec.path, first_line=line)
        except TemplateError as exc:
            _record(exc, report, spec.location(line=line))
            continue
        blocks = tuple(_fill_slots(rendered.blocks, renderer.slots, form, rendered.filename))
        if blocks:
            items.append(ListItem(blocks))
    return (BulletList(tuple(items)),) if items else ()


def _record(exc: TemplateError, report: Report, where: Location) -> None:
    """Record the problems of a template that failed, at `where` (the spec line that asked for it) when unlocated."""
    for d in exc.diagnostics:
        report.diagnostics.append(d if d.location else replace(d, location=where))


def _json(value: object) -> str | None:
    """Return `value` as JSON, or None when it is not plain data."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def _kind(plan: SectionPlan) -> str:
    s = plan.spec
    return "from" if s.from_ else "figures" if s.figures else "text" if s.text is not None else "template"


def _article_context(a: Article) -> dict:
    return {
        "id": a.id, "title": a.title, "publisher": a.publisher, "url": a.url, "author": a.author,
        "published": a.published.isoformat() if a.published else None, "tags": list(a.tags),
        "sections": list(a.slugs), "origin": [o.name for o in a.origin],
    }


def _section_blocks(plan: SectionPlan, spec: BriefSpec, renderer: _Renderer, context: dict, data: str | None,
                    report: Report, figure_rows: tuple = (), cuts: list | None = None) -> tuple[Block, ...]:
    section = plan.spec
    if section.from_:
        return _material_blocks(plan, report, spec, cuts)
    if section.text is not None or section.template is not None:
        if section.text is not None:
            rendered, form = renderer.render(context, data, report, text=section.text, path=spec.path,
                                             first_line=section.text_line)
        else:
            rendered, form = renderer.render(context, data, report, template=section.template)
        # A `toc()` printed here is filled here: the brief template's pass never sees inside a section.
        return tuple(_fill_slots(rendered.blocks, renderer.slots, form, rendered.filename))
    # figures: the Key figures table; its source cells are citations, numbered by `attribute`.
    return key_figures_blocks(figure_rows, f"{spec.path}:{section.line}")


# ----------------------------------------------------------------------------- material


@dataclass(slots=True)
class _Item:
    """One countable piece of material: a block, or one bullet of a list."""

    group: int
    block: Block | ListItem
    article: Article
    section_slug: str
    section_title: str
    ordered: bool = False
    #: its place in the material (kept items keep their order)
    index: int = 0

    @property
    def is_bullet(self) -> bool:
        return isinstance(self.block, ListItem)


@dataclass(slots=True)
class _Cuts:
    """What selection left out of one section, for the Editor's notes."""

    section: str
    #: items counted and kept by max_items / per_source (None: not limited)
    items: tuple[int, int] | None = None
    per_source: int | None = None
    #: the section is a shortened excerpt (max_words, or passages left out)
    shortened: bool = False
    #: passages left out because they refer back to text the brief does not quote
    orphans: int = 0
    #: sentences quoted from earlier in an article to introduce what an excerpt refers to
    bridged: int = 0


def _material_blocks(plan: SectionPlan, report: Report, spec: BriefSpec, cuts: list | None = None) -> tuple[Block, ...]:
    items: list[_Item] = []
    for group, material in enumerate(plan.material):
        for block in material.section.blocks:
            if isinstance(block, BulletList):
                items.extend(_Item(group, li, material.article, material.section.slug, material.section.title, block.ordered)
                             for li in block.items)
            else:
                items.append(_Item(group, block, material.article, material.section.slug, material.section.title))
    for index, item in enumerate(items):
        item.index = index
    total = sum(1 for i in items if not isinstance(i.block, Heading))
    note = _Cuts(plan.spec.title)
    per_source = _per_source(plan)
    if plan.spec.max_items is not None or per_source is not None:
        items = _pick(items, plan.spec.max_items, per_source)
        kept = sum(1 for i in items if not isinstance(i.block, Heading))
        if kept < total:
            note.items, note.per_source = (kept, total), per_source
    else:
        items = _bridge(items, plan, note)
    if plan.spec.max_words is not None:
        items, cut = _share_words(items, plan.spec.max_words)
        note.shortened = note.shortened or cut
    items, trimmed = _trim_fragments(items, names=note.shortened or note.orphans > 0)
    note.shortened = note.shortened or trimmed
    while items and isinstance(items[-1].block, Heading):
        items.pop()
    # A section title under each article helps only when the articles contribute several sections.
    several = len({m.section.slug for m in plan.material}) > 1
    blocks = _regroup(items, plan.spec.subheadings, section_titles=several)
    if cuts is not None and (note.items or note.shortened or note.orphans or note.bridged):
        cuts.append(note)
    return tuple(blocks)


def _per_source(plan: SectionPlan) -> int | None:
    """Return how many items each article may give the section: as the spec says, else one for a pool-wide summary.

    A section drawn from every article's `highlights` (and not laid out under subheadings)
    is a summary: each source is heard once, so one outlet's many bullets cannot crowd it.
    """
    if plan.spec.per_source is not None:
        return plan.spec.per_source or None  # 0: no limit
    if not plan.spec.subheadings and any(f.article_id is None and f.section == "highlights" for f in plan.spec.from_):
        return 1
    return None


def _first_text(block) -> str:
    """Return the plain text of a block's first paragraph, without a bold lead-in."""
    if isinstance(block, ListItem):
        return _first_text(block.blocks[0]) if block.blocks else ""
    if isinstance(block, Paragraph):
        children = block.children
        if children and isinstance(children[0], Strong):
            children = children[1:]
        return plain_text(children).strip()
    return ""


def _flatten(item: _Item) -> _Item | None:
    """Return `item` as one flat item (a bullet without its sub-bullets), or None when it only leads in to them."""
    block = item.block
    text = _first_text(block)
    if not text or is_lead_in(text):
        return None  # "The zone put in place:" means nothing without its list
    if isinstance(block, ListItem) and len(block.blocks) > 1 and isinstance(block.blocks[0], Paragraph):
        item.block = replace(block, blocks=block.blocks[:1])
    return item


def _pick(items: list[_Item], limit: int | None, per_source: int | None) -> list[_Item]:
    """Keep whole, flat items, taking turns between the articles so each is heard, in original order.

    At most `per_source` from each article and `limit` in all. An item that only leads in
    to a list is never taken, nor one that leans on the item before it ("Its targets…")
    unless that item is taken too.
    """
    queues: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if not isinstance(item.block, Heading):
            queues.setdefault(item.article.id, []).append(index)
    keep: set[int] = set()
    taken: dict[str, int] = {}
    previous: dict[int, int | None] = {}
    last_in_group: dict[int, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item.block, Heading):
            previous[index] = last_in_group.get(item.group)
            last_in_group[item.group] = index

    def room() -> bool:
        return limit is None or len(keep) < limit

    progress = True
    while room() and progress:
        progress = False
        for article_id, queue in queues.items():
            if not room() or (per_source is not None and taken.get(article_id, 0) >= per_source):
                continue
            while queue:
                index = queue.pop(0)
                item = items[index]
                text = _first_text(item.block)
                if previous[index] not in keep and _leans(text, None):
                    continue
                if _flatten(item) is None:
                    continue
                keep.add(index)
                taken[article_id] = taken.get(article_id, 0) + 1
                progress = True
                break
    return [item for i, item in enumerate(items) if i in keep or isinstance(item.block, Heading)]


# ----------------------------------------------------------------------------- antecedents

_DEFINITE = re.compile(r"^(?:The|the)\s+([a-z][\w’'-]*)")
_CONTENT = re.compile(r"[^\W\d_][\w’'-]*")
#: the same words as `_CONTENT`, each captured up to its first apostrophe ("firm’s" gives "firm")
_CONTENT_HEAD = re.compile(r"([^\W\d_][\w-]*)[\w’'-]*")
#: a capitalised word inside a sentence: a name
_MID_CAPITAL = re.compile(r"(?<=[\w,;’'”)] )[A-Z][\w’'-]*")
#: words too common to show that a referent was introduced
_FUNCTION = frozenset("""a an the of in on at to for by with from and or but as is are was were be been has have had
its it this that these those their they new more most other such which who what when where while than then""".split())


@lru_cache(maxsize=512)
def _stems(text: str) -> frozenset[str]:
    """Return the content words of `text`, lower-cased, a plural -s dropped (kept: the same texts recur per excerpt)."""
    # Each distinct word once, and the function words taken out as a set, in C.
    words = set(_CONTENT_HEAD.findall(text.lower()))
    words -= _FUNCTION
    return frozenset([w[:-1] if w[-1] == "s" and len(w) > 3 else w for w in words if len(w) > 2])


@lru_cache(maxsize=256)
def _names(text: str) -> frozenset[str]:
    """Return the words `text` capitalises inside a sentence (names), lower-cased."""
    return frozenset(w.lower() for w in _MID_CAPITAL.findall(text))


class _Context:
    """What a reader of an excerpt has been told, and what its article said before it, as word stems.

    Each set is worked out when first read (from a function given for it): most
    sentences are settled by their opening words, without the stems of the text before.
    """

    __slots__ = ("_known", "_before", "_names")

    def __init__(self, known: Callable[[], frozenset], before: Callable[[], frozenset],
                 names: Callable[[], frozenset]):
        self._known, self._before, self._names = known, before, names

    @property
    def known(self) -> frozenset:
        """Stems of the article's title and of what the section has quoted of it so far."""
        if callable(self._known):
            self._known = self._known()
        return self._known

    @property
    def before(self) -> frozenset:
        """Stems of the article's text before the excerpt that the brief does not quote."""
        if callable(self._before):
            self._before = self._before()
        return self._before

    @property
    def names(self) -> frozenset:
        """Words capitalised inside a sentence in either (names)."""
        if callable(self._names):
            self._names = self._names()
        return self._names

    def told(self, spans: list[str]) -> "_Context":
        """Return this context once `spans` (sentences of the excerpt) have been read too."""
        return _Context(lambda: self.known | _stems(" ".join(spans)), lambda: self.before, lambda: self.names)


def _leans(sentence: str, context: _Context | None) -> bool:
    """Return True when `sentence` refers back to something the reader has not been told.

    It does when it opens with a pronoun, demonstrative or connective ("It…", "They…",
    "However…"). With a `context`, it also does when it opens with "The" and a common
    noun ("The plan…"), or with a bare plural ("Senior officials…"), that the unquoted
    text before the excerpt mentions and the quoted text (and the article's title) does not.
    """
    if leans_back(sentence):
        return True
    if context is None:
        return False
    words = opening_words(sentence, 3)
    if _DEFINITE.match(sentence):
        opening = _stems(" ".join(words[1:]))
        return not (opening & context.known) and bool(opening & context.before)
    if words and words[0] not in ("a", "an", "the") and _CONTENT.match(sentence):
        opening = [w for w in words[:2] if w not in context.names]
        plural = [w for w in opening if w not in _FUNCTION and w.endswith("s") and not w.endswith("ss")]
        if len(opening) == 2 and plural:  # a bare plural, no name: "Senior officials", not "Baotou officials"
            return bool(_stems(" ".join(plural)) - context.known & context.before)
    return False


def _bridge(items: list[_Item], plan: SectionPlan, note: _Cuts) -> list[_Item]:
    """Return `items` with each excerpt made readable on its own.

    An excerpt (one article section's material) whose opening sentence refers back to
    something its article introduced earlier gets the sentence that introduces it, quoted
    first and followed by `[…]`; when that sentence leans back too, or none is found,
    the paragraph is left out (and the next one is tried). Within a paragraph, a
    sentence "The plan…" naming what only the unquoted text introduced is treated alike.
    """
    out: list[_Item] = []
    by_group: dict[int, list[_Item]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    quoted: dict[str, str] = {}  # article id -> what this section quotes of it so far
    for group, group_items in sorted(by_group.items()):
        material = plan.material[group]
        article = material.article
        before = _text_before(article, material.section.slug)
        known = article.title + " " + quoted.get(article.id, "")
        quoted[article.id] = quoted.get(article.id, "") + " " + " ".join(
            _first_text(i.block) for i in group_items if not isinstance(i.block, Heading))
        started = False
        context = None
        for item in group_items:
            if started or isinstance(item.block, Heading) or not isinstance(item.block, (Paragraph, ListItem)):
                out.append(item)
                started = started or not isinstance(item.block, Heading)
                continue
            text = _first_text(item.block)
            spans = sentences(text) if before.strip() else []
            if not spans:  # nothing precedes it in the article, so nothing it refers to was cut
                out.append(item)
                continue
            if context is None:
                context = _Context(lambda k=known: _stems(k), lambda b=before: _stems(b),
                                   lambda k=known, b=before: _names(k) | _names(b))
            # A paragraph under its own bold lead-in ("**Rare earths.** …") names its topic: only its opening is checked.
            titled = isinstance(item.block, Paragraph) and item.block.children and isinstance(item.block.children[0], Strong)
            dangling = _leans(spans[0], context) or not titled and any(
                _DEFINITE.match(s) and _leans(s, context.told(spans[:i]))
                for i, s in enumerate(spans[1:], 1))
            if not dangling:
                out.append(item)
                started = True
                continue
            intro = _introducer(spans, context, before)
            if intro is None:
                note.orphans += 1
                before += " " + text
                context = _Context(lambda c=context: c.known, lambda c=context, t=text: c.before | _stems(t),
                                   lambda c=context, t=text: c.names | _names(t))
                continue
            source = SourceRef(article.id, material.section.slug, None, article.path)
            out.append(_Item(group, Paragraph((Text(intro + " […]"),), source=source), article,
                             material.section.slug, material.section.title, index=item.index))
            note.bridged += 1
            out.append(item)
            started = True
    out.sort(key=lambda i: (i.group, i.index))
    return out


def _introducer(spans: list[str], context: _Context, before: str) -> str | None:
    """Return the earliest sentence of `before` that names what `spans` refer to and stands on its own."""
    wanted: set[str] = set()
    for i, s in enumerate(spans):
        if _leans(s, context.told(spans[:i])):
            words = opening_words(s, 3)
            wanted |= _stems(" ".join(words[1:] if _DEFINITE.match(s) else words[:2]))
            break
    if not wanted:
        return None
    for sentence in sentences(before):
        # It must name the thing, not refer to it again ("The plan…" does not introduce the plan).
        opening = _stems(" ".join(opening_words(sentence, 3)[1:])) if _DEFINITE.match(sentence) else set()
        if _stems(sentence) & wanted and not opening & wanted and not leans_back(sentence) and not is_lead_in(sentence):
            return sentence
    return None


def _text_before(article: Article, slug: str) -> str:
    """Return the plain text of the article's sections before section `slug` (highlights left out)."""
    parts = []
    for section in article.sections:
        if section.slug == slug:
            break
        if section.slug == "highlights":
            continue
        for block in walk(section.blocks):
            if isinstance(block, Paragraph):
                parts.append(plain_text(block.children))
    return " ".join(parts)


def _trim_fragments(items: list[_Item], *, names: bool) -> tuple[list[_Item], bool]:
    """Return `items` without a closing fragment: a lead-in whose list is not there, or (with `names`,
    when the excerpt was cut) a closing list of names."""
    trimmed = False
    while items:
        last = items[-1]
        block = last.block
        if isinstance(block, Heading) or (isinstance(block, ListItem) and len(block.blocks) > 1):
            return items, trimmed  # a bullet with its sub-bullets is whole
        if not isinstance(block, (Paragraph, ListItem)):
            return items, trimmed
        text = plain_text(block.children) if isinstance(block, Paragraph) else _first_text(block)
        text = text.removesuffix(CUT).rstrip()
        spans = sentences(text)
        if not spans or not (is_lead_in(spans[-1]) or names and is_name_list(spans[-1])):
            return items, trimmed
        trimmed = True
        shorter = _shorten(block, len(" ".join(spans[:-1]).split())) if len(spans) > 1 else None
        if shorter is None:
            items = items[:-1]
        else:
            last.block = shorter
    return items, trimmed


# ----------------------------------------------------------------------------- words


def _share_words(items: list[_Item], budget: int) -> tuple[list[_Item], bool]:
    """Cut `items` to `budget` words shared fairly between the excerpts (article sections), so each is heard.

    Each excerpt gets an equal share; what a short one leaves unused goes to the others.
    """
    groups: dict[int, list[_Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    sizes = {g: sum(_words(i.block) for i in group) for g, group in groups.items()}
    shares: dict[int, int] = {}
    left, open_groups = budget, sorted(sizes, key=lambda g: sizes[g])
    while open_groups:
        share = left // len(open_groups)
        g = open_groups[0]
        if sizes[g] <= share:
            shares[g] = sizes[g]
            left -= sizes[g]
            open_groups.pop(0)
        else:
            for g in open_groups:
                shares[g] = share
            break
    out: list[_Item] = []
    cut = False
    for g, group in groups.items():
        kept, shortened = _word_cut(group, shares[g])
        out.extend(kept)
        cut = cut or shortened
    return out, cut


def _word_cut(items: list[_Item], budget: int) -> tuple[list[_Item], bool]:
    """Keep items up to `budget` words, cutting the last one at a sentence boundary."""
    kept: list[_Item] = []
    used = 0
    for item in items:
        words = _words(item.block)
        if used + words <= budget:
            kept.append(item)
            used += words
            continue
        shortened = _shorten(item.block, budget - used)
        if shortened is not None:
            item.block = shortened
            kept.append(item)
        return kept, True
    return kept, False


def _words(block) -> int:
    if isinstance(block, (Paragraph, Heading)):
        return len(plain_text(block.children).split())
    if isinstance(block, (ListItem, Quote)):
        return sum(_words(b) for b in block.blocks)
    if isinstance(block, BulletList):
        return sum(_words(i) for i in block.items)
    if isinstance(block, Table):
        return sum(len(plain_text(c).split()) for row in (block.header, *block.rows) for c in row)
    return 0


def _shorten(block, budget: int):
    """Return `block` cut to whole sentences within `budget` words, or None when none fit.

    Sentence boundaries come from the segmenter (`reegen.text.sentence_spans`), so
    "U.S.", "No. 3" or "3.5 %" never end a cut. The cut never ends on a lead-in (a
    sentence ending in a colon) or on a list of names; it is marked `[…]`.
    """
    if isinstance(block, ListItem) and block.blocks and isinstance(block.blocks[0], Paragraph):
        first = _shorten(block.blocks[0], budget)
        return None if first is None else replace(block, blocks=(first,))
    if not isinstance(block, Paragraph):
        return None
    text = plain_text(block.children).removesuffix(CUT)
    best = None
    for start, end in sentence_spans(text):
        if len(text[:end].split()) > budget:
            break
        sentence = text[start:end]
        if not (is_lead_in(sentence) or is_name_list(sentence)):
            best = end
    lead_in = block.children[0] if block.children and isinstance(block.children[0], Strong) else None
    if best is None or (lead_in is not None and best <= len(plain_text((lead_in,))) + 1):
        return None  # a bold lead-in alone ("Platform build-out. […]") says nothing
    children = _cut_inlines(block.children, best)
    return replace(block, children=children + (Text(CUT),))


def _cut_inlines(inlines: tuple[Inline, ...], limit: int) -> tuple[Inline, ...]:
    """Return the inlines covering the first `limit` characters of their plain text."""
    out: list[Inline] = []
    used = 0
    for node in inlines:
        if used >= limit:
            break
        length = len(plain_text((node,)))
        if used + length <= limit:
            out.append(node)
        elif isinstance(node, Text):
            out.append(Text(node.text[: limit - used]))
        elif isinstance(node, (Strong, Emph)):
            out.append(type(node)(_cut_inlines(node.children, limit - used)))
        used += length
    return tuple(out)


def _regroup(items: list[_Item], subheadings: bool, *, section_titles: bool = True) -> list[Block]:
    """Turn items back into blocks: consecutive bullets form one list."""
    blocks: list[Block] = []
    bullets: list[ListItem] = []
    ordered = False
    last_article = last_section = None

    def flush() -> None:
        nonlocal bullets
        if bullets:
            blocks.append(BulletList(tuple(bullets), ordered))
            bullets = []

    for item in items:
        if subheadings and item.article.id != last_article:
            flush()
            # The heading names the article and the line under it gives its source number once,
            # so the material below needs no marker of its own.
            blocks.append(Heading(2, (Text(item.article.title),), slugify(item.article.title)))
            blocks.append(Paragraph((Text("Source "), Cite((item.article.id,))), role="note"))
            last_section = None
        if subheadings and section_titles and item.section_slug != last_section and item.section_slug != "lead":
            flush()
            blocks.append(Heading(3, (Text(item.section_title),), slugify(item.section_title)))
        last_article, last_section = item.article.id, item.section_slug
        if isinstance(item.block, ListItem):
            if bullets and ordered != item.ordered:
                flush()
            ordered = item.ordered
            bullets.append(item.block)
        else:
            flush()
            block = item.block
            if isinstance(block, Heading):
                # An article's own subheading sits below the brief's section levels.
                block = replace(block, level=min(3, max(block.level, 3 if subheadings else 2)))
            blocks.append(block)
    flush()
    return blocks


# ----------------------------------------------------------------------------- slots


def _fill_slots(blocks: tuple[Block, ...], slots: _Slots, form: str, filename: str) -> list[Block]:
    tokens = slots.tokens(form)
    out: list[Block] = []
    for block in blocks:
        number = _slot_number(block, tokens)
        if number is not None:
            slots.used.add(number)
            out.extend(slots.blocks[number])
            continue
        if any(t in plain_text(getattr(block, "children", ())) for t in tokens):
            raise TemplateError("a section body must stand alone on its own line in the template",
                                Location(filename), code="template.slot-inline")
        out.append(block)
    return out


def _slot_number(block: Block, tokens: dict[str, int]) -> int | None:
    if isinstance(block, Paragraph) and len(block.children) == 1 and isinstance(block.children[0], Text):
        return tokens.get(block.children[0].text.strip())
    return None


def editors_notes(cuts: list[_Cuts]) -> list[Block]:
    """Return the Editor's notes block: what was shortened or left out, each said once (nothing when nothing was)."""
    lines = []
    shortened = [c.section for c in cuts if c.shortened]
    if shortened:
        what = "is a shortened excerpt" if len(shortened) == 1 else "are shortened excerpts"
        lines.append(f"{_join(shortened)} {what}; cuts are marked […].")
    for c in cuts:
        if c.items is None:
            continue
        kept, total = c.items
        if c.per_source == 1:
            # "at most": a source with no item in the section (no highlights) gives none
            lines.append(f"{c.section} quotes at most one item from each source ({kept} of {total} items).")
        elif c.per_source:
            lines.append(f"{c.section} quotes at most {c.per_source} items from each source ({kept} of {total} items).")
        else:
            lines.append(f"{c.section} quotes {kept} of {total} items, taking turns between the sources.")
    bridged = [c.section for c in cuts if c.bridged]
    if bridged:
        lines.append(f"In {_join(bridged)}, where an excerpt refers back to earlier text, "
                     "the article’s sentence introducing it is quoted first.")
    orphans = [c for c in cuts if c.orphans]
    if orphans:
        count = sum(c.orphans for c in orphans)
        lines.append(f"{count} passage{'s' if count != 1 else ''} of {_join([c.section for c in orphans])} "
                     f"that refer{'s' if count == 1 else ''} back to text not quoted {'is' if count == 1 else 'are'} left out.")
    if not lines:
        return []
    return [Heading(1, (Text(EDITORS_NOTES),), NOTES_ANCHOR)] + [Paragraph((Text(line),), role="note") for line in lines]


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _unique_anchors(blocks: list[Block]) -> tuple[Block, ...]:
    seen: set[str] = {"sources", "verification-caveats"}
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            base = block.anchor or slugify(plain_text(block.children)) or "section"
            anchor, n = base, 2
            while anchor in seen:
                anchor, n = f"{base}-{n}", n + 1
            seen.add(anchor)
            block = replace(block, anchor=anchor)
        out.append(block)
    return tuple(out)


__all__ = ["compose", "BRIEF_TEMPLATE"]
