"""Attributions in the text ("according to X", "X reported", "citing X") made `origin` entries.

An origin is whom the article relays. Not every "according to" names one: "according to
the 2024 evaluation report" names a document and "according to Chair Meng" a person. So
a phrase becomes an origin only when the name is in the sources registry (as a name or
alias) or reads as a news outlet: it ends in a media word (Daily, News, Times, Agency,
media, TV …). Unnamed state media ("Chinese state media", "state-owned and state-affiliated
government sources") become one origin with a plain generic name, kind state-affiliated,
so a brief can flag it; reegen never invents the outlet's name.
"""

from __future__ import annotations

import re

from ..text import sentence_spans
from .draft import Draft
from .report import IngestReport

#: words an outlet's name ends in
_MEDIA_WORDS = (
    "media", "daily", "news", "times", "post", "journal", "gazette", "herald", "tribune", "press", "agency", "wire",
    "television", "tv", "radio", "broadcasting", "broadcaster", "newspaper", "network", "weekly", "review", "telegraph",
    "chronicle", "observer", "monitor", "magazine", "insider",
)
_NAME = (r"(?P<name>(?:the\s+)?(?:[A-Z][\w&.'’-]*|of|and|for|the|de|\d{1,4})(?:\s+(?:[A-Z][\w&.'’-]*|of|and|for|the|de|\(\w+\)))*"
         r"(?:\s+(?:state\s+)?(?:media|newspaper|news agency|broadcaster|television))?)")
_TRIGGER = (r"\b(?i:according to|citing|cited by|as reported by|reported by|in a report by|quoting|per a report (?:from|by)"
            r"|based on (?:reporting|reports|a report|information|data) (?:from|by))\s+")
_VERB = r"\s+(?:reported|reports|has reported|said in a (?:report|statement)|wrote|quoted)\b"
_REPORT_BY = r"\b(?i:a|the) report (?:by|from|in)\s+"
#: each pattern with what any match of it holds (a text without the second is settled by one
#: cheap search: the name part would otherwise be tried at every word of every paragraph), and
#: whether the name follows the words that attribute (else it comes before them)
_PATTERNS = [
    (re.compile(_TRIGGER + _NAME), re.compile(_TRIGGER), True),
    (re.compile(r"\b" + _NAME + _VERB), re.compile(_VERB), False),
    (re.compile(_REPORT_BY + _NAME), re.compile(_REPORT_BY), True),
]
#: a full stop, question or exclamation mark (closing quotes after it) then a space: where a name
#: may run into the next sentence ("… the Northfield Gazette. The Lakeside Herald …")
_STOP = re.compile(r"[.!?][\"'’”)]*\s")
_GENERIC_STATE = re.compile(
    r"\b(?P<country>Chinese|Russian|Iranian|North Korean|Vietnamese|Saudi|Turkish|Belarusian|Venezuelan|Cuban)?\s*"
    r"(?:state[- ](?:owned|run|controlled|affiliated|backed)(?:\s+(?:and|or)\s+state[- ](?:owned|run|controlled|affiliated|backed))?"
    r"|state|official|government)[- ]"
    r"(?:(?:government|news|media|press)\s+)?(?P<what>media|sources|outlets|news agency|broadcaster|press|newspapers?|television)\b",
    re.IGNORECASE,
)
#: what every match of _GENERIC_STATE holds: a text without it is settled by this one cheap search
_STATE_HINT = re.compile(r"state|official|government", re.IGNORECASE)
_RELAY = re.compile(r"\b(?:according to|based on|citing|reported by|reports? (?:from|by|in)|relay\w*|quot\w+|from)\b[^.]{0,80}\Z",
                    re.IGNORECASE)
_STATE_KINDS = ("state-owned", "state-affiliated", "government")
_SENTENCE_START_WORDS = {"the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i"}


def find_attributions(draft: Draft, report: IngestReport) -> None:
    """Add an origin for each outlet the body and disclaimers attribute the article's facts to."""
    texts = [(b.line, f"{b.lead_in or ''} {b.text}") for b in draft.body_blocks()]
    texts += [(None, d) for d in draft.disclaimers]
    for line, text in texts:
        for name, phrase in _named_outlets(text):
            add_origin(draft, report, {"name": name}, line, f"from '{phrase}'")
    named_state = next((o["name"] for o in draft.origin if o.get("kind") in _STATE_KINDS), None)
    for line, text in texts:
        if not _STATE_HINT.search(text):
            continue
        for match in _GENERIC_STATE.finditer(text):
            before = text[max(0, match.start() - 100):match.start()]
            if not _RELAY.search(before):
                continue  # "state media" mentioned, not relayed
            if named_state:  # the named state source is the better origin; a generic one would double it
                report.add("origin", line, f"'{_snippet(text, match.start(), match.end())}' relays state sources; "
                                           f"'{named_state}' already names one, so no generic origin is added")
                return
            country = match.group("country")
            name = f"{country.title()} state media (outlet not named)" if country else "State media (outlet not named)"
            add_origin(draft, report, {"name": name, "kind": "state-affiliated"}, line,
                       f"from '{_snippet(text, match.start(), match.end())}' (the text names no outlet)", provenance="inferred")


def _named_outlets(text: str):
    from .registry import _registry

    registry = _registry()
    spans = None
    for pattern, needed, name_follows in _PATTERNS:
        if not needed.search(text):
            continue
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if _STOP.search(text, start, end):
                # The name's words run across a full stop: keep those in the sentence of the words that
                # attribute, by nupunkt's boundaries ("U.S. News" and "Co." end no sentence).
                spans = spans if spans is not None else sentence_spans(text)
                at = start if name_follows else end - 1
                sentence = next(((a, b) for a, b in spans if a <= at < b), (start, end))
                start, end = max(start, sentence[0]), min(end, sentence[1])
            name = text[start:end].strip(" .,’'")
            words = name.split()
            while words and (words[0].lower() == "the" or not words[0][0].isupper()):
                words.pop(0)
            while words and (words[-1].lower() in ("and", "of", "for", "the", "de") or words[-1].startswith("(")):
                words.pop()
            if not words or len(words) > 8 or words[0].lower() in _SENTENCE_START_WORDS:
                continue
            name = " ".join(words)
            info = registry.lookup(name)
            if info is not None:
                yield info.name, _snippet(text, match.start(), match.end())
            elif len(words) >= 2 and words[-1].lower() in _MEDIA_WORDS:
                yield name, _snippet(text, match.start(), match.end())


def add_origin(draft: Draft, report: IngestReport, origin: dict, line: int | None, why: str, *,
               provenance: str | None = None) -> None:
    """Add `origin` to the draft unless one of that name is there; kind from the sources registry when not given."""
    from .registry import registry_kind, _registry

    name = " ".join(str(origin.get("name", "")).split())
    if not name:
        return
    info = _registry().lookup(name)
    if info is not None:
        name = info.name
    origin["name"] = name
    existing = next((o for o in draft.origin if str(o.get("name", "")).lower() == name.lower()), None)
    if existing is not None:
        return
    note = ""
    if not origin.get("kind"):
        kind = registry_kind(name)
        if kind:
            origin["kind"] = kind
            note = f"; kind '{kind}' from the sources registry"
    else:
        note = f"; kind '{origin['kind']}'"
    draft.origin.append(origin)
    if provenance:
        order = ("stated", "derived", "inferred", "user")
        current = draft.provenance.get("origin", "stated")
        if order.index(provenance) > order.index(current):
            draft.provenance["origin"] = provenance
    report.add("origin", line, f"origin '{name}' {why}{note}")


def _snippet(text: str, start: int, end: int, width: int = 90) -> str:
    piece = text[start:end]
    return piece if len(piece) <= width else piece[:width - 1] + "…"
