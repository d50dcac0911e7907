"""`reegen list`: what articles, briefs and templates a project has."""

from __future__ import annotations

import click

from ._common import common_options, current_project


@click.command("list")
@click.argument("what", type=click.Choice(["articles", "briefs", "templates"]))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools instead of lines of text.")
@common_options
def list_command(what, as_json):
    """List the project's articles, briefs or templates.

    Example: reegen list articles
    """
    from ..errors import Report
    from . import print_diagnostics

    project = current_project()
    report = Report()
    if what == "articles":
        from ..corpus import load_corpus

        corpus = load_corpus(project.articles_dir, report, root=project.root)
        items = [{"id": a.id, "title": a.title, "path": a.path, "publisher": a.publisher,
                  "published": a.published.isoformat() if a.published else None, "tags": list(a.tags)}
                 for a in corpus]
        lines = [f"{i['id']}\t{i['published'] or '----------'}\t{i['publisher'] or '-'}\t{i['title']}" for i in items]
    elif what == "briefs":
        items = [{"path": project.display(path)} for path in sorted(project.briefs_dir.glob("*.y*ml"))]
        lines = [i["path"] for i in items]
    else:
        items = [{"name": name} for name in project.template_names()]
        lines = [i["name"] for i in items]
    if as_json:
        import json

        from ..machine import envelope

        document = envelope("reegen.list", what=what, items=items, problems=[d.to_dict() for d in report.errors])
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for line in lines:
            click.echo(line)
    print_diagnostics(report.errors)
