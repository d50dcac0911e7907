"""Write a `Draft` in the SPEC article format: YAML front matter, then the Markdown body."""

from __future__ import annotations

import re

import yaml

from .draft import Block, Draft

#: front-matter keys in the order SPEC lists them
FIELDS = ("id", "title", "publisher", "published", "url", "author", "origin", "tags", "references", "disclaimers", "provenance")
_ORIGIN_KEYS = ("name", "kind", "translated", "date")
_REFERENCE_KEYS = ("title", "publisher", "url", "date")
# A paragraph starting like this would be read back as a heading, list, quote, rule or fence.
_MARKDOWN_START = re.compile(r"#{1,6}(?:\s|\Z)|>|[-*+•◦▪‣●](?:\s|\Z)|\d{1,9}[.)](?:\s|\Z)|([-*_=])\1{2,}\s*\Z|```|~~~|\[\d{1,3}\]\s")


def front_matter(draft: Draft) -> dict:
    """Return the front-matter mapping of `draft`: known fields in SPEC order, empty ones left out."""
    meta: dict = {}
    for key in FIELDS:
        value = getattr(draft, key)
        if key == "origin":
            value = [_ordered(o, _ORIGIN_KEYS) for o in value]
        elif key == "references":
            value = {label: _ordered(ref, _REFERENCE_KEYS) if isinstance(ref, dict) else ref
                     for label, ref in sorted(value.items(), key=lambda kv: (str(type(kv[0])), kv[0]))}
        if value not in (None, "", [], {}):
            meta[key] = value
    for key, value in draft.extra.items():
        if key not in meta:
            meta[key] = value
    return meta


def _ordered(mapping: dict, keys: tuple[str, ...]) -> dict:
    out = {k: mapping[k] for k in keys if mapping.get(k) is not None}
    out.update((k, v) for k, v in mapping.items() if k not in out and v is not None)
    return out


def render_block(block: Block) -> str:
    """Return one block as Markdown (without a trailing newline)."""
    if block.kind == "bullet":
        return "  " * block.level + "- " + block.text
    if block.kind == "quote":
        return "> " + block.text
    if block.kind == "heading":
        return "## " + block.text
    if block.lead_in:
        stop = "" if block.lead_in[-1] in ".?!:" else "."
        return f"**{block.lead_in}{stop}** {block.text}"
    if _MARKDOWN_START.match(block.text):
        return "\\" + block.text
    return block.text


def _render_blocks(blocks: list[Block]) -> list[str]:
    """Return one chunk per block, except that consecutive bullets form one list chunk."""
    chunks: list[str] = []
    previous: Block | None = None
    for block in blocks:
        text = render_block(block)
        if block.kind == "bullet" and previous is not None and previous.kind == "bullet":
            chunks[-1] += "\n" + text
        else:
            chunks.append(text)
        previous = block
    return chunks


def render_body(draft: Draft) -> str:
    """Return the Markdown body: lead, `## Highlights`, then each `## Section`."""
    chunks = _render_blocks(draft.lead)
    if draft.highlights:
        chunks.append("## Highlights")
        chunks.extend(_render_blocks(draft.highlights))
    for section in draft.sections:
        chunks.append("## " + section.title)
        chunks.extend(_render_blocks(section.blocks))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def render_article(draft: Draft) -> str:
    """Return the article file text of `draft`; the same draft always gives the same bytes."""
    meta = yaml.safe_dump(front_matter(draft), sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096)
    return f"---\n{meta}---\n{render_body(draft)}"
