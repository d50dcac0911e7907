"""`reegen build`: render briefs to PDF, DOCX and the other formats."""

from __future__ import annotations

import sys

import click

from ._common import common_options, is_quiet, is_verbose, naming_brief, shown, spec_paths, split_formats


@click.command("build")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Build every spec in briefs/ (the default when no SPEC is named).")
@click.option("-f", "--formats", metavar="LIST", help="Comma-separated formats: pdf,docx,md,html,json.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), help="Write outputs into this folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the outputs are up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Build this many briefs in parallel.")
@click.option("--watch", is_flag=True, help="Rebuild whenever an input changes (Ctrl-C to stop).")
@common_options
def build_command(specs, all_specs, formats, out_dir, strict, force, jobs, watch):
    """Build briefs: each SPEC, or with none every spec in the project's briefs/.

    A SPEC is a file, or a name in briefs/ (weekly for briefs/weekly.yaml). Briefs whose
    inputs are unchanged are skipped. On a terminal, several briefs show a
    progress bar; -q shows only problems, -v a line per brief.

    Example: reegen build briefs/baotou-executive.yaml -f pdf,docx -o out/
    """
    from . import EXIT_CONTENT

    quiet = is_quiet()
    paths = spec_paths(specs, all_specs)
    chosen = split_formats(formats)
    if watch:
        _watch(paths, specs, all_specs, chosen, out_dir, strict, quiet)
        return
    if len(paths) == 1 and jobs == 1:
        from .. import api
        from ..errors import BuildFailed, Report, ReegenError, collate

        # A brief that takes long (a 1,000-page PDF is about 15 s) says what it is doing on a terminal.
        stages = _StageLine() if not quiet and not is_verbose() and _on_terminal() else None
        try:
            result = api.build(paths[0], formats=chosen, out_dir=out_dir, strict=strict, force=force,
                               progress=stages)
        except ReegenError as exc:
            # The group's boundary prints it and exits 1; problems name the brief as validate's do.
            raise BuildFailed(Report(collate(naming_brief(paths[0], exc.diagnostics)))) from exc
        finally:
            if stages is not None:
                stages.close()
        from . import print_diagnostics

        print_diagnostics(collate(naming_brief(paths[0], result.warnings)))
        _print_outputs(str(paths[0]), result.skipped, [str(p) for p in result.outputs.values()], quiet)
        if is_verbose():
            click.echo(f"[1/1] {shown(paths[0])}: {'up to date' if result.skipped else 'built'}", err=True)
        return
    from ..batch import build_many
    from ..errors import collate
    from . import print_diagnostics

    verbose = is_verbose()
    bar = _progress_bar(len(paths)) if not quiet and not verbose and _on_terminal() else None

    def done(outcome, count, total):
        if bar is None:
            _print(outcome, quiet, (count, total) if verbose else None, diagnostics=False)
            return
        with bar.external_write_mode():  # lines printed above the bar, which is drawn again below them
            _print(outcome, quiet, None, diagnostics=False)
        bar.set_postfix_str(shown(outcome.spec), refresh=False)
        bar.update(1)

    try:
        outcomes = build_many(paths, formats=chosen, out_dir=out_dir, strict=strict, force=force, jobs=jobs,
                              on_done=done)
    finally:
        if bar is not None:
            bar.close()
    # Problems wait for the end, where one met by several briefs is told once, naming them in
    # the order of the specs (as validate does), whichever brief finished first.
    print_diagnostics(collate(d for o in outcomes for d in naming_brief(o.spec, [*o.warnings, *o.errors])))
    failed = sum(1 for o in outcomes if o.errors)
    if failed:
        click.echo(f"{failed} of {len(paths)} briefs failed", err=True)
        raise click.exceptions.Exit(EXIT_CONTENT)


def _on_terminal() -> bool:
    """Return whether stderr is a terminal (a log or a pipe gets no progress bar)."""
    return sys.stderr.isatty()


def _progress_bar(total: int):
    """Return a progress bar over `total` briefs on stderr (tqdm: small, maintained, no dependencies)."""
    return _tqdm()(total=total, unit="brief", file=sys.stderr, leave=False, **_width())


def _tqdm():
    """Return tqdm's bar class without its monitor thread.

    The thread only retunes how often a bar this slow redraws; with a second thread running,
    `build_many` could not fork its workers with the writers loaded, and a build's template
    limits would not hold.
    """
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar


def _width() -> dict:
    """Return tqdm's size arguments for stderr's terminal."""
    import os

    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    # A terminal nobody gave a size (`script` run from a pipe, some CI runners) says 0 columns
    # and 0 rows, which tqdm takes as no room at all: draw an 80-column bar there.
    return {"dynamic_ncols": True} if columns else {"ncols": 80, "nrows": 24}


_STAGE_NAMES = {"prepare": "composing the brief", "pdf": "laying out the PDF"}


class _StageLine:
    """One line on stderr saying what a single brief's build is doing: `api.build`'s `progress`.

    Drawn from the first stage a build reports (an up-to-date brief reports none), redrawn
    at most ten times a second, and cleared when the build ends (tqdm, as the bar of
    several briefs, with no monitor thread: `_tqdm`).
    """

    def __init__(self) -> None:
        self.line = None

    def __call__(self, stage: str, page: int) -> None:
        name = _STAGE_NAMES.get(stage) or f"writing the {stage.upper()}"
        text = f"{name}: page {page}" if page else name
        if self.line is None:
            self.line = _tqdm()(total=None, file=sys.stderr, leave=False, mininterval=0.1, bar_format="{desc} ({elapsed})",
                             desc=text, **_width())
            return
        self.line.set_description_str(text, refresh=False)
        self.line.update(0)  # drawn when the redraw interval allows

    def close(self) -> None:
        if self.line is not None:
            self.line.close()


def _print(outcome, quiet: bool, progress: tuple[int, int] | None, when: str | None = None, *,
           diagnostics: bool = True) -> None:
    from . import print_diagnostics

    if diagnostics:
        print_diagnostics(outcome.warnings)
        print_diagnostics(outcome.errors)
    if progress:
        done, total = progress
        state = "failed" if outcome.errors else "up to date" if outcome.skipped else "built"
        click.echo(f"[{done}/{total}] {shown(outcome.spec)}: {state}", err=True)
    if not outcome.errors:
        _print_outputs(outcome.spec, outcome.skipped, outcome.outputs, quiet, when)


def _print_outputs(spec, skipped: bool, outputs, quiet: bool, when: str | None = None) -> None:
    """Print a `wrote …` (or `up to date …`) line per output, unless `-q`."""
    if quiet:
        return
    verb = "up to date" if skipped else "wrote"
    prefix = f"[{when}] " if when else ""
    for output in outputs:
        click.echo(f"{prefix}{verb} {shown(output)}")


def _watch(paths, specs, all_specs: bool, formats, out_dir, strict: bool, quiet: bool) -> None:
    """Build, then rebuild on every change of an input, printing each round once with its time."""
    from ..watch import stamp, watch
    from ._common import current_project

    # With every spec of briefs/ asked for, a spec added while watching is one of them too.
    specs_dir = current_project().briefs_dir if all_specs or not specs else None

    def started(project) -> None:
        if not quiet:
            click.echo(f"[{stamp()}] watching {project.root} for changes to articles/, briefs/, templates/ and "
                       "reegen.toml; Ctrl-C to stop", err=True)

    from ..errors import collate
    from . import print_diagnostics

    told: dict[str, set[str]] = {}

    def report(round_) -> None:
        when = stamp()
        if round_.changes and not quiet:
            names = ", ".join(round_.changes[:5]) + (f" and {len(round_.changes) - 5} more" if len(round_.changes) > 5 else "")
            click.echo(f"[{when}] changed {names}", err=True)
        # Each problem, warning or error, is printed once while it persists (as the preview does),
        # and one several briefs meet once, naming them (as a build's report does).
        new = []
        for outcome in round_.outcomes:
            problems = [*outcome.warnings, *outcome.errors]
            before = told.get(outcome.spec, set())
            told[outcome.spec] = {str(d) for d in problems}
            new += naming_brief(outcome.spec, [d for d in problems if str(d) not in before])
        print_diagnostics(collate(new))
        for outcome in round_.outcomes:
            _print(outcome, quiet, None, when, diagnostics=False)
            if outcome.errors:
                click.echo(f"[{when}] failed {shown(outcome.spec)} "
                           f"({len(outcome.errors)} problem{'s' if len(outcome.errors) != 1 else ''})", err=True)
        for spec in round_.still_failing:
            click.echo(f"[{when}] still failing {shown(spec)} (the problems shown above)", err=True)

    watch(paths, formats=formats, out_dir=out_dir, strict=strict, specs_dir=specs_dir, report=report,
          on_start=started)
