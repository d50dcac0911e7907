"""The figures a brief carries, their verification status, and the Key figures table.

Which figures a brief carries: every figure in the article sections its `from:`
sections draw on (whole sections, so a figure cut by `max_items` or `max_words` is
still accounted for), or of its whole pool when it has no `from:` section, plus those a
`figures: [ids]` section names. A number stated
twice in one article (a lead and a highlight) is one claim: it keeps the id of the
occurrence the brief draws on, and a ledger entry for any of its ids applies.

A `figures: auto` section shows the carried figures of the `from:` material, results
first, then price moves, forecasts and targets; a `figures: [ids]` section shows
those figures in that order. Each figure's status is "reported, unverified" unless the
spec's `verification` ledger says `verified` or `disputed`; its note and Admiralty grade
are shown with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Location, Report, did_you_mean
from ..claims import KINDS, ClaimIndex, Figure
from ..model import Block, Cite, Emph, Inline, Paragraph, Strong, Table, Text

#: Admiralty code: source reliability A-F, optionally followed by information credibility 1-6
ADMIRALTY = re.compile(r"^[A-F][1-6]?$")
_KIND_ORDER = tuple(KINDS)
_STATUS_RANK = {"disputed": 0, "verified": 1, "unverified": 2}


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure as a brief carries it: the figure, its status from the ledger, its source number."""

    figure: Figure
    #: every id in the article stating the same claim; the first is `figure.id`
    ids: tuple[str, ...]
    status: str = "unverified"
    note: str | None = None
    grade: str | None = None
    #: whether a Key figures table shows it
    in_table: bool = False
    #: its article's number in the Sources list (set once the brief is attributed)
    source: int | None = None
    #: other pool articles, from other outlets, stating the same number
    corroborated_by: tuple[str, ...] = ()
    #: how many pool articles state this claim (its own included): how often it recurs across sources
    recurs: int = 1
    #: labels of the article's own references its paragraph cites that the article does not list
    untraced: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.figure.id

    @property
    def status_text(self) -> str:
        """Return the status as printed: "reported, unverified", "verified (B2): matches the Q1 statement"."""
        label = "reported, unverified" if self.status == "unverified" else self.status
        if self.grade:
            label += f" ({self.grade})"
        return label + (f": {self.note}" if self.note else "")

    def to_dict(self) -> dict:
        """Return a JSON-ready mapping (for the manifest and `reegen figures --json`)."""
        f = self.figure
        return {
            "id": f.id, "ids": list(self.ids), "article": f.article_id, "source": self.source,
            "section": f.section, "line": f.line, "value": f.value, "amount": f.amount, "unit": f.unit,
            "conversion": f.conversion, "kind": f.kind, "measure": f.measure, "period": f.period,
            "status": self.status, "note": self.note, "grade": self.grade, "in_table": self.in_table,
            "corroborated_by": list(self.corroborated_by), "sentence": f.sentence, "quote": f.quote,
            "claimant": f.claimant, "recurs": self.recurs, "untraced": list(self.untraced),
        }


@dataclass(frozen=True, slots=True)
class FigurePlan:
    """The figures of one brief: those it carries, and each figures section's table rows."""

    #: every figure the brief carries: in the order the brief draws on them, by source once numbered
    carried: tuple[FigureRow, ...] = ()
    #: section position in the spec -> the rows its table shows
    tables: dict = field(default_factory=dict)
    #: every figure of the pool's articles (what `reegen figures --pool` lists)
    pool: tuple[FigureRow, ...] = ()

    def numbered(self, numbers: dict[str, int]) -> "FigurePlan":
        """Return this plan with source numbers from `numbers` (article id -> number).

        A carried figure whose article the brief does not cite (every item of it was
        cut) is not carried after all.
        """
        done: dict[int, FigureRow] = {}

        def number(row: FigureRow) -> FigureRow:
            # The same rows come back in `carried`, `tables` and `pool`: each is copied once, and directly
            # (dataclasses.replace costs several times more, thousands of times over on a large brief).
            copy = done.get(id(row))
            if copy is None:
                copy = done[id(row)] = FigureRow(
                    row.figure, row.ids, status=row.status, note=row.note, grade=row.grade, in_table=row.in_table,
                    source=numbers.get(row.figure.article_id), corroborated_by=row.corroborated_by,
                    recurs=row.recurs, untraced=row.untraced)
            return copy

        carried = [number(r) for r in self.carried if r.in_table or r.figure.article_id in numbers]
        # By source, then in the order each article states them: how a reader checks them off.
        carried.sort(key=lambda r: (r.source or 0, r.figure.article_id, r.figure.number))
        tables = {k: ShownRows((number(r) for r in rows), getattr(rows, "total", len(rows)))
                  for k, rows in self.tables.items()}
        return FigurePlan(tuple(carried), tables, tuple(number(r) for r in self.pool))


def named_articles(spec, corpus) -> tuple[str, ...]:
    """Return the ids of the articles whose figures `spec` names or restates outside its sections' material.

    These are the articles `plan_figures` looks up beyond the selection: those of the ids in
    `figures:` lists and the verification ledger, and those the spec's own text cites beside a
    number; the parse stage reads their bodies with the pool's.
    """
    ids = [fid.rpartition("/")[0] for section in spec.sections if isinstance(section.figures, tuple)
           for fid in section.figures]
    ids += [entry.figure_id.rpartition("/")[0] for entry in spec.verification]
    own = [(section.text, section.text_line) for section in spec.sections if section.text is not None]
    lines = getattr(spec, "judgement_lines", ()) or ()
    own += [(text, lines[i] if i < len(lines) else 0) for i, text in enumerate(getattr(spec, "judgements", ()) or ())]
    for text, text_line in own:
        ids += [i for _, _, cited in _cached_text_figures(text, text_line, corpus) for i in cited]
    return tuple(dict.fromkeys(i for i in ids if i))


def plan_figures(spec, selection, corpus, report: Report) -> FigurePlan:
    """Return the `FigurePlan` of `spec` over `selection`, recording ledger problems in `report`.

    `corpus` (or None: only the pool and the material are searched) resolves ids a
    `figures:` list names. An unknown id in a list is an error; a ledger id matching no
    figure, a malformed grade, and (with `caveats.require_verified`) an unverified
    figure are warnings, errors with `--strict`.
    """
    def figures_of(article) -> tuple[Figure, ...]:
        return article.figures  # extracted once per article (and kept in the body cache)

    indexes: dict[str, ClaimIndex] = {}

    def same_claim_ids(article, fig: Figure) -> tuple[str, ...]:
        # Every id in `article` stating the claim of `fig`, `fig`'s first: found through an index of the
        # article's claims, not by comparing each figure with every other (quadratic on a line of "1%1%1%…").
        index = indexes.get(article.id)
        if index is None:
            index = indexes[article.id] = ClaimIndex(figures_of(article))
        return (fig.id,) + tuple(o.id for o in index.matches(fig) if o.id != fig.id)

    def lookup_article(article_id: str):
        if corpus is not None:
            return corpus.get(article_id)
        known = {a.id: a for a in selection.pool}
        known.update({m.article.id: m.article for p in selection.sections for m in p.material})
        return known.get(article_id)

    # The carried figures: every figure of the material sections, one row per claim.
    auto: list[FigureRow] = []
    claimed: set[str] = set()
    for plan in selection.sections:
        for material in plan.material:
            for fig in figures_of(material.article):
                if fig.section != material.section.slug or fig.id in claimed:
                    continue
                ids = same_claim_ids(material.article, fig)
                claimed.update(ids)
                auto.append(FigureRow(fig, ids))
    if not any(plan.material for plan in selection.sections):
        # A brief of text and figures only: its figures are those of the whole pool.
        for article in selection.pool:
            for fig in figures_of(article):
                if fig.id not in claimed:
                    ids = same_claim_ids(article, fig)
                    claimed.update(ids)
                    auto.append(FigureRow(fig, ids))
    by_kind = sorted(auto, key=lambda r: _KIND_ORDER.index(r.figure.kind) if r.figure.kind in _KIND_ORDER else 99)

    # Numbers the spec's own text states are the articles' figures restated: each is carried, and counts as
    # one more mention when the table is ranked; one that matches no figure of the articles cited is a warning.
    restated: set[str] = set()
    # The analyst's own prose: each section's `text:`, and the Key judgements printed first.
    own = [(section.title, section.text, section.text_line) for section in spec.sections if section.text is not None]
    lines = getattr(spec, "judgement_lines", ()) or ()
    own += [("Key judgements", text, lines[i] if i < len(lines) else 0)
            for i, text in enumerate(getattr(spec, "judgements", ()) or ())]
    for title, text, text_line in own:
        for line, found, cited in _cached_text_figures(text, text_line, corpus):
            matches = [(article, f) for article in filter(None, map(lookup_article, cited))
                       for f in figures_of(article) if _same_number(found, f)]
            if not matches:
                where = f"the articles it cites ({', '.join(cited)})" if cited else "any article (it cites none)"
                report.warning(f"figure '{found['value']}' in the text of section '{title}' matches no figure "
                               f"of {where}", "figures.text-unmatched", Location(spec.path, line),
                               hint="cite the article that states it, or check the number against it")
                continue
            for article, f in matches:
                restated.add(f.id)
                if f.id not in claimed:
                    ids = same_claim_ids(article, f)
                    claimed.update(ids)
                    auto.append(FigureRow(f, ids))
    if restated:
        by_kind = sorted(auto, key=lambda r: _KIND_ORDER.index(r.figure.kind) if r.figure.kind in _KIND_ORDER else 99)

    tables: dict[int, tuple[FigureRow, ...]] = {}
    listed: list[FigureRow] = []
    for index, section in enumerate(spec.sections):
        if section.figures is None:
            continue
        if section.figures == "auto":
            cap = section.max_items or (EXECUTIVE_LIMIT if spec.template == "executive" else None)
            tables[index] = ("auto", cap)  # ranked once every row is finished (ranks read recurrence)
            continue
        rows = []
        for fid in section.figures:
            fig = _find(fid, lookup_article, figures_of)
            if fig is None:
                report.error(f"figure '{fid}' in section '{section.title}' matches no figure"
                             + _figure_hint(fid, lookup_article, figures_of, corpus),
                             "spec.unknown-figure", Location(spec.path, section.line),
                             hint="list the figures with: reegen figures SPEC --pool")
                continue
            article = lookup_article(fig.article_id)
            ids = same_claim_ids(article, fig)
            rows.append(FigureRow(fig, ids))
        tables[index] = tuple(rows)
        listed += rows

    claims = ClaimIndex(f for a in selection.pool for f in figures_of(a))

    def recurrence(row: FigureRow) -> int:
        # how many sources state it (an article repeating its own number counts once), and the brief's own text
        return (len({f.article_id for f in claims.matches(row.figure)}) or 1) + any(i in restated for i in row.ids)
    # Rank and cap the auto tables: results before targets, then the claims stated most often.
    for index, value in list(tables.items()):
        if isinstance(value, tuple) and value[:1] == ("auto",):
            tables[index] = _ranked(by_kind, value[1], recurrence)
    in_table = {r.id for rows in tables.values() for r in rows}
    carried = list(auto)
    known = {i for r in auto for i in r.ids}
    carried += [r for r in listed if r.id not in known and not known.add(r.id)]
    pool_rows = [FigureRow(f, (f.id,)) for a in selection.pool for f in figures_of(a)]

    ledger = _check_ledger(spec, lookup_article, figures_of, corpus, report)
    chains = {a.id: _chain(a) for a in selection.pool}
    # Pool figures grouped by claim once, so that corroboration compares a row only with its own claim.
    finished: dict[FigureRow, FigureRow] = {}
    corroboration: dict[tuple, tuple[str, ...]] = {}

    def finish(row: FigureRow) -> FigureRow:
        # A row is often finished more than once (carried, in a table, in the pool): the result depends only on it.
        done = finished.get(row)
        if done is not None:
            return done
        entries = [ledger[i] for i in row.ids if i in ledger]
        entries.sort(key=lambda e: _STATUS_RANK.get(e.status, 9))
        entry = entries[0] if entries else None
        f = row.figure
        # Rows of one claim in one article are corroborated alike: worked out once (an article stating one
        # number thousands of times would otherwise compare every pair).
        key = (f.unit, f.kind, f.amount, f.value.casefold(), f.article_id)
        known = corroboration.get(key)
        if known is None:
            chain = chains.get(f.article_id) or _chain(lookup_article(f.article_id))
            same = claims.matches(f)
            known = corroboration[key] = (tuple(dict.fromkeys(
                o.article_id for o in same if o.article_id != f.article_id and chains.get(o.article_id) != chain)),
                len({o.article_id for o in same}) or 1)
        others, recurs = known
        article = lookup_article(f.article_id)
        listed = set(article.references) if article is not None else set()
        untraced = tuple(label for label in f.markers if label not in listed)
        # Built directly rather than with dataclasses.replace, which costs several times more.
        done = finished[row] = FigureRow(
            row.figure, row.ids, status=entry.status if entry else "unverified", note=entry.note if entry else None,
            grade=entry.grade if entry else None, in_table=row.id in in_table, source=row.source,
            corroborated_by=others, recurs=recurs, untraced=untraced)
        return done

    plan = FigurePlan(tuple(finish(r) for r in carried),
                      {k: ShownRows((finish(r) for r in rows), getattr(rows, "total", len(rows)))
                       for k, rows in tables.items()},
                      tuple(finish(r) for r in pool_rows))
    if spec.caveats.require_verified:
        for row in plan.carried:
            if row.status != "verified":
                section_line = next((spec.sections[k].line for k, rows in tables.items() if any(r.id == row.id for r in rows)), None)
                report.warning(
                    f"figure '{row.id}' ({row.figure.value}: {row.figure.measure}) is {row.status_text.split(':')[0]}, "
                    "and the spec requires verified figures", "figures.unverified",
                    Location(spec.path, section_line) if section_line else spec.location("caveats"),
                    hint=f"once checked, add it to the spec's verification ledger: {row.id}: {{status: verified, note: …}}",
                )
    return plan


_CITATION = re.compile(r"\[((?:-?@[\w.-]+(?:\s*;\s*)?)+)\]")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _cached_text_figures(text: str, first_line: int, corpus) -> list[tuple[int, dict, tuple[str, ...]]]:
    """Return `_text_figures(text, first_line)`, kept in the project's cache beside the article bodies.

    A build whose articles all come from the cache does not load the figure finder (its patterns are most
    of what reegen compiles); a spec's text, unchanged since the last build, needs it no more than they do.
    """
    import json
    import sqlite3
    from contextlib import closing

    db_path = getattr(getattr(corpus, "bodies", None), "db_path", None)
    key = None
    if db_path is not None:
        from ..corpus import BodyCache

        key = BodyCache.key("spec-text", "", first_line, None, (text,))  # (the finder's code is in the key)
        try:
            with closing(sqlite3.connect(db_path, timeout=5)) as db, db:
                db.execute("CREATE TABLE IF NOT EXISTS text_figures (key TEXT PRIMARY KEY, found TEXT)")
                row = db.execute("SELECT found FROM text_figures WHERE key = ?", (key,)).fetchone()
            if row:
                return [(int(line), dict(found), tuple(cited)) for line, found, cited in json.loads(row[0])]
        except (sqlite3.Error, ValueError, TypeError):
            pass  # the cache only saves time
    found = _text_figures(text, first_line)
    if key is not None:
        try:
            with closing(sqlite3.connect(db_path, timeout=5)) as db, db:
                db.execute("INSERT OR REPLACE INTO text_figures VALUES (?, ?)",
                           (key, json.dumps([[line, f, list(c)] for line, f, c in found], ensure_ascii=False)))
        except (sqlite3.Error, ValueError, TypeError):
            pass
    return found


def _text_figures(text: str, first_line: int) -> list[tuple[int, dict, tuple[str, ...]]]:
    """Return the figures a spec's `text:` states: (spec line, figure fields, article ids its paragraph cites).

    Read from the text as written (template expressions left out): a paragraph or list item at a time.
    """
    from ..figures import figures_in_sentence, split_sentences

    out = []
    units: list[tuple[int, list[str]]] = []
    for offset, raw in enumerate(text.split("\n")):
        if not raw.strip():
            units.append((first_line + offset, []))
            continue
        if _ITEM.match(raw) or not units or not units[-1][1]:
            units.append((first_line + offset, []))
        units[-1][1].append(_ITEM.sub("", raw, count=1))
    for line, lines in units:
        if not lines:
            continue
        joined = _JINJA.sub(" ", " ".join(lines))
        cited = tuple(dict.fromkeys(i.strip().lstrip("-@") for m in _CITATION.finditer(joined)
                                    for i in m.group(1).split(";") if i.strip()))
        plain = " ".join(_CITATION.sub(" ", joined).replace("**", "").replace("__", "").split())
        for sentence in split_sentences(plain.replace(" .", ".")):
            for found in figures_in_sentence(sentence):
                out.append((line, found, cited))
    return out


def _same_number(found: dict, figure: Figure) -> bool:
    """Return whether a figure of the spec's text and an article's state the same number of the same unit."""
    if found["unit"] != figure.unit:
        return False
    if found["amount"] is None or figure.amount is None:
        return found["value"].casefold() == figure.value.casefold()
    return abs(found["amount"] - figure.amount) <= 1e-9 * max(1.0, abs(figure.amount))


def _find(fid: str, lookup_article, figures_of) -> Figure | None:
    article_id, _, _ = fid.rpartition("/")
    article = lookup_article(article_id) if article_id else None
    if article is None:
        return None
    return next((f for f in figures_of(article) if f.id == fid), None)


def _figure_hint(fid: str, lookup_article, figures_of, corpus) -> str:
    article_id, _, tail = fid.rpartition("/")
    article = lookup_article(article_id) if article_id else None
    if article is None:
        ids = corpus.articles if corpus is not None else ()
        hint = did_you_mean(article_id or fid, ids)
        return f" (no article '{article_id or fid}'" + (f"; {hint})" if hint else ")")
    figs = figures_of(article)
    if not figs:
        return f" (article '{article.id}' has no figures)"
    hint = did_you_mean(fid, [f.id for f in figs])
    span = f"f1–f{len(figs)}" if len(figs) > 1 else "f1"
    return (f"; {hint}" if hint else "") + f" (article '{article.id}' has {span})"


def _check_ledger(spec, lookup_article, figures_of, corpus, report: Report) -> dict:
    """Return the ledger by figure id, warning about ids that match no figure and malformed grades."""
    out = {}
    for entry in spec.verification:
        where = Location(spec.path, entry.line)
        if _find(entry.figure_id, lookup_article, figures_of) is None:
            report.warning(f"ledger entry '{entry.figure_id}' matches no figure"
                           + _figure_hint(entry.figure_id, lookup_article, figures_of, corpus),
                           "spec.unknown-figure", where, hint="list the figures with: reegen figures SPEC --pool")
            continue
        if entry.grade is not None and not ADMIRALTY.match(entry.grade):
            report.warning(f"grade '{entry.grade}' of '{entry.figure_id}' is not an Admiralty code such as B2",
                           "spec.grade", where,
                           hint="source reliability A (reliable) to F (cannot be judged), then information "
                                "credibility 1 (confirmed) to 6 (cannot be judged)")
        out[entry.figure_id] = entry
    return out


def _chain(article) -> tuple:
    """Return who stands behind `article`'s claims: its publisher and the outlets it relays."""
    if article is None:
        return ()
    return ((article.publisher or article.id).casefold(), tuple(sorted(o.name.casefold() for o in article.origin)))


# --------------------------------------------------------------------------- ranking

#: how many rows the Key figures table of an executive brief shows when its section sets no `max_items`
EXECUTIVE_LIMIT = 8
_RESULTS = ("result", "price-move")


class ShownRows(tuple):
    """The rows a Key figures table shows, and `total`: how many its material holds (before the cap)."""

    total: int

    def __new__(cls, rows=(), total: int | None = None):
        self = super().__new__(cls, rows)
        self.total = len(self) if total is None else total
        return self


def _ranked(rows: list[FigureRow], cap: int | None, recurrence) -> ShownRows:
    """Return `rows` ranked and capped to `cap` table rows.

    Results (and price moves) come before forecasts and targets; then the claims stated most
    often across the pool; then the order the brief draws on them. Figures quoted from one
    stretch of one sentence make one row: they stay together and count once against the cap.
    """
    order = {id(r): i for i, r in enumerate(rows)}
    ranked = sorted(rows, key=lambda r: (r.figure.kind not in _RESULTS, -recurrence(r),
                                         _KIND_ORDER.index(r.figure.kind) if r.figure.kind in _KIND_ORDER else 99,
                                         order[id(r)]))
    groups: dict[tuple, list[FigureRow]] = {}
    for r in ranked:
        groups.setdefault(_row_key(r), []).append(r)
    chosen = list(groups.values())
    shown = chosen[:cap] if cap else chosen
    return ShownRows((r for group in shown for r in group), len(chosen))


def _row_key(row: FigureRow) -> tuple:
    """Figures quoted by the same words are one claim, one row: two in one clause, or one sentence two sources relay."""
    f = row.figure
    return ("quote", " ".join(f.quote.casefold().split())) if f.quote else (f.id,)


# --------------------------------------------------------------------------- the table

#: column headings and relative widths of the Key figures table (who says so and status only when needed)
HEADER = ("Figure", "What it measures", "Source", "Kind", "Status")
WIDTHS = {"Figure": 1.75, "What it measures": 3.1, "Who says so": 1.15, "Source": 0.6, "Kind": 1.25, "Status": 1.6}


def key_figures_blocks(rows: tuple[FigureRow, ...], origin: str | None = None) -> tuple[Block, ...]:
    """Return the Key figures table for `rows`, captioned with what every row shares.

    Rows come ranked (see `_ranked`); figures quoted from one stretch of a sentence share a
    row. "What it measures" quotes the sentence; "Who says so" appears when a sentence names
    who makes the claim; a citation the article does not list is flagged in the Source cell.
    A status every row shares is said once in the caption, not on every row. Source cells
    are `Cite`s of the figure's article, numbered by `attribute` like any citation;
    `origin` locates them (the spec line) for error messages.
    """
    if not rows:
        return (Paragraph((Text("No figures were found in the material this brief draws on."),), role="note"),)
    groups: list[list[FigureRow]] = []
    for r in rows:
        if groups and _row_key(groups[-1][0]) == _row_key(r) and len(_row_key(r)) > 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    # Every row unverified: the caption says so once; a desk note or grade goes with its row's quote.
    shared = all(r.status == "unverified" for r in rows)
    claimants = any(g[0].figure.claimant for g in groups)
    columns = ["Figure", "What it measures"] + (["Who says so"] if claimants else []) + ["Source", "Kind"] + \
        ([] if shared else ["Status"])
    body = []
    for group in groups:
        f = group[0].figure
        untraced = tuple(dict.fromkeys(label for r in group for label in r.untraced))
        cells = {
            "Figure": (Text("; ".join(dict.fromkeys(_capitalise(r.figure.value) for r in group))),),
            "What it measures": (Text(quoted(f.quote) if f.quote else f.measure),) + (_desk_note(group) if shared else ()),
            "Who says so": (Text(f.claimant or "—"),),
            "Source": (Cite(tuple(dict.fromkeys(r.figure.article_id for r in group)), origin),) + (
                (Text(" "), Emph((Text(f"untraced ref. {', '.join(untraced)}"),))) if untraced else ()),
            "Kind": (Text(_kind_cell(f) + (f", {f.period}" if f.period else "")),),
            "Status": _status_cell(_worst(group)),
        }
        body.append(tuple(cells[c] for c in columns))
    total = getattr(rows, "total", len(groups))
    caption = "Reported by the sources, not verified." if shared else \
        "Reported by the sources; each row’s status is from the desk’s verification ledger."
    if total > len(groups):
        caption += (f" The {len(groups)} leading figures of {total}: results first, then those most sources state; "
                    "the brief’s manifest lists them all.")
    if any(r.untraced for r in rows):
        caption += " “Untraced”: the article cites a reference there that it does not list."
    table = Table(tuple((Text(h),) for h in columns), tuple(body), caption=(Text(caption),),
                  widths=tuple(WIDTHS[c] for c in columns),
                  align=tuple("right" if c == "Figure" else "left" for c in columns))
    # Said only when the table shows a target or plan, and a grade only when one is shown.
    notes = ["A target or plan states an intention, not a result."] if any(r.figure.kind == "target" for r in rows) else []
    if any(r.grade for r in rows):
        notes.append("Grades follow the Admiralty code: source reliability A (reliable) to F, "
                     "information credibility 1 (confirmed) to 6.")
    return (table,) + ((Paragraph((Text(" ".join(notes)),), role="note"),) if notes else ())


def quoted(words: str) -> str:
    """Return `words` in double quotes, the quotes inside them made single and balanced.

    A figure's words may start or end inside a phrase the article quotes ("… policy
    concierge” model raised …"): the cut half of the pair is put back, so the cell reads
    “… ‘policy concierge’ model raised …” and never shows nested or stray double quotes.
    """
    body = words.strip()
    depth = 0
    opened_at_start = False
    for ch in body:
        if ch == "“":
            depth += 1
        elif ch == "”":
            if depth == 0:
                opened_at_start = True
            else:
                depth -= 1
    if opened_at_start:
        lead = len(body) - len(body.lstrip("… "))
        body = body[:lead] + "“" + body[lead:]
    body += "”" * depth
    return "“" + body.replace("“", "‘").replace("”", "’") + "”"


def _kind_cell(figure) -> str:
    """Return the Kind cell: "Result" where the caption already says every row is reported by the sources."""
    return "Result" if figure.kind == "result" else figure.kind_label


def _desk_note(group: list[FigureRow]) -> tuple[Inline, ...]:
    """Return the ledger's grade and note of an unverified row, to follow its quote: " Desk (C3): data requested."."""
    row = next((r for r in group if r.grade or r.note), None)
    if row is None:
        return ()
    text = "Desk" + (f" ({row.grade})" if row.grade else "") + (f": {row.note}" if row.note else "")
    return (Text(" "), Emph((Text(text + ("" if text.endswith((".", "!", "?")) else ".")),)))


def _worst(group: list[FigureRow]) -> FigureRow:
    return min(group, key=lambda r: _STATUS_RANK.get(r.status, 9))


def _status_cell(row: FigureRow) -> tuple[Inline, ...]:
    grade = f" ({row.grade})" if row.grade else ""
    note = f": {row.note}" if row.note else ""
    if row.status == "unverified":
        return (Emph((Text("Reported, unverified"),)), Text(grade + note))
    return (Strong((Text(row.status.capitalize()),)), Text(grade + note))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].isalpha() else text


__all__ = ["FigurePlan", "FigureRow", "plan_figures", "key_figures_blocks", "ADMIRALTY", "HEADER"]
