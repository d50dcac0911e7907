"""Readers: scraped text, Markdown (with or without front matter) and HTML, each to a `Draft`.

Every reader runs the same passes: line repairs (ftfy, stand-ins, glue), boilerplate
removal, blocks, then structure. They differ only in how lines are found and how much
structure is guessed.
"""

from __future__ import annotations

import datetime as _dt
import re

import yaml

from ..errors import ArticleError, Location
from .blocks import parse_blocks, split_lead_ins
from .boilerplate import boilerplate_family
from .dates import find_date
from .draft import Block, Draft
from .repair import LineRepairer
from .report import IngestReport
from .structure import structure

_CLOSING_HASHES = re.compile(r"(?:\A|[ \t]+)#[# \t]*\Z")
#: what the blocks stage reads as a heading, quote or list marker (blocks._BULLET's bullets)
_MARKUP_PREFIX = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+•◦▪‣●][ \t]+)?")


def _clean_lines(lines: list[tuple[int | None, str]], text: str, report: IngestReport) -> list[tuple[int | None, str]]:
    """Return scraped-text `lines` repaired, with boilerplate lines blanked (so paragraphs stay apart)."""
    repairer = LineRepairer(text, report)
    out: list[tuple[int | None, str]] = []
    for lineno, line in lines:
        if not line.strip():
            out.append((lineno, ""))
            continue
        # The repairs see what follows a marker, as the next ingest of the written Markdown
        # will: ftfy's guesses depend on the rest of the line, and a "•" there can sway them.
        marker = _MARKUP_PREFIX.match(line).end()
        if line[marker:].strip():
            line = line[:marker] + repairer.repair(line[marker:], lineno)
        else:
            line = repairer.repair(line, lineno)
        content = line[_MARKUP_PREFIX.match(line).end():].strip()
        family = boilerplate_family(content) if content else None
        if family:
            report.add("boilerplate", lineno, f"removed '{content}' ({family})")
            line = ""
        out.append((lineno, line))
    return out


def _clean_blocks(blocks: list[Block], text: str, report: IngestReport) -> list[Block]:
    """Return Markdown `blocks` repaired and without boilerplate.

    Markdown joins the lines of a paragraph, so repairs run on the joined text: the
    context ftfy sees is then the one the next ingest of the written file will see.
    """
    repairer = LineRepairer(text, report)
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "table":  # cells are kept as the page has them
            kept.append(block)
            continue
        block.text = repairer.repair(block.text, block.line)
        if block.kind == "heading":  # a repair can leave what reads as a closing "#" run
            block.text = _CLOSING_HASHES.sub("", block.text)
        family = boilerplate_family(block.text) if block.text else None
        if family:
            report.add("boilerplate", block.line, f"removed '{block.text}' ({family})")
            continue
        if block.text:
            kept.append(block)
    return kept


def read_text(text: str, report: IngestReport) -> Draft:
    """Return the draft of scraped plain text: one block per line, structure guessed."""
    lines = list(enumerate(text.split("\n"), start=1))
    lines = _clean_lines(lines, text, report)
    blocks = parse_blocks(lines, report, markdown=False)
    split_lead_ins(blocks, report)
    return structure(blocks, Draft(), report, mode="text", source_text=text)


def split_front_matter(text: str, path: str) -> tuple[dict | None, int]:
    """Return the front-matter mapping of Markdown `text` (None when it has none) and the body's first line index.

    Raises `ArticleError` when the front matter is not closed or not a YAML mapping.
    """
    if not text.startswith("---\n"):
        return None, 0
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ArticleError("front matter is not closed with a '---' line", Location(path, 1), code="ingest.front-matter")
    block = "\n".join(lines[1:end])
    _check_yaml_policy(block, path)
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ArticleError(f"front matter is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                           Location(path, mark.line + 2 if mark else 1), code="ingest.front-matter") from None
    except ValueError as exc:  # e.g. an impossible date, which PyYAML raises without a mark
        raise ArticleError(f"front matter is not valid YAML: {exc}", Location(path, 1), code="ingest.front-matter") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a mapping of keys such as id, title, publisher",
                           Location(path, 2), code="ingest.front-matter")
    return meta, end + 1


#: front matter larger than this is refused (an article's metadata is a few hundred bytes)
FRONT_MATTER_MAX = 200_000


def _check_yaml_policy(block: str, path: str) -> None:
    """Refuse front matter the project's YAML policy refuses: aliases, anchors, non-standard
    tags, deep nesting (the spec loader's rules) and more than `FRONT_MATTER_MAX` bytes."""
    from ..errors import SpecError
    from ..spec import parse_yaml

    if len(block.encode("utf-8", "surrogatepass")) > FRONT_MATTER_MAX:
        raise ArticleError(f"front matter is over {FRONT_MATTER_MAX // 1000} kB", Location(path, 2), code="ingest.front-matter")
    try:
        parse_yaml(block, path, line_offset=1)
    except SpecError as exc:
        raise ArticleError(f"front matter: {exc.message}", exc.location, code="ingest.front-matter") from None
    except RecursionError:
        raise ArticleError("front matter is nested too deeply", Location(path, 2), code="ingest.front-matter") from None


def _draft_from_meta(meta: dict, report: IngestReport) -> Draft:
    draft = Draft()
    for key, value in meta.items():
        key = str(key)
        if value is None:
            continue
        if key in ("id", "title", "publisher", "url", "author") and isinstance(value, (str, int, float)):
            setattr(draft, key, str(value))
        elif key == "published":
            if isinstance(value, _dt.datetime):
                value = value.date()
            if isinstance(value, _dt.date):
                draft.published = value
            else:
                found = find_date(str(value))
                if found:
                    draft.published = found[0]
                else:
                    report.add("missing", None, f"published: '{value}' is not a date; left out")
        elif key == "origin" and isinstance(value, list):
            draft.origin = [_origin_entry(o) for o in value]
        elif key == "origin" and isinstance(value, (dict, str)):
            draft.origin = [_origin_entry(value)]
        elif key == "tags" and isinstance(value, (list, str)):
            draft.tags = [str(t) for t in value] if isinstance(value, list) else [t.strip() for t in value.split(",") if t.strip()]
        elif key == "references" and isinstance(value, dict):
            draft.references = {int(k) if str(k).isdigit() else k: v for k, v in value.items()}
        elif key == "provenance" and isinstance(value, dict):
            draft.provenance = {str(k): str(v) for k, v in value.items()}
        elif key == "disclaimers" and isinstance(value, (list, str)):
            draft.disclaimers = [str(d) for d in value] if isinstance(value, list) else [value]
        else:
            draft.extra[key] = value
    return draft


def _origin_entry(value) -> dict:
    entry = dict(value) if isinstance(value, dict) else {"name": str(value)}
    date = entry.get("date")
    if isinstance(date, _dt.datetime):
        entry["date"] = date.date()
    elif isinstance(date, str):
        found = find_date(date)
        if found:
            entry["date"] = found[0]
    return entry


def read_markdown(text: str, report: IngestReport, path: str = "<input>") -> Draft:
    """Return the draft of Markdown `text`, with its front matter if it has one; structure as written."""
    meta, start = split_front_matter(text, path)
    draft = _draft_from_meta(meta, report) if meta is not None else Draft()
    all_lines = text.split("\n")
    lines = [(i + 1, all_lines[i]) for i in range(start, len(all_lines))]
    blocks = parse_blocks(lines, report, markdown=True)
    blocks = _clean_blocks(blocks, text, report)  # the whole file: the title counts as context too
    split_lead_ins(blocks, report)
    return structure(blocks, draft, report, mode="markdown")


def read_html(html: str, report: IngestReport, path: str = "<input>") -> Draft:
    """Return the draft of the main content of a saved web page (trafilatura), then cleaned as text.

    The metadata comes from `reegen.ingest.html`: the page's structured data weighed against
    trafilatura's and htmldate's reading, by the rules stated there.
    Raises `ArticleError` when the page has no main content to extract.
    """
    import trafilatura  # only HTML input pays for the extractor

    from . import html as page

    body = trafilatura.extract(html, output_format="markdown", include_formatting=True, include_comments=False,
                               include_tables=True, include_images=False, include_links=False, deduplicate=False)
    if not body or not body.strip():
        _refuse_too_deep(html, path)
        raise ArticleError("no article text found in the page", Location(path), code="ingest.empty",
                           hint="save the article page itself, not an index or a login page")
    draft = Draft()
    tree = page.parse_tree(html)
    facts = page.page_facts(tree)
    meta = trafilatura.extract_metadata(tree if tree is not None else html, extensive=False)
    url = (facts.urls[0] if facts.urls else None) or (meta.url if meta is not None else None)
    if url:
        draft.url = url
        report.add("metadata", None, f"url '{url}' from the page metadata")
    site_names = facts.site_names + ([meta.sitename] if meta is not None and meta.sitename else [])
    title = page.page_title(tree, facts) or (meta.title if meta is not None else None)
    # A site name is a name: not the page's title, not a sentence (some pages put either there).
    def flat(text: str | None) -> str:
        return " ".join((text or "").split()).casefold()

    publisher = next((n for n in facts.site_names + facts.publishers + [meta.sitename if meta is not None else None]
                      if n and len(n.split()) <= 8 and flat(title) not in flat(n)), None)
    if publisher:
        draft.publisher = publisher
        report.add("metadata", None, f"publisher '{publisher}' from the page's site name")
    # Some pages put the headline where the site name goes: such a name names nothing.
    keys = page.site_keys([n for n in site_names + facts.publishers if flat(n) != flat(title)], url)
    if title:
        title, removed = page.strip_site(title, keys, tuple(n for n in site_names + facts.publishers
                                                            if len(n.split()) <= 12 and flat(n) != flat(title)))
        draft.title = title
        report.add("metadata", None, f"title '{title}' from the page metadata")
        if removed:
            report.add("title", None, f"site name '{removed}' removed from the title")
    raw_authors = facts.authors or ([meta.author] if meta is not None and meta.author else [])
    names, dropped = page.author_names(raw_authors, keys)
    if names:
        draft.author = page.join_names(names)
        report.add("metadata", None, f"author '{draft.author}' from the page metadata")
    if dropped:
        report.add("metadata", None, f"not taken as author (agency, publisher, job title or not a name): {', '.join(dropped)}")
    blocks = _html_blocks(body, report)
    _tidy_html_headings(blocks, draft.title, report)
    byline = _take_html_byline(blocks, draft, keys, report)
    split_lead_ins(blocks, report)
    latest = _file_date(path)
    dateline = page.text_dateline(body.split("\n"))
    if byline is not None and byline.updated is not None:  # an update is never the publication date
        facts.modified.append(page.Stated(byline.updated, "the byline's update date"))
    choice = page.publication_date(facts, url, html, latest=latest, dateline=dateline[0] if dateline else None,
                                   byline=byline.published if byline is not None else None)
    for conflict in choice.conflicts:
        report.add("metadata", None, f"date conflict: {conflict}")
    if dateline is not None:
        report.add("metadata", None, f"dateline '{dateline[1]}' reads {dateline[0].isoformat()}")
    if byline is not None and (byline.published or byline.updated):
        said = [f"published {byline.published.isoformat()}"] if byline.published else []
        said += [f"updated {byline.updated.isoformat()} (a last change, not the publication date)"] if byline.updated else []
        report.add("metadata", None, f"the byline says {', '.join(said)}")
    if choice.value is not None:
        draft.published = choice.value
        draft.provenance["published"] = choice.provenance
        how = "stated" if choice.provenance == "stated" else "inferred"
        report.add("metadata", None, f"published {choice.value.isoformat()} from {choice.source} ({how})")
    elif modified := sorted({m.day for m in facts.modified}):
        report.add("missing", None, f"published: the page states only when it was updated ({modified[-1].isoformat()}); "
                                    "that is not the publication date")
    return structure(blocks, draft, report, mode="html")


def _refuse_too_deep(html: str, path: str) -> None:
    """Raise `ArticleError` at the place where the page nests elements deeper than the HTML parser reads."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        etree.fromstring(html, parser)
    except (etree.LxmlError, ValueError):
        pass
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" and "depth" in entry.message:
            raise ArticleError("the page nests its elements too deeply to be read (more than 256 levels)",
                               Location(path, entry.line or None, entry.column or None), code="ingest.too-deep",
                               hint="save the article page itself, or its text")


def _file_date(path: str) -> _dt.date:
    """Return the date of file `path` (today when it is not a file): no page is published after it is saved."""
    import os

    try:
        return _dt.date.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, ValueError):
        return _dt.date.today()


def _html_blocks(body: str, report: IngestReport) -> list[Block]:
    """Return the blocks of trafilatura's Markdown `body`; its pipe tables become table blocks."""
    from .html import is_data_table, normalise_table, table_rows

    lines = body.split("\n")
    blocks: list[Block] = []
    pending: list[tuple[int | None, str]] = []

    def flush() -> None:
        if pending:
            blocks.extend(parse_blocks(pending, report, markdown=True))
            pending.clear()

    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            rows = table_rows(lines[i:j])
            if is_data_table(rows):
                flush()
                blocks.append(Block("table", normalise_table(lines[i:j]), None, explicit=True))
            else:  # a page laid out with a table: its text, row by row, as paragraphs
                for row in rows:
                    text = " ".join(c.replace("\\|", "|") for c in row if c.strip() and c.strip() != "\\|")
                    pending.extend([(None, text), (None, "")])
            i = j
            continue
        pending.append((None, lines[i]))
        i += 1
    flush()
    cleaned = {id(b) for b in _clean_blocks([b for b in blocks if b.kind != "table"], body, report)}
    return [b for b in blocks if b.kind == "table" or id(b) in cleaned]


def _take_html_byline(blocks: list[Block], draft: Draft, site: set[str], report: IngestReport):
    """Read the byline and dateline lines among the first five blocks with `read_byline` and
    take them out of the body; their names are the author when the page's metadata names none.
    Return what they state (a `Byline`), or None when no line is a byline.

    A "By Jane Doe" line that `read_byline` does not take whole is still taken by the older,
    narrower rule (names only)."""
    from .byline import read_byline
    from .html import author_names, byline_names, join_names

    head = []  # the short blocks before the first paragraph of prose: a byline sits above the text
    for block in blocks[:5]:
        if block.kind not in ("para", "heading") or len(block.text.split()) > 24:
            break
        head.append(block)
    plain = [" ".join(re.sub(r"\\(.)", r"\1", b.text).replace("**", " ").replace("*", " ").split()) for b in head]
    found = read_byline(plain, publisher=draft.publisher)
    if found.consumed:
        for index in found.consumed:
            blocks.remove(head[index])
            report.add("byline", head[index].line, f"byline line '{_short(plain[index])}' taken out of the body")
        names, _ = author_names(found.authors, site) if found.authors else ([], [])
        if names and draft.author is None:
            draft.author = join_names(names)
            report.add("metadata", None, f"author '{draft.author}' from the byline")
        return found
    for block in blocks[:4]:
        if block.kind not in ("para", "heading"):
            continue
        raw = byline_names(block.text)
        if raw is None:
            continue
        names, _ = author_names([raw], site)
        if not names:
            continue
        blocks.remove(block)
        if draft.author is None:
            draft.author = join_names(names)
            report.add("metadata", block.line, f"author '{draft.author}' from the byline '{_short(block.text)}'")
        else:
            report.add("metadata", block.line, f"byline '{_short(block.text)}' removed from the body")
        return None
    return None


def _tidy_html_headings(blocks: list[Block], title: str | None, report: IngestReport) -> None:
    """Drop headings that repeat the title and make sentence-like ones (standfirsts, captions) paragraphs."""
    from .html import is_sentence_like

    same = " ".join((title or "").split()).casefold()
    for block in list(blocks):
        if block.kind != "heading":
            continue
        text = " ".join(block.text.split())
        if same and text.casefold() == same:
            if block.level > 1:  # a level-1 one is the title itself, which `structure` takes
                blocks.remove(block)
                report.add("heading", block.line, f"heading '{_short(text)}' repeats the title; dropped")
        elif is_sentence_like(text):
            block.kind, block.level = "para", 0
            report.add("heading", block.line, f"sentence-like heading made a paragraph: '{_short(text)}'")


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
