"""What the DOCX and HTML writers need to make a brief accessible: its language, its outline, link names.

Each answer is worked out once from the document model, the same way for every format:

* `language_tag` is the spec's `language` (a BCP 47 tag, default "en"), or "en" when the
  document carries none or something that is not a tag;
* `outline_levels` gives each heading a level that never skips one (a level-3 heading
  straight after a level-1 heading is read as level 2, and so is its level-3 sibling),
  so a screen reader's list of headings is a proper tree;
* `source_labels` names where each source number leads: "Source 3: <title>", the title
  with its own qualifier ("title not stated (summary: …)", "(title inferred)"), so what
  reegen derived stays marked as derived.
"""

from __future__ import annotations

import re
from functools import cache

from .. import model

#: a BCP 47 language tag as a writer may print it: a 2-3 letter language, then subtags
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
#: the longest label a source number's link gets (a screen reader reads it at every number)
MAX_LABEL = 120
#: what follows a title in a Sources entry and still belongs to it: ")" closing a summary,
#: " (title inferred)"
_TITLE_TAIL = re.compile(r"^(?:\)|\s*\([^()]*\))")


def language_tag(document: model.Document) -> str:
    """Return the brief's language as a BCP 47 tag ("en" unless the document says otherwise)."""
    value = getattr(document.meta, "language", None)
    if isinstance(value, str) and _TAG.fullmatch(value.strip()):
        return value.strip()
    return "en"


def outline_levels(blocks) -> dict[int, int]:
    """Return `id(heading) -> level` for every heading in `blocks` (depth first), no level skipped.

    A heading's level is its depth among the headings still open above it (the brief's
    title is level 0): level 1, then 3, then 3 reads as 1, 2, 2 (the two 3s stay
    siblings), and going back up is always allowed.
    """
    levels: dict[int, int] = {}
    open_levels: list[int] = []  # the written levels of the headings above this one
    for block in model.walk(blocks):
        if isinstance(block, model.Heading):
            while open_levels and open_levels[-1] >= block.level:
                open_levels.pop()
            open_levels.append(block.level)
            levels[id(block)] = len(open_levels)
    return levels


def source_labels(document: model.Document) -> dict[int, str]:
    """Return `number -> "Source N: <citation up to its title>"` for every Sources entry of `document`."""
    entries = {entry.number: entry for block in model.walk(document.blocks)
               if isinstance(block, model.SourcesList) for entry in block.entries}
    for entry in document.sources:
        entries.setdefault(entry.number, entry)
    return {number: source_label(entry) for number, entry in entries.items()}


def source_label(entry: model.SourceEntry) -> str:
    """Return "Source N: …" naming Sources entry `entry` by its title.

    The title is the entry's italic part, with what qualifies it: the words between it and
    the comma before it ("title not stated (summary: …)") and a parenthesis right after it
    ("(title inferred)"). Without a title, the entry's first sentence stands in (up to the
    first text ending in "."), stopping before any link or source number. The label is cut
    at a word, with "…", past `MAX_LABEL` characters.
    """
    children = entry.children
    title = next((i for i, node in enumerate(children) if isinstance(node, model.Emph)), None)
    if title is not None:
        before = model.plain_text(children[:title])
        text = before.rsplit(", ", 1)[-1] + model.plain_text((children[title],))
        following = children[title + 1] if title + 1 < len(children) else None
        if isinstance(following, model.Text):
            tail = _TITLE_TAIL.match(following.text)
            if tail:
                text += tail.group(0)
    else:
        parts: list[str] = []
        for node in children:
            if isinstance(node, (model.Link, model.Ref)):
                break
            parts.append(model.plain_text((node,)))
            if isinstance(node, model.Text) and node.text.rstrip().endswith("."):
                break
        text = "".join(parts)
    text = " ".join(text.split()).strip(" ,;:.\u200e")
    label = f"Source {entry.number}" + (f": {text}" if text else "")
    if len(label) > MAX_LABEL:
        head = f"Source {entry.number}: "
        cut = label[len(head): MAX_LABEL - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
        label = head + cut.rstrip(" ,;:") + "…"
    return label


#: (first, last) code points of the scripts a run is tagged for, with the language reegen
#: takes each to be: a guess from the script alone, said so in the README
_SCRIPTS = (
    (0x0590, 0x05FF, "he"), (0xFB1D, 0xFB4F, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x08A0, 0x08FF, "ar"), (0xFB50, 0xFDFF, "ar"),
    (0xFE70, 0xFEFF, "ar"),
    (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"), (0xAC00, 0xD7AF, "ko"),
    (0x3040, 0x30FF, "ja"), (0x31F0, 0x31FF, "ja"), (0xFF66, 0xFF9F, "ja"),
    (0x3400, 0x4DBF, "zh"), (0x4E00, 0x9FFF, "zh"), (0xF900, 0xFAFF, "zh"), (0x20000, 0x3134F, "zh"),
)
#: languages written right to left (Word's complex-script slot, `w:bidi`)
RIGHT_TO_LEFT = frozenset({"he", "ar", "fa", "ur", "yi"})
#: languages written with East Asian characters (Word's `w:eastAsia` slot)
EAST_ASIAN = frozenset({"zh", "ja", "ko"})


def script_languages(text: str) -> tuple[str | None, str | None]:
    """Return the (East Asian, right-to-left) language tags `text` calls for, each None when it has none.

    The tag comes from the script: kana is Japanese, Hangul Korean, other Han characters
    Chinese; Hebrew letters Hebrew, Arabic letters Arabic. Other scripts are not tagged.
    """
    if text.isascii() or max(text) < "\u0590":  # no tagged script below U+0590: settled in C
        return None, None
    found: set[str] = set()
    for ch in set(text):  # each character once: the tags found form a set
        code = ord(ch)
        if code < 0x0590:
            continue
        for first, last, tag in _SCRIPTS:
            if first <= code <= last:
                found.add(tag)
                break
    east = "ja" if "ja" in found else "ko" if "ko" in found else "zh" if "zh" in found else None
    rtl = "he" if "he" in found else "ar" if "ar" in found else None
    return east, rtl


def primary_language(tag: str) -> str:
    """Return the primary language subtag of BCP 47 `tag`, lower case ("en-GB" -> "en")."""
    return tag.split("-", 1)[0].lower()


_EAST = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
         "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")
#: punctuation and spaces that stay inside a run of one script when that script goes on after them
_JOIN = r"\s.,;:!?'\"()\[\]\-\u2010-\u2015\u2018-\u201f\u3000-\u303f\uff01-\uff65"
_HE = "\u0590-\u05ff\ufb1d-\ufb4f"
_AR = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"


@cache
def _runs() -> re.Pattern:
    """The pattern of runs of another script, compiled on first use (10 ms; most text never needs it)."""
    return re.compile(
        f"(?P<east>[{_EAST}](?:[{_JOIN}]*[{_EAST}])*[\u3000-\u303f\uff01-\uff65]*)"
        f"|(?P<he>[{_HE}](?:[{_JOIN}]*[{_HE}])*)"
        f"|(?P<ar>[{_AR}](?:[{_JOIN}]*[{_AR}])*)")


_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def language_runs(text: str, document_language: str = "en") -> list[tuple[str, str | None]]:
    """Split `text` into (piece, language tag or None) where a piece is in another script than the brief's.

    Runs of East Asian characters (with the punctuation and spaces between them) are
    Japanese when they hold kana, Korean when they hold Hangul, else Chinese; runs of
    Hebrew or Arabic letters are Hebrew or Arabic (`script_languages` says the same for a
    whole DOCX run). A run whose language is the brief's own (`document_language`) is left
    untagged, as is every other script.
    """
    if text.isascii():
        return [(text, None)]
    own = primary_language(document_language)
    out: list[tuple[str, str | None]] = []
    last = 0
    for match in _runs().finditer(text):
        kind = match.lastgroup
        piece = match.group(0)
        if kind == "east":
            tag = "ja" if _KANA.search(piece) else "ko" if _HANGUL.search(piece) else "zh"
            if own in EAST_ASIAN:  # Han in a Japanese brief is Japanese: the brief's language covers it
                continue
        else:
            tag = kind
            if own in RIGHT_TO_LEFT:
                continue
        if match.start() > last:
            out.append((text[last:match.start()], None))
        out.append((piece, tag))
        last = match.end()
    if last < len(text) or not out:
        out.append((text[last:], None))
    return out
