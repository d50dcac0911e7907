"""Inputs that are not articles, refused with one clear line instead of written as one.

A binary file (NUL bytes, many control characters), an input over the size limit, a
"doesn't work without JavaScript" notice, a page whose text is script source, and a
navigation-only page (many short link-like lines, no prose) each raise `ArticleError`
with code `ingest.not-article` (`ingest.too-large` for size).
"""

from __future__ import annotations

import re

from ..errors import ArticleError, Location
from .draft import Draft

#: inputs larger than this are refused before decoding
MAX_INPUT_BYTES = 10_000_000
_JS_NOTICE = re.compile(
    r"(?:enable|turn on|activate|allow)\s+javascript|javascript\s+(?:is\s+)?(?:required|disabled|must be enabled|needs to be enabled)"
    r"|(?:does\s*n[o’']?t|does not|won[’']t|will not|cannot|can[’']t)\s+(?:work|run|load|function|display)\s+(?:properly\s+|correctly\s+)?"
    r"without\s+javascript|requires?\s+javascript|you need javascript|browser (?:does not|doesn[’']t) support javascript",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"[;{}]\s*\Z|\A\s*[{}()\[\]]|\bfunction\s*\(|=>|\b(?:var|let|const)\s+\w+\s*=|\bdocument\.\w+|\bwindow\.\w+"
    r"|\breturn\s+[\w(!]|\bif\s*\(|\bimport\s+[\w{*]|\bconsole\.\w+|==|!=|&&|\|\||\w+\.\w+\(",
)
_JS_HINT = re.compile("javascript", re.IGNORECASE)
#: what every alternative of _CODE_LINE needs: a line without any of these is not code (a search 10x cheaper)
_CODE_HINT = re.compile(r"[;{}()\[\]=&|]|\b(?:return|import)\b|\b(?:document|window|console)\.")
_SENTENCE = re.compile(r"\w[^.!?。！？]{30,}[.!?。！？]")
#: scripts written without spaces between words (a Chinese sentence is one "word" to str.split)
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f\uf900-\ufaff]")


def _words(text: str) -> int:
    """Return about how many words `text` has, counting two CJK, kana, Hangul or Thai characters as one."""
    return max(len(text.split()), len(_UNSPACED.findall(text)) // 2)


def check_input_bytes(data: bytes, name: str) -> None:
    """Refuse input too large to be an article, or binary: NUL bytes or many control characters."""
    if len(data) > MAX_INPUT_BYTES:
        raise ArticleError(f"input is {len(data) / 1e6:.1f} MB, over the {MAX_INPUT_BYTES // 1_000_000} MB limit for one article",
                           Location(name), code="ingest.too-large", hint="split it, or check that it is the article")
    head = data[:65536]
    if not head:
        return
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a byte-order mark: its NUL bytes are half of every ASCII character
    if b"\x00" in head:
        raise ArticleError("not a text file (it contains NUL bytes): not an article", Location(name), code="ingest.not-article",
                           hint="give the article as text, Markdown or a saved HTML page")
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13, 12))
    if controls / len(head) > 0.05:
        raise ArticleError(f"not a text file ({controls} control characters in the first {len(head)} bytes): not an article",
                           Location(name), code="ingest.not-article", hint="give the article as text, Markdown or a saved HTML page")


def check_not_article(draft: Draft, name: str) -> None:
    """Refuse a draft whose body is a JavaScript notice, script source or navigation links only."""
    blocks = [b for b in draft.body_blocks() if b.text.strip()]
    texts = [b.text for b in blocks] + [s.title for s in draft.sections]
    if draft.title:
        texts.append(draft.title)
    words = sum(_words(t) for t in texts)
    # every alternative of _JS_NOTICE names JavaScript: most texts are settled without the search
    prose = [t for t in texts if not (_JS_HINT.search(t) and _JS_NOTICE.search(t))]
    prose_words = sum(_words(t) for t in prose)
    if len(prose) < len(texts) and prose_words < 40:
        raise ArticleError("the page is a \"needs JavaScript\" notice, not an article", Location(name), code="ingest.not-article",
                           hint="save the page from a browser after it has loaded, or copy the article text")
    lines = [line for t in texts for line in t.split("\n") if line.strip()]
    code = sum(1 for line in lines if _CODE_HINT.search(line) and _CODE_LINE.search(line))
    if lines and code >= 3 and code / len(lines) > 0.5:
        raise ArticleError(f"the text is script source ({code} of {len(lines)} lines read as code), not an article",
                           Location(name), code="ingest.not-article", hint="copy the article text itself")
    sentences = sum(len(_SENTENCE.findall(t)) for t in texts)
    short = sum(1 for t in texts if _words(t) <= 5)
    if len(texts) >= 8 and short / len(texts) >= 0.8 and sentences < 3 and words < 40 * max(1, sentences + 1):
        raise ArticleError(f"the page is navigation only ({short} of {len(texts)} lines are short links, no prose), not an article",
                           Location(name), code="ingest.not-article", hint="save the article page itself, not an index page")
