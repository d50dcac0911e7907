"""Add the Verification caveats section: every reason a reader should hold back.

Caveats are structural: reegen builds them from the sources actually cited, after the
template has run, so no template or article text can remove or imitate them. Each says
what it is about (its `kind`, printed as a bold label), why, and which source numbers
it concerns. The section opens with a source-mix summary: how many sources, who
publishes them, how many rest on state outlets, and how many figures were verified.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import replace

from ..corpus import Corpus
from ..corpus.sources import FLAGGED_KINDS, SourceRegistry, describe_kind
from ..model import (
    BulletList, Caveat, Document, Heading, Inline, ListItem, Paragraph, Ref, SourcesList, Strong, Text, format_numbers,
)
from ..spec import CaveatSpec
from ..text import format_date
from .attribution import Attribution

#: where the caveats section sits: before the Sources list
TITLE = "Verification caveats"
#: what each kind of caveat is about, as its bullet's label says
LABELS = {
    "state-owned": "State-owned source",
    "state-affiliated": "State-affiliated source",
    "government": "Government source",
    "company": "Company source",
    "translated": "Translated reporting",
    "single-source": "Single-source figures",
    "targets": "Targets and plans",
    "forecasts": "Forecasts",
    "disputed": "Disputed figure",
    "unresolved-citation": "Untraced citations",
    "stale": "Dated reporting",
    "undated": "Undated source",
    "disclaimer": "The source’s own warning",
    "analyst": "Analyst’s note",
}
_STATE_KINDS = ("state-owned", "state-affiliated", "government")


def label_of(kind: str) -> str:
    """Return what a caveat of `kind` is about, as its label prints ("State-affiliated source")."""
    return LABELS.get(kind, kind.replace("-", " ").capitalize())


def collect_caveats(attribution: Attribution, corpus: Corpus, registry: SourceRegistry, spec: CaveatSpec,
                    brief_date: _dt.date, figures: tuple = ()) -> tuple[Caveat, ...]:
    """Return the caveats for the cited sources, grouped so each reason is said once.

    `figures` are the `FigureRow`s the brief carries, numbered: they add the
    single-source, targets, forecasts and disputed-figure caveats.
    """
    caveats: list[Caveat] = []
    cited = [(n, corpus.get(aid)) for aid, n in attribution.articles.items()]
    cited.sort(key=lambda pair: pair[0])
    if spec.auto:
        caveats += _kind_caveats(cited, registry)
        caveats += _translation_caveats(cited)
        numbered = [r for r in figures if r.source is not None]
        caveats += _single_source_caveats(numbered)
        caveats += _intention_caveats(numbered, "target", "targets")
        caveats += _intention_caveats(numbered, "forecast", "forecasts")
        caveats += _disputed_caveats(numbered)
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
        grade = f" Admiralty source reliability: {info.reliability}." if info and info.reliability else ""
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


def _single_source_caveats(rows) -> list[Caveat]:
    """One caveat for every figure that no other outlet in the pool reports."""
    single = [r for r in rows if not r.corroborated_by]
    if not single:
        return []
    counts: dict[int, int] = {}
    for row in single:
        counts[row.source] = counts.get(row.source, 0) + 1
    numbers = tuple(sorted(counts))
    parts = [f"{counts[n]} from {'source ' if i == 0 else ''}[{n}]" for i, n in enumerate(numbers)]
    total = len(rows)
    if len(single) == total:
        head = f"All {total} figures in this brief are" if total > 1 else "The one figure in this brief is"
    else:
        head = f"{len(single)} of the {total} figures in this brief {'is' if len(single) == 1 else 'are'}"
    text = (f"{head} reported by a single outlet; no other source in the brief states the same number "
            f"({_join(parts)}). A single report cannot confirm a figure.")
    ids = tuple(dict.fromkeys(r.figure.article_id for r in single))
    return [Caveat("single-source", text, numbers, ids)]


def _intention_caveats(rows, kind: str, caveat_kind: str) -> list[Caveat]:
    """One caveat naming every target or plan (or forecast) the brief carries, and whose they are."""
    chosen = [r for r in rows if r.figure.kind == kind]
    if not chosen:
        return []
    numbers = tuple(sorted({r.source for r in chosen}))
    items = [_describe(r.figure) for r in chosen]
    many = len(chosen) > 1
    if kind == "target":
        what = f"{len(chosen)} targets or plans" if many else "a target or plan"
        why = (f"{'They state' if many else 'It states'} what officials or companies intend, not what has happened; "
               f"whether {'they are' if many else 'it is'} met has not been checked.")
    else:
        what = f"{len(chosen)} forecasts" if many else "a forecast"
        why = "They are expectations, not results." if many else "It is an expectation, not a result."
    verb = "state" if len(numbers) > 1 else "states"
    text = f"{_sources_phrase(numbers)} {verb} {what}: {'; '.join(items)}. {why}"
    return [Caveat(caveat_kind, text, numbers, tuple(dict.fromkeys(r.figure.article_id for r in chosen)))]


def _describe(figure) -> str:
    """Return a figure as a caveat names it: "10%+ R&D spending growth (2026)"."""
    text = figure.measure if figure.value.casefold() in figure.measure.casefold() else \
        f"{figure.value} {_lower_first(figure.measure)}"
    if figure.period and figure.period not in text:
        text += f" ({figure.period})"
    return text


def _disputed_caveats(rows) -> list[Caveat]:
    out = []
    for row in rows:
        if row.status != "disputed":
            continue
        grade = f" (graded {row.grade})" if row.grade else ""
        why = f": {row.note}" if row.note else "."
        text = (f"The figure “{_describe(row.figure)}” from source [{row.source}] "
                f"is disputed in the desk’s verification ledger{grade}{why}")
        if not text.endswith((".", "!", "?")):
            text += "."
        out.append(Caveat("disputed", text, (row.source,), (row.figure.article_id,)))
    return out


def _unresolved_caveats(attribution: Attribution, corpus: Corpus) -> list[Caveat]:
    out = []
    for article_id, labels in attribution.unresolved.items():
        number = attribution.articles.get(article_id)
        if number is None:
            continue
        shown = ", ".join(labels)
        text = (f"Source [{number}] cites its own references {shown} without listing them; the claims marked "
                f"† could not be traced to where they came from.")
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
            # Quote it exactly as written: wrap it, unless the article already wrapped it in quotes.
            already = len(disclaimer) > 2 and disclaimer[0] == "“" and disclaimer[-1] == "”"
            quoted = disclaimer if already else f"“{disclaimer}”"
            text = f"{publisher} warns in source [{number}]: {quoted}"
            out.append(Caveat("disclaimer", text, (number,), (article.id,)))
    return out


def _sources_phrase(numbers: tuple[int, ...]) -> str:
    return ("Source " if len(numbers) == 1 else "Sources ") + format_numbers(numbers)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _lower_first(text: str) -> str:
    # "R&D spending" and "Inner Mongolia" keep their capitals; "New businesses" does not.
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first[1:2].islower() and first[:1].isupper() and first.isalpha() else text


def source_mix(attribution: Attribution, corpus: Corpus, registry: SourceRegistry, figures: tuple = ()) -> str | None:
    """Return the sentence or two opening the caveats: the sources used, who publishes them, the figures' status."""
    cited = sorted(((n, corpus.get(aid)) for aid, n in attribution.articles.items()), key=lambda p: p[0])
    if not cited:
        return None
    count = len(cited)
    publishers: dict[str, int] = {}
    for _, article in cited:
        name = article.publisher or "no stated publisher"
        publishers[name] = publishers.get(name, 0) + 1

    def publisher_phrase(name: str) -> str:
        kind = registry.kind_of(name) if name != "no stated publisher" else "unknown"
        info = registry.lookup(name)
        bits = [kind.replace("-", " ")] if kind != "unknown" else []
        if info and info.reliability:
            bits.append(f"Admiralty reliability {info.reliability}")
        return name + (f" ({', '.join(bits)})" if bits else "")

    if len(publishers) == 1:
        name = next(iter(publishers))
        by = ("both" if count == 2 else "all") + f" published by {publisher_phrase(name)}" if count > 1 else \
            f"published by {publisher_phrase(name)}"
        if name == "no stated publisher":
            by = "none with a stated publisher" if count > 1 else "without a stated publisher"
    else:
        by = ", ".join(f"{n} from {publisher_phrase(p)}" for p, n in sorted(publishers.items(), key=lambda i: (-i[1], i[0])))
    refs = len(attribution.references)
    text = f"This brief draws on {count} article{'s' if count != 1 else ''}, {by}"
    if refs:
        text += f", and {refs} of the references they cite"
    text += "."
    state = [n for n, a in cited if registry.kind_of(a.publisher) in _STATE_KINDS
             or any(registry.kind_of(o.name, o.kind) in _STATE_KINDS for o in a.origin)]
    translated = [n for n, a in cited if any(o.translated for o in a.origin)]
    if state:
        many = len(state) > 1
        text += (f" {len(state)} of them {format_numbers(tuple(state))}" if count > 1 else " It") + \
            f" {'relay or are' if many else 'relays or is'} published by state-owned, state-affiliated or government outlets"
        text += f", and {len(translated)} {'is' if len(translated) == 1 else 'are'} translated." if translated else "."
    elif translated:
        text += f" {len(translated)} {'is' if len(translated) == 1 else 'are'} translated."
    if figures:
        total = len(figures)
        verified = sum(1 for r in figures if r.status == "verified")
        disputed = sum(1 for r in figures if r.status == "disputed")
        intended = sum(1 for r in figures if r.figure.kind in ("target", "forecast"))
        noun = f"{total} figure{'s' if total != 1 else ''}"
        if not verified and not disputed:
            text += f" None of its {noun} has been independently verified" if total > 1 else \
                " Its one figure has not been independently verified"
        else:
            parts = [f"{verified} verified" if verified else None, f"{disputed} disputed" if disputed else None,
                     f"{total - verified - disputed} reported but unverified" if total - verified - disputed else None]
            text += f" Of its {noun}, " + _join([p for p in parts if p])
        if intended:
            text += f"; {intended} {'is a target, plan or forecast, not a result' if intended == 1 else 'are targets, plans or forecasts, not results'}"
        text += "."
    return text


def caveat_inlines(caveat: Caveat) -> tuple[tuple[Inline, ...], bool]:
    """Return a caveat's bullet text, labelled, with its `[n]` references as links, and whether all its numbers are linked."""
    inlines, linked = _link_numbers(caveat.text, set(caveat.numbers))
    return (Strong((Text(label_of(caveat.kind) + "."),)), Text(" ")) + inlines, linked >= set(caveat.numbers)


def _link_numbers(text: str, allowed: set[int] | None) -> tuple[tuple[Inline, ...], set[int]]:
    """Return `text` with each `[n, m]` whose numbers are `allowed` (all, with None) as a `Ref`, and the numbers linked."""
    out: list[Inline] = []
    linked: set[int] = set()
    at = 0
    for m in re.finditer(r"\[(\d+(?:, \d+)*)\]", text):
        numbers = tuple(int(n) for n in m.group(1).split(", "))
        if allowed is not None and not set(numbers) <= allowed:
            continue  # a bracket in quoted text, not one of ours
        if m.start() > at:
            out.append(Text(text[at:m.start()]))
        out.append(Ref(numbers))
        linked.update(numbers)
        at = m.end()
    if at < len(text):
        out.append(Text(text[at:]))
    return tuple(out), linked


def add_caveats(document: Document, caveats: tuple[Caveat, ...], summary: str | None = None) -> Document:
    """Return `document` with the Verification caveats section before its Sources list.

    `summary` (see `source_mix`) opens the section; each caveat is a bullet led by what it is about.
    """
    section: list = [Heading(1, (Text(TITLE),), "verification-caveats")]
    if summary:
        section.append(Paragraph(_link_numbers(summary, None)[0]))
    if caveats:
        items = []
        for c in caveats:
            inlines, all_linked = caveat_inlines(c)
            # Numbers already linked in the text would only repeat at the end of the bullet.
            items.append(ListItem((Paragraph(inlines, numbers=() if all_linked else c.numbers),)))
        section.append(BulletList(tuple(items)))
    else:
        section.append(Paragraph((Text("No caveats were recorded for the sources of this brief."),), role="note"))
    blocks = list(document.blocks)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, SourcesList)), len(blocks))
    if at < len(blocks) and at > 0 and isinstance(blocks[at - 1], Heading):
        at -= 1
    blocks[at:at] = section
    return replace(document, blocks=tuple(blocks), caveats=caveats)
