"""`reegen validate`: check specs, articles and templates without rendering."""

from __future__ import annotations

import json

import click

from ._common import brief_name, common_options, info, spec_paths


@click.command("validate")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Validate every spec in briefs/ (the default when no SPEC is named).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="How to print problems: text, one JSON object (see README), or GitHub Actions annotations.")
@common_options
def validate_command(specs, all_specs, strict, fmt):
    """Check brief specs, the articles they use and their templates (no SPEC: every spec in briefs/).

    Every stage is checked as far as it can be, so one run reports every problem,
    sorted by file and line.

    Example: reegen validate --all --strict
    """
    from .. import api
    from ..errors import ReegenError, Report, collate
    from . import EXIT_CONTENT, print_diagnostics

    try:
        paths = spec_paths(specs, all_specs)
    except ReegenError as exc:  # no project, no specs: in the format asked for, as any other problem
        if fmt == "text":
            raise
        paths, report = [], Report(collate(exc.diagnostics))
    else:
        report = api.validate(paths, strict=strict)
    if paths and not report.has_errors():
        advice = _advice(paths)
        report.diagnostics[:] = collate([*report, *(d.as_error() if strict else d for d in advice)])
    if fmt == "json":
        click.echo(json.dumps(to_json(report, paths), indent=2, ensure_ascii=False))
    elif fmt == "github":
        for diagnostic in report:
            click.echo(github_annotation(diagnostic, _root(paths)))
    else:
        print_diagnostics(report)
        if not report.has_errors():
            info(f"ok: {len(paths)} spec{'s' if len(paths) != 1 else ''} valid"
                 + (f", {len(report.warnings)} warning(s)" if report.warnings else ""))
    if report.has_errors():
        raise click.exceptions.Exit(EXIT_CONTENT)


def to_json(report, paths) -> dict:
    """Return the `reegen.validate` document of `report` (see reegen/data/schemas/validate.schema.json)."""
    from ..machine import envelope

    return envelope(
        "reegen.validate",
        ok=not report.has_errors(),
        specs=[brief_name(p) for p in paths],
        errors=len(report.errors),
        warnings=len(report.warnings),
        problems=[d.to_dict() for d in report],
    )


def _root(paths):
    """Return the project root the diagnostics' paths are relative to (None outside a project)."""
    from ..errors import ReegenError
    from ..project import load_project

    try:
        return load_project(paths[0]).root
    except (ReegenError, IndexError):
        return None


def github_annotation(diagnostic, root=None, workspace=None) -> str:
    """Return `diagnostic` as a GitHub Actions workflow command (`::error file=…,line=…,title=…::message`).

    Paths are made relative to `workspace` (default: $GITHUB_WORKSPACE, else the current
    folder), where GitHub looks for the files, from the project `root` diagnostics are relative to.
    Values are escaped as GitHub's runner unescapes them: `%`, CR and LF everywhere, and
    `:` and `,` in properties.
    """
    import os

    props = []
    loc = diagnostic.location
    if loc is not None:
        path = loc.path
        if root is not None and not os.path.isabs(path):
            path = os.path.join(root, path)
        base = workspace or os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
        relative = os.path.relpath(path, base) if os.path.isabs(path) else path
        props.append(f"file={_escape_property(relative.replace(os.sep, '/'))}")
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
    props.append(f"title={_escape_property(f'reegen {diagnostic.code}')}")
    message = diagnostic.message
    if diagnostic.hint:
        message += f"\nhint: {diagnostic.hint}"
    where = loc.path if loc else None
    if diagnostic.briefs and where not in diagnostic.briefs:
        message += f"\nbrief{'s' if len(diagnostic.briefs) > 1 else ''}: {', '.join(diagnostic.briefs)}"
    return f"::{diagnostic.severity} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _advice(paths) -> list:
    """Return warnings about what a brief lacks for its reader, such as an executive brief without judgements."""
    import dataclasses
    from pathlib import Path

    from ..errors import ReegenError, Report
    from ..project import load_project
    from ..spec import load_spec, missing_judgements

    out = []
    for path in paths:
        try:
            project = load_project(path)
        except ReegenError:
            continue  # already reported by the validation above
        shown = project.display(path)
        found = Report()
        spec = load_spec(Path(path), Report(), display_path=shown, defaults=project.defaults)
        if spec is not None:
            missing_judgements(spec, found)
        _placeholders(Path(path), shown, found)
        out += [dataclasses.replace(d, briefs=(shown,)) for d in found]
    return out


def _placeholders(path, shown: str, report) -> None:
    """Warn in `report` at each line of the spec at `path` still holding a sentence `reegen new` wrote as a stand-in."""
    from ..errors import Location
    from ..scaffold import PLACEHOLDERS

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return  # already reported by the validation above
    for number, line in enumerate(lines, 1):
        if not line.lstrip().startswith("#") and any(p in line for p in PLACEHOLDERS):
            report.warning("this is the skeleton's stand-in text: replace it with your own before the brief goes out",
                           "spec.placeholder", Location(shown, number))
