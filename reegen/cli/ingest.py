"""`reegen ingest`: scraped text, saved pages and Markdown into article files."""

from __future__ import annotations

import click



def _published(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from ..errors import ReegenError
    from ..ingest import parse_published

    try:
        return parse_published(value)
    except ReegenError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-d", "--dir", "directory", default="articles", show_default=True, type=click.Path(file_okay=False),
              help="Folder the article files go into.")
@click.option("--id", "article_id", help="Article id (a lowercase slug); one input only.")
@click.option("--title", help="Title, instead of the one found or derived.")
@click.option("--publisher", help="Publisher, when the text names none.")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD", help="Publication date (ISO).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several. Replaces the article's tags.")
@click.option("--dry-run", is_flag=True, help="Print each article and its report; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite article files that already exist.")
def ingest_command(paths, directory, article_id, title, publisher, published, tags, dry_run, force):
    """Turn scraped text, HTML or Markdown into article files, saying what was repaired.

    Each PATH becomes DIR/<id>.md in the article format. Every repair, removal and
    missing field is printed as `path:line: kind: detail`.

    Example:

        reegen ingest ../shared/seeds/*.txt -d articles/ --publisher "Rare Earth Exchanges"
    """
    if article_id is not None and len(paths) > 1:
        raise click.UsageError("--id names one article; give it with a single PATH")
    from ..ingest import Overrides, ingest_paths

    overrides = Overrides(id=article_id, title=title, publisher=publisher, published=published,
                          tags=tuple(t.strip().lower() for t in tags if t.strip()))
    results = ingest_paths(paths, directory, overrides=overrides, dry_run=dry_run, force=force)
    for result in results:
        if dry_run:
            click.echo(f"# {result.target} (from {result.source})")
            click.echo(result.text, nl=False)
            click.echo()
        else:
            verb = "unchanged" if result.status == "unchanged" else "wrote"
            click.echo(f"{verb} {result.target} (from {result.source})")
        for line in result.report.lines():
            click.echo(line)
    if not dry_run:
        written = sum(r.status == "written" for r in results)
        click.echo(f"{written} written, {len(results) - written} unchanged")
