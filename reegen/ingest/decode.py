"""Bytes to clean text: encoding detection, line endings, BOM and invisible characters."""

from __future__ import annotations

import codecs
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


# A web page names its encoding in <meta charset>, <meta http-equiv="Content-Type" content="...; charset=">
# or an XML declaration; browsers look only near the start, and so does ingest.
_DECLARED = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*(?P<meta>[\w.:-]{2,40})"
    rb"|<\?xml[^>]{0,100}?encoding\s*=\s*[\"'](?P<xml>[\w.:-]{2,40})",
    re.IGNORECASE,
)
_SNIFF_BYTES = 8192
# The WHATWG Encoding Standard's aliases where a page's label means a larger encoding than its name:
# browsers read "gb2312" as GBK and "iso-8859-1" as windows-1252, and pages are written for browsers.
_WHATWG = {
    "gb2312": "gbk", "gb_2312-80": "gbk", "x-gbk": "gbk", "iso-8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-9": "cp1254", "tis-620": "cp874",
    "iso-8859-11": "cp874", "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932",
    "x-sjis": "cp932", "big5": "big5hkscs",
}


def declared_charset(data: bytes) -> str | None:
    """Return the Python codec a web page's bytes declare near their start (`<meta charset>`,
    the http-equiv content type, an XML declaration), or None when none is declared or known."""
    match = _DECLARED.search(data[:_SNIFF_BYTES])
    if match is None:
        return None
    label = (match.group("meta") or match.group("xml")).decode("ascii", "replace").strip().lower()
    label = _WHATWG.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot declare UTF-16 in its own bytes and be read by that declaration (the BOM decides).
    return None if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_bytes(data: bytes, report: IngestReport) -> str:
    """Return `data` as text, reported when not plain UTF-8.

    A byte-order mark decides first (UTF-8 or UTF-16). Then bytes that are valid UTF-8 are
    read as UTF-8 (text in another encoding almost never is); else the encoding a web page
    declares (`<meta charset>`, http-equiv content type, XML declaration); else Windows-1252.
    """
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
        declared = declared_charset(data)
        if declared and declared != "utf-8":
            try:
                text = data.decode(declared)
                report.add("decoding", None, f"read as {declared}, the encoding the page declares")
                return text
            except UnicodeDecodeError as bad:
                text = data.decode(declared, errors="replace")
                where = data.count(b"\n", 0, bad.start) + 1
                report.add("decoding", where, f"read as {declared}, the encoding the page declares; "
                                              "bytes that are not valid in it replaced by U+FFFD")
                return text
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
