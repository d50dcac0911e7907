"""The raw DOCX floor: the same content as floor_docx.py, written as OOXML text straight into the zip.

    python benchmarks/floor_ooxml.py BRIEF.json OUT.docx

Takes python-docx's own default template (styles, numbering, theme) and replaces
word/document.xml with one built by string joins of escaped text: no lxml tree, no
python-docx objects. This is what the issue calls the real floor for DOCX; it shows how
much of the python-docx floor is python-docx itself. Imports nothing from reegen
(python-docx only to find its template file).
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from xml.sax.saxutils import escape

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def runs(nodes, bold=False, italic=False) -> str:
    out = []
    for n in nodes:
        t = n["type"]
        if t in ("Text", "Unresolved", "Code"):
            props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
            out.append(f'<w:r>{"<w:rPr>" + props + "</w:rPr>" if props else ""}'
                       f'<w:t xml:space="preserve">{escape(n["text"])}</w:t></w:r>')
        elif t == "Strong":
            out.append(runs(n["children"], True, italic))
        elif t == "Emph":
            out.append(runs(n["children"], bold, True))
        elif t == "Link":
            out.append(runs(n["children"], bold, italic))
        elif t == "LineBreak":
            out.append("<w:r><w:br/></w:r>")
        elif t == "Ref":
            out.append(f'<w:r><w:t>[{", ".join(map(str, n["numbers"]))}]</w:t></w:r>')
    return "".join(out)


def para(style: str, body: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{body}</w:p>'


def numbers(block) -> str:
    if not block.get("numbers"):
        return ""
    return f'<w:r><w:t xml:space="preserve"> [{", ".join(map(str, block["numbers"]))}]</w:t></w:r>'


def text(value: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(value)}</w:t></w:r>'


def body(doc: dict) -> str:
    meta = doc["meta"]
    out = [para("Title", text(meta["title"]))]
    if meta.get("subtitle"):
        out.append(para("Subtitle", text(meta["subtitle"])))
    out.append(para("Normal", text(" · ".join(meta.get(k) for k in ("audience", "author", "date", "classification")
                                              if meta.get(k)))))

    def blocks(items, depth=0, style="Normal"):
        for b in items:
            t = b["type"]
            if t == "Heading":
                out.append(para(f"Heading{min(b['level'], 3)}", runs(b["children"])))
            elif t == "Paragraph":
                out.append(para(style, runs(b["children"]) + numbers(b)))
            elif t == "BulletList":
                item = "ListNumber" if b["ordered"] else "ListBullet" + (str(min(depth + 1, 3)) if depth else "")
                for li in b["items"]:
                    first, rest = li["blocks"][:1], li["blocks"][1:]
                    for p in first:
                        if p["type"] == "Paragraph":
                            out.append(para(item, runs(p["children"]) + numbers(p)))
                    blocks(rest, depth + 1, item)
            elif t == "Quote":
                blocks(b["blocks"], depth, "Quote")
            elif t == "Table":
                cols = len(b["header"])
                out.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                           "<w:tblGrid>" + '<w:gridCol w:w="1700"/>' * cols + "</w:tblGrid>")
                for r in [b["header"], *b["rows"]]:
                    out.append("<w:tr>" + "".join(f"<w:tc><w:p>{runs(c)}</w:p></w:tc>" for c in r) + "</w:tr>")
                out.append("</w:tbl>")
            elif t == "SourcesList":
                for e in b["entries"]:
                    out.append(para("Normal", text(f"{e['number']}.\t") + runs(e["children"])
                                    + (text(" " + e["url"]) if e.get("url") else "")))
            elif t == "TableOfContents":
                out.append(para("Heading1", text(b["title"])))
                out.extend(para("Normal", runs(h["children"])) for h in doc["blocks"]
                           if h["type"] == "Heading" and h["level"] <= 2)
            elif t == "Rule":
                out.append(para("Normal", ""))

    blocks(doc["blocks"])
    return "".join(out)


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    template = os.path.join(os.path.dirname(docx.__file__), "templates", "default.docx")
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
           + body(doc) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "word/document.xml":
                zout.writestr("word/document.xml", xml)
            else:
                zout.writestr(info, zin.read(info.filename))


if __name__ == "__main__":
    main(*sys.argv[1:3])
