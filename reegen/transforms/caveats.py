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

from ..corpus import FLAGGED_KINDS, Corpus, SourceRegistry, describe_kind
from ..model import (
    BulletList, Caveat, Document, Heading, Inline, ListItem, Paragraph, Ref, SourcesList, Strong, Table, Text,
    format_numbers,
)
from ..text import format_date
from .attribution import Attribution
from .context import BuildContext

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


def add_caveats(document: Document, context: BuildContext) -> Document:
    """Return `document` with the Verification caveats section (as the spec's `caveats:` asks) before its Sources list.

    Runs after `attribute`: the caveats name the sources by their numbers.
    """
    spec = context.spec
    caveats = collect_caveats(context)
    summary = source_mix(context) if spec.caveats.auto else None
    form = spec.caveats.form or ("list" if spec.template == "dossier" else "table")
    compact = overview(context) if spec.caveats.auto and form == "table" else None
    return _with_caveats(document, caveats, summary, compact)


def collect_caveats(context: BuildContext) -> tuple[Caveat, ...]:
    """Return the caveats for the cited sources, grouped so each reason is said once.

    The figures the brief carries (numbered) add the single-source, targets, forecasts
    and disputed-figure caveats.
    """
    attribution, corpus, registry = context.attribution, context.corpus, context.registry
    spec, brief_date, figures = context.spec.caveats, context.date, context.figures.carried
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
        text += grade
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
        head = ("Both figures in this brief are" if total == 2 else f"All {total} figures in this brief are") \
            if total > 1 else "The one figure in this brief is"
    else:
        head = f"{len(single)} of the {total} figures in this brief {'is' if len(single) == 1 else 'are'}"
    text = (f"{head} reported by a single outlet ({_join(parts)}); "
            f"no second report confirms {'it' if len(single) == 1 else 'them'}.")
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
        why = f"{'They are' if many else 'It is an'} intention{'s' if many else ''}, not {'results' if many else 'a result'}."
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
    """One caveat naming every source that cites references of its own it does not list."""
    found = [(attribution.articles[aid], aid, labels) for aid, labels in attribution.unresolved.items()
             if aid in attribution.articles]
    if not found:
        return []
    found.sort()
    parts = [f"source [{n}] cites reference{'s' if len(labels) > 1 else ''} {_join(list(labels))}"
             for n, _, labels in found]
    text = _join(parts)
    text = text[:1].upper() + text[1:] + " without listing them: the claims marked † cannot be traced."
    return [Caveat("unresolved-citation", text, tuple(n for n, _, _ in found), tuple(a for _, a, _ in found))]


def _stale_caveats(cited, brief_date: _dt.date, days: int) -> list[Caveat]:
    """One caveat for every source older than `days`: dated ones by their date, undated ones by the report they relay.

    An undated article is no earlier than the newest dated report it relays (`Origin.date`):
    when even that is older than `days`, the article may be stale.
    """
    dated, bounded = [], []
    for number, article in cited:
        if article.published:
            age = (brief_date - article.published).days
            if age > days:
                dated.append((number, article, age))
            continue
        relayed = relayed_date(article)
        if relayed and (brief_date - relayed).days > days:
            bounded.append((number, article, relayed))
    parts = [f"source [{n}] was published on {format_date(a.published)}, {age} days before this brief"
             for n, a, age in dated]
    parts += [f"source [{n}] states no date but relays a report of {format_date(d)}, so it is no earlier than "
              f"{format_date(d)} ({(brief_date - d).days} days before this brief) and possibly stale"
              for n, a, d in bounded]
    if not parts:
        return []
    text = _join(parts)
    text = text[:1].upper() + text[1:] + f": more than {days} days; the facts may have moved on."
    numbers = tuple(n for n, _, _ in dated + bounded)
    return [Caveat("stale", text, numbers, tuple(a.id for _, a, _ in dated + bounded))]


def relayed_date(article) -> _dt.date | None:
    """Return the newest date of a report `article` relays (`Origin.date`), or None."""
    dates = [o.date for o in article.origin if o.date]
    return max(dates) if dates else None


def _undated_caveats(cited) -> list[Caveat]:
    numbers = tuple(n for n, a in cited if a.published is None)
    if not numbers:
        return []
    text = f"{_sources_phrase(numbers)} {'carries' if len(numbers) == 1 else 'carry'} no publication date; " + \
        ("how current it is cannot be judged." if len(numbers) == 1 else "how current they are cannot be judged.")
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


def source_mix(context: BuildContext) -> str | None:
    """Return the sentence or two opening the caveats: the sources used, who publishes them, the figures' status."""
    attribution, corpus, registry, figures = context.attribution, context.corpus, context.registry, context.figures.carried
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
        guessed = sum(1 for _, a in cited if a.publisher == name and _publisher_inferred(a))
        if guessed:  # what reegen inferred is marked as such, as in the Sources list
            bits.append("publisher inferred" if guessed == publishers[name] else f"publisher inferred for {guessed}")
        return name + (f" ({'; '.join(bits)})" if bits else "")

    if len(publishers) == 1:
        name = next(iter(publishers))
        by = ("both" if count == 2 else "all") + f" published by {publisher_phrase(name)}" if count > 1 else \
            f"published by {publisher_phrase(name)}"
        if name == "no stated publisher":
            by = "none with a stated publisher" if count > 1 else "without a stated publisher"
    else:
        by = ", ".join(f"{n} without a stated publisher" if p == "no stated publisher" else f"{n} from {publisher_phrase(p)}"
                       for p, n in sorted(publishers.items(), key=lambda i: (-i[1], i[0])))
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


def _with_caveats(document: Document, caveats: tuple[Caveat, ...], summary: str | None = None,
                  overview: "Overview | None" = None) -> Document:
    """Return `document` with the Verification caveats section before its Sources list.

    With an `overview` (the compact form, see `overview`): its headline, its table of
    sources, then only the caveats the table does not already say, one bullet per kind.
    Otherwise (the long form) `summary` (see `source_mix`) opens the section and each
    caveat is a bullet led by what it is about.
    """
    section: list = [Heading(1, (Text(TITLE),), "verification-caveats")]
    shown = caveats  # (the document keeps them all, for the manifest)
    if overview is not None:
        section += overview.blocks()
        shown = tuple(c for c in caveats if c.kind not in IN_TABLE)
        if overview.one_outlet:
            # "A single report cannot confirm a figure" is what the headline already says of every figure.
            shown = tuple(c for c in shown if c.kind != "single-source")
        shown = _one_per_kind(shown)
    elif summary:
        section.append(Paragraph(_link_numbers(summary, None)[0]))
    if overview is None:
        shown = _one_per_kind(shown)  # the long form too: no two bullets under one label
    if shown:
        items = []
        for c in shown:
            inlines, all_linked = caveat_inlines(c)
            # Numbers already linked in the text would only repeat at the end of the bullet.
            items.append(ListItem((Paragraph(inlines, numbers=() if all_linked else c.numbers),)))
        section.append(BulletList(tuple(items)))
    elif overview is None:
        section.append(Paragraph((Text("No caveats were recorded for the sources of this brief."),), role="note"))
    blocks = list(document.blocks)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, SourcesList)), len(blocks))
    if at < len(blocks) and at > 0 and isinstance(blocks[at - 1], Heading):
        at -= 1
    blocks[at:at] = section
    return replace(document, blocks=tuple(blocks), caveats=caveats)


# --------------------------------------------------------------------------- the compact form

#: caveat kinds the compact form's table already says (a column per source), so not repeated as bullets
IN_TABLE = frozenset(("state-owned", "state-affiliated", "government", "company", "translated", "undated",
                      "disclaimer"))
#: columns of the sources table: heading and relative width
#: ("Translated" is not shown as a column of its own: a relayed report that is translated says so in
#: its Relays cell, which leaves the room of a yes/no column to the columns that wrap)
SOURCE_COLUMNS = (("No.", 0.4), ("Outlet (kind)", 1.9), ("Relays", 2.3), ("Translated", 0.9),
                  ("Its own warning", 2.1), ("Date", 1.4))
_SHOWN = ("No.", "Outlet (kind)", "Relays", "Its own warning", "Date")
#: a source's own warning is quoted in the table up to this many words
WARNING_WORDS = 9
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve")


def count_words(n: int) -> str:
    """Return `n` in words up to twelve ("five"), in figures above."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


class Overview:
    """The compact caveats: a headline on the sources as a whole, and a row per source."""

    def __init__(self, headline: str, rows: list[tuple], one_outlet: bool) -> None:
        self.headline = headline
        #: (number, outlet (kind), relays, translated, warning, date) per cited source, by number
        self.rows = rows
        self.one_outlet = one_outlet

    def blocks(self) -> list:
        # One outlet: the headline names it and its kind, so its columns would only repeat them.
        keep = [i for i, (h, _) in enumerate(SOURCE_COLUMNS)
                if h in _SHOWN and not (self.one_outlet and h == "Outlet (kind)")]
        header = tuple((Text(SOURCE_COLUMNS[i][0]),) for i in keep)
        body = tuple(tuple((Ref((row[0],)),) if i == 0 else (Text(row[i]),) for i in keep) for row in self.rows)
        return [Paragraph((Strong(_link_numbers(self.headline, None)[0]),)),
                Table(header, body, widths=tuple(SOURCE_COLUMNS[i][1] for i in keep))]


def overview(context: BuildContext) -> Overview | None:
    """Return the compact caveats of the cited sources: the single most important fact first, then a row each."""
    attribution, corpus, registry, figures = context.attribution, context.corpus, context.registry, context.figures.carried
    cited = sorted(((n, corpus.get(aid)) for aid, n in attribution.articles.items()), key=lambda p: p[0])
    if not cited:
        return None
    rows = [_source_row(n, a, registry) for n, a in cited]
    outlets = list(dict.fromkeys(a.publisher for _, a in cited))
    headline, one_outlet = _headline(cited, outlets, registry, figures)
    return Overview(headline, rows, one_outlet)


def _is_state(kind: str) -> bool:
    return kind in _STATE_KINDS


def _headline(cited, outlets, registry: SourceRegistry, figures) -> tuple[str, bool]:
    """Return the sentences leading the caveats, and whether every source is one named outlet."""
    n = len(cited)
    named = [o for o in outlets if o]
    one_outlet = len(outlets) == 1 and bool(named)
    every = "Both" if n == 2 else f"All {count_words(n)}"
    kind = registry.kind_of(named[0]) if one_outlet else "unknown"
    outlet = named[0] + (f" ({kind.replace('-', ' ')})" if one_outlet and kind != "unknown" else "") if named else ""
    if one_outlet and n > 1:
        who = f"{every} sources are one outlet, {outlet}"
    elif one_outlet:
        who = f"The one source is {outlet}"
    elif not named:
        who = f"None of the {count_words(n)} sources states its publisher" if n > 1 else "The source states no publisher"
    else:
        unnamed = sum(1 for _, a in cited if not a.publisher)
        counts = {p: sum(1 for _, a in cited if a.publisher == p) for p in named}
        if len(named) <= 3:
            inferred = {p: sum(1 for _, a in cited if a.publisher == p and _publisher_inferred(a)) for p in named}
            parts = [f"{count_words(c)} {'is' if c == 1 else 'are'} from {p}" + (
                     "" if not inferred[p] else " (publisher inferred)" if c == 1 else
                     f" (for {count_words(inferred[p])}, the publisher is inferred)")
                     for p, c in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]
            if unnamed:
                parts.append(f"{count_words(unnamed)} {'has' if unnamed == 1 else 'have'} no stated publisher")
            who = f"Of the {count_words(n)} sources, " + _join(parts)
        else:
            who = f"The {count_words(n)} sources come from {count_words(len(named))} outlets"
            if unnamed:
                who += f" and {count_words(unnamed)} without a stated publisher"
    # State media: published by, or relaying, state-owned, state-affiliated or government outlets.
    relayed = {}
    published_state = [num for num, a in cited if _is_state(registry.kind_of(a.publisher))]
    for num, a in cited:
        for o in a.origin:
            if _is_state(registry.kind_of(o.name, o.kind)):
                relayed.setdefault(o.name, set()).add(num)
    relaying = {num for nums in relayed.values() for num in nums}
    names = _join_names(list(relayed)) if relayed else ""
    if relaying and len(relaying) == n and not published_state:
        who += f", relaying state media ({names})" if n > 1 or one_outlet else f" relaying state media ({names})"
    elif published_state and len(published_state) == n:
        who += ", all published by state media" if n > 1 else ", a state outlet"
    sentences = [who + "."]
    state = relaying | set(published_state)
    if state and len(state) < n:
        # (which state media, the table's Relays column says)
        sentences.append(f"{_cap(count_words(len(state)))} of the {count_words(n)} "
                         f"{'rests' if len(state) == 1 else 'rest'} on state media.")
    translated = [num for num, a in cited if any(o.translated for o in a.origin)]
    undated = [num for num, a in cited if a.published is None]
    facts = []
    if translated:
        facts.append("all are translated" if len(translated) == n and n > 1 else "it is translated" if n == 1
                     else f"{count_words(len(translated))} {'is' if len(translated) == 1 else 'are'} translated")
    if undated:
        facts.append("none states its publication date" if len(undated) == n and n > 1 else
                     "it states no publication date" if n == 1 else
                     f"{count_words(len(undated))} state{'s' if len(undated) == 1 else ''} no publication date")
    if facts:
        sentences.append(_cap(_join(facts)) + ".")
    if figures:
        total = len(figures)
        verified = sum(1 for r in figures if r.status == "verified")
        disputed = sum(1 for r in figures if r.status == "disputed")
        if not verified and not disputed:
            sentences.append("Neither figure has been independently verified." if total == 2 else
                             f"None of the {count_words(total)} figures has been independently verified." if total > 1
                             else "Its one figure has not been independently verified.")
        else:
            parts = [f"{verified} verified" if verified else None, f"{disputed} disputed" if disputed else None,
                     f"{total - verified - disputed} reported but unverified" if total - verified - disputed else None]
            sentences.append(f"Of its {total} figures, " + _join([p for p in parts if p]) + ".")
    return " ".join(sentences), one_outlet


def _source_row(number: int, article, registry: SourceRegistry) -> tuple:
    kind = registry.kind_of(article.publisher) if article.publisher else "unknown"
    relays = "; ".join(o.name + (f" ({registry.kind_of(o.name, o.kind)})"
                                 if registry.kind_of(o.name, o.kind) != "unknown" else "")
                       + (", translated" if o.translated else "") for o in article.origin)
    translated = ("yes" if any(o.translated for o in article.origin) else "no") if article.origin else "—"
    warning = "—"
    if article.disclaimers:
        text, opening, closing = article.disclaimers[0].strip(), "“", "”"
        if len(text) > 2 and text[0] in "“\"" and text[-1] in "”\"":  # already quoted: its own quotes, once
            text, opening, closing = text[1:-1], text[0], text[-1]
        words = text.split()
        warning = opening + " ".join(words[:WARNING_WORDS]) + (" …" if len(words) > WARNING_WORDS else "") + closing
        if len(article.disclaimers) > 1:
            warning += f" (and {len(article.disclaimers) - 1} more)"
    notes = ([] if kind == "unknown" else [kind.replace('-', ' ')]) + (
        ["publisher inferred"] if _publisher_inferred(article) else [])
    outlet = (article.publisher or "not stated") + (f" ({', '.join(notes)})" if notes else "")
    return (number, outlet, relays or "—", translated, warning, date_cell(article))


def _publisher_inferred(article) -> bool:
    """Return whether the article's publisher is reegen's inference or derivation, not stated by the source."""
    how = (getattr(article, "provenance", None) or {}).get("publisher", "stated")
    return bool(article.publisher) and how not in ("stated", "user")


def date_cell(article) -> str:
    """Return a source's date as the table shows it: stated (or marked as reegen's), or "undated" and what bounds it."""
    if article.published:
        how = (getattr(article, "provenance", None) or {}).get("published", "stated")
        return format_date(article.published) + ("" if how in ("stated", "user") else f" ({how})")
    relayed = relayed_date(article)
    return f"undated; relays a report of {format_date(relayed)}" if relayed else "undated"


def _one_per_kind(caveats) -> tuple[Caveat, ...]:
    """Return `caveats` with those of one kind merged into one, so that no two bullets carry the same label."""
    merged: dict[str, Caveat] = {}
    for c in caveats:
        if c.kind in merged and c.kind != "analyst":
            first = merged[c.kind]
            merged[c.kind] = Caveat(c.kind, first.text + " " + c.text,
                                    tuple(dict.fromkeys(first.numbers + c.numbers)),
                                    tuple(dict.fromkeys(first.article_ids + c.article_ids)))
        else:
            merged.setdefault(c.kind if c.kind != "analyst" else f"analyst{len(merged)}", c)
    return tuple(merged.values())


def _join_names(names: list[str]) -> str:
    """Return names joined for a sentence; with semicolons when a name holds "and" itself."""
    if any(" and " in name or "," in name for name in names):
        return "; ".join(names)
    return _join(names)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def pool_basis(pool) -> str:
    """Return the line a brief opens with: how many articles, from whom, of when; right for any mix.

    "Based on five articles: four from Rare Earth Exchanges and one without a stated
    publisher; published 2 to 20 July 2025 (three), two undated."
    """
    n = len(pool)
    if not n:
        return "Based on no articles."
    if not any(a.publisher or a.published for a in pool):
        return f"Based on {count_words(n)} {'article' if n == 1 else 'articles'}, with no stated publisher or date."
    by: dict[str | None, int] = {}
    for a in pool:
        by[a.publisher or None] = by.get(a.publisher or None, 0) + 1
    named = sorted(((p, c) for p, c in by.items() if p), key=lambda i: (-i[1], i[0]))
    unnamed = by.get(None, 0)
    article = "article" if n == 1 else "articles"
    if len(named) == 1 and not unnamed:
        text = f"Based on one {article} from {named[0][0]}" if n == 1 else \
            f"Based on {count_words(n)} {article}, {'both' if n == 2 else 'all'} from {named[0][0]}"
    else:
        parts = [f"{count_words(c)} from {p}" for p, c in named]
        if unnamed:
            parts.append(f"{count_words(unnamed)} without a stated publisher")
        text = f"Based on {count_words(n)} {article}: " + _join(parts)
    dates = sorted(a.published for a in pool if a.published)
    if dates:
        span = format_date(dates[0]) if dates[0] == dates[-1] else f"{format_date(dates[0])} to {format_date(dates[-1])}"
        if len(dates) == n:
            text += f"; published {span}"
        else:
            text += (f"; {count_words(len(dates))} dated ({span}), {count_words(n - len(dates))} undated")
    elif n:
        text += "; undated" if n == 1 else "; none dated"
    return text + "."
