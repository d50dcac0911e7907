"""`reegen build`: render briefs to PDF, DOCX and the other formats."""

from __future__ import annotations

import os
import sys

import click

from ._common import spec_paths, split_formats


@click.command("build")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Build every spec in briefs/.")
@click.option("-f", "--formats", metavar="LIST", help="Comma-separated formats: pdf,docx,md,html,json.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), help="Write outputs into this folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the outputs are up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Build this many briefs in parallel.")
@click.option("--watch", is_flag=True, help="Rebuild whenever an input changes (Ctrl-C to stop).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
def build_command(specs, all_specs, formats, out_dir, strict, force, jobs, watch, quiet):
    """Build briefs from their specs; briefs whose inputs are unchanged are skipped.

    Example: reegen build briefs/baotou-executive.yaml -f pdf,docx -o out/
    """
    from . import EXIT_CONTENT

    paths = spec_paths(specs, all_specs)
    chosen = split_formats(formats)
    if watch:
        _watch(paths, specs, all_specs, chosen, out_dir, strict, quiet)
        return
    if len(paths) == 1 and jobs == 1:
        from .. import api

        # One brief: let a ReegenError reach the group's boundary, which prints it and exits 1.
        result = api.build(paths[0], formats=chosen, out_dir=out_dir, strict=strict, force=force)
        from ..batch import Outcome

        _print(Outcome(str(paths[0]), result.skipped, [str(p) for p in result.outputs.values()],
                       list(result.warnings), []), quiet, None)
        return
    from ..batch import build_many

    progress = sys.stderr.isatty() and not quiet
    outcomes = build_many(paths, formats=chosen, out_dir=out_dir, strict=strict, force=force, jobs=jobs,
                          on_done=lambda outcome, done, total: _print(outcome, quiet, (done, total) if progress else None))
    failed = sum(1 for o in outcomes if o.errors)
    if failed:
        click.echo(f"{failed} of {len(paths)} briefs failed", err=True)
        raise click.exceptions.Exit(EXIT_CONTENT)


def _print(outcome, quiet: bool, progress: tuple[int, int] | None, when: str | None = None) -> None:
    from . import print_diagnostics

    print_diagnostics(outcome.warnings)
    print_diagnostics(outcome.errors)
    if progress:
        done, total = progress
        state = "failed" if outcome.errors else "up to date" if outcome.skipped else "built"
        click.echo(f"[{done}/{total}] {_shown(outcome.spec)}: {state}", err=True)
    if quiet or outcome.errors:
        return
    verb = "up to date" if outcome.skipped else "wrote"
    prefix = f"[{when}] " if when else ""
    for output in outcome.outputs:
        click.echo(f"{prefix}{verb} {_shown(output)}")


def _watch(paths, specs, all_specs: bool, formats, out_dir, strict: bool, quiet: bool) -> None:
    """Build, then rebuild on every change of an input, printing each round once with its time."""
    from pathlib import Path

    from ..watch import stamp, watch

    # With every spec of briefs/ asked for, a spec added while watching is one of them too.
    specs_dir = None
    if all_specs or not specs:
        from ..project import load_project

        specs_dir = load_project(Path.cwd()).briefs_dir

    def started(project) -> None:
        if not quiet:
            click.echo(f"watching {_shown(project.root)} for changes to articles/, briefs/, templates/ and "
                       "reegen.toml; Ctrl-C to stop", err=True)

    def report(round_) -> None:
        when = stamp()
        if round_.changes and not quiet:
            shown = ", ".join(round_.changes[:5]) + (f" and {len(round_.changes) - 5} more" if len(round_.changes) > 5 else "")
            click.echo(f"[{when}] changed {shown}", err=True)
        for outcome in round_.outcomes:
            _print(outcome, quiet, None, when)
            if outcome.errors:
                click.echo(f"[{when}] failed {_shown(outcome.spec)} "
                           f"({len(outcome.errors)} problem{'s' if len(outcome.errors) != 1 else ''})", err=True)
        for spec in round_.still_failing:
            click.echo(f"[{when}] still failing {_shown(spec)} (the problems shown above)", err=True)

    watch(paths, formats=formats, out_dir=out_dir, strict=strict, specs_dir=specs_dir, report=report,
          on_start=started)


def _shown(path) -> str:
    """Return `path` relative to the working folder when it lies inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel
