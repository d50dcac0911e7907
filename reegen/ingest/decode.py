"""Bytes to clean text: encoding detection, line endings, BOM and invisible characters."""

from __future__ import annotations

import re

from .report import IngestReport

# XML 1.0 forbids these (C0 controls but TAB and LF, surrogates, U+FFFE, U+FFFF): no writer can take them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = "\u00a0\u2007\u202f"  # no-break spaces a reader sees as ordinary spaces
_INVISIBLE = re.compile("[\u00a0\u2007\u202f\u00ad\u200b\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMES = {
    "\u00a0": "no-break space", "\u2007": "figure space", "\u202f": "narrow no-break space",
    "\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space", "\u200e": "left-to-right mark", "\u200f": "right-to-left mark",
}


def decode_bytes(data: bytes, report: IngestReport) -> str:
    """Return `data` as text: UTF-8 (BOM or not), UTF-16 with a BOM, else cp1252, reported."""
    if data.startswith(b"\xef\xbb\xbf"):
        report.add("whitespace", 1, "byte-order mark removed")
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.add("decoding", None, "read as UTF-16 (byte-order mark)")
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
            report.add("decoding", line, "not valid UTF-8; read as Windows-1252 (cp1252)")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            report.add("decoding", line, "not valid UTF-8; read as Latin-1")
        return text


def normalize_characters(text: str, report: IngestReport) -> str:
    """Return `text` without a BOM, with LF line endings and without characters XML 1.0 forbids.

    Invisible characters are left for `remove_invisible`, which runs per line after ftfy:
    a no-break space or soft hyphen can be a byte of mojibake that ftfy still needs.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
        report.add("whitespace", 1, "byte-order mark removed")
    if "\r" in text:
        crlf = text.count("\r\n")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        report.add("whitespace", None, "CRLF line endings converted to LF" if crlf else "CR line endings converted to LF")
    if _XML_INVALID.search(text):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            found = _XML_INVALID.findall(line)
            if found:
                lines[i] = _XML_INVALID.sub("", line)
                codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in found}))
                report.add("whitespace", i + 1, f"removed {len(found)} control character{'s' if len(found) > 1 else ''} ({codes})")
        text = "\n".join(lines)
    return text


def remove_invisible(line: str, lineno: int | None, report: IngestReport) -> str:
    """Return `line` with no-break spaces as spaces and soft hyphens, zero-width and bidi controls removed."""
    found = _INVISIBLE.findall(line)
    if not found:
        return line
    counts: dict[str, int] = {}
    for ch in found:
        counts[ch] = counts.get(ch, 0) + 1
    for ch in _SPACES:
        line = line.replace(ch, " ")
    what = ", ".join(f"{n} {_NAMES.get(ch, f'U+{ord(ch):04X}')}{'s' if n > 1 else ''}" for ch, n in counts.items())
    report.add("whitespace", lineno, f"normalised {what}")
    return _INVISIBLE.sub("", line)


def sniff_format(name: str, text: str) -> str:
    """Return "html", "markdown" or "text" from the file `name` and the start of `text`."""
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text):
        return "html"
    if text.startswith("---\n"):
        return "markdown"
    return "text"
