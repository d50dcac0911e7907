"""`reegen validate`: check specs, articles and templates without rendering."""

from __future__ import annotations

import json

import click

from ._common import common_options, info, spec_paths


@click.command("validate")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Validate every spec in briefs/ (the default when no SPEC is named).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print problems (json for CI annotations).")
@common_options
def validate_command(specs, all_specs, strict, fmt):
    """Check brief specs, the articles they use and their templates (no SPEC: every spec in briefs/).

    Example: reegen validate --all --strict
    """
    from .. import api
    from . import EXIT_CONTENT, print_diagnostics

    paths = spec_paths(specs, all_specs)
    report = api.validate(paths, strict=strict)
    for diagnostic in _advice(paths) if not report.has_errors() else ():
        report.diagnostics.append(diagnostic.as_error() if strict else diagnostic)
    if fmt == "json":
        click.echo(json.dumps([d.to_dict() for d in report], indent=2, ensure_ascii=False))
    else:
        print_diagnostics(report)
        if not report.has_errors():
            info(f"ok: {len(paths)} spec{'s' if len(paths) != 1 else ''} valid"
                 + (f", {len(report.warnings)} warning(s)" if report.warnings else ""))
    if report.has_errors():
        raise click.exceptions.Exit(EXIT_CONTENT)


def _advice(paths) -> list:
    """Return warnings about what a brief lacks for its reader, such as an executive brief without judgements."""
    from pathlib import Path

    from ..errors import ReegenError, Report
    from ..project import load_project
    from ..spec import load_spec, missing_judgements

    out = Report()
    for path in paths:
        try:
            project = load_project(path)
        except ReegenError:
            continue  # already reported by the validation above
        spec = load_spec(Path(path), Report(), display_path=project.display(path), defaults=project.defaults)
        if spec is not None:
            missing_judgements(spec, out)
    return out.diagnostics
