"""What a saved web page states about itself: publication date, title, authors, publisher.

trafilatura finds the article body and a first reading of the metadata; htmldate finds
dates in markup. This module weighs what they and the page's own structured data say,
by stated rules (see `publication_date`), and reports where each field came from and
where the signals disagree. Nothing is guessed from the prose: a field the page does not
state clearly is left out.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as _lxml_html

#: no news page is older than the web as most people met it
EARLIEST = _dt.date(1995, 1, 1)

# --------------------------------------------------------------------------- page facts

# Meta names and properties that state when the page was first published (lower case).
_PUBLISHED_META = {
    "article:published_time", "og:published_time", "og:article:published_time", "article:published",
    "article.published", "datepublished", "date_published", "publishdate", "publish-date", "publish_date",
    "published_time", "published-date", "published_date", "pubdate", "pub_date", "publication_date",
    "original-publish-date", "originalpublicationdate", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "citation_publication_date", "citation_date",
    "rnews:datepublished", "article:post_date", "release_date", "date.release", "cxenseparse:recs:publishtime",
    "bt:pubdate", "dc.date", "dcterms.date", "date",
}
# ... and when it was changed: never the publication date.
_MODIFIED_META = {
    "article:modified_time", "og:updated_time", "article:modified", "datemodified", "date_modified",
    "last-modified", "lastmod", "dcterms.modified", "dc.date.modified", "modified_time", "updated_time",
    "parsely-updated", "sailthru.lastmodified",
}
_ARTICLE_TYPES = re.compile(r"article|posting|report|blog|newsarticle|creativework|webpage|review", re.IGNORECASE)
_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/_-]?(?P<m>0[1-9]|1[0-2])[/_-]?(?P<d>0[1-9]|[12]\d|3[01])(?=[/_.-]|\Z)"
    r"|/(?P<y2>(?:19|20)\d\d)/(?P<m2>[1-9]|0[1-9]|1[0-2])/(?P<d2>[1-9]|0[1-9]|[12]\d|3[01])/"
    # a slug that ends in the compact date: /world/megablaze-brought-under-control-20200113
    r"|(?<=[a-z]-)(?P<y3>(?:19|20)\d\d)(?P<m3>0[1-9]|1[0-2])(?P<d3>0[1-9]|[12]\d|3[01])(?=\.html?\Z|/?\Z)"
)


@dataclass(frozen=True, slots=True)
class Stated:
    """A date the page states in its markup, where, and whether it is an instant in UTC.

    A UTC timestamp ("2020-05-02T02:54Z") names an instant, not the newsroom's calendar day,
    which may be the day before or after; a date alone or with its own offset names that day.
    """

    day: _dt.date
    where: str
    utc: bool = False
    #: for a UTC instant, its time of day in minutes after midnight UTC
    minutes: int | None = None
    #: whether the value says outright that it is UTC ("Z", "+00:00", "UTC", "GMT"), not just a time without a zone
    zoned_utc: bool = False

    def could_be_local(self, day: _dt.date) -> bool:
        """Whether `day` is this date read in some inhabited time zone (UTC-10 to UTC+14):
        for a UTC instant the day before (early in the UTC day) or after (late in it)."""
        if day == self.day:
            return True
        if not self.utc or self.minutes is None:
            return abs((day - self.day).days) <= 1
        if day == self.day - _dt.timedelta(days=1):
            return self.minutes < 10 * 60
        return day == self.day + _dt.timedelta(days=1) and self.minutes >= 10 * 60


@dataclass(slots=True)
class PageFacts:
    """What a page's head and structured data say about it, each value with where it was found."""

    #: stated as the publication date: meta tags (in page order), the main JSON-LD item, the first itemprop
    published: list[Stated] = field(default_factory=list)
    #: stated as the date of the last change
    modified: list[Stated] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    #: the country (ISO 3166 code, lower case) of the page's stated locale ("en_US", lang="fr-CA"), if any
    country: str | None = None


def parse_tree(html: str):
    """Return the lxml tree of `html`, or None when lxml cannot read it."""
    try:
        return _lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"),
                                              parser=_lxml_html.HTMLParser(encoding="utf-8", remove_comments=True))
    except Exception:  # lxml raises ParserError on an empty document, ValueError on some bytes
        return None


def page_facts(tree) -> PageFacts:
    """Return what the head, JSON-LD and microdata of the page `tree` state about it."""
    facts = PageFacts()
    if tree is None:
        return facts
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if not key or not value:
            continue
        if key in _PUBLISHED_META:
            _add_date(facts.published, value, f"meta {key}")
        elif key in _MODIFIED_META:
            _add_date(facts.modified, value, f"meta {key}")
        elif key in ("publisher", "dc.publisher", "citation_publisher"):
            facts.publishers.append(value)
        elif key in ("og:site_name", "application-name", "twitter:site"):
            facts.site_names.append(value.lstrip("@"))
        elif key in ("author", "article:author", "dc.creator", "byl", "citation_author", "parsely-author", "sailthru.author"):
            facts.authors.append(value)
        elif key in ("og:url",):
            facts.urls.append(value)
        elif key in ("og:title", "twitter:title", "headline"):
            facts.titles.append(value)
    locales = [meta.get("content") or "" for meta in tree.iter("meta")
               if (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").strip().lower()
               in ("og:locale", "content-language", "dc.language", "language")] + [tree.get("lang") or ""]
    for locale in locales:
        region = re.fullmatch(r"\s*([A-Za-z]{2,3})[-_]([A-Za-z]{2})\s*", locale)
        # "ar_AR" is Facebook's locale for Arabic in general, not Argentina
        if region and (region.group(1).lower(), region.group(2).lower()) != ("ar", "ar"):
            facts.country = region.group(2).lower()
            break
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            facts.urls.insert(0, link.get("href").strip())
    # Microdata: the first datePublished is the page's own (later ones are comments, replies, related items).
    for prop, into in (("datePublished", facts.published), ("dateModified", facts.modified)):
        for node in tree.xpath(f'//*[@itemprop="{prop}"]'):
            if node.tag != "meta" and _add_date(into, node.get("datetime") or node.get("content") or node.text_content(),
                                                f"itemprop {prop}"):
                break
    # JSON-LD: the article the page is about, which names the page's URL, else the first article item;
    # other items (related stories, lists, replies) carry their own dates.
    canonical = {_url_key(u) for u in facts.urls}
    articles = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for item in _json_ld_items(script.text or ""):
            kind = item.get("@type")
            kind = " ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")
            if _ARTICLE_TYPES.search(kind):
                articles.append((kind, item))
    dated = [a for a in articles if isinstance(a[1].get("datePublished"), str)]
    main = [a for a in articles if canonical & {_url_key(_id_of(a[1].get(k))) for k in ("url", "@id", "mainEntityOfPage")}]
    # The item about this page; else the first dated one that is an article rather than a whole web page.
    dated.sort(key=lambda a: bool(re.fullmatch(r"(?i)webpage|website|collectionpage", a[0])))  # stable
    for kind, item in ([a for a in main if a in dated] or dated)[:1]:
        _add_date(facts.published, item["datePublished"], f"JSON-LD {kind} datePublished")
        if isinstance(item.get("dateModified"), str):
            _add_date(facts.modified, item["dateModified"], f"JSON-LD {kind} dateModified")
    # Author, publisher and headline: from the first item that has each, the page's own item first.
    whole_page = re.compile(r"(?i)webpage|website|collectionpage")
    ordered = [a[1] for a in sorted(main + dated + articles, key=lambda a: bool(whole_page.fullmatch(a[0])))]
    for key, into in (("author", facts.authors), ("publisher", facts.publishers)):
        for item in ordered:
            names = [who.get("name") if isinstance(who, dict) else who for who in _as_list(item.get(key))]
            names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
            if names:
                into.extend(names)
                break
    # Text that says when the page was last changed ("This page was last modified on 4 November 2020").
    for match in _UPDATE_PHRASE.finditer(" ".join(tree.xpath("string(//body)").split())[:200_000]):
        for end in (40, 30, 20, 12):  # the date runs up to a comma, full stop or the next words
            found = parse_date_value(match.group("rest")[:end].strip(" .,;:"), machine=False)
            if found is not None:
                facts.modified.append(Stated(found, f"the page text '{_clip(match.group(0))}'"))
                break
    headline = next((i["headline"] for i in ordered if isinstance(i.get("headline"), str) and i["headline"].strip()), None)
    if headline:
        facts.titles.append(headline.strip())
    return facts


#: a phrase in the page's text that dates its last change, followed by the date: the explicit "last modified"
#: footers CMSs and wikis write, not a bare "Updated:" (often a small site's only date, and common in prose)
_UPDATE_PHRASE = re.compile(
    r"\b(?:last\s+(?:modified|updated|edited|changed|revised)|(?:page|article|post|story)\s+(?:was\s+)?(?:last\s+)?"
    r"(?:modified|updated|edited)|zuletzt\s+(?:geändert|aktualisiert|bearbeitet)"
    r"|dernière\s+mise\s+à\s+jour|última\s+(?:actualización|modificación))"
    r"(?:\s+(?:on|am|le|el|at))?\s*:?\s*(?P<rest>[^\n]{0,40})", re.IGNORECASE)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else ""


def _url_key(url: str) -> str:
    """Return `url` without scheme, "www.", query and trailing slash, for comparing page addresses."""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")) if parts.netloc else ""


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _json_ld_items(text: str) -> list[dict]:
    """Return every mapping in a JSON-LD script (top level and @graph), [] when it is not JSON."""
    try:
        data = json.loads(text)
    except ValueError:
        try:  # pages often leave control characters or a trailing semicolon in their JSON-LD
            data = json.loads(re.sub(r"[\x00-\x1f]+", " ", text).strip().rstrip(";"))
        except ValueError:
            return []
    items: list[dict] = []
    stack = data if isinstance(data, list) else [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            items.append(item)
            stack.extend(_as_list(item.get("@graph")))
            main = item.get("mainEntity")
            if isinstance(main, dict):
                stack.append(main)
        elif isinstance(item, list):
            stack.extend(item)
    return items


_UTC = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)?\s*\Z",
                  re.IGNORECASE)


def _add_date(into: list, value: str | None, where: str) -> bool:
    value = (value or "").strip()
    found = parse_date_value(value)
    if found is None:
        return False
    # A time with "Z", "+00:00" or no zone at all is read as an instant: its local day is not known.
    utc = bool(_UTC.match(value))
    clock = re.match(r"\d{4}-\d{1,2}-\d{1,2}[T ](\d{1,2}):(\d{1,2})", value) if utc else None
    into.append(Stated(found, where, utc=utc, minutes=int(clock.group(1)) * 60 + int(clock.group(2)) if clock else None,
                       zoned_utc=utc and bool(re.search(r"(?:Z|[+-]00:?00|UTC|GMT)\s*\Z", value, re.IGNORECASE))))
    return True


def parse_date_value(value: str, *, machine: bool = True) -> _dt.date | None:
    """Return the calendar date a date value states (ISO 8601 and the usual meta-tag forms,
    with htmldate's patterns), as written; None when it states none. A `machine` value (one a
    tag states is a date) may also be in any form and language dateparser reads."""
    value = value.strip()
    match = _ISO.match(value)
    if match:
        try:
            return _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    if re.fullmatch(r"\d{8}(?:\d{4,6})?", value):  # 20200607 or 202006071230
        try:
            return _dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            return None
    if len(value) > 120 or not re.search(r"\d", value):
        return None
    from htmldate.extractors import try_date_expr

    found = try_date_expr(value, "%Y-%m-%d", True, _dt.datetime(1995, 1, 1), _dt.datetime(2100, 1, 1))
    if found:
        return _dt.date.fromisoformat(found)
    if not machine:
        return None
    import dateparser  # a value a tag states as a date ("04:25:06 PM IST Apr 08, 2020"), in any language

    try:
        parsed = dateparser.parse(value, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                                   "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser on a value it cannot read: no date
        return None
    return parsed.date() if parsed else None


# A line that gives the date of a change, not of publication, in the languages news pages most use.
_UPDATE_WORDS = re.compile(
    r"updated|modified|last changed|aktualisiert|geändert|actualizado|actualizada|mis à jour|modifié|atualizad|"
    r"aggiornat|bijgewerkt|zaktualizowano|обновлено|更新|수정",
    re.IGNORECASE,
)


_DATELINE_PARTS = re.compile(r"\s+[|·•—–-]\s+|\s*\|\s*")


def text_dateline(lines: list[str]) -> tuple[_dt.date, str] | None:
    """Return the date and line of a dateline among the first four lines of the article text:
    a line of at most sixteen words, not a sentence (no final full stop), that does not say it
    is an update, with a part of at most six words (between `|`, `·`, `—` or ` - `) that is
    a full date. "14 March 2024 | Local news" is a dateline; "From 1 January 2024 fares rise
    by a fifth" is not."""
    for line in [ln for ln in lines if ln.strip()][:4]:
        text = " ".join(re.sub(r"\\(.)", r"\1", line).replace("*", " ").replace("#", " ").split())
        if not text or len(text.split()) > 16 or text.endswith((".", "!", "?", "。")) \
                or not re.search(r"\d", text) or _UPDATE_WORDS.search(text):
            continue
        for part in _DATELINE_PARTS.split(text):
            if part and len(part.split()) <= 6 and re.search(r"\d", part):
                found = parse_date_value(part.strip(" ()[]:,"), machine=False)
                # a full date names its day: "02/2022" (an issue number) is read as 1 February but says no day
                if found is not None and re.search(rf"(?<!\d)0?{found.day}(?!\d)", part):
                    return found, text
    return None


def url_date(url: str | None) -> _dt.date | None:
    """Return the full date an article URL's path carries (/2024/07/02/, /20240702/), or None."""
    if not url:
        return None
    inner = url.rfind("http", 1)  # an archived copy: the archive's own timestamp is not the article's
    if inner > 0 and url[inner:].startswith(("http://", "https://", "http:/", "https:/")):
        url = url[inner:]
    path = urlsplit(url).path
    match = _URL_DATE.search(path)
    if not match:
        return None
    y, m, d = next((match.group(f"y{k}"), match.group(f"m{k}"), match.group(f"d{k}")) for k in ("", "2", "3")
                   if match.group(f"y{k}"))
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


# --------------------------------------------------------------------------- publication date


def local_day(item: Stated, country: str | None) -> Stated:
    """Return `item` read as the calendar day of the page's country when it is a UTC instant
    and every time zone of that country (pytz's `country_timezones`) puts it on the same day;
    else `item` unchanged. 02:54 UTC on 2 May is 1 May in every zone of the United States."""
    if not item.utc or item.minutes is None or not country:
        return item
    import pytz

    try:
        zones = pytz.country_timezones(country)
    except KeyError:
        return item
    instant = _dt.datetime.combine(item.day, _dt.time(item.minutes // 60, item.minutes % 60), tzinfo=_dt.timezone.utc)
    days = {instant.astimezone(pytz.timezone(zone)).date() for zone in zones}
    if len(days) != 1:
        return item
    return Stated(days.pop(), f"{item.where}, read in the time of the page's country ({country.upper()})")



@dataclass(frozen=True, slots=True)
class DateChoice:
    """The publication date chosen for a page (None when refused), where it came from and how sure."""

    value: _dt.date | None
    #: "stated" when the page states it as its publication date (structured data or URL),
    #: "inferred" when it comes from markup heuristics
    provenance: str | None
    source: str
    conflicts: tuple[str, ...] = ()


def publication_date(facts: PageFacts, url: str | None, html: str, *, latest: _dt.date,
                     dateline: _dt.date | None = None, byline: _dt.date | None = None) -> DateChoice:
    """Return the page's publication date by this rule, first that applies:

    1. Dates the page states as its publication date in structured data (meta tags such as
       `article:published_time`, the main JSON-LD item's `datePublished`, the first
       `itemprop=datePublished`). When every one of them is a time in UTC, each is read as the
       calendar day of the page's country (its stated locale) if all that country's time zones
       agree on it (`local_day`). If they are within a day of each other, the day is the
       URL's date when it is one of them or a UTC time could be it in an inhabited time zone
       (the newsroom's own calendar), else the byline's date on the same terms, else one stated
       without a UTC time, else htmldate's reading of the markup when it is one of them,
       else the first (a UTC day is right far more often than not). If they are
       further apart, the one the URL, a dateline or htmldate confirms wins, else none.
    2. A full date in the article's URL path (an archive's own timestamp is skipped).
    3. The publication date of the byline lines at the top of the article text (read whole by
       `byline.read_byline`; an "Updated" date there is a last change, never taken).
    4. htmldate on the markup alone (`extensive_search=False`: `<time>` elements, date
       classes and attributes), unless it is a date the page states as its last change.
    5. A dateline in the first lines of the extracted text.
    6. htmldate's extensive search of the whole page text, when its earliest and latest
       readings are the same day and that day is not a 1 January (htmldate's stand-in for
       a copyright or other year-only date) nor a date stated as the last change.

    Structured data and the URL more than a day apart are a conflict: no date is taken.
    Dates after `latest` (the file's own date) or before 1995 are never taken; a date
    stated as the page's last change is never taken as its publication date.
    """
    def valid(day: _dt.date | None) -> bool:
        return day is not None and EARLIEST <= day <= latest

    conflicts: list[str] = []
    for item in facts.published:
        if not valid(item.day):
            why = "after the file date" if item.day > latest else "before 1995"
            conflicts.append(f"{item.where} {item.day.isoformat()} ignored: {why}")
    stated = [item for item in facts.published if valid(item.day)]
    if stated and all(item.zoned_utc for item in stated):  # nothing states the local day: the country may
        stated = [local_day(item, facts.country) for item in stated]
        stated = [item for item in stated if valid(item.day)]
    in_url = url_date(url)
    in_url = in_url if valid(in_url) else None
    dateline = dateline if valid(dateline) else None
    byline = byline if valid(byline) else None
    dateline = dateline or byline  # the byline's date confirms or contradicts as a dateline does
    if stated:
        days = sorted({item.day for item in stated})
        listed = ", ".join(f"{item.where} {item.day.isoformat()}" for item in stated)
        if (days[-1] - days[0]).days <= 1:
            local = [item for item in stated if not item.utc]
            if in_url in days or (in_url is not None and len(days) == 1 and all(i.could_be_local(in_url) for i in stated)):
                return DateChoice(in_url, "stated", f"the URL, which the page's structured data confirms ({listed})")
            if byline is not None and in_url is None and all(i.could_be_local(byline) for i in stated):
                return DateChoice(byline, "stated", f"the byline, which the page's structured data confirms ({listed})")
            if local:
                choice = local[0]
            elif (marked := _htmldate(html, url, latest)) in days or (
                    marked is not None and len(days) == 1 and all(i.could_be_local(marked) for i in stated)
                    and marked not in {m.day for m in facts.modified}):
                return DateChoice(marked, "stated", f"the page's markup (htmldate), which its structured data confirms ({listed})")
            else:
                choice = stated[0]
            if len(days) > 1:
                conflicts.append(f"the page states {listed}; took {choice.day.isoformat()}, stated without a UTC time")
        else:
            confirmed = [item for item in stated if item.day in {in_url, dateline}] or \
                [item for item in stated if item.day == _htmldate(html, url, latest)]
            if not confirmed:
                return DateChoice(None, None, "", tuple(conflicts) + (f"the page states different publication dates ({listed}); none taken",))
            choice = confirmed[0]
            conflicts.append(f"the page states different publication dates ({listed}); took {choice.day.isoformat()}, "
                             "which its URL, dateline or markup confirms")
        if in_url is not None and abs((in_url - choice.day).days) > 1:
            return DateChoice(None, None, "", tuple(conflicts) + (
                f"{choice.where} says {choice.day.isoformat()} but the URL says {in_url.isoformat()}; none taken",))
        return DateChoice(choice.day, "stated", f"the page's structured data ({choice.where})", tuple(conflicts))
    if in_url is not None:
        if dateline is not None and abs((dateline - in_url).days) > 1:
            return DateChoice(None, None, "", tuple(conflicts) + (
                f"the URL says {in_url.isoformat()} but the dateline says {dateline.isoformat()}; none taken",))
        return DateChoice(in_url, "stated", "the URL", tuple(conflicts))
    if byline is not None:
        return DateChoice(byline, "stated", "the byline", tuple(conflicts))
    found = _htmldate(html, url, latest)
    if found is not None and found not in {m.day for m in facts.modified}:
        if dateline is not None and dateline != found:
            return DateChoice(None, None, "", tuple(conflicts) + (
                f"the page's markup suggests {found.isoformat()} but the dateline says {dateline.isoformat()}; none taken",))
        return DateChoice(found, "inferred", "the page's markup (htmldate)", tuple(conflicts))
    if dateline is not None:
        return DateChoice(dateline, "stated", "the dateline", tuple(conflicts))
    found = _htmldate(html, url, latest, extensive=True)
    if found is not None and found.timetuple().tm_yday != 1 and found not in {m.day for m in facts.modified} \
            and found == _htmldate(html, url, latest, extensive=True, original=False):
        return DateChoice(found, "inferred", "a date in the page's text (htmldate's extensive search, "
                                             "the earliest and the latest reading agree)", tuple(conflicts))
    return DateChoice(None, None, "", tuple(conflicts))


def _htmldate(html: str, url: str | None, latest: _dt.date, *, extensive: bool = False,
              original: bool = True) -> _dt.date | None:
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=extensive, original_date=original, url=url, outputformat="%Y-%m-%d",
                          min_date=_dt.datetime.combine(EARLIEST, _dt.time()),
                          max_date=_dt.datetime.combine(latest, _dt.time()))
    except Exception:  # htmldate on a page it cannot parse: no date, never a crash
        return None
    return _dt.date.fromisoformat(found) if found else None


# --------------------------------------------------------------------------- title

# What sits between a headline and a site name in <title>: " | ", " – ", " — ", " - ", " · ", " :: ", " » ", ": ".
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—·•»:~/]|-{1,2}|::)\s+|(?<=\w):\s+")


def page_title(tree, facts: PageFacts) -> str | None:
    """Return the headline as the page states it: og:title or the JSON-LD headline, else the only
    `<h1>`, else the whole `<title>` (a site name is taken off later, only when it names the site)."""
    import html as _html

    for title in facts.titles:
        if title.strip():  # some pages escape the markup twice ("&#039;")
            return " ".join((_html.unescape(title) if re.search(r"&#?\w+;", title) else title).split())
    if tree is None:
        return None
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    if len(h1) == 1 and h1[0]:
        return h1[0]
    element = tree.find(".//title")
    text = " ".join(element.text_content().split()) if element is not None else ""
    return text or None


def _key(text: str) -> str:
    """Return `text` reduced to lower-case letters and digits, for comparing names."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def site_keys(names: list[str], url: str | None) -> set[str]:
    """Return the comparable forms of the site's names: its stated names (whole, and each part of
    a "Site | Tagline" name, up to six words) and its domain."""
    pieces = [p for n in names for p in [n, *_TITLE_SEPARATORS.split(" ".join(n.split()))] if len(p.split()) <= 6]
    keys = {_key(p) for p in pieces if _key(p)}
    keys |= {k[3:] for k in keys if k.startswith("the") and len(k) > 6}
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "m", "amp", "edition", "mobile")]
        if labels:
            keys.add(_key(".".join(labels)))  # "nytimes.com"
            if len(labels) >= 2:
                keys.add(_key(labels[-2] if len(labels[-1]) <= 3 and len(labels) == 2 else labels[0]))
                keys.add(_key(labels[-2]))
    return {k for k in keys if len(k) >= 2}


def names_site(part: str, keys: set[str]) -> bool:
    """Return whether title `part` is the site's name (or its domain), not words of a headline."""
    key = _key(part)
    if not key or len(part.split()) > 8:
        return False
    return key in keys or any(len(k) >= 4 and (key == k + "com" or key.startswith(k) and key[len(k):] in ("com", "net", "org", "news")) for k in keys)


def strip_site(title: str, keys: set[str], names: tuple[str, ...] = ()) -> tuple[str, str | None]:
    """Return `title` without a site name before or after it ("Headline | Site", "Site: Headline"),
    and the part removed (None when the title does not name the site at either end).

    `keys` are the site's names as `site_keys` gives them; `names` its stated names as written,
    which are removed whole even when they hold a separator themselves ("Site | Tagline").
    """
    title = " ".join(title.split())
    for name in sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=lambda n: (-len(n), n)):
        if len(name) >= len(title):
            continue
        match = re.fullmatch(re.escape(name) + r"\s*(?:[|–—·•»:~/]|-{1,2}|::)\s+(?P<rest>.+)", title, re.IGNORECASE) \
            or re.fullmatch(r"(?P<rest>.+?)\s+(?:[|–—·•»:~/]|-{1,2}|::)\s*" + re.escape(name), title, re.IGNORECASE)
        if match and any(ch.isalnum() for ch in match.group("rest")):
            return match.group("rest").strip(), name
    parts = [p for p in _TITLE_SEPARATORS.split(title)]
    seps = _TITLE_SEPARATORS.findall(title)
    if len(parts) < 2:
        return title, None
    for _ in range(2):  # "Headline | Section | Site": the site goes, then nothing else is known to
        if len(parts) >= 2 and names_site(parts[-1], keys):
            removed = parts.pop()
            sep = seps.pop()
            rest = "".join(p + s for p, s in zip(parts, seps + [""]))
            if rest.strip():
                return rest.strip(), removed
            parts.append(removed)
            seps.append(sep)
        if len(parts) >= 2 and names_site(parts[0], keys):
            removed = parts.pop(0)
            seps.pop(0)
            rest = "".join(p + s for p, s in zip(parts, seps + [""]))
            if rest.strip():
                return rest.strip(), removed
        break
    return title, None


# --------------------------------------------------------------------------- authors

_AGENCIES = {
    "reuters", "ap", "associatedpress", "theassociatedpress", "afp", "agencefrancepresse", "agencefrancepresseafp",
    "bloomberg", "bloombergnews", "dpa", "pa", "pamedia", "presseassociation", "xinhua", "xinhuanewsagency", "efe",
    "agenciaefe", "ansa", "kyodo", "kyodonews", "yonhap", "tass", "ria", "upi", "ians", "pti", "ani", "aap", "cp",
    "thecanadianpress", "canadianpress", "staff", "staffs", "staffreport", "staffreporter", "staffwriter",
    "staffwriters", "newsdesk", "webdesk", "editorialboard", "theeditorialboard", "editors", "theeditors",
    "editorialstaff", "newsroom", "admin", "administrator", "guest", "anonymous", "unknown", "wires", "wire",
    "agencies", "newsagencies", "wireservices", "wirereports",
}
# Agency names as words inside a byline ("Jill Lawless Associated Press", "Redazione ANSA").
_AGENCY_WORDS = re.compile(
    r"\b(?:Reuters|Associated Press|AFP|Agence France-Presse|EFE|ANSA|DPA|dpa|Xinhua|PTI|IANS|TASS|ТАСС|AP|UPI|"
    r"Kyodo|Yonhap|Anadolu|Bloomberg|Ritzau|BNS|ACN|Interfax|RIA Novosti|Europa Press|Agencia|Agenzia|Agentur)\b"
)
_JOB_WORDS = re.compile(
    r"\b(?:correspondent|editor|editors|editorial|reporter|reporters|writer|writers|columnist|contributor|contributing|"
    r"journalist|staff|desk|bureau|chief|senior|deputy|managing|executive|producer|analyst|photographer|"
    r"photos?|video|graphics|news|team|director|head|professor|dr\.?|ph\.?d|fellow|intern|freelance|"
    r"special|for|in|at|of|the|from|via|with|updated|published|posted|min|read|minutes?|"
    r"developed|designed|created|powered|logo|png|jpe?g|icon|image|redaktion|redacción|redaccion|redazione|rédaction)\b",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|/|\s[-–—]\s|\s&\s|(?i:\band\b)|\sund\s|\set\s|\sy\s|\se\s|、|，|(?<=[a-z]{2})\.\s+(?=[A-Z]))\s*")
_BY = re.compile(r"^\s*(?:(?:written|posted|reported|words)\s+)?(?:by|von|par|por|di|door|av|af)\s*[:\s]\s*", re.IGNORECASE)
_MONTH_TAIL = re.compile(r"\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\Z")


def author_names(raw: list[str], publisher_keys: set[str]) -> tuple[list[str], list[str]]:
    """Return the people named in author fields `raw` (lists split, job titles, agencies and the
    publisher dropped, links dropped, each name once) and the pieces dropped, for the report."""
    import html as _html

    names: list[str] = []
    dropped: list[str] = []
    for value in raw:
        value = " ".join(_html.unescape(value).split())
        if re.match(r"(?:https?:|www\.)", value, re.IGNORECASE):  # a profile link is no name
            dropped.append(value)
            continue
        for part in _AUTHOR_SPLIT.split(value):
            part = _BY.sub("", part or "").strip(" .:-–—()[]\"'")
            part = _MONTH_TAIL.sub("", part) if len(part.split()) >= 3 else part
            stripped = _AGENCY_WORDS.sub("", part).strip(" .,:-–—()")
            if stripped != part and _looks_like_name(stripped) and len(stripped.split()) >= 2:
                dropped.append(part[len(stripped):].strip() or part)
                part = stripped  # "Jill Lawless Associated Press" -> "Jill Lawless"
            if not part:
                continue
            if _is_organisation(part, publisher_keys) or not _looks_like_name(part):
                dropped.append(part)
                continue
            if part.isupper() and any(ch.isalpha() for ch in part):  # "TOM KRISHER": capitals are styling
                part = " ".join(w[:1] + w[1:].lower() for w in part.split())
            if all(_key(n) != _key(part) for n in names):
                names.append(part)
    # "Troy Smith" beside "Troy L. Smith": the same person, named once, in full.
    names = [n for n in names if not any(m != n and set(n.split()) < set(m.split()) for m in names)]
    return names, [d for d in dict.fromkeys(dropped) if all(_key(n) != _key(d) for n in names)]


def _is_organisation(part: str, publisher_keys: set[str]) -> bool:
    """Return whether a byline piece names an agency or the publisher rather than a person."""
    key = _key(part)
    if key in _AGENCIES or key in publisher_keys or names_site(part, publisher_keys) or _AGENCY_WORDS.search(part):
        return True
    words = [_key(w) for w in part.split()]
    if words and (words[0] in publisher_keys or words[-1] in publisher_keys) and len(words) <= 3:
        return True  # "CNN Business", "Redacción La Razón"
    return any(len(k) >= 5 and k in key for k in publisher_keys)


def _looks_like_name(part: str) -> bool:
    """Return whether `part` reads as a person's name: one to five words, no digits, URL, e-mail,
    domain or job-title words; in scripts with letter case, every main word capitalised."""
    words = part.split()
    if not 1 <= len(words) <= 5 or re.search(r"\d|@|https?:|www\.|\w\.[a-z]{2,4}\b", part) or _JOB_WORDS.search(part):
        return False
    cased = [w for w in words if w[:1].isalpha() and w[:1].lower() != w[:1].upper()]
    if cased and len(words) == 1:
        return False  # one Latin, Cyrillic or Greek word ("admin", "Editor", "Smith") is no one's full name
    small = {"de", "da", "van", "von", "der", "den", "la", "le", "del", "di", "bin", "al", "el", "ibn", "du", "dos", "das", "y"}
    return all(w[:1].isupper() or w.lower() in small or w.lower().startswith(("al-", "el-", "d'", "o'"))
               for w in cased)


_BYLINE = re.compile(r"(?:written\s+|words\s+|reported\s+)?(?:by|von|par|por|door)\s+(?P<names>\S.{1,100})", re.IGNORECASE)


def byline_names(line: str) -> str | None:
    """Return the names part of a byline ("By Jane Doe | 14 May 2025" -> "Jane Doe"), or None
    when `line` is not one: it must open with "By" and its first part (up to `|`, `·` or a
    dash) must be at most ten words, not starting with a small letter."""
    text = " ".join(line.replace("*", " ").replace("_", " ").split())
    match = _BYLINE.fullmatch(text)
    if match is None:
        return None
    first = re.split(r"\s+[|·•—–-]\s+|\s*\|\s*", match.group("names"))[0].strip()
    if not 0 < len(first.split()) <= 10 or first[0].islower():  # "By the end of the spring ..."
        return None
    return first


def join_names(names: list[str]) -> str:
    """Return names as a reader writes them: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --------------------------------------------------------------------------- headings


def is_sentence_like(text: str) -> bool:
    """Return whether a heading is really a sentence (a standfirst or a caption): it ends in a
    full stop, or runs past twelve words or a hundred characters."""
    text = text.strip()
    words = text.split()
    if text.endswith((".", "!", "。", "！")) and not text.endswith("...") and len(words) >= 5:
        return True
    return len(words) > 16 or len(text) > 120


# --------------------------------------------------------------------------- tables


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [" ".join(c.split()) for c in re.split(r"(?<!\\)\|", body)]


def table_rows(lines: list[str]) -> list[list[str]]:
    """Return the cells of trafilatura's pipe-table `lines`, without delimiter rows and empty rows."""
    rows = [_cells(line) for line in lines if not re.fullmatch(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*", line)]
    return [r for r in rows if any(c.strip() for c in r)]


def is_data_table(rows: list[list[str]]) -> bool:
    """Return whether `rows` are a table of data rather than a page laid out with a table: at
    least two rows and two columns, at most a third of the cells empty, no cell a long text."""
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return False
    cells = [c for r in rows for c in r]
    empty = sum(1 for c in cells if not c.strip() or c.strip() == "\\|")
    return empty * 3 <= len(cells) and all(len(c) <= 200 for c in cells)


def normalise_table(lines: list[str]) -> str | None:
    """Return the pipe-table `lines` trafilatura wrote as a GitHub-flavoured Markdown table the
    corpus parser reads (a header row, a delimiter row, every row as wide as the widest), or None
    when it has no cell with text."""
    rows = table_rows(lines)
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)
