"""Lines to blocks: headings, bullets with their nesting, quotes and paragraphs."""

from __future__ import annotations

import re

from .draft import Block
from .report import IngestReport

# The closing run of #s goes, spaces between them too ("## Notes # #" is "Notes"), as the corpus parser reads it.
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+[# \t]*#)?[ \t]*\Z")
_BULLET = re.compile(r"([ \t]*)([-*+•◦▪‣●])[ \t]+(\S.*)\Z")
_QUOTE = re.compile(r"[ \t]*>[ \t]?(.*)\Z")
_LEAD_IN = re.compile(r"\*\*([^*\n]+?)\*\*([ \t]*)(\S.*)\Z")
_NUMBERED = re.compile(r"[ \t]*(?:\d{1,3}[.)]|\[\d{1,3}\])[ \t]+\S")
_TABLE_ROW = re.compile(r" {0,3}\|")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*\Z")


def parse_blocks(lines: list[tuple[int | None, str]], report: IngestReport, *, markdown: bool) -> list[Block]:
    """Return the blocks of numbered `lines`.

    In plain text (`markdown` false) every non-blank line is a block of its own, as scraped
    text has it; in Markdown, lines run together until a blank line or a marker.
    """
    blocks: list[Block] = []
    open_block: Block | None = None  # a Markdown paragraph, bullet or quote still taking lines
    for index, (lineno, raw) in enumerate(lines):
        line = raw.rstrip()
        if not line.strip():
            open_block = None
            continue
        if markdown and _TABLE_ROW.match(line):  # a pipe table: a row, then a delimiter row, then rows
            if open_block is not None and open_block.kind == "table":
                open_block.text += "\n" + line.strip()
                continue
            if index + 1 < len(lines) and _TABLE_DELIMITER.match(lines[index + 1][1].rstrip()):
                open_block = Block("table", line.strip(), lineno, explicit=True)
                blocks.append(open_block)
                continue
        match = _HEADING.match(line if markdown else line.lstrip())
        if match:
            blocks.append(Block("heading", (match.group(2) or "").strip(), lineno, len(match.group(1)), explicit=True))
            open_block = None
            continue
        match = _BULLET.match(line)
        if match and not line.lstrip().startswith("**"):
            indent = len(match.group(1).expandtabs(4))
            block = Block("bullet", match.group(3).strip(), lineno, indent, explicit=True)
            blocks.append(block)
            open_block = block if markdown else None
            continue
        match = _QUOTE.match(line)
        if match:
            text = match.group(1).strip()
            if markdown and open_block is not None and open_block.kind == "quote":
                open_block.text = f"{open_block.text} {text}".strip()
                continue
            block = Block("quote", text, lineno, explicit=True)
            blocks.append(block)
            open_block = block if markdown else None
            continue
        text = " ".join(line.split())
        if markdown and open_block is not None and not _NUMBERED.match(line):
            open_block.text = f"{open_block.text} {text}".strip()
            continue
        block = Block("para", text, lineno)
        blocks.append(block)
        open_block = block if markdown else None
    blocks = [b for b in blocks if b.text]
    _nest_bullets(blocks)
    return blocks


def split_lead_ins(blocks: list[Block], report: IngestReport) -> None:
    """Give each paragraph that opens with `**bold**` and goes on its `lead_in`."""
    for block in blocks:
        if block.kind == "para" and block.lead_in is None and block.text.startswith("**"):
            _split_explicit_lead_in(block, report)


def _nest_bullets(blocks: list[Block]) -> None:
    """Turn bullet indentation into nesting levels, list by list."""
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "bullet":
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind == "bullet":
            j += 1
        indents = sorted({b.level for b in blocks[i:j]})
        previous = -1
        for block in blocks[i:j]:
            level = min(indents.index(block.level), previous + 1)
            block.level = previous = level
        i = j


def _split_explicit_lead_in(block: Block, report: IngestReport) -> None:
    match = _LEAD_IN.match(block.text)
    if not match:
        return
    lead = match.group(1).strip()
    if lead.endswith(".") and not lead.endswith(".."):
        lead = lead[:-1].rstrip()
    if lead:
        block.lead_in = lead
        block.text = match.group(3).strip()
        if not match.group(2):
            report.add("lead-in", block.line, f"bold lead-in '{lead}' separated from its text")
