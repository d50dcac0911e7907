"""The brief spec schema: what a user may write in `briefs/*.yaml`, and its validation.

`parse_spec` turns the loaded YAML into a `BriefSpec`, collecting every problem (unknown
key with a "did you mean", wrong type, bad date) into a `Report` so a user fixes them in
one pass.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..errors import Location, Report, did_you_mean
from ..formats import DEFAULT_FORMATS, FORMATS, PAGE_SIZES as _PAGE_SIZES
from .load import YamlList, YamlMap

#: the page sizes a spec may name
PAGE_SIZES = tuple(_PAGE_SIZES)
STATUSES = ("verified", "disputed", "unverified")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: a BCP 47 language tag as documents use them: language, then optional script, region and variants
#: ("en", "en-GB", "zh-Hans-CN", "sr-Latn", "de-CH-1996"); private and extension subtags are not accepted
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
_LANGUAGE = re.compile(LANGUAGE_TAG)


@dataclass(frozen=True, slots=True)
class SelectSpec:
    """A query choosing articles from the corpus (`select:` in `articles`)."""

    #: an article must carry all of these tags
    tags: tuple[str, ...] = ()
    #: an article must carry at least one of these tags
    any_tags: tuple[str, ...] = ()
    #: inclusive ISO date bounds on `published`
    since: _dt.date | None = None
    until: _dt.date | None = None
    #: words and "quoted phrases" that must all occur in title or body (case-insensitive)
    query: str | None = None
    publisher: str | None = None
    limit: int | None = None
    #: "newest" (default) or "oldest"
    order: str = "newest"
    line: int = 0


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One entry of `articles`: an article id, or a `select` query."""

    id: str | None = None
    select: SelectSpec | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class FromItem:
    """One entry of a section's `from`: a section slug, optionally of one article (`id#slug`)."""

    section: str
    article_id: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """One section of the brief, filled from articles, figures, inline text or a template file."""

    title: str
    from_: tuple[FromItem, ...] = ()
    #: "auto", or a tuple of figure ids
    figures: str | tuple[str, ...] | None = None
    text: str | None = None
    #: the line where the text's first line sits in the spec (for template error locations)
    text_line: int = 0
    template: str | None = None
    max_items: int | None = None
    max_words: int | None = None
    #: at most this many items from each article (0: no limit); default 1 for a pool-wide `highlights` summary
    per_source: int | None = None
    #: put each article's title (and section title) as a subheading over its material
    subheadings: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class CaveatSpec:
    """What the Verification caveats section holds besides the automatic caveats."""

    auto: bool = True
    extra: tuple[str, ...] = ()
    stale_after_days: int | None = None
    require_verified: bool = False
    #: "table": a headline, a row per source, then only what the table does not say; "list": a bullet per
    #: caveat (the long form); None: "list" for the dossier template, "table" for any other
    form: str | None = None


@dataclass(frozen=True, slots=True)
class VerificationEntry:
    """The analyst's ledger entry for one figure id."""

    figure_id: str
    status: str
    note: str | None = None
    #: Admiralty grade, e.g. "B2"
    grade: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class BriefSpec:
    """A brief spec as the user wrote it, validated."""

    path: str
    stem: str
    title: str
    subtitle: str | None = None
    audience: str | None = None
    author: str | None = None
    date: _dt.date | None = None
    classification: str | None = None
    #: the language of the brief's text, a BCP 47 tag ("en", "de-CH"); screen readers pick their voice by it
    language: str = "en"
    template: str = "executive"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output: str | None = None
    page_size: str | None = None
    articles: tuple[ArticleRef, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    #: the analyst's bottom line: Markdown statements citing articles as `[@id]`, printed first
    judgements: tuple[str, ...] = ()
    #: the spec line of each judgement, for locating problems in it
    judgement_lines: tuple[int, ...] = ()
    caveats: CaveatSpec = field(default_factory=CaveatSpec)
    verification: tuple[VerificationEntry, ...] = ()
    #: line of each top-level key, for locating later problems
    key_lines: dict = field(default_factory=dict)

    def location(self, key: str | None = None, line: int | None = None) -> Location:
        """Return the location of top-level `key` (or of `line`) in this spec."""
        if line is None:
            line = self.key_lines.get(key, 1) if key else 1
        return Location(self.path, line)


_TOP_KEYS = (
    "title", "subtitle", "audience", "author", "date", "classification", "language", "template",
    "formats", "output", "page_size", "articles", "judgements", "sections", "caveats", "verification",
)
_SECTION_KEYS = ("title", "from", "figures", "text", "template", "max_items", "max_words", "per_source", "subheadings")
_SELECT_KEYS = ("tags", "any_tags", "since", "until", "query", "publisher", "limit", "order")
_CAVEAT_KEYS = ("auto", "extra", "stale_after_days", "require_verified", "form")
_LEDGER_KEYS = ("status", "note", "grade")


class _Checker:
    """Converts YAML values to typed values, recording problems instead of raising."""

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report

    def loc(self, line: int) -> Location:
        return Location(self.path, line)

    def keys(self, mapping: YamlMap, allowed: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                msg = f"unknown key '{key}' in {what}" + (f"; {hint}" if hint else "")
                self.report.error(msg, "spec.unknown-key", self.loc(mapping.line_of(key)),
                                  hint=None if hint else "allowed keys: " + ", ".join(allowed))

    def string(self, value: object, line: int, name: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.report.error(f"'{name}' is required", "spec.missing", self.loc(line))
            return None
        if not isinstance(value, str):
            self.report.error(f"'{name}' must be text, not a {_kind(value)}", "spec.type", self.loc(line))
            return None
        return value

    def integer(self, value: object, line: int, name: str, *, minimum: int = 1) -> int | None:
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,9}", value):
            number = int(value)
            if number >= minimum:
                return number
        self.report.error(f"'{name}' must be a whole number of at least {minimum}, not '{_show(value)}'", "spec.type", self.loc(line))
        return None

    def boolean(self, value: object, line: int, name: str, default: bool) -> bool:
        if value is None:
            return default
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "on", "off"):
            return value.lower() in ("true", "yes", "on")
        self.report.error(f"'{name}' must be true or false, not '{_show(value)}'", "spec.type", self.loc(line))
        return default

    def date(self, value: object, line: int, name: str) -> _dt.date | None:
        if value is None:
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.report.error(f"'{name}' must be an ISO date such as 2025-07-20, not '{_show(value)}'", "spec.date", self.loc(line))
        return parsed

    def string_list(self, value: object, line: int, name: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, YamlList) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.report.error(f"'{name}' must be a list of text values", "spec.type", self.loc(line))
        return ()

    def choice(self, value: str | None, line: int, name: str, choices: tuple[str, ...]) -> str | None:
        if value is None or value in choices:
            return value
        hint = did_you_mean(value, choices)
        self.report.error(
            f"'{name}' must be one of {', '.join(choices)}, not '{value}'" + (f"; {hint}" if hint else ""),
            "spec.choice", self.loc(line),
        )
        return None


def parse_date(value: str) -> _dt.date | None:
    """Return the date of an ISO `YYYY-MM-DD` string, or None when it is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _kind(value: object) -> str:
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else "value"


def _show(value: object) -> str:
    if isinstance(value, str):
        return value if len(value) < 60 else value[:57] + "..."
    return _kind(value)


def parse_spec(data: object, path: str, stem: str, report: Report) -> BriefSpec | None:
    """Return the `BriefSpec` of loaded YAML `data`, recording every problem in `report`.

    Returns None when the document is not a mapping at all.
    """
    check = _Checker(path, report)
    if not isinstance(data, YamlMap):
        report.error("a brief spec must be a mapping of keys such as title, articles, sections",
                     "spec.shape", Location(path, getattr(data, "line", 1) or 1))
        return None
    check.keys(data, _TOP_KEYS, "the brief spec")
    line = data.line_of
    title = check.string(data.get("title"), line("title"), "title", required=True) or ""
    template = check.string(data.get("template"), line("template"), "template") or "executive"
    if not _ID.match(template):
        report.error(f"'template' must be a template folder name, not '{template}'", "spec.template", check.loc(line("template")))
        template = "executive"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    if "formats" in data:
        raw = check.string_list(data["formats"], line("formats"), "formats")
        formats = tuple(f for f in raw if check.choice(f, line("formats"), "formats", FORMATS))
        if not formats and raw:
            formats = DEFAULT_FORMATS
    page_size = check.choice(check.string(data.get("page_size"), line("page_size"), "page_size"),
                             line("page_size"), "page_size", PAGE_SIZES)
    spec = BriefSpec(
        path=path,
        stem=stem,
        title=title,
        subtitle=check.string(data.get("subtitle"), line("subtitle"), "subtitle"),
        audience=check.string(data.get("audience"), line("audience"), "audience"),
        author=check.string(data.get("author"), line("author"), "author"),
        date=check.date(data.get("date"), line("date"), "date"),
        classification=check.string(data.get("classification"), line("classification"), "classification"),
        language=_language(data.get("language"), line("language"), check),
        template=template,
        formats=tuple(dict.fromkeys(formats)),
        output=check.string(data.get("output"), line("output"), "output"),
        page_size=page_size,
        articles=_articles(data.get("articles"), line("articles"), check),
        sections=_sections(data.get("sections"), line("sections"), check),
        **_judgements(data.get("judgements"), line("judgements"), check),
        caveats=_caveats(data.get("caveats"), line("caveats"), check),
        verification=_ledger(data.get("verification"), line("verification"), check),
        key_lines=dict(data.key_lines),
    )
    if not spec.sections and "sections" in data:
        report.warning("the brief has no sections", "spec.empty", check.loc(line("sections")))
    return spec


def _language(value: object, line: int, check: _Checker) -> str:
    tag = check.string(value, line, "language")
    if tag is None:
        return "en"
    if not _LANGUAGE.match(tag):
        check.report.error(f"'language' must be a language tag such as en, en-GB or zh-Hans, not '{tag}'",
                           "spec.language", check.loc(line))
        return "en"
    return tag


def _articles(value: object, line: int, check: _Checker) -> tuple[ArticleRef, ...]:
    if value is None:
        check.report.error("'articles' is required: list the article ids or select: queries for the pool",
                           "spec.missing", check.loc(line))
        return ()
    if not isinstance(value, YamlList):
        check.report.error("'articles' must be a list of article ids or select: queries", "spec.type", check.loc(line))
        return ()
    refs = []
    for item, item_line in zip(value, value.item_lines):
        if isinstance(item, str):
            refs.append(ArticleRef(id=item, line=item_line))
        elif isinstance(item, YamlMap) and list(item) == ["select"] and isinstance(item["select"], YamlMap):
            refs.append(ArticleRef(select=_select(item["select"], check), line=item_line))
        elif isinstance(item, YamlMap):
            check.keys(item, ("select",), "an articles entry")
            if "select" in item and not isinstance(item["select"], YamlMap):
                check.report.error("'select' must be a mapping such as {tags: [baotou]}", "spec.type", check.loc(item_line))
        else:
            check.report.error("an articles entry must be an article id or a select: query", "spec.type", check.loc(item_line))
    return tuple(refs)


def _select(m: YamlMap, check: _Checker) -> SelectSpec:
    check.keys(m, _SELECT_KEYS, "select")
    line = m.line_of
    order = check.choice(check.string(m.get("order"), line("order"), "order"), line("order"), "order", ("newest", "oldest"))
    return SelectSpec(
        tags=check.string_list(m.get("tags"), line("tags"), "tags"),
        any_tags=check.string_list(m.get("any_tags"), line("any_tags"), "any_tags"),
        since=check.date(m.get("since"), line("since"), "since"),
        until=check.date(m.get("until"), line("until"), "until"),
        query=check.string(m.get("query"), line("query"), "query"),
        publisher=check.string(m.get("publisher"), line("publisher"), "publisher"),
        limit=check.integer(m.get("limit"), line("limit"), "limit"),
        order=order or "newest",
        line=m.line,
    )


def _sections(value: object, line: int, check: _Checker) -> tuple[SectionSpec, ...]:
    if value is None:
        check.report.error("'sections' is required: list the brief's sections", "spec.missing", check.loc(line))
        return ()
    if not isinstance(value, YamlList):
        check.report.error("'sections' must be a list", "spec.type", check.loc(line))
        return ()
    out = []
    for item, item_line in zip(value, value.item_lines):
        if not isinstance(item, YamlMap):
            check.report.error("a section must be a mapping with a title and one of from, figures, text, template",
                               "spec.type", check.loc(item_line))
            continue
        section = _section(item, check)
        if section:
            out.append(section)
    return tuple(out)


def _section(m: YamlMap, check: _Checker) -> SectionSpec | None:
    check.keys(m, _SECTION_KEYS, "a section")
    line = m.line_of
    title = check.string(m.get("title"), line("title"), "title", required=True)
    kinds = [k for k in ("from", "figures", "text", "template") if k in m]
    if len(kinds) != 1:
        what = "none" if not kinds else " and ".join(kinds)
        check.report.error(f"a section needs exactly one of from, figures, text, template (found {what})",
                           "spec.section-kind", check.loc(m.line))
    from_items: list[FromItem] = []
    if "from" in m:
        raw = m["from"]
        items = [(raw, line("from"))] if isinstance(raw, str) else (
            list(zip(raw, raw.item_lines)) if isinstance(raw, YamlList) else [])
        if not items:
            check.report.error("'from' must be a section slug or a list of article-id#slug items", "spec.type", check.loc(line("from")))
        for text, item_line in items:
            if not isinstance(text, str) or not text.strip():
                check.report.error("'from' items must be text such as highlights or article-id#slug", "spec.type", check.loc(item_line))
                continue
            article, sep, slug = text.strip().partition("#")
            if sep:
                from_items.append(FromItem(section=slug.strip(), article_id=article.strip(), line=item_line))
            else:
                from_items.append(FromItem(section=article, line=item_line))
    figures: str | tuple[str, ...] | None = None
    if "figures" in m:
        raw = m["figures"]
        if raw == "auto":
            figures = "auto"
        else:
            figures = check.string_list(raw, line("figures"), "figures") or None
            if figures is None:
                check.report.error("'figures' must be auto or a list of figure ids", "spec.type", check.loc(line("figures")))
    text = check.string(m.get("text"), line("text"), "text")
    template = check.string(m.get("template"), line("template"), "template")
    if template is not None and (template.startswith(("/", "\\")) or ".." in template.replace("\\", "/").split("/")):
        check.report.error(f"'template' must name a file inside the template folder, not '{template}'",
                           "spec.template", check.loc(line("template")))
        template = None
    if title is None:
        return None
    return SectionSpec(
        title=title,
        from_=tuple(from_items),
        figures=figures,
        text=text,
        # A block scalar (`text: |`) starts on the line after its key.
        text_line=line("text") + 1 if text is not None and "\n" in text else line("text"),
        template=template,
        max_items=check.integer(m.get("max_items"), line("max_items"), "max_items"),
        max_words=check.integer(m.get("max_words"), line("max_words"), "max_words"),
        per_source=check.integer(m.get("per_source"), line("per_source"), "per_source", minimum=0),
        subheadings=check.boolean(m.get("subheadings"), line("subheadings"), "subheadings", False),
        line=m.line,
    )


def _judgements(value: object, line: int, check: _Checker) -> dict:
    """Return the `judgements` and `judgement_lines` fields of the spec."""
    if value is None:
        return {}
    if isinstance(value, str):
        value, lines = [value], [line]
    elif isinstance(value, YamlList):
        lines = value.item_lines
    else:
        check.report.error("'judgements' must be a list of statements (Markdown, citing articles as [@id])",
                           "spec.type", check.loc(line))
        return {}
    texts, at = [], []
    for item, item_line in zip(value, lines):
        if not isinstance(item, str) or not item.strip():
            check.report.error("a judgement must be a statement (text), such as 'Approvals are fast [@zone].'",
                               "spec.type", check.loc(item_line))
            continue
        texts.append(item.strip())
        at.append(item_line)
    return {"judgements": tuple(texts), "judgement_lines": tuple(at)}


def _caveats(value: object, line: int, check: _Checker) -> CaveatSpec:
    if value is None:
        return CaveatSpec()
    if not isinstance(value, YamlMap):
        check.report.error("'caveats' must be a mapping such as {auto: true, extra: [...]}", "spec.type", check.loc(line))
        return CaveatSpec()
    check.keys(value, _CAVEAT_KEYS, "caveats")
    at = value.line_of
    return CaveatSpec(
        auto=check.boolean(value.get("auto"), at("auto"), "auto", True),
        extra=check.string_list(value.get("extra"), at("extra"), "extra"),
        stale_after_days=check.integer(value.get("stale_after_days"), at("stale_after_days"), "stale_after_days"),
        require_verified=check.boolean(value.get("require_verified"), at("require_verified"), "require_verified", False),
        form=check.choice(check.string(value.get("form"), at("form"), "form"), at("form"), "form",
                          ("table", "list")),
    )


def _ledger(value: object, line: int, check: _Checker) -> tuple[VerificationEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, YamlMap):
        check.report.error("'verification' must map figure ids to {status: verified|disputed, note: ...}", "spec.type", check.loc(line))
        return ()
    out = []
    for fid, entry in value.items():
        at = value.line_of(fid)
        if isinstance(entry, str):
            entry_map = YamlMap({"status": entry})
            entry_map.line, entry_map.key_lines = at, {"status": at}
            entry = entry_map
        if not isinstance(entry, YamlMap):
            check.report.error(f"ledger entry '{fid}' must be a mapping with a status", "spec.type", check.loc(at))
            continue
        check.keys(entry, _LEDGER_KEYS, f"ledger entry '{fid}'")
        status = check.choice(check.string(entry.get("status"), entry.line_of("status"), "status", required=True),
                              entry.line_of("status"), "status", STATUSES)
        if status:
            out.append(VerificationEntry(
                figure_id=fid, status=status,
                note=check.string(entry.get("note"), entry.line_of("note"), "note"),
                grade=check.string(entry.get("grade"), entry.line_of("grade"), "grade"),
                line=at,
            ))
    return tuple(out)
