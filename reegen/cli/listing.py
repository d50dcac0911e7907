"""`reegen list`: what articles, briefs and templates a project has."""

from __future__ import annotations

import click

from ._common import common_options, current_project


@click.command("list")
@click.argument("what", type=click.Choice(["articles", "briefs", "templates"]))
@common_options
def list_command(what):
    """List the project's articles, briefs or templates.

    Example: reegen list articles
    """
    from ..errors import Report
    from . import print_diagnostics

    project = current_project()
    if what == "articles":
        from ..corpus import load_corpus

        report = Report()
        corpus = load_corpus(project.articles_dir, report, root=project.root)
        for article in corpus:
            date = article.published.isoformat() if article.published else "----------"
            click.echo(f"{article.id}\t{date}\t{article.publisher or '-'}\t{article.title}")
        print_diagnostics(report.errors)
    elif what == "briefs":
        for path in sorted(project.briefs_dir.glob("*.y*ml")):
            click.echo(project.display(path))
    else:
        for name in project.template_names():
            click.echo(name)
