"""`reegen list`: what articles, briefs and templates a project has."""

from __future__ import annotations

import click

from ._common import common_options, current_project, json_failures, print_json


@click.command("list")
@click.argument("what", type=click.Choice(["articles", "briefs", "templates"]))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools instead of lines of text.")
@common_options
def list_command(what, as_json):
    """List the project's articles, briefs or templates.

    An article that cannot be read is reported (and the others listed); the exit
    status is then 1. With --json, problems are in the JSON document, not on stderr.

    Example: reegen list articles
    """
    with json_failures(as_json, "reegen.list", what=what, items=[]):
        _list(what, as_json)


def _list(what: str, as_json: bool) -> None:
    from ..errors import Report, collate
    from . import EXIT_CONTENT, print_diagnostics

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
    problems = collate(report)
    if as_json:
        print_json("reegen.list", ok=not report.has_errors(), what=what, items=items,
                   problems=[d.to_dict() for d in problems])
    else:
        for line in lines:
            click.echo(line)
        print_diagnostics(problems)
    if report.has_errors():
        raise click.exceptions.Exit(EXIT_CONTENT)
