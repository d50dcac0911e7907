"""The HTML writer: one self-contained page (inline CSS, no scripts, no external requests)."""

from __future__ import annotations

import re
from html import escape

from .. import model
from ..text import format_date
from . import WriteOptions
from . import _house as house

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: Table.align values as cell classes
_ALIGN_CLASS = {"right": ' class="r"', "center": ' class="c"'}
#: link text that is itself an address: the only text allowed to break between any two letters
_URL_TEXT = re.compile(r"\s*(?:https?://|mailto:|www\.)\S+\s*$", re.I)

# The house style (`_house`): the PDF's font first, its colours, heading weights, bullets by
# level (• then –) and source numbers at 0.8 of the text size. Words wrap at word boundaries;
# only a URL (class "url") may break anywhere, so it never widens a table past the page.
_CSS = """
:root { --accent: %(accent)s; --muted: %(muted)s; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: %(ink)s; font: 16px/1.55 "DejaVu Sans", "Arial", "Liberation Sans",
       "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main { max-width: 46rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem; box-shadow: 0 1px 4px #0002; }
header.title { border-bottom: 2px solid var(--accent); padding-bottom: .8rem; margin-bottom: 1.5rem; }
header.title h1 { color: var(--accent); font-size: 2rem; line-height: 1.2; margin: 0 0 .3rem; }
.subtitle { font-size: 1.2rem; color: var(--muted); margin: 0 0 .5rem; }
.meta { font-size: .85rem; color: var(--muted); margin: 0; }
.classification { color: %(classification)s; font-weight: 700; }
h2 { color: var(--accent); margin: 2rem 0 .6rem; font-size: 1.4rem; }
h3 { margin: 1.4rem 0 .4rem; font-size: 1.1rem; } h4 { margin: 1.2rem 0 .3rem; font-size: 1rem; font-style: italic; }
p { margin: .5rem 0; } a { color: var(--accent); } ul, ol { padding-left: 1.4rem; }
ul { list-style-type: "\\2022  "; } ul ul { list-style-type: "\\2013  "; } ul ul ul { list-style-type: "\\2022  "; }
.src { font-size: %(marker)sem; white-space: nowrap; } .src a { text-decoration: none; }
.unresolved { color: #7a828c; font-size: .8em; }
.note { color: var(--muted); font-style: italic; font-size: .9em; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid var(--accent); font-style: italic; color: #333; }
table { border-collapse: collapse; width: 100%%; margin: 1rem 0; font-size: .9rem; }
th.r, td.r { text-align: right; } th.c, td.c { text-align: center; }
caption { text-align: left; font-weight: 600; margin-bottom: .3rem; }
th { background: var(--accent); color: #fff; text-align: left; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
tr:nth-child(even) td { background: %(zebra)s; }
code { font-family: "DejaVu Sans Mono", monospace; background: #f0f2f4; padding: 0 .2em; }
ol.sources { font-size: .9rem; } ol.sources li:target { background: #fff6d6; }
nav.toc { background: #f6f8fa; padding: .6rem 1rem; margin: 1rem 0; } nav.toc ul { margin: .3rem 0; }
td, th, li, p { overflow-wrap: break-word; } .url { overflow-wrap: anywhere; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; max-width: none; } }
"""


class HtmlWriter:
    """Writes a brief as one HTML page that opens anywhere, offline."""

    #: the format name used by `-f html`
    name = "html"

    def write(self, document: model.Document, options: WriteOptions) -> bytes:
        """Return the UTF-8 bytes of the page for `document`."""
        accent = str(options.brand.get("accent") or "#1f4e79")
        if not (accent.startswith("#") and len(accent) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in accent[1:])):
            accent = "#1f4e79"
        meta = document.meta
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(meta.title)}</title>",
            '<meta name="generator" content="reegen">',
        ]
        if meta.author:
            out.append(f'<meta name="author" content="{escape(meta.author)}">')
        if meta.keywords:
            out.append(f'<meta name="keywords" content="{escape(", ".join(meta.keywords))}">')
        css = _CSS % {"accent": accent, "muted": house.MUTED, "ink": house.INK, "zebra": house.ZEBRA,
                      "classification": house.CLASSIFICATION, "marker": house.MARKER_SCALE}
        out.append(f"<style>{css}</style></head><body><main>")
        out.append(self._title(meta))
        headings = [b for b in document.blocks if isinstance(b, model.Heading)]
        for block in document.blocks:
            out.append(self._block(block, headings))
        out.append("</main></body></html>\n")
        return "\n".join(out).encode("utf-8")

    def _title(self, meta: model.Meta) -> str:
        parts = [f'<header class="title"><h1>{escape(house.keep_dash_with_next(meta.title))}</h1>']
        if meta.subtitle:
            parts.append(f'<p class="subtitle">{escape(house.keep_dash_with_next(meta.subtitle))}</p>')
        details = [escape(d) for d in (meta.audience, meta.author, format_date(meta.date) if meta.date else None) if d]
        if meta.classification:
            details.append(f'<span class="classification">{escape(meta.classification)}</span>')
        if details:
            parts.append(f'<p class="meta">{" · ".join(details)}</p>')
        parts.append("</header>")
        return "".join(parts)

    def _block(self, block: model.Block, headings: list[model.Heading]) -> str:
        if isinstance(block, model.Heading):
            level = min(block.level + 1, 4)  # the brief's title is the page's h1
            return f'<h{level} id="{escape(block.anchor)}">{self._inlines(house.dash_kept(block.children))}</h{level}>'
        if isinstance(block, model.Paragraph):
            css = {"note": ' class="note"', "lead": ' class="lead"'}.get(block.role, "")
            return f"<p{css}>{self._inlines(block.children)}{self._numbers(block.numbers)}</p>"
        if isinstance(block, model.BulletList):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{''.join(self._block(b, headings) for b in item.blocks)}</li>" for item in block.items)
            return f"<{tag}>{items}</{tag}>"
        if isinstance(block, model.Quote):
            return f"<blockquote>{''.join(self._block(b, headings) for b in block.blocks)}</blockquote>"
        if isinstance(block, model.Table):
            caption = f"<caption>{self._inlines(block.caption)}</caption>" if block.caption else ""
            columns = max([len(block.header)] + [len(row) for row in block.rows])
            aligns = [_ALIGN_CLASS.get(a, "") for a in block.align[:columns]] + [""] * columns
            cols = ""
            if len(block.widths) == columns and all(w > 0 for w in block.widths):
                total = sum(block.widths)
                cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">'
                                              for w in block.widths) + "</colgroup>"
            head = "".join(f"<th{aligns[i]}>{self._inlines(c)}</th>" for i, c in enumerate(block.header))
            rows = "".join("<tr>" + "".join(f"<td{aligns[i]}>{self._inlines(c)}</td>" for i, c in enumerate(row))
                           + "</tr>" for row in block.rows)
            return f"<table>{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        if isinstance(block, model.Rule):
            return "<hr>"
        if isinstance(block, model.TableOfContents):
            items = "".join(
                f'<li style="margin-left:{(h.level - 1) * 1.2}rem"><a href="#{escape(h.anchor)}">'
                f"{escape(model.plain_text(h.children))}</a></li>"
                for h in headings if h.level <= 2
            )
            return f'<nav class="toc"><strong>{escape(block.title)}</strong><ul>{items}</ul></nav>'
        if isinstance(block, model.SourcesList):
            entries = "".join(
                f'<li id="{model.source_anchor(e.number)}" value="{e.number}">{self._inlines(e.children)}</li>'
                for e in block.entries
            )
            return f'<ol class="sources">{entries}</ol>'
        return ""

    def _numbers(self, numbers: tuple[int, ...]) -> str:
        if not numbers:
            return ""
        # As in the PDF and DOCX, each link takes the brackets beside it: "[3]", or "[1" and "2]".
        links = "".join(f'{before}<a href="#{model.source_anchor(n)}">{label}</a>'
                        for n, (before, label) in zip(numbers, model.number_labels(numbers)))
        # a no-break space keeps the number with the word before it, as in the PDF and DOCX;
        # dir="ltr" isolates the numbers: a right-to-left sentence before them cannot draw them into its run
        return f'\u00a0<span class="src" dir="ltr">{links}</span>'

    def _inlines(self, inlines) -> str:
        out = []
        for node in inlines:
            if isinstance(node, model.Text):
                out.append(escape(node.text))
            elif isinstance(node, model.Strong):
                out.append(f"<strong>{self._inlines(node.children)}</strong>")
            elif isinstance(node, model.Emph):
                out.append(f"<em>{self._inlines(node.children)}</em>")
            elif isinstance(node, model.Code):
                out.append(f"<code>{escape(node.text)}</code>")
            elif isinstance(node, model.LineBreak):
                out.append("<br>")
            elif isinstance(node, model.Link):
                url = node.url.strip()
                if url.lower().startswith(_SAFE_SCHEMES):
                    text = model.plain_text(node.children)
                    css = ' class="url"' if _URL_TEXT.match(text) else ""
                    out.append(f'<a{css} href="{escape(url, quote=True)}">{self._inlines(node.children)}</a>')
                else:
                    out.append(self._inlines(node.children))
            elif isinstance(node, model.Ref):
                out.append(self._numbers(node.numbers).strip())
            elif isinstance(node, model.Unresolved):
                out.append(f'<span class="unresolved">{escape(node.text)}</span>')
            else:  # Cite or Marker left unresolved: print as written
                out.append(escape(model.plain_text((node,))))
        return "".join(out)
