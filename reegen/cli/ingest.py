"""`reegen ingest`: scraped text, saved pages and Markdown into article files."""

from __future__ import annotations

import click

from ._common import common_options, current_project, is_quiet, shown


def _published(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from ..errors import ReegenError
    from ..ingest import parse_published

    try:
        return parse_published(value)
    except ReegenError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


def _origins(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):
    from ..errors import ReegenError
    from ..ingest.sidecar import parse_origin

    try:
        return tuple(parse_origin(v, "--origin") for v in values)
    except ReegenError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


def _article_id(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from ..errors import ReegenError
    from ..ingest.slugs import check_id

    try:
        return check_id(value, "--id")
    except ReegenError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-d", "--dir", "directory", type=click.Path(file_okay=False),
              help="Folder the article files go into  [default: the project's articles/].")
@click.option("--id", "article_id", callback=_article_id, help="Article id (a lowercase slug); one input only.")
@click.option("--title", help="Title, instead of the one found or derived.")
@click.option("--publisher", help="Publisher, when the text names none.")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD", help="Publication date (ISO).")
@click.option("--author", help="Author, instead of the one found in the byline.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several. Replaces the article's tags.")
@click.option("--origin", "origins", multiple=True, callback=_origins, metavar="NAME[:KIND]",
              help="An outlet the article relays (kind: state-owned, wire, ...); repeatable.")
@click.option("--disclaimer", "disclaimers", multiple=True, metavar="TEXT", help="A disclaimer to add; repeatable.")
@click.option("--sidecar", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
              help="CSV or YAML with one row of metadata per input file (keyed by file name).")
@click.option("--dry-run", is_flag=True, help="Print each article and its report; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite article files that already exist.")
@common_options
def ingest_command(paths, directory, article_id, title, publisher, published, author, tags, origins, disclaimers,
                   sidecar, dry_run, force):
    """Turn scraped text, HTML or Markdown into article files, saying what was repaired.

    Each PATH becomes DIR/<id>.md in the article format (DIR: the project's articles/
    unless -d names another). Every repair, removal and missing field is printed as
    `path:line: kind: detail`, then a summary of the fields each article still lacks;
    with -q only what needs attention (refusals, missing fields, conflicts). An input that is not an article (binary, script, a
    JavaScript notice, navigation only) is refused with one line; the others are still
    written, and the exit status is 1.

    Example:

        reegen ingest ../shared/seeds/*.txt -d articles/ --publisher "Rare Earth Exchanges"
    """
    if article_id is not None and len(paths) > 1:
        raise click.UsageError("--id names one article; give it with a single PATH")
    quiet = is_quiet()
    if directory is None:  # outside a project, -d must say where: no quiet ./articles
        directory = shown(current_project().articles_dir)
    from ..errors import BuildFailed
    from ..ingest import Overrides, ingest_paths

    overrides = Overrides(id=article_id, title=title, publisher=publisher, published=published, author=author,
                          tags=tuple(t.strip().lower() for t in tags if t.strip()), origins=origins,
                          disclaimers=tuple(d.strip() for d in disclaimers if d.strip()))
    table = None
    if sidecar:
        from ..ingest.sidecar import load_sidecar

        table = load_sidecar(sidecar, overrides)
        names = {click.format_filename(p).replace("\\", "/").rsplit("/", 1)[-1] for p in paths}
        for key in sorted(set(table) - names):
            click.echo(f"{sidecar}: sidecar row for '{key}', which is not among the inputs; ignored")
    kwargs = {"overrides": overrides, "dry_run": dry_run, "force": force}
    if table is not None:
        kwargs["sidecar"] = table
    failure = None
    try:
        results = ingest_paths(paths, directory, **kwargs)
    except BuildFailed as exc:
        failure = exc
        results = getattr(exc, "results", [])
    for result in results:
        if dry_run:
            click.echo(f"# {result.target} (from {result.source})")
            click.echo(result.text, nl=False)
            click.echo()
        elif not quiet:
            verb = "unchanged" if result.status == "unchanged" else "wrote"
            click.echo(f"{verb} {result.target} (from {result.source})")
        for line in (result.report.attention() if quiet else result.report.sorted()):
            click.echo(line.format(result.report.path))
    _summary(results, quiet)
    if not dry_run:
        written = sum(r.status == "written" for r in results)
        refused = f", {len(failure.report.errors)} refused" if failure is not None else ""
        click.echo(f"{written} written, {len(results) - written} unchanged{refused}")
    if failure is not None:
        raise failure


#: the fields a brief needs from every article; the summary names those still missing
_WANTED = ("publisher", "published", "author", "url")


def _summary(results, quiet: bool) -> None:
    """Print, per article, the fields still missing and those reegen derived rather than read."""
    lines = []
    for result in results:
        draft = result.draft
        missing = [k for k in _WANTED if not getattr(draft, k)]
        derived = [f"{k} {v}" for k, v in draft.provenance.items() if v in ("derived", "inferred")]
        if missing or derived:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if derived:
                parts.append(", ".join(derived))
            lines.append(f"  {result.article_id}: {'; '.join(parts)}")
    if lines:
        click.echo(f"summary: {len(lines)} of {len(results)} articles need attention")
        for line in lines:
            click.echo(line)
    elif results and not quiet:
        click.echo(f"summary: all {len(results)} articles have publisher, date, author and url")
