"""Bylines and datelines: "By Jane Doe | 14 May 2025", "Posted on July 2, 2024 by X", "Updated: …".

`read_byline` takes candidate lines (the first lines under a title, or a page's byline
text) and returns who wrote the article, when it was published and updated, which
publisher the line names, and which lines it consumed. A line counts as a byline or
dateline only when every piece of it is understood — a date, a time, a "By …" name list,
a "Published/Updated/Posted" label, a reading time, a job title or agency beside the
names, or one short publisher name beside a date or author. Anything else in the line
(a sentence, "By 2030, output will…") and the line is left alone, so prose is never eaten.

Pieces are split on `|`, `·`, `•`, dashes and commas. Authors are names only: job
titles ("Senior Reporter"), agencies ("Reuters", "AP"), "Staff" and the publisher are
dropped (and said so in `Byline.notes`). Dates come from `dates.scan_dates`, so the
ambiguity rule for all-numeric dates is the same everywhere.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from .boilerplate import boilerplate_family
from .dates import TIME, scan_dates

#: a label before a date says which date it is
_LABEL_WORDS = (r"(?:originally |first )?(?:published|posted|released|issued|date(?:d)?|written|filed|air date)(?: on| at)?"
                r"|(?:last )?(?:updated|modified|edited|revised)(?: on| at)?"
                r"|(?:last |first )?(?:publication date|publish date|date published|date updated)"
                r"|ver[öo]ffentlicht(?: am)?|aktualisiert(?: am)?|publicado(?: el)?|actualizado(?: el)?|publi[ée](?: le)?"
                r"|mis à jour(?: le)?|pubblicato(?: il)?|aggiornato(?: il)?|gepubliceerd(?: op)?|bijgewerkt(?: op)?"
                r"|on|le|am|el|il|op|vom|du")
_LABEL = re.compile(r"(?P<label>" + _LABEL_WORDS + r")\s*:?\s*\Z", re.IGNORECASE)
#: a label opening a longer piece ("Published 11:11 PM EST")
_LABEL_HEAD = re.compile(r"(?P<label>" + _LABEL_WORDS + r")\s*:?\s+(?P<rest>\S.*)\Z", re.IGNORECASE)
_UPDATED = re.compile(r"(?:last )?(?:updated|modified|edited|revised)|date updated|aktualisiert|actualizado|mis à jour|aggiornato|bijgewerkt",
                      re.IGNORECASE)
_BY = re.compile(r"(?:(?:words|written|text|story|reporting|report|article|photos?(?: and words)?|interview|posted|published|submitted)\s+)?by\s*:?\s+(?P<names>.+)\Z"
                 r"|(?:author|authors|writer|reporter|byline|autor(?:/in|in)?|auteur|autore)s?\s*:\s*(?P<names2>.+)\Z", re.IGNORECASE)
_READ_TIME = re.compile(r"(?:reading time\s*:?\s*)?(?:about\s+)?\d{1,3}\s*(?:-|\s)?(?:min(?:ute)?s?|mins?)\.?(?:\s+(?:read|reading|listen))?"
                        r"(?:\s+read)?\Z", re.IGNORECASE)
_TIME_ONLY = re.compile(r"\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:at\s+)?" + TIME.replace("(?:,|\\s+at|\\s*T|\\s*-)?", "") + r"\s*\Z", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:(?:about|over|almost)\s+)?(?:an?|\d{1,3})\s+(?:second|minute|hour|day|week|month)s?\s+ago\Z"
                       r"|(?:yesterday|today|just now)(?:\s+at\s+.*)?\Z", re.IGNORECASE)
_STRONG = re.compile(r"\s*(?:\||·|•|∙|⋅|/(?=\s)|\s[—–-]{1,2}\s|—|–|;|[()])\s*"
                     r"|\s+(?=(?:Published|Updated|Posted|Last updated|First published|Modified)\b)")
#: credits that name people who did not write the article ("Editing by …", "Photos by …")
_CREDIT = re.compile(r"(?:additional reporting|editing|edited|compiled|graphics|photos?|photography|images?|illustrations?|video"
                     r"|fact[- ]?checked|translated|translation|produced|design(?:ed)?)\s+by\b.*\Z", re.IGNORECASE)
_HONORIFIC = re.compile(r"\A(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+", re.IGNORECASE)
_MEDIA_WORD = re.compile(r"\b(?:news|times|daily|post|journal|gazette|herald|tribune|press|weekly|media|agency|wire|radio|tv"
                         r"|television|magazine|review|chronicle|observer|monitor|ledger|courier|telegraph|insider|report)\b",
                         re.IGNORECASE)
_COMMA = re.compile(r",\s*")
#: words that make a piece a job title or desk, not a name
_ROLE_WORDS = {
    "reporter", "correspondent", "editor", "writer", "staff", "contributor", "columnist", "analyst", "producer",
    "chief", "senior", "bureau", "desk", "team", "newsroom", "journalist", "photographer", "photojournalist",
    "researcher", "intern", "fellow", "associate", "managing", "deputy", "executive", "news", "special", "guest",
    "contributing", "political", "business", "technology", "science", "sports", "markets", "energy", "economics",
    "economy", "affairs", "international", "national", "foreign", "investigations", "investigative", "reporting",
    "editorial", "board", "opinion", "host", "anchor", "presenter", "director", "head", "lead", "global", "asia",
    "europe", "china", "americas", "africa", "middle", "east", "culture", "health", "climate", "environment",
    "commodities", "metals", "mining", "world", "author", "authors", "and", "the", "of", "for", "in", "at",
}
#: news agencies and desks named in a byline beside (or instead of) people
_AGENCIES = {
    "ap", "afp", "reuters", "associated press", "the associated press", "bloomberg", "bloomberg news", "xinhua",
    "upi", "dpa", "efe", "ansa", "kyodo", "pa", "pa media", "aap", "press association", "agence france-presse",
    "agence france presse", "cnn wire", "staff", "staff writer", "staff reporter", "staff writers", "our reporter",
    "our correspondent", "news desk", "web desk", "newsroom", "editorial team", "editorial staff", "admin",
    "administrator", "editor", "editors", "the editors", "staff reports", "staff report", "wire reports", "wire services",
    "news services", "wires", "agencies",
}
_EMAIL = re.compile(r"\S+@\S+\.\w+\Z")
_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "von", "bin", "binti", "al", "el",
              "ibn", "y", "dos", "das", "ter", "st.", "mac"}
_NAME_WORD = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z](?:[a-z]+|[A-Z]+)(?:['’\-][A-Za-z]+)*\.?|Mc[A-Z][a-z]+|O['’][A-Z][a-z]+"
                        r"|[A-Z][a-z]*[A-Z][a-z]+|\w+", re.UNICODE)
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*(?:and|&)\s+|,|\s+and\s+|\s*&\s*|\s+with\s+)\s*", re.IGNORECASE)
#: ", 5 min read" and other tails that are never names
_IN_OR_FOR = re.compile(r"\s+(?:in|for|at)\s+(?P<where>[A-Z][\w.&' -]{1,60})\Z")


@dataclass(slots=True)
class Byline:
    """What the byline and dateline lines say, and which candidate lines they were."""

    authors: list[str] = field(default_factory=list)
    published: _dt.date | None = None
    updated: _dt.date | None = None
    publisher: str | None = None
    #: indexes into the candidate lines that were byline or dateline lines
    consumed: list[int] = field(default_factory=list)
    #: (candidate index, message) for what was dropped, refused or in conflict
    notes: list[tuple[int, str]] = field(default_factory=list)
    #: every dated piece read, as (index, "published"|"updated"|"date", date) in order
    dates: list[tuple[int, str, _dt.date]] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    authors: list[str] = field(default_factory=list)
    dates: list[tuple[str, _dt.date]] = field(default_factory=list)
    publisher: str | None = None
    notes: list[str] = field(default_factory=list)
    #: a piece that is only a date label, a time, a relative date or a reading time (a dateline on its own)
    dateline: bool = False


def read_byline(lines: list[str], *, publisher: str | None = None) -> Byline:
    """Return the authors, dates and publisher stated by the byline/dateline lines among `lines`.

    Only whole lines are consumed; a line that is anything more than byline pieces is
    left alone. `publisher` (when already known) is never taken as an author.
    """
    out = Byline(publisher=None)
    for index, text in enumerate(lines):
        parsed = parse_byline_line(text, publisher=publisher or out.publisher)
        if parsed is None:
            continue
        out.consumed.append(index)
        out.notes.extend((index, note) for note in parsed.notes)
        for name in parsed.authors:
            if name not in out.authors:
                out.authors.append(name)
        if parsed.publisher and out.publisher is None:
            out.publisher = parsed.publisher
        for role, value in parsed.dates:
            out.dates.append((index, role, value))
    _take_neighbours(lines, out, publisher)
    published = [v for _, role, v in out.dates if role == "published"]
    unlabelled = [v for _, role, v in out.dates if role == "date"]
    updated = [v for _, role, v in out.dates if role == "updated"]
    # The rule: a date labelled "Published/Posted" wins over an unlabelled one; among several,
    # the earliest is the publication (later ones are revisions). "Updated" dates are never it.
    chosen = published or unlabelled
    if chosen:
        out.published = min(chosen)
        others = sorted({v for v in published + unlabelled if v != out.published})
        if others:
            out.notes.append((out.consumed[0], f"byline dates disagree ({', '.join(d.isoformat() for d in [out.published, *others])}); "
                                               f"the earliest {'labelled ' if published else ''}date is taken as the publication date"))
    if updated:
        out.updated = max(updated)
    if out.published and out.updated and out.updated < out.published:
        out.notes.append((out.consumed[0], f"updated {out.updated.isoformat()} is before published {out.published.isoformat()}; "
                                           "both kept as stated"))
    return out


def _take_neighbours(lines: list[str], out: Byline, publisher: str | None) -> None:
    """Consume a lone outlet line ("Bay Observer") or a bare name ("Jane Doe") right beside a byline line.

    The first candidate line is never taken this way: it is usually the title.
    """
    for index in sorted(out.consumed):
        for j in (index - 1, index + 1):
            if not 0 < j < len(lines) or j in out.consumed:
                continue
            outlet = outlet_name(lines[j])
            if outlet and (out.publisher is None or out.publisher.lower() == outlet.lower()):
                out.publisher = outlet
                out.consumed.append(j)
                out.notes.append((j, f"publisher '{outlet}' from the line beside the byline"))
                continue
            name = bare_name(lines[j]) if not out.authors else None
            if name and name.lower() != (publisher or out.publisher or "").lower():
                out.authors.append(name)
                out.consumed.append(j)
                out.notes.append((j, f"author '{name}' from the name line beside the dateline"))
    out.consumed.sort()


def outlet_name(text: str) -> str | None:
    """Return `text` when the whole line names an outlet (a media word, a domain or a registry entry), else None."""
    text = " ".join(text.split()).strip(" *_")
    if not _is_publisher_like(text) or text.lower() in _AGENCIES:
        return None
    return text if _MEDIA_WORD.search(text) or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", text) or _known_outlet(text) else None


def parse_byline_line(text: str, *, publisher: str | None = None) -> _Line | None:
    """Return what one byline/dateline line states, or None when the line is anything else."""
    text = " ".join(text.split()).strip(" *_-–—|/·⋅•")
    if not text or len(text) > 200 or text.endswith(("?", "!")):
        return None
    line = _Line()
    # Dates first (they contain commas); each is replaced by a marker piece.
    pieces: list[str] = []
    last = 0
    for found in scan_dates(text):
        a, b = found.span
        pieces.append(text[last:a])
        if found.value is None:
            line.notes.append(f"'{text[a:b].strip()}' not read as a date ({found.problem}: day and month could be swapped)"
                              if found.problem == "ambiguous" else f"'{text[a:b].strip()}' not read as a date ({found.problem})")
            pieces.append("\x00?")
        else:
            pieces.append(f"\x00{len(line.dates)}")
            line.dates.append(("date", found.value))
        last = b
    pieces.append(text[last:])
    role = "date"
    had_unread = any(p == "\x00?" for p in pieces)
    items: list[str] = []
    for chunk in pieces:
        if chunk.startswith("\x00"):
            items.append(chunk)
        else:
            items.extend(p for p in _split(chunk))
    roles: list[str] = []
    leftovers: list[str] = []
    authors_seen = False
    for item in items:
        item = item.strip(" .:;,()[]")
        if not item:
            continue
        if item.startswith("\x00"):
            if item != "\x00?":
                roles.append(role)
            role = "date"
            continue
        if _CREDIT.match(item):
            line.notes.append(f"'{item}' dropped (a credit for editing, photos or translation, not authorship)")
            continue
        by = _by_names(item)
        if by is not None:
            names, notes, ok = _names(by, publisher)
            if not ok:
                return None  # "By 2030, …", "by the sea": not a byline
            line.notes.extend(notes)
            line.authors.extend(n for n in names if n not in line.authors)
            authors_seen = True
            continue
        head = _LABEL_HEAD.match(item)
        if head and not _LABEL.match(item) and (_TIME_ONLY.match(head.group("rest")) or _RELATIVE.match(head.group("rest"))):
            line.dateline = True
            if _RELATIVE.match(head.group("rest")):
                line.notes.append(f"'{item}' is a relative date; not resolved")
            else:
                role = "updated" if _UPDATED.match(head.group("label")) else "published"
            continue
        label = _LABEL.match(item)
        if label:
            role = "updated" if _UPDATED.match(label.group("label")) else "published"
            line.dateline = True
            continue
        # "Posted on … by X" leaves "Posted on" + a "by" piece; "Updated 3 hours ago"
        label_prefix = re.match(r"(?P<label>(?:last )?(?:published|posted|updated|modified))\s+(?:on\s+)?(?P<rest>.+)\Z", item, re.IGNORECASE)
        if label_prefix and _RELATIVE.match(label_prefix.group("rest")):
            line.dateline = True
            line.notes.append(f"'{item}' is a relative date; not resolved")
            continue
        if _READ_TIME.match(item) or _TIME_ONLY.match(item) or item.lower() in ("updated", "published", "posted"):
            line.dateline = True
            continue
        if _RELATIVE.match(item):
            line.dateline = True
            line.notes.append(f"'{item}' is a relative date; not resolved")
            continue
        leftovers.append(item)
    line.dates = [(roles[i] if i < len(roles) else "date", v) for i, (_, v) in enumerate(line.dates)]
    anchored = bool(line.dates or authors_seen or had_unread)
    credits = [p for p in leftovers if p.lower() in _AGENCIES or _MEDIA_WORD.search(p) and _is_publisher_like(p)]
    if not anchored and leftovers and len(credits) == len(leftovers) and (line.dateline or any(p.lower() in _AGENCIES for p in credits)):
        anchored = line.dateline = True  # "Reuters", "Reuters • Bay Observer", "Grid Monitor | 4 min read"
    if not anchored and not (line.dateline and not leftovers):
        return None
    # Leftover pieces: job titles and agencies beside names, or one publisher name; beside a
    # date, a bare name and a piece that reads as an outlet ("Ana Ruiz | Coastal Times | 1 July 2024").
    if not authors_seen and line.dates and len(leftovers) == 2:
        named = [bare_name(p) for p in leftovers]
        outlet = [bool(_MEDIA_WORD.search(p)) for p in leftovers]
        for i in (0, 1):
            if named[i] and not outlet[i] and outlet[1 - i]:
                line.authors.append(named[i])
                leftovers = [leftovers[1 - i]]
                break
    for item in leftovers:
        low = item.lower()
        if _EMAIL.match(item) or boilerplate_family(item) in ("share", "comments"):
            line.notes.append(f"'{item}' dropped from the byline (an address or a share link)")
            continue
        if authors_seen and (_is_role(item) or low in _AGENCIES):
            line.notes.append(f"'{item}' dropped from the byline (a job title or agency, not an author)")
            continue
        if low in _AGENCIES:
            line.notes.append(f"'{item}' dropped from the byline (an agency or desk, not an author)")
            continue
        if line.publisher is None and _is_publisher_like(item):
            if publisher and item.lower() == publisher.lower():
                line.publisher = publisher
            elif _MEDIA_WORD.search(item) or "." in item or _known_outlet(item):
                line.publisher = item
            else:
                line.notes.append(f"'{item}' beside the date not taken as the publisher (it could be a place or a section)")
            continue
        return None
    if not (line.authors or line.dates or line.publisher or line.dateline or had_unread or authors_seen):
        return None
    return line


def _split(chunk: str) -> list[str]:
    """Split on bars, middots and dashes; then on commas, except inside a "By A, B and C" list."""
    out: list[str] = []
    for piece in _STRONG.split(chunk):
        stripped = piece.strip(" ,")
        if _BY.match(stripped) or re.match(r"(?:author|writer|reporter|byline)s?\s*:", stripped, re.IGNORECASE):
            parts = _COMMA.split(stripped)
            end = next((k for k in range(1, len(parts)) if _not_a_name(parts[k].strip(" .,"))), len(parts))
            out.append(", ".join(parts[:end]))
            out.extend(parts[end:])
            continue
        parts = _COMMA.split(piece)
        for i, part in enumerate(parts):  # "Reuters, Written by A, B and C": the names stay together
            if _BY.match(part.strip()):
                out.extend(parts[:i])
                end = next((k for k in range(i + 1, len(parts)) if _not_a_name(parts[k].strip(" .,"))), len(parts))
                out.append(", ".join(parts[i:end]))
                out.extend(parts[end:])
                break
        else:
            out.extend(parts)
    return out


def _not_a_name(piece: str) -> bool:
    """Whether a comma piece after a name list ends it: a reading time, a label, a time or a relative date."""
    return bool(_READ_TIME.match(piece) or _LABEL.match(piece) or _LABEL_HEAD.match(piece) or _TIME_ONLY.match(piece)
                or _RELATIVE.match(piece))


def _by_names(item: str) -> str | None:
    match = _BY.match(item)
    if not match:
        return None
    return match.group("names") or match.group("names2")


def _names(text: str, publisher: str | None) -> tuple[list[str], list[str], bool]:
    """Return the people named in a "By …" list, notes about what was dropped, and whether
    every piece was a name, a job title or an agency (False: the text is no byline)."""
    notes: list[str] = []
    text = re.sub(r"\s*\((?P<inner>[^)]*)\)", lambda m: (notes.append(f"'({m.group('inner')})' dropped from the byline") or ""), text)
    text = re.sub(r"\s+(?:on|at|in|for|from)\s*\Z", "", text.strip(), flags=re.IGNORECASE)
    names: list[str] = []
    for piece in _SPLIT_NAMES.split(text):
        piece = piece.strip(" .,:;")
        if not piece:
            continue
        tail = _IN_OR_FOR.search(piece)
        if tail:
            notes.append(f"'{tail.group(0).strip()}' after the name dropped (a place or outlet, not an author)")
            piece = piece[:tail.start()]
        words = piece.split()
        if len(words) > 2 and words[-1].lower() in _AGENCIES:
            notes.append(f"'{words[-1]}' dropped from the authors (an agency, not a person)")
            piece = " ".join(words[:-1])
        low = piece.lower()
        if _MEDIA_WORD.search(piece) or re.fullmatch(r"[A-Z]{2,5}|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|news|co\.uk|tv)", piece):
            notes.append(f"'{piece}' dropped from the authors (an outlet or desk, not a person)")
            continue
        if low in _AGENCIES or (publisher and low == publisher.lower()):
            notes.append(f"'{piece}' dropped from the authors (an agency, desk or the publisher, not a person)")
            continue
        if _is_role(piece):
            notes.append(f"'{piece}' dropped from the authors (a job title)")
            continue
        name = _as_name(piece)
        if name is None:
            return [], notes, False
        names.append(name)
    return names, notes, bool(names or notes)


def _as_name(piece: str) -> str | None:
    """Return `piece` as a person's name ("JANE DOE" -> "Jane Doe"), or None when it is not one."""
    piece = _HONORIFIC.sub("", piece)
    words = piece.split()
    if not 2 <= len(words) <= 5:
        return None
    capitalised = 0
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not word[0].isupper() or any(ch.isdigit() for ch in word):
            return None
        capitalised += 1
    if capitalised < 2 and len(words) < 3:
        return None
    if sum(ch.isalpha() for ch in piece) < 3:
        return None
    if piece.isupper():
        piece = " ".join(_title_word(w, first=i == 0) for i, w in enumerate(words))
    return piece


def _title_word(word: str, *, first: bool) -> str:
    """Return an upper-case name word in title case: "O'CONNELL" -> "O'Connell", "VAN" -> "van" inside a name."""
    if not first and word.lower() in _PARTICLES:
        return word.lower()
    if len(word.rstrip(".")) <= 2 and word.endswith("."):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def _is_role(piece: str) -> bool:
    words = [w.lower().strip(".,") for w in piece.split()]
    words = [w if w in _ROLE_WORDS or not w.endswith("s") else w[:-1] for w in words]  # "Senior Reporters"
    return bool(words) and all(w in _ROLE_WORDS for w in words) and any(w not in ("and", "the", "of", "for", "in", "at") for w in words)


def _is_publisher_like(piece: str) -> bool:
    """Return whether `piece` can be a publisher's name: short, capitalised, no sentence."""
    words = piece.split()
    if not 1 <= len(words) <= 5 or len(piece) > 50 or ":" in piece:
        return False
    if re.search(r"\b(?:is|are|was|were|will|has|have|had|said|says)\b", piece, re.IGNORECASE):
        return False
    if re.fullmatch(r"[\w.-]+\.(?:com|org|net|co\.uk|news|info|io|cn|de|fr|au|in)", piece, re.IGNORECASE):
        return True
    return words[0][0].isupper() and all(w[0].isupper() or w.lower() in ("of", "the", "and", "&", "for", "on") or not w[0].isalpha()
                                         for w in words)


def bare_name(text: str) -> str | None:
    """Return `text` as a person's name when the whole line is one ("Jane Doe", "JANE DOE"), else None."""
    text = " ".join(text.split()).strip(" *_")
    if len(text) > 40 or _is_role(text) or text.lower() in _AGENCIES or re.search(r"[^\w .'’-]", text):
        return None
    return _as_name(text)


def _known_outlet(name: str) -> bool:
    from .registry import registry_kind

    return registry_kind(name) is not None
