"""Helpers shared by the command files: the flags every command takes, and what they mean.

Every command that works inside a project takes the same three options, with the same
meaning (`common_options`):

* `--project DIR`: the project to act on. Default: the nearest folder upwards from the
  current one that holds `reegen.toml`, `briefs/` or `articles/`.
* `-q` / `--quiet`: print nothing but problems and the data asked for (no `wrote …`,
  `created …`, `ok: …` lines, no progress bar).
* `-v` / `--verbose`: also say what was looked at (the project root, each spec).

The options set no parameter of the command function: a command reads them through
`current_project()`, `is_quiet()` and `is_verbose()`, and prints with `info()` and
`detail()`, so wiring them into a command is one decorator.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

_PROJECT = "reegen.project"
_VERBOSITY = "reegen.verbosity"
_FOUND = "reegen.found-project"


def _remember(key: str):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is not None and value is not False:
            ctx.meta[key] = value
        return value
    return callback


def _verbosity(ctx: click.Context, param: click.Parameter, value: bool):
    if not value:
        return value
    level = -1 if param.name == "quiet" else 1
    if ctx.meta.get(_VERBOSITY, 0) not in (0, level):
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together", ctx)
    ctx.meta[_VERBOSITY] = level
    return value


project_option = click.option(
    "--project", type=click.Path(file_okay=False, exists=True), expose_value=False, is_eager=True,
    callback=_remember(_PROJECT), metavar="DIR",
    help="The project folder (default: the nearest folder upwards holding reegen.toml, briefs/ or articles/).")
quiet_option = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity,
                            help="Print nothing but problems and the data asked for.")
verbose_option = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_verbosity,
                              help="Also say what is looked at: the project root, each spec.")


def common_options(command=None, *, project: bool = True):
    """Add `--project` (unless `project=False`), `-q` and `-v` to a Click command function."""
    def decorate(f):
        f = quiet_option(verbose_option(f))
        return project_option(f) if project else f
    return decorate(command) if command is not None else decorate


def _ctx() -> click.Context | None:
    return click.get_current_context(silent=True)


def is_quiet() -> bool:
    """Return whether `-q` was given to the running command."""
    ctx = _ctx()
    return ctx is not None and ctx.meta.get(_VERBOSITY, 0) < 0


def is_verbose() -> bool:
    """Return whether `-v` was given to the running command."""
    ctx = _ctx()
    return ctx is not None and ctx.meta.get(_VERBOSITY, 0) > 0


def info(message: str, *, err: bool = False) -> None:
    """Print a status line (`wrote …`, `created …`), unless `-q`."""
    if not is_quiet():
        click.echo(message, err=err)


def detail(message: str) -> None:
    """Print a line of detail to stderr, with `-v` only."""
    if is_verbose():
        click.echo(message, err=True)


def project_dir() -> str | None:
    """Return the `--project` folder given to the running command, or None."""
    ctx = _ctx()
    return ctx.meta.get(_PROJECT) if ctx is not None else None


def current_project():
    """Return the project the running command acts on (`--project`, else found from the current folder).

    Raises `ProjectError` with a hint when there is none: commands never act on a folder
    that is not a project (`reegen new` outside one would otherwise create `./briefs/`).
    """
    from ..project import find_project

    ctx = _ctx()
    if ctx is not None and _FOUND in ctx.meta:
        return ctx.meta[_FOUND]
    project = find_project(project_dir() or Path.cwd(), explicit=project_dir() is not None)
    detail(f"project: {project.root}")
    if ctx is not None:
        ctx.meta[_FOUND] = project  # found once per command, however many specs are named
    return project


def spec_paths(specs: tuple[str, ...], all_specs: bool = False) -> list[Path]:
    """Return the spec files to act on: those named, or with none (or `--all`) every spec in the project's briefs/.

    A name that is not a file but is a spec of the project (`weekly` for
    `briefs/weekly.yaml`) is taken as that spec.
    """
    paths = [_spec_path(s) for s in specs]
    if all_specs or not paths:
        project = current_project()
        found = project.spec_files()
        if not found:
            from ..errors import Location, ProjectError

            raise ProjectError(f"no brief specs in {project.display(project.briefs_dir)}/",
                               Location(project.display(project.briefs_dir)), code="project.no-specs",
                               hint="add one with `reegen new NAME`")
        paths += [p for p in found if p not in paths]
    for path in paths:
        detail(f"spec: {shown(path)}")
    return paths


def _spec_path(name: str) -> Path:
    """Return the spec file `name` stands for: the path itself, or the project's `briefs/NAME.yaml`."""
    path = Path(name)
    if path.exists() or path.parent != Path(".") and not project_dir():
        return path
    from ..errors import ProjectError

    try:
        project = current_project()
    except ProjectError:
        if path.parent == Path(".") and not path.suffix:
            raise  # a bare name stands for a spec of a project, and there is none: say so, with the hint
        return path  # a path that is not there: reported as not found by the command
    for candidate in (project.root / name, project.briefs_dir / name, project.briefs_dir / f"{name}.yaml",
                      project.briefs_dir / f"{name}.yml"):
        if candidate.is_file():
            return candidate
    return path


def brief_name(spec) -> str:
    """Return how problems name the brief at `spec`: its path relative to its project's root."""
    from ..errors import ReegenError
    from ..project import load_project

    if not Path(spec).is_file():
        return str(spec)  # as the "not found" problem names it
    try:
        return load_project(spec).display(spec)
    except ReegenError:
        return str(spec)


def naming_brief(spec, diagnostics) -> list:
    """Return `diagnostics` each marked as a problem of the brief at `spec` (see `errors.collate`)."""
    import dataclasses

    if not diagnostics:
        return []  # finding the brief's project costs a read of reegen.toml: not for a brief with nothing to say
    brief = brief_name(spec)
    return [dataclasses.replace(d, briefs=(brief,)) for d in diagnostics]


def shown(path) -> str:
    """Return `path` relative to the working folder when it lies inside it, for messages."""
    import os

    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def print_json(kind: str, **fields) -> None:
    """Print the versioned JSON document `kind` (see `reegen.machine`) made of `fields`, on stdout."""
    import json

    from ..machine import envelope

    click.echo(json.dumps(envelope(kind, **fields), indent=2, ensure_ascii=False))


@contextmanager
def json_failures(as_json: bool, kind: str, **empty):
    """Turn a `ReegenError` raised in the block into the `kind` document of a failed command, when `as_json`.

    A tool that asked for JSON gets JSON whatever happens: `ok` false, the data fields
    `empty` (no items, no article), every problem in `problems`, nothing on stderr, and
    exit status 1, as for text. Usage errors (exit 2) stay Click's text.
    """
    from ..errors import ReegenError, collate

    try:
        yield
    except ReegenError as exc:
        if not as_json:
            raise
        print_json(kind, ok=False, **empty, problems=[d.to_dict() for d in collate(exc.diagnostics)])
        raise click.exceptions.Exit(1) from None


def split_formats(value: str | None) -> list[str] | None:
    """Return the formats of a `-f pdf,docx` option, checked against the writer registry."""
    if value is None:
        return None
    from ..writers import REGISTRY

    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in REGISTRY]
    if unknown or not formats:
        raise click.BadParameter(f"unknown format '{unknown[0] if unknown else value}' (choose from {', '.join(REGISTRY)})",
                                 param_hint="'-f' / '--formats'")
    return formats
