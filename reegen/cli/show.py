"""`reegen show`: an article's metadata and sections."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import common_options, current_project, json_failures, print_json


@click.command("show")
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools instead of text.")
@common_options
def show_command(article, as_json):
    """Show an article's metadata, its sections and the figures found in it (by id or path).

    An article with problems is shown as far as it can be read, with its problems,
    and the exit status is 1. With --json, problems are in the JSON document, not on stderr.

    Example: reegen show baotou-high-tech-zone
    """
    with json_failures(as_json, "reegen.show", article=None):
        _show(article, as_json)


def _show(article: str, as_json: bool) -> None:
    from ..corpus import load_article
    from ..parse import parse_body
    from ..errors import ArticleError, BuildFailed, Location, Report, collate, did_you_mean
    from ..model import BulletList, plain_text, walk, Paragraph
    from . import EXIT_CONTENT, print_diagnostics

    project = current_project()
    path = Path(article)
    if not path.is_file():
        path = project.articles_dir / f"{article}.md"
    if not path.is_file():
        known = [p.stem for p in project.articles_dir.glob("*.md")]
        hint = did_you_mean(article, known)
        raise ArticleError(f"unknown article '{article}'" + (f"; {hint}" if hint else ""), code="article.unknown")
    report = Report()
    found = load_article(path, report, display_path=project.display(path))
    if found is not None:
        found = parse_body(found, report)  # its body's problems are shown with the front matter's
    if found is None:
        report.error("the article could not be read", "article.unreadable", Location(project.display(path)))
        raise BuildFailed(report)
    a = found
    if as_json:
        print_json("reegen.show", ok=not report.has_errors(), article=to_dict(a),
                   problems=[d.to_dict() for d in collate(report)])
        if report.has_errors():
            raise click.exceptions.Exit(EXIT_CONTENT)
        return
    print_diagnostics(collate(report))
    how = lambda key: f" ({a.provenance[key]})" if a.provenance.get(key, "stated") != "stated" else ""  # noqa: E731
    click.echo(f"{a.id}: {a.title}{how('title')}")
    click.echo(f"  file:       {a.path}")
    click.echo(f"  publisher:  {a.publisher + how('publisher') if a.publisher else '(not stated)'}")
    click.echo(f"  published:  {a.published.isoformat() + how('published') if a.published else '(not stated)'}")
    if a.url:
        click.echo(f"  url:        {a.url}")
    if a.tags:
        click.echo(f"  tags:       {', '.join(a.tags)}")
    for origin in a.origin:
        dated = f", report of {origin.date.isoformat()}" if origin.date else ""
        click.echo(f"  origin:     {origin.name} ({origin.kind}{', translated' if origin.translated else ''}{dated})")
    for label, ref in a.references.items():
        click.echo(f"  ref [{label}]:   {ref.title or ''} {ref.publisher or ''} {ref.url or ''}".rstrip())
    for disclaimer in a.disclaimers:
        click.echo(f"  disclaimer: {disclaimer}")
    click.echo("  sections:")
    for section in a.sections:
        words = sum(len(plain_text(b.children).split()) for b in walk(section.blocks) if isinstance(b, Paragraph))
        items = sum(len(b.items) for b in section.blocks if isinstance(b, BulletList))
        extra = f", {items} bullets" if items else ""
        click.echo(f"    {section.slug:<40} line {section.line:<4} {words} words{extra}")
    figures = a.figures
    click.echo(f"  figures:{'' if figures else ' (none)'}")
    for f in figures:
        period = f" ({f.period})" if f.period and f.period not in f.measure else ""
        click.echo(f"    {f.id.rpartition('/')[2]:<4} line {f.line or '?':<4} {f.value:<28} {f.kind:<10} {f.measure}{period}")
    if report.has_errors():
        raise click.exceptions.Exit(EXIT_CONTENT)


def to_dict(a) -> dict:
    """Return article `a` as `reegen show --json` prints it (see reegen/data/schemas/show.schema.json)."""
    from ..model import BulletList, Paragraph, plain_text, walk

    sections = []
    for section in a.sections:
        words = sum(len(plain_text(b.children).split()) for b in walk(section.blocks) if isinstance(b, Paragraph))
        bullets = sum(len(b.items) for b in section.blocks if isinstance(b, BulletList))
        sections.append({"slug": section.slug, "title": section.title, "line": section.line, "words": words,
                         "bullets": bullets})
    return {
        "id": a.id, "title": a.title, "path": a.path, "publisher": a.publisher,
        "published": a.published.isoformat() if a.published else None, "url": a.url, "author": a.author,
        "tags": list(a.tags),
        # how each field was found where not stated in the article ("inferred", ...): shown as such
        "provenance": dict(a.provenance),
        "origin": [{"name": o.name, "kind": o.kind, "translated": o.translated,
                    "date": o.date.isoformat() if o.date else None} for o in a.origin],
        "references": [{"label": r.label, "title": r.title, "publisher": r.publisher, "url": r.url, "date": r.date}
                       for r in a.references.values()],
        "disclaimers": list(a.disclaimers),
        "sections": sections,
        "figures": [{"id": f.id, "line": f.line, "value": f.value, "kind": f.kind, "measure": f.measure,
                     "period": f.period} for f in a.figures],
    }
