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
from dataclasses import dataclass, replace
from pathlib import Path

from .corpus import Article
from .errors import Location, Report, SpecError, TemplateError, did_you_mean
from .markdown import Trusted, parse_markdown
from .model import (
    Block, BulletList, Emph, Heading, Inline, ListItem, Meta, Paragraph, Quote, Strong, Table,
    TableOfContents, Text, Document, plain_text, slugify,
)
from .project import Project
from .renders import RenderCache, Rendered, folder_state, is_stable
from .select import Selection, SectionPlan
from .spec import BriefSpec
from .transforms.figures import key_figures_blocks, plan_figures
from .transforms.caveats import pool_basis

#: the file a template folder must hold; it lays out the whole brief
BRIEF_TEMPLATE = "brief.md.j2"
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s|$)")


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
            date: str, figures=None, cache: RenderCache | None = None) -> tuple[Document, dict[str, Path]]:
    """Return the brief's `Document` before attribution, and the template files it read.

    `date` is the brief's ISO date; `figures` is the brief's `FigurePlan` (made here
    from the selection when not given); `cache` keeps renders between builds.

    Raises `TemplateError` (located in the template) and records section problems in `report`.
    """
    dirs = project.template_dirs(spec.template)
    if not dirs:
        hint = did_you_mean(spec.template, project.template_names())
        raise SpecError(f"unknown template '{spec.template}'" + (f"; {hint}" if hint else
                        f" (available: {', '.join(project.template_names())})"),
                        spec.location("template"), code="spec.unknown-template")
    slots = _Slots(os.urandom(8).hex(), [], set(), [])
    renderer = _Renderer(dirs, project.display, slots, cache)
    meta = Meta(
        title=spec.title, subtitle=spec.subtitle, audience=spec.audience, author=spec.author, date=date,
        classification=spec.classification, template=spec.template,
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
    if figures is None and any(s.figures is not None for s in spec.sections):
        figures = plan_figures(spec, selection, None, report)
    sections = []
    bodies = []  # each section's slot number
    for index, plan in enumerate(selection.sections):
        rows = figures.tables.get(index, ()) if figures is not None else ()
        blocks = _section_blocks(plan, spec, renderer, context, data, report, rows)
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
    known = None if data is None or listed is None else data + listed
    rendered, form = renderer.render(context, known, report, template=BRIEF_TEMPLATE)
    blocks = _fill_slots(rendered.blocks, slots, form, rendered.filename)
    missing = [s for s, n in zip(sections, bodies) if n not in slots.used]
    for section in missing:
        raise TemplateError(f"the template did not place section '{section['title']}' (print {{{{ section.body }}}})",
                            Location(rendered.filename), code="template.section-dropped")
    return Document(meta, _unique_anchors(blocks)), renderer.loaded


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
                    report: Report, figure_rows: tuple = ()) -> tuple[Block, ...]:
    section = plan.spec
    if section.from_:
        return _material_blocks(plan, report, spec)
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

    @property
    def is_bullet(self) -> bool:
        return isinstance(self.block, ListItem)


def _material_blocks(plan: SectionPlan, report: Report, spec: BriefSpec) -> tuple[Block, ...]:
    items: list[_Item] = []
    for group, material in enumerate(plan.material):
        for block in material.section.blocks:
            if isinstance(block, BulletList):
                items.extend(_Item(group, li, material.article, material.section.slug, material.section.title, block.ordered)
                             for li in block.items)
            else:
                items.append(_Item(group, block, material.article, material.section.slug, material.section.title))
    total = sum(1 for i in items if not isinstance(i.block, Heading))
    notes: list[str] = []
    if plan.spec.max_items is not None and total > plan.spec.max_items:
        items = _fair_cut(items, plan.spec.max_items)
        notes.append(f"{total - plan.spec.max_items} of {total} items omitted")
    if plan.spec.max_words is not None:
        items, cut = _word_cut(items, plan.spec.max_words)
        if cut:
            notes.append(f"shortened to about {plan.spec.max_words} words")
    while items and isinstance(items[-1].block, Heading):
        items.pop()
    # A section title under each article helps only when the articles contribute several sections.
    several = len({m.section.slug for m in plan.material}) > 1
    blocks = _regroup(items, plan.spec.subheadings, section_titles=several)
    if notes:
        blocks.append(Paragraph((Text("Shortened for this brief: " + "; ".join(notes) + "."),), role="note"))
    return tuple(blocks)


def _fair_cut(items: list[_Item], limit: int) -> list[_Item]:
    """Keep `limit` items, taking turns between the articles so each is heard, in original order."""
    queues: dict[int, list[int]] = {}
    for index, item in enumerate(items):
        if not isinstance(item.block, Heading):
            queues.setdefault(item.group, []).append(index)
    keep: set[int] = set()
    while len(keep) < limit and any(queues.values()):
        for queue in queues.values():
            if queue and len(keep) < limit:
                keep.add(queue.pop(0))
    return [item for i, item in enumerate(items) if i in keep or isinstance(item.block, Heading)]


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
    """Return `block` cut to whole sentences within `budget` words, or None when none fit."""
    if isinstance(block, ListItem) and block.blocks and isinstance(block.blocks[0], Paragraph):
        first = _shorten(block.blocks[0], budget)
        return None if first is None else replace(block, blocks=(first,))
    if not isinstance(block, Paragraph):
        return None
    text = plain_text(block.children)
    best = None
    for match in _SENTENCE_END.finditer(text):
        if len(text[: match.end()].split()) <= budget:
            best = match.end()
        else:
            break
    lead_in = block.children[0] if block.children and isinstance(block.children[0], Strong) else None
    if best is None or (lead_in is not None and best <= len(plain_text((lead_in,)))):
        return None  # a bold lead-in alone ("Platform build-out. […]") says nothing
    children = _cut_inlines(block.children, best)
    return replace(block, children=children + (Text(" […]"),))


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
            blocks.append(Heading(2, (Text(item.article.title),), slugify(item.article.title)))
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
