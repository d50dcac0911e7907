"""Blocks to an article: title, lead, highlights, sections, and the metadata lines in the text.

The guesses (a short line is a heading, a quoted line is a pull quote, a glued capitalised
word ends a lead-in) are made only for scraped text, where nothing is marked up; Markdown
keeps the structure its author wrote.
"""

from __future__ import annotations

import re
from collections import Counter

from .boilerplate import copyright_owner
from .byline import read_byline
from .dates import find_date
from .draft import Block, Draft, DraftSection
from .registry import registry_kind
from .report import IngestReport

HIGHLIGHTS = "Highlights"
_HIGHLIGHT_NAMES = {"highlights", "key highlights", "highlights:", "key highlights:", "亮点", "要点"}
_REFERENCE_NAMES = {"references", "sources", "citations", "bibliography", "works cited", "notes and references", "footnotes"}

_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_TERMINAL = ".!?;,…\"”’'。！？；，"
_QUOTED = re.compile(r"[“\"]([^“”\"]{3,})[”\"]\Z")
_SOURCE = re.compile(r"(?:source|sources|via)\s*:\s*(?P<name>.+?)\s*\Z", re.IGNORECASE)
_CAPTION = re.compile(r"(?:image|photo|photograph|picture|credit|illustration)(?: credit)?\s*:\s*\S.*\Z", re.IGNORECASE)
_TRANSLATED = re.compile(
    r"(?P<what>translated and reported|reported and translated|translated(?: from [A-Z]\w+)?)\s+by\s+(?P<name>.+?)\.?\Z",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(r"(?:disclaimer|editor[’']s note)\s*:\s*(?P<text>\S.*)\Z", re.IGNORECASE)
_REF_ITEM = re.compile(r"(?:\[(?P<a>\d{1,3})\]|(?P<b>\d{1,3})[.)])\s+(?P<text>\S.*)\Z")
_URL = re.compile(r"<?(https?://[^\s<>]+?)>?(?=[\s,;)]*(?:\s|\Z))")
_MD_LINK = re.compile(r"\[(?P<title>[^\]]+)\]\((?P<url>https?://[^)\s]+)\)")
_QUOTED_TITLE = re.compile(r"[“\"](?P<title>[^“”\"]+?)[,.]?[”\"]")
_CAMEL = re.compile(r"([A-Z][a-z’'-]*[a-z])([A-Z][\w’'-]*)\Z")
_TITLE_WORD = re.compile(r"(?:[A-Z][a-z’'-]*|[A-Z]{2,}|[A-Z][a-z]+-[A-Z][a-z]+|\d+)\Z")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with", "&"}
_BREAK_WORDS = {
    "to", "that", "which", "who", "whose", "while", "with", "for", "as", "by", "from", "into", "in", "on", "at",
    "amid", "after", "before", "under", "through", "across", "during", "since", "because", "despite", "—",
}
_SENTENCE_END = re.compile(r"(?<=[a-z0-9”’)\]%])[.!?](?=\s+[A-Z“])")
_TITLE_MAX = 90


def structure(blocks: list[Block], draft: Draft, report: IngestReport, *, mode: str, source_text: str = "") -> Draft:
    """Fill `draft` from `blocks` read in `mode` ("text", "markdown" or "html") and return it."""
    guess = mode == "text"
    blocks = _take_metadata_lines(blocks, draft, report, guess=guess)
    byline_after_first = False
    if mode != "html":
        blocks, byline_after_first = _take_byline(blocks, draft, report)
    if guess:
        blocks = _take_title_line(blocks, draft, report, byline_after_first=byline_after_first)
    else:
        blocks = _take_h1_title(blocks, draft, report)
    if mode != "markdown":
        _guess_quotes(blocks, report)
    if guess:
        _guess_headings(blocks, report)
        words = Counter(source_text.split())
        for block in blocks:
            if block.kind == "para" and block.lead_in is None:
                _split_glued_lead_in(block, words, report)
    blocks = _take_references(blocks, draft, report)
    _assemble(blocks, draft, report, guess=guess)
    if guess:
        _nest_introduced_bullets(draft, report)
    return draft


# --------------------------------------------------------------------------- metadata lines


def _take_metadata_lines(blocks: list[Block], draft: Draft, report: IngestReport, *, guess: bool) -> list[Block]:
    """Remove Source, Translated-by, Disclaimer, copyright, byline and caption lines into `draft`."""
    kept: list[Block] = []
    translated_line: int | None = None
    copyright_publisher: tuple[str, int | None] | None = None
    for block in blocks:
        if block.kind != "para":
            kept.append(block)
            continue
        text = block.text
        match = _SOURCE.match(text)
        if match:
            previous = kept[-1] if kept else None
            if guess and len(kept) > 1 and previous is not None and previous.kind == "para" and _is_heading_like(previous.text) \
                    and len(match.group("name").split()) <= 8 and not find_date(match.group("name")):
                kept.pop()
                report.add("caption", previous.line, f"image caption removed: '{previous.text}' ({text})")
                continue
            name = match.group("name")
            found = find_date(name)
            date_note = ""
            origin_date = None
            if found:
                value, (a, b) = found
                name = (name[:a] + name[b:]).strip(" ,;–—-")
                origin_date = value
                date_note = f", dated {value.isoformat()} (the relayed report's date, kept in the origin; not the publication date)"
            name = name.strip(" .")
            if name and len(name.split()) <= 8:
                if all(o.get("name") != name for o in draft.origin):
                    origin = {"name": name}
                    if origin_date is not None:
                        origin["date"] = origin_date
                    kind = registry_kind(name)
                    if kind:
                        origin["kind"] = kind
                        date_note += f"; kind '{kind}' from the sources registry"
                    draft.origin.append(origin)
                report.add("metadata", block.line, f"origin '{name}' from '{text}'{date_note}")
                continue
        match = _TRANSLATED.match(text)
        if match:
            name = match.group("name").strip(" .")
            translated_line = block.line or 0
            if "reported" in match.group("what").lower():
                if draft.publisher is None:
                    draft.publisher = name
                    report.add("metadata", block.line, f"publisher '{name}' from '{text}'")
                report.add("metadata", block.line, "origin marked as translated")
            else:
                report.add("metadata", block.line, f"origin marked as translated (translator '{name}')")
            continue
        match = _DISCLAIMER.match(text)
        if match:
            draft.disclaimers.append(match.group("text").strip())
            report.add("disclaimer", block.line, f"moved to front-matter disclaimers: '{_short(match.group('text'))}'")
            continue
        owner = copyright_owner(text)
        if owner is not None:
            report.add("boilerplate", block.line, f"removed copyright line '{text}'")
            if owner and copyright_publisher is None:
                copyright_publisher = (owner, block.line)
            continue
        if guess and _CAPTION.match(text) and len(text) < 160:
            report.add("caption", block.line, f"image credit removed: '{text}'")
            continue
        kept.append(block)
    if translated_line is not None:
        for origin in draft.origin:
            origin["translated"] = True
        if not draft.origin:
            report.add("missing", translated_line, "the text says it is translated but names no source; no origin written")
    if copyright_publisher and draft.publisher is None:
        draft.publisher = copyright_publisher[0]
        draft.provenance["publisher"] = "inferred"  # the rights holder, taken to be the publisher
        report.add("metadata", copyright_publisher[1], f"publisher '{draft.publisher}' inferred from the copyright line")
    return kept


# --------------------------------------------------------------------------- byline and dateline

#: how many of the first blocks may hold a byline or dateline
_BYLINE_WINDOW = 8


def _take_byline(blocks: list[Block], draft: Draft, report: IngestReport) -> tuple[list[Block], bool]:
    """Remove the byline and dateline lines among the first blocks into `draft` (authors, dates, publisher).

    Returns the blocks left and whether a byline line directly followed the first block
    (then the first block is a title even when it ends in "." or "?").
    """
    blocks = _take_closing_credit(blocks, draft, report)
    window = [i for i, b in enumerate(blocks[:_BYLINE_WINDOW]) if b.kind == "para"]
    candidates = [blocks[i] for i in window]
    found = read_byline([b.text for b in candidates], publisher=draft.publisher)
    if not found.consumed:
        return blocks, False
    consumed = {window[i] for i in found.consumed}
    for i in found.consumed:
        block = candidates[i]
        report.add("byline", block.line, f"byline/dateline removed from the body: '{_short(block.text, 80)}'")
    lines = {i: candidates[i].line for i in range(len(candidates))}
    for i, note in found.notes:
        kind = "date" if "not read as a date" in note else "conflict" if "disagree" in note or "is before" in note else "byline"
        report.add(kind, lines.get(i), note)
    where = candidates[found.consumed[0]].line
    if found.authors:
        author = join_names(found.authors)
        if draft.author is None:
            draft.author = author
            report.add("metadata", where, f"author '{author}' from the byline")
        elif draft.author != author:
            report.add("conflict", where, f"byline names '{author}' but the author is '{draft.author}'; kept '{draft.author}'")
    if found.publisher:
        if draft.publisher is None:
            draft.publisher = found.publisher
            report.add("metadata", where, f"publisher '{found.publisher}' from the dateline")
    if found.published:
        draft.found_dates.append(("byline", found.published, where))
    if found.updated:
        draft.updated = found.updated
    kept = [b for i, b in enumerate(blocks) if i not in consumed]
    # A byline among the first three lines marks the first line left as a headline, "." or not.
    after_first = bool(kept) and min(consumed) <= 2 and len(kept[0].text.split()) <= 25
    return kept, after_first


_CLOSING_CREDIT = re.compile(r"\(?(?:reporting|writing|additional reporting|compiled|editing|edited|written) by\s", re.IGNORECASE)


def _take_closing_credit(blocks: list[Block], draft: Draft, report: IngestReport) -> list[Block]:
    """Remove a wire-style credit among the last lines ("Reporting by A; Editing by B"); A is the author."""
    for i in range(len(blocks) - 1, max(-1, len(blocks) - 4), -1):
        block = blocks[i]
        if block.kind != "para" or not _CLOSING_CREDIT.match(block.text):
            continue
        found = read_byline([block.text.strip("()")], publisher=draft.publisher)
        if not found.consumed:
            continue
        report.add("byline", block.line, f"closing credit removed from the body: '{_short(block.text, 80)}'")
        for _, note in found.notes:
            report.add("byline", block.line, note)
        if found.authors and draft.author is None:
            draft.author = join_names(found.authors)
            report.add("metadata", block.line, f"author '{draft.author}' from the closing credit")
        return blocks[:i] + blocks[i + 1:]
    return blocks


def join_names(names: list[str]) -> str:
    """Return "A", "A and B" or "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --------------------------------------------------------------------------- title


def _take_title_line(blocks: list[Block], draft: Draft, report: IngestReport, *, byline_after_first: bool = False) -> list[Block]:
    if not blocks or draft.title:
        return blocks
    first = blocks[0]
    text = first.text
    ends = ":;,…" if byline_after_first or _headline_with_stop(blocks) else ".:;,…"
    if first.kind in ("para", "heading") and not is_highlights(text) and not _QUOTED.match(text) \
            and text[-1:] not in ends and len(text.split()) <= 30 and len(blocks) > 1:
        draft.title = text.rstrip()
        report.add("title", first.line, f"title taken from the first line: '{draft.title}'")
        return blocks[1:]
    return blocks


def _headline_with_stop(blocks: list[Block]) -> bool:
    """Whether a first line ending in "." is a headline: one short sentence over a much longer paragraph."""
    if len(blocks) < 2 or blocks[1].kind != "para":
        return False
    words, following = len(blocks[0].text.split()), len(blocks[1].text.split())
    one_sentence = not _SENTENCE_END.search(blocks[0].text[:-1])
    return one_sentence and words <= 14 and following >= max(25, 2.5 * words) and blocks[0].text[:1].isupper()


def _take_h1_title(blocks: list[Block], draft: Draft, report: IngestReport) -> list[Block]:
    for i, block in enumerate(blocks):
        if block.kind == "heading" and block.level == 1:
            if draft.title is None:
                draft.title = block.text
                report.add("title", block.line, f"title taken from the level-1 heading: '{block.text}'")
                return blocks[:i] + blocks[i + 1:]
            if " ".join(block.text.split()).lower() == " ".join(draft.title.split()).lower():
                return blocks[:i] + blocks[i + 1:]
            return blocks
        if block.kind == "heading":
            return blocks
    return blocks


def derive_title(text: str) -> str:
    """Return a headline-length title from the first sentence of `text`, cut at a natural break."""
    text = " ".join(_MARKER.sub("", text).split())
    sentence = _SENTENCE_END.split(text, 1)[0].strip()
    sentence = sentence.rstrip(" .!;:,")
    if len(sentence) <= _TITLE_MAX:
        return sentence
    words = sentence.split()
    best = None
    for i in range(1, len(words)):
        prefix = " ".join(words[:i])
        if len(prefix) > _TITLE_MAX:
            break
        if len(prefix) >= 30 and (words[i].lower() in _BREAK_WORDS or words[i - 1].endswith((",", ";", "—"))):
            best = prefix
    if best is None:
        best = ""
        for word in words:
            if len(best) + len(word) + 1 > _TITLE_MAX - 1:
                break
            best = f"{best} {word}".strip()
        best += "…"
    return best.rstrip(" ,;:—–-")


# --------------------------------------------------------------------------- guesses for scraped text


def is_highlights(text: str) -> bool:
    """Return whether `text` names the Highlights section ("Highlights", "Key highlights:", "亮点")."""
    return text.strip().lower() in _HIGHLIGHT_NAMES


def _is_heading_like(text: str) -> bool:
    """Return whether a line reads as a section heading: short, capitalised, no final punctuation."""
    if not text or len(text) > 100:
        return False
    words = text.split()
    if len(words) > 12 or not (text[0].isupper() or text[0].isdigit() or (text[0].isalpha() and not text[0].islower())):
        return False
    if text[-1] in _TERMINAL or text[-1] in "#*_" or text[0] in "“\"‘(*#" or _MARKER.search(text):
        return False
    if text.endswith(":"):
        core = text[:-1].split()
        return 0 < len(core) <= 6 and all(w[0].isupper() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in core)
    return any(ch.isalpha() for ch in text)


def _guess_quotes(blocks: list[Block], report: IngestReport) -> None:
    for block in blocks:
        if block.kind == "para" and block.lead_in is None and _QUOTED.match(block.text):
            block.kind = "quote"
            report.add("quote", block.line, f"quoted line kept as a pull quote: '{_short(block.text)}'")


def _guess_headings(blocks: list[Block], report: IngestReport) -> None:
    for i, block in enumerate(blocks):
        if block.kind != "para" or block.lead_in is not None or not _is_heading_like(block.text):
            continue
        if i + 1 >= len(blocks):  # a heading with nothing under it is a stray line
            continue
        title = block.text[:-1].rstrip() if block.text.endswith(":") else block.text
        if not title or title[-1] in "#*_":
            continue
        block.kind, block.text, block.level = "heading", title, 2
        if not is_highlights(title) and title.lower() not in _REFERENCE_NAMES:
            report.add("heading", block.line, f"section '{title}'")


def _split_glued_lead_in(block: Block, words: Counter, report: IngestReport) -> None:
    """Split "Administrative VelocityGovernment approvals …" into a lead-in and its text."""
    tokens = block.text.split(" ")
    for i, token in enumerate(tokens[:8]):
        match = _CAMEL.match(token)
        if match is None:
            if i == 0 and not _TITLE_WORD.match(token):
                return
            if i and not (_TITLE_WORD.match(token) or token in _SMALL_WORDS):
                return
            continue
        if i == 0 or len(tokens) - i < 4 or words[token] > 1 or len(match.group(1)) < 3:
            return
        lead = " ".join(tokens[:i] + [match.group(1)])
        block.lead_in = lead
        block.text = " ".join([match.group(2)] + tokens[i + 1:])
        report.add("lead-in", block.line, f"'{token}' split: lead-in '{lead}', text from '{match.group(2)}'")
        return


# --------------------------------------------------------------------------- references


def _take_references(blocks: list[Block], draft: Draft, report: IngestReport) -> list[Block]:
    """Move a trailing numbered reference list into `draft.references`."""
    start = None
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.kind == "heading" and block.text.strip().rstrip(":").lower() in _REFERENCE_NAMES:
            start = i
            break
        if block.kind == "heading":
            break
    items = blocks[start + 1:] if start is not None else []
    if start is None:  # no heading: a trailing run of "[n] ..." lines
        j = len(blocks)
        while j > 0 and blocks[j - 1].kind in ("para", "bullet") and blocks[j - 1].text.startswith("[") \
                and _REF_ITEM.match(blocks[j - 1].text):
            j -= 1
        if j == len(blocks):
            return blocks
        start, items = j - 1, blocks[j:]
    parsed = [(b, _REF_ITEM.match(b.text)) for b in items]
    if not parsed or not all(m for _, m in parsed):
        return blocks
    for block, match in parsed:
        label = int(match.group("a") or match.group("b"))
        fields = parse_reference(match.group("text"))
        draft.references[label] = fields
        shown = ", ".join(f"{k}={v}" for k, v in fields.items())
        report.add("reference", block.line, f"[{label}] -> references: {shown}")
    if start >= 0 and blocks[start].kind == "heading":
        return blocks[:start]
    return blocks[:start + 1]


def parse_reference(text: str) -> dict:
    """Return {title, publisher, url, date} of one reference-list entry, leaving out what it lacks."""
    fields: dict = {}
    rest = text.strip()
    match = _MD_LINK.search(rest)
    if match:
        fields["title"] = match.group("title").strip()
        fields["url"] = match.group("url")
        rest = rest[:match.start()] + rest[match.end():]
    else:
        match = _URL.search(rest)
        if match:
            fields["url"] = match.group(1).rstrip(".,;")
            rest = rest[:match.start()] + rest[match.end():]
    found = find_date(rest)
    if found:
        fields["date"] = found[0]
        a, b = found[1]
        rest = rest[:a] + rest[b:]
    if "title" not in fields:
        match = _QUOTED_TITLE.search(rest)
        if match:
            fields["title"] = match.group("title").strip()
            rest = rest[:match.start()] + rest[match.end():]
    pieces = [p.strip(" .,;:—–-()") for p in re.split(r"\s[—–-]\s|[,;]\s|\.\s|\(|\)", rest)]
    pieces = [p for p in pieces if p and any(ch.isalpha() for ch in p) and p.lower() not in ("retrieved", "accessed", "available at")]
    if "title" not in fields and pieces:
        fields["title"] = pieces.pop(0)
    if pieces:
        fields["publisher"] = pieces[0]
    order = ("title", "publisher", "url", "date")
    return {k: fields[k] for k in order if k in fields}


# --------------------------------------------------------------------------- assembly


def _assemble(blocks: list[Block], draft: Draft, report: IngestReport, *, guess: bool) -> None:
    moved: list[Block] = []
    in_highlights = False
    for block in blocks:
        if block.kind == "heading":
            if is_highlights(block.text):
                in_highlights = True
                continue
            in_highlights = False
            if block.level != 2 and block.explicit:
                report.add("heading", block.line, f"level-{block.level} heading '{block.text}' written as a section")
            draft.sections.append(DraftSection(block.text, [], block.line))
            continue
        if in_highlights:
            if block.kind == "bullet":
                draft.highlights.append(block)
                continue
            if not draft.sections:
                moved.append(block)
                continue
        (draft.sections[-1].blocks if draft.sections else draft.lead).append(block)
    if moved:
        report.add("lead", moved[0].line, f"{len(moved)} block{'s' if len(moved) > 1 else ''} after the Highlights list moved to the lead")
        draft.lead.extend(moved)


def _nest_introduced_bullets(draft: Draft, report: IngestReport) -> None:
    """Nest short items under a flat bullet that ends with ':' ("across sectors such as:")."""
    lists = [draft.highlights] + [[b for b in s.blocks if b.kind == "bullet"] for s in draft.sections]
    lists.append([b for b in draft.lead if b.kind == "bullet"])
    for items in lists:
        i = 0
        while i < len(items):
            head = items[i]
            j = i + 1
            while j < len(items) and items[j].level == head.level and _is_list_fragment(items[j].text):
                j += 1
            if head.text.endswith(":") and j - i > 1 and all(b.level == head.level for b in items[i + 1:j]):
                for item in items[i + 1:j]:
                    item.level = head.level + 1
                report.add("nesting", head.line, f"{j - i - 1} items nested under '{_short(head.text)}'")
                i = j
            else:
                i += 1


def _is_list_fragment(text: str) -> bool:
    return len(text.split()) <= 5 and text[-1:] not in _TERMINAL and not text.endswith(":")


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --------------------------------------------------------------------------- checks


def markers_in(text: str) -> list[int]:
    """Return the reference labels an inline marker such as `[1, 3–5]` names, in order."""
    labels: list[int] = []
    for match in _MARKER.finditer(text):
        for part in re.split(r"\s*,\s*", match.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and bounds[0] and bounds[1]:
                lo, hi = int(bounds[0]), int(bounds[1])
                labels.extend(range(lo, hi + 1) if 0 <= hi - lo <= 50 else (lo, hi))
            elif bounds[0]:
                labels.append(int(bounds[0]))
    return labels


def check_citations(draft: Draft, report: IngestReport) -> None:
    """Report each inline marker label that names no reference (the marker itself stays)."""
    seen: dict[int, tuple[int | None, int]] = {}
    for block in draft.body_blocks():
        for label in markers_in(f"{block.lead_in or ''} {block.text}"):
            line, count = seen.get(label, (block.line, 0))
            seen[label] = (line, count + 1)
    for label, (line, count) in sorted(seen.items(), key=lambda kv: (kv[1][0] is None, kv[1][0] or 0, kv[0])):
        if label not in draft.references:
            times = f" ({count} times)" if count > 1 else ""
            report.add("citation", line, f"marker [{label}]{times} has no entry in a reference list; kept as written")
