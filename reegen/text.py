"""The one text gate: every string from an article, a spec or a template passes here once.

It makes text safe for every writer (XML 1.0 for DOCX, reportlab for PDF) and says what
it changed, so nothing is dropped silently. Files come in through `read_text` (UTF-8,
size-limited, problems located), whichever stage reads them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

from .errors import Location, SpecError

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that only hide or spoof text in a brief.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). Word,
#: browsers and the PDF writer's bidi step would each apply them their own way, and an
#: override shows "2024" as "4202": they are removed, with a warning. The marks U+200E,
#: U+200F and U+061C stay: every format's bidi algorithm treats them alike, as a letter.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: any character of the three classes above: one search says whether `sanitize_text` has work (a third of the cost)
_ANY_CHANGE = re.compile(f"{_XML_INVALID.pattern}|{_INVISIBLE.pattern}|{BIDI_CONTROLS.pattern}")


@dataclass(frozen=True, slots=True)
class Change:
    """One character the gate removed or replaced: 1-based `line` and `column` in the input."""

    line: int
    column: int
    char: str
    action: str  # "removed" or "replaced"

    def describe(self) -> str:
        """Return e.g. "U+000B removed", "U+202E RIGHT-TO-LEFT OVERRIDE removed"."""
        if BIDI_CONTROLS.match(self.char):
            return f"U+{ord(self.char):04X} {unicodedata.name(self.char)} {self.action}"
        return f"U+{ord(self.char):04X} {self.action}"


def sanitize_text(text: str) -> tuple[str, list[Change]]:
    """Return `text` safe for every writer, and the list of changes made.

    Line endings become LF; characters XML 1.0 forbids (C0 controls but TAB and LF,
    lone surrogates, U+FFFE, U+FFFF) are removed; soft hyphens, zero-width spaces and
    a stray BOM are removed; bidirectional embeddings, overrides and isolates are removed
    and reported (`BIDI_CONTROLS`). Everything else, curly quotes and CJK punctuation
    included, stays as written.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _ANY_CHANGE.search(text):
        return text, []
    changes: list[Change] = []
    out: list[str] = []
    line, col = 1, 0
    for ch in text:
        col += 1
        if _XML_INVALID.match(ch) or BIDI_CONTROLS.match(ch):
            changes.append(Change(line, col, ch, "removed"))
            continue
        if _INVISIBLE.match(ch):
            # Invisible by design: removing them changes nothing a reader sees, so no report.
            continue
        out.append(ch)
        if ch == "\n":
            line, col = line + 1, 0
    return "".join(out), changes


def ends_right_to_left(text: str) -> bool:
    """Return whether the last strongly directional character of `text` is right-to-left (Hebrew, Arabic).

    The writers put a left-to-right mark between such a sentence and its source numbers,
    so every format shows "[1]" after the sentence, where the PDF prints it.
    """
    for ch in reversed(text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def normalize_space(text: str) -> str:
    """Return `text` with runs of white space (NBSP included) folded to one space and trimmed."""
    return " ".join(text.replace("\u00a0", " ").split())


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def format_date(value) -> str:
    """Return an ISO date (string or `date`) as "20 July 2025"; other text unchanged, None as ""."""
    import datetime as _dt

    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, _dt.date):
        # Month names spelled out here, not by strftime, so the output never depends on the locale.
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return "" if value is None else str(value)


# ----------------------------------------------------------------------------- sentences

#: how a cut in quoted text is marked
CUT = " […]"
#: the no-break space that keeps a source marker on the line of the word before it
NBSP = "\u00a0"
#: the heading of the notes on what selection left out, and its anchor
EDITORS_NOTES = "Editor’s notes"
NOTES_ANCHOR = "editors-notes"

#: words that open a sentence leaning on one before it: pronouns, demonstratives, and connectives
#: that answer an earlier sentence
_LEANING = frozenset("""
it its it’s it's this that these those they their theirs them he she his her him such both either neither
another others latter former but however yet still also instead meanwhile moreover furthermore
thus therefore hence besides otherwise nevertheless nonetheless likewise similarly accordingly
""".split())
#: two-word openings that do the same
_LEANING_PAIRS = frozenset({("by", "contrast"), ("in", "addition"), ("even", "so"), ("in", "turn"),
                            ("the", "latter"), ("the", "former")})
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the sentences of `text`, white space trimmed.

    Boundaries come from nupunkt, a Punkt segmenter trained on a large English corpus:
    it knows abbreviations ("U.S.", "No. 3", "Dr.", "e.g.", "Inc."), initials, decimals,
    and keeps closing quotes and brackets with their sentence.
    """
    import nupunkt

    spans = []
    for start, end in nupunkt.sent_spans(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    """Return the sentences of `text` (see `sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def is_lead_in(sentence: str) -> bool:
    """Return True when `sentence` only introduces what follows it (it ends with a colon)."""
    return sentence.rstrip().rstrip("*_ ").endswith((":", "："))


def is_name_list(sentence: str) -> bool:
    """Return True when `sentence` is mostly names: more than half its words, after the first, are capitalised.

    Such a sentence ("They included Party Secretary Ding Xiufeng and …") says who, not what,
    and never closes an excerpt well.
    """
    words = _WORD.findall(sentence)[1:]
    return len(words) >= 4 and sum(1 for w in words if w[0].isupper()) * 2 > len(words)


def opening_words(sentence: str, count: int = 3) -> list[str]:
    """Return the first `count` words of `sentence`, lower-cased, without punctuation."""
    return [w.lower() for w in _WORD.findall(sentence)[:count]]


def leans_back(sentence: str) -> bool:
    """Return True when `sentence` opens with a pronoun, demonstrative or connective needing an earlier sentence."""
    words = opening_words(sentence, 2)
    if not words:
        return False
    return words[0] in _LEANING or tuple(words) in _LEANING_PAIRS


#: a file larger than this is refused before it is read
MAX_FILE_BYTES = 20_000_000


def read_text(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Return the UTF-8 text of the file at `path` (BOM stripped); raises `SpecError` with the path."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), path)


def read_bytes(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Return the bytes of the file at `path` (for `decode_text`); raises `SpecError` with the path."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise SpecError(f"file is larger than {max_bytes // 1_000_000} MB", Location(path), code="file.too-large")
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise SpecError("file not found", Location(path), code="file.not-found") from None
    except IsADirectoryError:
        raise SpecError("is a folder, not a file", Location(path), code="file.not-a-file") from None
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror}", Location(path), code="file.unreadable") from None
    return data


def decode_text(data: bytes, path: str) -> str:
    """Return `data`, read from `path`, as UTF-8 text (BOM stripped); raises `SpecError` at the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message, where = bad_utf8(data, exc, path)
        raise SpecError(message, where, code="file.encoding", hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def bad_utf8(data: bytes, exc: UnicodeDecodeError, path: str) -> tuple[str, Location]:
    """Return the message and the location (line, and column in bytes) of the first invalid UTF-8 in `data`."""
    start = exc.start
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    return f"not valid UTF-8 (byte 0x{data[start]:02x})", Location(path, line, start - line_start + 1)


def query_terms(text: str) -> list[str]:
    """Return the lower-cased words and "quoted phrases" of a `select:` query."""
    phrases = re.findall(r'"([^"]+)"|“([^”]+)”|(\S+)', text)
    return [" ".join((a or b or c).lower().split()) for a, b, c in phrases if (a or b or c).strip()]
