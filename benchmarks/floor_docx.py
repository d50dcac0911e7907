"""The DOCX floor: the brief's content written with python-docx's object API, in the fewest lines.

    python benchmarks/floor_docx.py BRIEF.json OUT.docx

BRIEF.json is reegen's document model (`reegen build SPEC -f json`). This writes the
same blocks (title block, headings, paragraphs with bold/italic runs and their source
numbers, nested bullets, quotes, the Key figures table, the Sources list, the headings
of a contents list) with Word's built-in styles, and the title in the page header. Style
objects are looked up once (python-docx otherwise scans every style on each use); no
links, bookmarks or fields. Imports nothing from reegen.
"""

from __future__ import annotations

import json
import sys

import docx


def runs(paragraph, nodes, bold=False, italic=False) -> None:
    for n in nodes:
        t = n["type"]
        if t in ("Text", "Unresolved", "Code"):
            run = paragraph.add_run(n["text"])
            run.bold, run.italic = bold or None, italic or None
        elif t == "Strong":
            runs(paragraph, n["children"], True, italic)
        elif t == "Emph":
            runs(paragraph, n["children"], bold, True)
        elif t == "Link":
            runs(paragraph, n["children"], bold, italic)
        elif t == "LineBreak":
            paragraph.add_run().add_break()
        elif t == "Ref":
            paragraph.add_run("[" + ", ".join(map(str, n["numbers"])) + "]")


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    out = docx.Document()
    styles = {name: out.styles[name] for name in (
        "Title", "Subtitle", "Normal", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Bullet 2",
        "List Bullet 3", "List Number", "Quote", "Table Grid")}
    meta = doc["meta"]
    out.core_properties.title = meta["title"][:255]
    out.sections[0].header.paragraphs[0].text = meta["title"]
    out.add_paragraph(meta["title"], styles["Title"])
    if meta.get("subtitle"):
        out.add_paragraph(meta["subtitle"], styles["Subtitle"])
    details = [meta.get(k) for k in ("audience", "author", "date", "classification") if meta.get(k)]
    out.add_paragraph(" · ".join(details), styles["Normal"])

    def paragraph(block, style) -> None:
        p = out.add_paragraph(style=style)
        runs(p, block["children"])
        if block.get("numbers"):
            p.add_run(" [" + ", ".join(map(str, block["numbers"])) + "]")

    def blocks(items, depth=0, style=styles["Normal"]) -> None:
        for b in items:
            t = b["type"]
            if t == "Heading":
                p = out.add_paragraph(style=styles[f"Heading {min(b['level'], 3)}"])
                runs(p, b["children"])
            elif t == "Paragraph":
                paragraph(b, style)
            elif t == "BulletList":
                item = styles["List Number"] if b["ordered"] else styles[
                    "List Bullet" + (f" {min(depth + 1, 3)}" if depth else "")]
                for li in b["items"]:
                    first, rest = li["blocks"][:1], li["blocks"][1:]
                    for p in first:
                        if p["type"] == "Paragraph":
                            paragraph(p, item)
                    blocks(rest, depth + 1, item)
            elif t == "Quote":
                blocks(b["blocks"], depth, styles["Quote"])
            elif t == "Table":
                rows = [b["header"], *b["rows"]]
                table = out.add_table(rows=len(rows), cols=len(b["header"]))
                table.style = styles["Table Grid"]
                for row, cells in zip(table.rows, rows):
                    for cell, content in zip(row.cells, cells):
                        runs(cell.paragraphs[0], content)
            elif t == "SourcesList":
                for e in b["entries"]:
                    p = out.add_paragraph(f"{e['number']}.\t", styles["Normal"])
                    runs(p, e["children"])
                    if e.get("url"):
                        p.add_run(" " + e["url"])
            elif t == "TableOfContents":
                out.add_paragraph(b["title"], styles["Heading 1"])
                for h in doc["blocks"]:
                    if h["type"] == "Heading" and h["level"] <= 2:
                        runs(out.add_paragraph(style=styles["Normal"]), h["children"])
            elif t == "Rule":
                out.add_paragraph(style=styles["Normal"])

    blocks(doc["blocks"])
    out.save(dst)


if __name__ == "__main__":
    main(*sys.argv[1:3])
