"""The PDF floor: the brief's content written with reportlab platypus directly, in the fewest lines.

    python benchmarks/floor_pdf.py BRIEF.json OUT.pdf FONT_DIR

BRIEF.json is reegen's document model (`reegen build SPEC -f json`). This writes the
same blocks (title block, headings, paragraphs with their source numbers, nested
bullets, quotes, the Key figures table, the Sources list, a contents list where the
brief has one) on A4 with the same margins and the same embedded DejaVu faces, a
running header and a page number. It does what a careful user of reportlab would do
and nothing more: no glyph checks, no links, one layout pass unless a table of contents
needs two. Imports nothing from reegen.
"""

from __future__ import annotations

import json
import sys
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents


def fonts(folder: str) -> None:
    faces = {"Body": "DejaVuSans", "Body-B": "DejaVuSans-Bold", "Body-I": "DejaVuSans-Oblique",
             "Body-BI": "DejaVuSans-BoldOblique", "Mono": "DejaVuSansMono"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, f"{folder}/{file}.ttf"))
    pdfmetrics.registerFontFamily("Body", normal="Body", bold="Body-B", italic="Body-I", boldItalic="Body-BI")


def inline(nodes) -> str:
    out = []
    for n in nodes:
        t = n["type"]
        if t in ("Text", "Unresolved"):
            out.append(escape(n["text"]))
        elif t == "Strong":
            out.append(f"<b>{inline(n['children'])}</b>")
        elif t == "Emph":
            out.append(f"<i>{inline(n['children'])}</i>")
        elif t == "Code":
            out.append(f'<font face="Mono">{escape(n["text"])}</font>')
        elif t == "Link":
            out.append(inline(n["children"]))
        elif t == "LineBreak":
            out.append("<br/>")
        elif t == "Ref":
            out.append("[" + ", ".join(map(str, n["numbers"])) + "]")
    return "".join(out)


def numbers(block) -> str:
    return "\u00a0[" + ", ".join(map(str, block["numbers"])) + "]" if block.get("numbers") else ""


S = {
    "body": ParagraphStyle("body", fontName="Body", fontSize=10, leading=14, spaceAfter=6),
    "title": ParagraphStyle("title", fontName="Body-B", fontSize=22, leading=27, spaceAfter=6),
    "meta": ParagraphStyle("meta", fontName="Body", fontSize=9, leading=12, spaceAfter=12),
    "h1": ParagraphStyle("h1", fontName="Body-B", fontSize=15, leading=19, spaceBefore=12, spaceAfter=6),
    "h2": ParagraphStyle("h2", fontName="Body-B", fontSize=12, leading=15, spaceBefore=9, spaceAfter=4),
    "h3": ParagraphStyle("h3", fontName="Body-B", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3),
    "quote": ParagraphStyle("quote", fontName="Body-I", fontSize=10, leading=14, leftIndent=16, spaceAfter=8),
    "cell": ParagraphStyle("cell", fontName="Body", fontSize=8.5, leading=11),
    "source": ParagraphStyle("source", fontName="Body", fontSize=8.5, leading=11, leftIndent=18, spaceAfter=3),
}


class Doc(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def story(doc: dict) -> tuple[list, bool]:
    meta = doc["meta"]
    out = [Paragraph(escape(meta["title"]), S["title"])]
    if meta.get("subtitle"):
        out.append(Paragraph(escape(meta["subtitle"]), S["h2"]))
    details = [meta.get(k) for k in ("audience", "author", "date", "classification") if meta.get(k)]
    out.append(Paragraph(escape(" · ".join(details)), S["meta"]))
    has_toc = False

    def blocks(items, depth=0, style=S["body"]):
        nonlocal has_toc
        for b in items:
            t = b["type"]
            if t == "Heading":
                p = Paragraph(inline(b["children"]), S[f"h{min(b['level'], 3)}"])
                p.toc_level = b["level"] - 1 if b["level"] <= 2 else None
                out.append(p)
            elif t == "Paragraph":
                out.append(Paragraph(inline(b["children"]) + numbers(b), style))
            elif t == "BulletList":
                item = ParagraphStyle(f"item{depth}", parent=S["body"], leftIndent=14 * (depth + 1),
                                      bulletIndent=14 * depth + 2, spaceAfter=2)
                for n, li in enumerate(b["items"], 1):
                    first, rest = li["blocks"][:1], li["blocks"][1:]
                    for p in first:
                        if p["type"] == "Paragraph":
                            bullet = f"{n}." if b["ordered"] else "•"
                            out.append(Paragraph(inline(p["children"]) + numbers(p), item, bulletText=bullet))
                    blocks(rest, depth + 1, item)
            elif t == "Quote":
                blocks(b["blocks"], depth, S["quote"])
            elif t == "Table":
                rows = [b["header"], *b["rows"]]
                data = [[Paragraph(inline(c), S["cell"]) for c in r] for r in rows]
                table = Table(data, repeatRows=1, hAlign="LEFT")
                table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#c5ccd3"),
                                           ("BACKGROUND", (0, 0), (-1, 0), "#1f4e79"),
                                           ("TEXTCOLOR", (0, 0), (-1, 0), "white")]))
                out.append(table)
            elif t == "SourcesList":
                for e in b["entries"]:
                    text = inline(e["children"]) + (" " + escape(e["url"]) if e.get("url") else "")
                    out.append(Paragraph(text, S["source"], bulletText=f"{e['number']}."))
            elif t == "TableOfContents":
                has_toc = True
                out.append(Paragraph(escape(b["title"]), S["h1"]))
                out.append(TableOfContents(levelStyles=[S["body"], S["source"]]))
            elif t == "Rule":
                out.append(Spacer(1, 10))

    blocks(doc["blocks"])
    return out, has_toc


def main(src: str, dst: str, font_dir: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    fonts(font_dir)
    title = doc["meta"]["title"]

    def page(canvas, d):
        canvas.saveState()
        canvas.setFont("Body", 7.5)
        canvas.drawString(22 * mm, A4[1] - 15 * mm, title)
        canvas.drawCentredString(A4[0] / 2, 11 * mm, f"Page {d.page}")
        canvas.restoreState()

    flowables, has_toc = story(doc)
    out = Doc(dst, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=24 * mm, bottomMargin=22 * mm,
              title=title, author=doc["meta"].get("author") or "")
    if has_toc:
        out.multiBuild(flowables, onFirstPage=page, onLaterPages=page)
    else:
        out.build(flowables, onFirstPage=page, onLaterPages=page)


if __name__ == "__main__":
    main(*sys.argv[1:4])
