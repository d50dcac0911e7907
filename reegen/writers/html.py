"""The HTML writer: one self-contained page (inline CSS, no scripts, no external requests).

The page is built for assistive technology as much as for the eye: `lang` from the brief's
language, landmarks (the title block is the banner, the brief the main content, a table of
contents a navigation region, the classification the content info), the title as the only
`h1` with the headings below it never skipping a level, column headers with `scope`, and
every source number's link named after the source it leads to ("Source 3: …"), and text
in another script marked with its language (`<span lang="zh">`, see `language_runs`).
"""

from __future__ import annotations

import re
from html import escape

from .. import model
from ..text import format_date
from . import WriteOptions
from . import _house as house
from ._a11y import language_runs, language_tag, outline_levels, source_labels

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
.page { max-width: 46rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem; box-shadow: 0 1px 4px #0002; }
header.title { border-bottom: 2px solid var(--accent); padding-bottom: .8rem; margin-bottom: 1.5rem; }
header.title h1 { color: var(--accent); font-size: 2rem; line-height: 1.2; margin: 0 0 .3rem; }
.subtitle { font-size: 1.2rem; color: var(--muted); margin: 0 0 .5rem; }
.meta { font-size: .85rem; color: var(--muted); margin: 0; }
.classification { color: %(classification)s; font-weight: 700; }
footer.foot { border-top: 1px solid #dde1e6; margin-top: 2rem; padding-top: .6rem; }
h2 { color: var(--accent); margin: 2rem 0 .6rem; font-size: 1.4rem; }
h3 { margin: 1.4rem 0 .4rem; font-size: 1.1rem; } h4 { margin: 1.2rem 0 .3rem; font-size: 1rem; font-style: italic; }
p { margin: .5rem 0; } a { color: var(--accent); } ul, ol { padding-left: 1.4rem; }
ul { list-style-type: "\\2022  "; } ul ul { list-style-type: "\\2013  "; } ul ul ul { list-style-type: "\\2022  "; }
.src { font-size: %(marker)sem; white-space: nowrap; } .src a { text-decoration: none; }
.unresolved { color: var(--muted); font-size: .8em; }
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
@media print { body { background: #fff; } .page { box-shadow: none; margin: 0; max-width: none; } }
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
        self._levels = outline_levels(document.blocks)
        self._language = language_tag(document)
        self._labels = source_labels(document)
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{escape(self._language, quote=True)}"><head><meta charset="utf-8">',
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
        out.append(f'<style>{css}</style></head><body><div class="page">')
        # The title block sits outside <main> so it is the page's banner landmark.
        out.append(self._title(meta))
        out.append("<main>")
        headings = [b for b in document.blocks if isinstance(b, model.Heading)]
        for block in document.blocks:
            out.append(self._block(block, headings))
        out.append("</main>")
        if meta.classification:
            # The PDF prints the classification on every page; here it closes the page as well.
            out.append(f'<footer class="foot"><p class="meta"><span class="classification">'
                       f"{self._text(meta.classification)}</span></p></footer>")
        out.append("</div></body></html>\n")
        return "\n".join(out).encode("utf-8")

    def _title(self, meta: model.Meta) -> str:
        parts = [f'<header class="title"><h1>{self._text(house.keep_dash_with_next(meta.title))}</h1>']
        if meta.subtitle:
            parts.append(f'<p class="subtitle">{self._text(house.keep_dash_with_next(meta.subtitle))}</p>')
        details = [self._text(d) for d in (meta.audience, meta.author, format_date(meta.date) if meta.date else None) if d]
        if meta.classification:
            details.append(f'<span class="classification">{self._text(meta.classification)}</span>')
        if details:
            parts.append(f'<p class="meta">{" · ".join(details)}</p>')
        parts.append("</header>")
        return "".join(parts)

    def _block(self, block: model.Block, headings: list[model.Heading]) -> str:
        if isinstance(block, model.Heading):
            # the brief's title is the page's only h1; below it no level is skipped
            level = min(self._levels.get(id(block), block.level) + 1, 4)
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
            head = "".join(f'<th scope="col"{aligns[i]}>{self._inlines(c)}</th>' for i, c in enumerate(block.header))
            # a row longer than the header: its extra cells stand under no column header
            head += "<td></td>" * (columns - len(block.header))
            rows = "".join("<tr>" + "".join(f"<td{aligns[i]}>{self._inlines(c)}</td>" for i, c in enumerate(row))
                           + "</tr>" for row in block.rows)
            return f"<table>{caption}{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        if isinstance(block, model.Rule):
            return "<hr>"
        if isinstance(block, model.TableOfContents):
            items = "".join(
                f'<li style="margin-left:{(self._levels.get(id(h), h.level) - 1) * 1.2}rem"><a href="#{escape(h.anchor)}">'
                f"{self._text(model.plain_text(h.children))}</a></li>"
                for h in headings if self._levels.get(id(h), h.level) <= 2
            )
            return (f'<nav class="toc" aria-label="{escape(block.title, quote=True)}"><strong>{self._text(block.title)}'
                    f"</strong><ul>{items}</ul></nav>")
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
        # Each link is named after its source ("Source 3: Publisher, Title"), for a screen reader
        # and, as a tooltip, for the eye; "[3]" alone says nothing of where it leads.
        links = "".join(f'{before}<a href="#{model.source_anchor(n)}"{self._name(n)}>{label}</a>'
                        for n, (before, label) in zip(numbers, model.number_labels(numbers)))
        # a no-break space keeps the number with the word before it, as in the PDF and DOCX;
        # dir="ltr" isolates the numbers: a right-to-left sentence before them cannot draw them into its run
        return f'\u00a0<span class="src" dir="ltr">{links}</span>'

    def _text(self, text: str) -> str:
        """Return `text` escaped, its pieces in another script than the brief's in `<span lang>`."""
        return "".join(f'<span lang="{tag}">{escape(piece)}</span>' if tag else escape(piece)
                       for piece, tag in language_runs(text, self._language))

    def _name(self, number: int) -> str:
        """Return the aria-label and title attributes naming source `number`'s link."""
        label = escape(self._labels.get(number, f"Source {number}"), quote=True)
        return f' aria-label="{label}" title="{label}"'

    def _inlines(self, inlines) -> str:
        out = []
        for node in inlines:
            if isinstance(node, model.Text):
                out.append(self._text(node.text))
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
                    # a link without text would have no name at all: its address stands in
                    inner = self._inlines(node.children) if text.strip() else f'<span class="url">{escape(url)}</span>'
                    out.append(f'<a{css} href="{escape(url, quote=True)}">{inner}</a>')
                else:
                    out.append(self._inlines(node.children))
            elif isinstance(node, model.Ref):
                out.append(self._numbers(node.numbers).strip())
            elif isinstance(node, model.Unresolved):
                out.append(f'<span class="unresolved">{escape(node.text)}</span>')
            else:  # Cite or Marker left unresolved: print as written
                out.append(escape(model.plain_text((node,))))
        return "".join(out)
