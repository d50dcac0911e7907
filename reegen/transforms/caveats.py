"""Add the Verification caveats section: every reason a reader should hold back.

Caveats are structural: reegen builds them from the sources actually cited, after the
template has run, so no template or article text can remove or imitate them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from ..corpus import Corpus
from ..corpus.sources import FLAGGED_KINDS, SourceRegistry, describe_kind
from ..model import BulletList, Caveat, Document, Heading, ListItem, Paragraph, SourcesList, Text, format_numbers
from ..spec import CaveatSpec
from ..text import format_date
from .attribution import Attribution

#: where the caveats section sits: before the Sources list
TITLE = "Verification caveats"


def collect_caveats(attribution: Attribution, corpus: Corpus, registry: SourceRegistry, spec: CaveatSpec,
                    brief_date: _dt.date) -> tuple[Caveat, ...]:
    """Return the caveats for the cited sources, grouped so each reason is said once."""
    caveats: list[Caveat] = []
    cited = [(n, corpus.get(aid)) for aid, n in attribution.articles.items()]
    cited.sort(key=lambda pair: pair[0])
    if spec.auto:
        caveats += _kind_caveats(cited, registry)
        caveats += _translation_caveats(cited)
        caveats += _unresolved_caveats(attribution, corpus)
        if spec.stale_after_days:
            caveats += _stale_caveats(cited, brief_date, spec.stale_after_days)
        caveats += _undated_caveats(cited)
        caveats += _disclaimer_caveats(cited)
    caveats += [Caveat("analyst", text) for text in spec.extra]
    return tuple(caveats)


def _kind_caveats(cited, registry: SourceRegistry) -> list[Caveat]:
    """One caveat per flagged outlet: the publisher itself, or whom it relays."""
    groups: dict[tuple[str, str], list] = {}
    for number, article in cited:
        kind = registry.kind_of(article.publisher)
        if kind in FLAGGED_KINDS:
            groups.setdefault((article.publisher, kind), []).append((number, article, "publishes"))
        for origin in article.origin:
            kind = registry.kind_of(origin.name, origin.kind)
            if kind in FLAGGED_KINDS:
                groups.setdefault((origin.name, kind), []).append((number, article, "relays"))
    out = []
    for (name, kind), uses in groups.items():
        numbers = tuple(dict.fromkeys(n for n, _, _ in uses))
        ids = tuple(dict.fromkeys(a.id for _, a, _ in uses))
        who = _sources_phrase(numbers)
        info = registry.lookup(name)
        note = f" ({info.note})" if info and info.note else ""
        grade = f" Reliability grade {info.reliability}." if info and info.reliability else ""
        if all(verb == "publishes" for _, _, verb in uses):
            text = f"{who} {'is' if len(numbers) == 1 else 'are'} published by {name}, {describe_kind(kind)}{note}."
        else:
            text = f"{who} {'relays' if len(numbers) == 1 else 'relay'} {name}, {describe_kind(kind)}{note}."
        text += f" Its claims, figures and framing have not been independently verified.{grade}"
        out.append(Caveat(kind, text, numbers, ids))
    return out


def _translation_caveats(cited) -> list[Caveat]:
    groups: dict[str, list] = {}
    for number, article in cited:
        for origin in article.origin:
            if origin.translated:
                groups.setdefault(origin.name, []).append((number, article.id))
    out = []
    for name, uses in groups.items():
        numbers = tuple(dict.fromkeys(n for n, _ in uses))
        text = (f"{_sources_phrase(numbers)} {'is' if len(numbers) == 1 else 'are'} translated reporting of {name}; "
                "wording, quotations and figures may differ from the original.")
        out.append(Caveat("translated", text, numbers, tuple(dict.fromkeys(a for _, a in uses))))
    return out


def _unresolved_caveats(attribution: Attribution, corpus: Corpus) -> list[Caveat]:
    out = []
    for article_id, labels in attribution.unresolved.items():
        number = attribution.articles.get(article_id)
        if number is None:
            continue
        shown = ", ".join(labels)
        text = (f"Source [{number}] cites its own references {shown} without listing them; the claims marked "
                f"[{number}: ref. …] could not be traced to where they came from.")
        out.append(Caveat("unresolved-citation", text, (number,), (article_id,)))
    return out


def _stale_caveats(cited, brief_date: _dt.date, days: int) -> list[Caveat]:
    out = []
    for number, article in cited:
        if article.published and (brief_date - article.published).days > days:
            age = (brief_date - article.published).days
            text = (f"Source [{number}] was published on {format_date(article.published)}, {age} days before this "
                    f"brief (more than {days}); its facts may have moved on.")
            out.append(Caveat("stale", text, (number,), (article.id,)))
    return out


def _undated_caveats(cited) -> list[Caveat]:
    numbers = tuple(n for n, a in cited if a.published is None)
    if not numbers:
        return []
    text = f"{_sources_phrase(numbers)} {'carries' if len(numbers) == 1 else 'carry'} no publication date; how current it is cannot be judged."
    return [Caveat("undated", text, numbers, tuple(a.id for n, a in cited if n in numbers))]


def _disclaimer_caveats(cited) -> list[Caveat]:
    out = []
    for number, article in cited:
        for disclaimer in article.disclaimers:
            publisher = article.publisher or "The source"
            quoted = disclaimer.strip("“”\"")
            text = f"{publisher} warns in source [{number}]: “{quoted}”"
            out.append(Caveat("disclaimer", text, (number,), (article.id,)))
    return out


def _sources_phrase(numbers: tuple[int, ...]) -> str:
    return ("Source " if len(numbers) == 1 else "Sources ") + format_numbers(numbers)


def add_caveats(document: Document, caveats: tuple[Caveat, ...]) -> Document:
    """Return `document` with the Verification caveats section before its Sources list."""
    if caveats:
        body = BulletList(tuple(ListItem((Paragraph((Text(c.text),), numbers=c.numbers),)) for c in caveats))
    else:
        body = Paragraph((Text("No caveats were recorded for the sources of this brief."),), role="note")
    section = (Heading(1, (Text(TITLE),), "verification-caveats"), body)
    blocks = list(document.blocks)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, SourcesList)), len(blocks))
    if at < len(blocks) and at > 0 and isinstance(blocks[at - 1], Heading):
        at -= 1
    blocks[at:at] = section
    return replace(document, blocks=tuple(blocks), caveats=caveats)
