"""Character-level repairs on one line at a time: mojibake, lossy stand-ins, glued words.

Every repair restores what the author wrote and is reported with its line. Rules are
deliberately narrow: where a fix is not unambiguous the text is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter

import ftfy

from .decode import remove_invisible
from .report import IngestReport

# Keep curly quotes, full-width CJK punctuation and escaped markup exactly as written
# (RELIABILITY 1.6): ftfy's defaults would change all three.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    explain=True,
)
# ftfy only has work where one of these occurs (mojibake always leaves Latin-1 or cp1252
# letters behind); clean text with curly quotes and dashes alone skips it, which is most lines.
_FTFY_NEEDED = re.compile("[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                          "\u2020\u2021\u2030\u2039\u203a\u20ac\u2122\ufb00-\ufb06\u0300-\u036f\ufffd\u2028\u2029]")
_MOJIBAKE_STEPS = {"encode", "decode", "transcode"}
_MOJIBAKE_FIXERS = {"decode_inconsistent_utf8", "replace_lossy_sequences", "restore_byte_a0", "fix_c1_controls"}

#: the Thai letter that every curly quote and dash of seed 003 became (UTF-8 E2 80 xx read as cp874)
STAND_IN = "\u0e42"
_OTHER_THAI = re.compile("[\u0e01-\u0e41\u0e43-\u0e5b]")
_STAND_IN = re.compile(STAND_IN)
_CONTRACTION = re.compile(r"(?:s|t|d|m|ll|re|ve)(?![^\W\d_])", re.IGNORECASE)
_OPENERS = "([{/—–-"

_OPENS_IN_NEW_TAB = re.compile(r"\s*\((?:opens|open|opening) in (?:a )?new (?:tab|window)\)|\s*\((?:link is )?external(?: link)?\)",
                               re.IGNORECASE)

# Missing spaces that have only one reading.
_QUOTE_GLUED_BEFORE = re.compile(r"(?<=[a-z0-9,;:])([“])(?=[A-Za-z])")
_QUOTE_GLUED_AFTER = re.compile(r"(?<=[A-Za-z0-9.,!?])([”])(?=[A-Za-z0-9])")
_COMMA_GLUED = re.compile(r"(?<=[a-z]{2}),(?=[a-z]{2})")
_PERIOD_GLUED = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z]{2,})")
_CONJUNCTION_DASH = re.compile(r"(?<=[a-z])-(?=(?:But|And|Or|Yet|Not)\s)")
_URLISH = re.compile(r"\S*(?:://|www\.|@)\S*")

# A lowercase run that is a function word glued to the next word ("thetwo-year").
_GLUED_WORD = re.compile(r"(?<![\w’'‘-])(the|and|into|with|from|that|this)([a-z]{2,}(?:-[a-z]+)*)(?![\w’'-])")
#: real words that start with one of those function words
_GLUE_EXCEPTIONS = (
    "within", "without", "withdr", "withh", "withst", "wither", "therein", "thereof", "thereon", "thereto",
    "thereby", "theres", "theme", "therm", "inton", "intox", "fromage", "android", "andes",
)
_SUFFIXES = ("ed", "ing", "tion", "sion", "ment", "ness", "ity", "ive", "ally")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _snippet(text: str, start: int, end: int, width: int = 18) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def _changed_span(before: str, after: str) -> tuple[str, str]:
    """Return the differing middle of `before` and `after`, with a little context."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    j = 0
    while j < min(len(before), len(after)) - i and before[-1 - j] == after[-1 - j]:
        j += 1
    start = max(0, i - 8)
    return before[start:len(before) - j + 8][:60], after[start:len(after) - j + 8][:60]


class LineRepairer:
    """Repairs lines of one document; knows the document's vocabulary and whether it is Thai."""

    def __init__(self, text: str, report: IngestReport):
        self.report = report
        # Only a document that is not Thai can be using "โ" as a stand-in. Thai text has other
        # Thai letters by the dozen; a stray one or two (perhaps on a line ingest then drops)
        # must not decide it, or the written file would be read differently next time.
        others = len(_OTHER_THAI.findall(text)) if STAND_IN in text else 0
        self.stand_ins = STAND_IN in text and (others < 5 or others < text.count(STAND_IN))
        self._vocabulary: Counter | None = None
        self._text = text

    @property
    def vocabulary(self) -> Counter:
        """Lowercase words of the whole document (hyphenated words also by their parts)."""
        if self._vocabulary is None:
            counts: Counter = Counter()
            for word in _WORDS.findall(self._text.lower()):
                counts[word] += 1
                if "-" in word:
                    counts.update(word.split("-"))
            self._vocabulary = counts
        return self._vocabulary

    def repair(self, line: str, lineno: int | None) -> str:
        """Return `line` with every unambiguous repair made, each one reported."""
        # Repairs see the text without indentation and with runs of white space as one
        # space, as the written article shows it: ftfy's guesses depend on context, and the
        # next ingest of the written file must find nothing left to change.
        body = line.lstrip()
        indent = line[: len(line) - len(body)]
        if "  " in body or "\t" in body or body[-1:].isspace():
            body = " ".join(body.split())
        if not body.isascii():
            # Until nothing changes: a no-break space can hide mojibake from ftfy, and so can
            # a stand-in for a curly quote (the next ingest would see the restored quote).
            for _ in range(3):
                before = body
                if _FTFY_NEEDED.search(body):
                    body = self.fix_mojibake(body, lineno)
                body = " ".join(remove_invisible(body, lineno, self.report).split())
                if self.stand_ins and STAND_IN in body:
                    body = self.restore_stand_ins(body, lineno)
                if body == before:
                    break
        if "(" in body:
            body = self.drop_inline_boilerplate(body, lineno)
        return indent + self.unglue(body, lineno)

    def fix_mojibake(self, line: str, lineno: int | None) -> str:
        """Return `line` repaired by ftfy (curly quotes and CJK punctuation kept).

        ftfy runs until the line stops changing (at most three rounds), because one
        repair can reveal another; a single round would leave work for the next ingest
        of the written file, and re-ingesting must change nothing.
        """
        fixed, names, is_mojibake = line, [], False
        for _ in range(3):
            again, steps = ftfy.fix_and_explain(fixed, FTFY_CONFIG)
            if again == fixed:
                break
            names += [name for _, name in steps or ()]
            is_mojibake = is_mojibake or any(a in _MOJIBAKE_STEPS or n in _MOJIBAKE_FIXERS for a, n in steps or ())
            fixed = again
        if fixed == line:
            return line
        old, new = _changed_span(line, fixed)
        self.report.add("mojibake" if is_mojibake else "unicode", lineno,
                        f"'{old}' -> '{new}' (ftfy: {', '.join(dict.fromkeys(names))})")
        return fixed

    def restore_stand_ins(self, line: str, lineno: int | None) -> str:
        """Return `line` with each stand-in "โ" replaced by the quote, apostrophe or dash its context needs."""
        chars = list(line)  # one character for one: positions stay valid for the report
        repaired: list[tuple[int, str]] = []
        quote_open = False
        for match in _STAND_IN.finditer(line):
            i = match.start()
            before = line[i - 1] if i else ""
            after = line[i + 1] if i + 1 < len(line) else ""
            if before.isalnum() and after.isalpha() and _CONTRACTION.match(line, i + 1):
                char, name = "’", "apostrophe"
            elif before.isdigit() and after.isdigit():
                char, name = "–", "en dash"
            elif before.isalnum() and after.isalnum():
                char, name = "—", "em dash"
            elif (not before or before.isspace()) and (not after or after.isspace()):
                char, name = "–", "spaced en dash"
            elif not before or before.isspace() or before in _OPENERS:
                char, name, quote_open = "“", "opening quote", True
            elif quote_open or before not in "sS":
                char, name, quote_open = "”", "closing quote", False
            else:
                char, name = "’", "apostrophe"
            chars[i] = char
            repaired.append((i, name))
        fixed = "".join(chars)
        for i, name in repaired:
            self.report.add("encoding", lineno, f"'{STAND_IN}' -> '{fixed[i]}' ({name}) in '{_snippet(fixed, i, i + 1, 12)}'")
        return fixed

    def drop_inline_boilerplate(self, line: str, lineno: int | None) -> str:
        """Return `line` without link furniture such as "(opens in a new tab)"."""
        found = _OPENS_IN_NEW_TAB.findall(line)
        if not found:
            return line
        for item in found:
            self.report.add("boilerplate", lineno, f"removed '{item.strip()}'")
        return _OPENS_IN_NEW_TAB.sub("", line)

    def unglue(self, line: str, lineno: int | None) -> str:
        """Return `line` with missing spaces restored where only one reading exists."""
        report = self.report
        protected = [m.span() for m in _URLISH.finditer(line)] if ("://" in line or "www." in line or "@" in line) else []

        def free(pos: int) -> bool:
            return not any(a <= pos < b for a, b in protected)

        def sub(pattern: re.Pattern, repl, kind: str, what: str) -> None:
            nonlocal line
            if pattern.search(line) is None:
                return
            pieces: list[str] = []
            last = 0
            for m in pattern.finditer(line):
                if not free(m.start()):
                    continue
                new = repl(m)
                if new is None:
                    continue
                pieces.append(line[last:m.start()])
                pieces.append(new)
                last = m.end()
                shown = line[max(0, m.start() - 12):m.end() + 12]
                fixed = shown.replace(m.group(0), new, 1) if m.group(0) else shown
                report.add(kind, lineno, f"{what}: '{shown}' -> '{fixed}'")
            if pieces:
                pieces.append(line[last:])
                line = "".join(pieces)

        if "“" in line or "”" in line:
            sub(_QUOTE_GLUED_BEFORE, lambda m: " " + m.group(1), "glue", "space before quote")
            sub(_QUOTE_GLUED_AFTER, lambda m: m.group(1) + " ", "glue", "space after quote")
        if "," in line:
            sub(_COMMA_GLUED, lambda m: ", ", "glue", "space after comma")
        if "." in line:
            sub(_PERIOD_GLUED, lambda m: ". ", "glue", "space after full stop")
        if "-" in line:
            sub(_CONJUNCTION_DASH, lambda m: "—", "dash", "hyphen before a conjunction read as a dash")
        sub(_GLUED_WORD, self._split_glued, "glue", "words run together")
        return line

    def _split_glued(self, match: re.Match) -> str | None:
        word, function_word, rest = match.group(0), match.group(1), match.group(2)
        if word.startswith(_GLUE_EXCEPTIONS):
            return None
        vocabulary = self.vocabulary
        if vocabulary[word] > 1:  # the run stands on its own elsewhere: a real word
            return None
        head = rest.split("-")[0]
        if len(head) < 3:
            return None
        attested = vocabulary[rest] > 0 or vocabulary[head] > 0
        suffixed = function_word in ("and", "with", "from", "into") and len(rest) >= 5 and rest.endswith(_SUFFIXES)
        if not (attested or suffixed):
            return None
        return f"{function_word} {rest}"
