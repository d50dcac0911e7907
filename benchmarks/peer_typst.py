"""The fastest peer: the same content as the floors (reegen's JSON), typeset by Typst.

    python benchmarks/peer_typst.py BRIEF.json OUT.pdf FONT_DIR

Turns reegen's document model (dumped with `reegen build -f json`) into Typst markup —
title block, headings, paragraphs with their source numbers, nested lists, quotes,
tables, the Sources list — and compiles it with the `typst` package from PyPI (Typst's
own compiler, in Rust) using the same fonts as reegen. The timed process includes the
conversion, as reegen's includes its own stages. Imports nothing from reegen.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import typst

_SPECIAL = set('\\#*_`$<>@[]~"/=-+.:;,')


def esc(text: str) -> str:
    """Return `text` as Typst markup that prints it literally."""
    return "".join("\\" + c if c in _SPECIAL else c for c in text).replace("\n", " ")


def inline(nodes) -> str:
    out = []
    for n in nodes:
        t = n["type"]
        if t in ("Text", "Unresolved", "Code"):
            out.append(esc(n["text"]))
        elif t == "Strong":
            out.append("#strong[" + inline(n["children"]) + "]")
        elif t == "Emph":
            out.append("#emph[" + inline(n["children"]) + "]")
        elif t == "Link":
            out.append(inline(n["children"]))
        elif t == "LineBreak":
            out.append(" \\ ")
        elif t == "Ref":
            out.append(esc(f"[{', '.join(map(str, n['numbers']))}]"))
    return "".join(out)


def numbers(block) -> str:
    return esc(f" [{', '.join(map(str, block['numbers']))}]") if block.get("numbers") else ""


def blocks(items, out: list[str], indent: str = "") -> None:
    for b in items:
        t = b["type"]
        if t == "Heading":
            out.append("\n" + "=" * min(b["level"], 3) + " " + inline(b["children"]) + "\n")
        elif t == "Paragraph":
            out.append(indent + inline(b["children"]) + numbers(b) + "\n")
        elif t == "BulletList":
            mark = "+ " if b["ordered"] else "- "
            for li in b["items"]:
                first, rest = li["blocks"][:1], li["blocks"][1:]
                text = "".join(inline(p["children"]) + numbers(p) for p in first if p["type"] == "Paragraph")
                out.append(indent + mark + text + "\n")
                blocks(rest, out, indent + "  ")
            out.append("\n")
        elif t == "Quote":
            inner: list[str] = []
            blocks(b["blocks"], inner)
            out.append("#quote(block: true)[" + "".join(inner) + "]\n")
        elif t == "Table":
            cols = len(b["header"])
            cells = ", ".join("[" + inline(c) + "]" for r in [b["header"], *b["rows"]] for c in r)
            out.append(f"#table(columns: {cols}, {cells})\n")
        elif t == "SourcesList":
            for e in b["entries"]:
                url = (" " + esc(e["url"])) if e.get("url") else ""
                out.append(f"{e['number']}. " + inline(e["children"]) + url + "\n\n")
        elif t == "TableOfContents":
            out.append("#outline(title: [" + esc(b["title"]) + "])\n")
        elif t == "Rule":
            out.append("#line(length: 100%)\n")
        out.append("\n")


def markup(doc: dict) -> str:
    meta = doc["meta"]
    out = ['#set page(paper: "a4", margin: 2cm, numbering: "1")\n',
           '#set text(font: "DejaVu Sans", size: 10pt)\n',
           "#text(size: 20pt, weight: \"bold\")[" + esc(meta["title"]) + "]\n\n"]
    if meta.get("subtitle"):
        out.append("#text(size: 13pt)[" + esc(meta["subtitle"]) + "]\n\n")
    out.append(esc(" · ".join(meta.get(k) for k in ("audience", "author", "date", "classification") if meta.get(k)))
               + "\n\n")
    blocks(doc["blocks"], out)
    return "".join(out)


def main(src: str, dst: str, font_dir: str) -> None:
    doc = json.loads(Path(src).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "brief.typ"
        source.write_text(markup(doc), encoding="utf-8")
        typst.compile(str(source), output=dst, font_paths=[font_dir])


if __name__ == "__main__":
    main(*sys.argv[1:4])
