"""`reegen figures`: every numeric claim a brief would carry, with its id, kind, status and source."""

from __future__ import annotations

import click

from ._common import brief_name, common_options, json_failures, naming_brief, print_json, spec_paths


@click.command("figures")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--pool", "every", is_flag=True, help="List every figure of the pool's articles, carried or not.")
@click.option("--all", "every_old", is_flag=True, hidden=True, help="Deprecated name of --pool.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools instead of a table.")
@click.option("--strict", is_flag=True, help="Treat warnings (such as ledger ids matching no figure) as errors.")
@common_options
def figures_command(spec, every, every_old, as_json, strict):
    """List the figures a brief would carry: id, value, kind, status, source, what it measures.

    Use the ids as keys of the spec's verification ledger.

    Example: reegen figures briefs/baotou-executive.yaml
    """
    if every_old:  # --all means "every spec" on build and validate; here it was "every figure"
        click.echo("warning: figures --all is deprecated; use --pool", err=True)
        every = True
    with json_failures(as_json, "reegen.figures", spec=spec, all=every, figures=[], warnings=[]):
        _figures(spec, every, as_json, strict)


def _figures(spec: str, every: bool, as_json: bool, strict: bool) -> None:
    from .. import api
    from ..errors import BuildFailed, ReegenError, Report, collate
    from . import print_diagnostics

    spec = spec_paths((spec,))[0]
    try:
        plan, warnings = api.load_figures(spec, strict=strict)
    except ReegenError as exc:  # the problems name the brief, as build's and validate's do
        raise BuildFailed(Report(collate(naming_brief(spec, exc.diagnostics)))) from exc
    warnings = collate(naming_brief(spec, warnings))  # as build and validate name them
    rows = plan.pool if every else plan.carried
    carried = {i for r in plan.carried for i in r.ids} if every else None
    if as_json:
        items = [r.to_dict() | ({"carried": r.id in carried} if carried is not None else {}) for r in rows]
        problems = [d.to_dict() for d in warnings]
        print_json("reegen.figures", ok=True, spec=brief_name(spec), all=every, figures=items, warnings=problems,
                   problems=problems)
        return
    print_diagnostics(warnings)
    if not rows:
        click.echo("no figures: the brief draws on no article text with numbers in it"
                   + ("" if every else " (try --pool)"))
        return
    click.echo(format_table(rows, carried))
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("verified", "disputed", "unverified")}
    click.echo(f"\n{len(rows)} figure{'s' if len(rows) != 1 else ''}: {counts['verified']} verified, "
               f"{counts['disputed']} disputed, {counts['unverified']} unverified")


def format_table(rows, carried: set | None = None) -> str:
    """Return `rows` (FigureRows) as an aligned text table, one figure a line.

    With `carried` (the ids the brief carries), a column says whether each figure is one of them.
    """
    head = ("id", "value", "kind", "status", "source", "what it measures")
    if carried is not None:
        head = ("id", "carried", *head[1:])
    lines = []
    for r in rows:
        f = r.figure
        fid = f.id + (f" (={', '.join(i.rpartition('/')[2] for i in r.ids[1:])})" if len(r.ids) > 1 else "")
        status = r.status_text
        if len(status) > 40:
            status = status[:39] + "…"
        measure = f.measure + (f" ({f.period})" if f.period and f.period not in f.measure else "")
        cells = (fid, f.value, f.kind, status, f"[{r.source}]" if r.source else "-", measure)
        if carried is not None:
            cells = (fid, "yes" if f.id in carried else "no", *cells[1:])
        lines.append(cells)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head[:-1])]
    out = []
    for line in (head, *lines):
        cells = [cell.ljust(w) for cell, w in zip(line[:-1], widths)]
        out.append("  ".join(cells + [line[-1]]).rstrip())
    return "\n".join(out)
