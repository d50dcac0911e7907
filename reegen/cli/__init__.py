"""The command line: a Click group with one error boundary; each command is a thin file.

Exit statuses: 0 success; 1 a content problem (every diagnostic printed as
`path:line: error: message [code]`); 2 a usage error (Click's own); 70 an internal
error (a bug: the message says how to get the traceback with --debug).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from .. import collector
from ._common import common_options

#: command name -> "module:attribute"; imported only when the command runs or help lists it
COMMANDS = {
    "build": "reegen.cli.build:build_command",
    "validate": "reegen.cli.validate:validate_command",
    "list": "reegen.cli.listing:list_command",
    "show": "reegen.cli.show:show_command",
    "figures": "reegen.cli.figures:figures_command",
    "ingest": "reegen.cli.ingest:ingest_command",
    "index": "reegen.cli.index:index_command",
    "init": "reegen.cli.init:init_command",
    "new": "reegen.cli.init:new_command",
    "schema": "reegen.cli.schema:schema_command",
    "template": "reegen.cli.template:template_command",
    "preview": "reegen.cli.preview:preview_command",
}

EXIT_CONTENT = 1
EXIT_INTERNAL = 70


class ReegenGroup(click.Group):
    """A group that loads commands lazily and turns reegen errors into exit statuses."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        from ..errors import ReegenError

        try:
            return super().invoke(ctx)
        except ReegenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            print_diagnostics(exc.diagnostics)
            ctx.exit(EXIT_CONTENT)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # the boundary: a bug must not look like a content problem
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}; rerun with --debug for the traceback",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def print_diagnostics(diagnostics) -> None:
    """Print each diagnostic on its own line(s) to stderr, naming the briefs it affects (see `diagnostic_text`)."""
    for diagnostic in diagnostics:
        click.echo(diagnostic_text(diagnostic), err=True)


def diagnostic_text(diagnostic) -> str:
    """Return `diagnostic` as text: `path:line: error: message [code]`, its hint, and the briefs it affects.

    The briefs are named when the problem lies outside them (an article, a template), so a
    problem several briefs meet is told once, naming them, by `validate` and `build` alike.
    """
    text = str(diagnostic)
    where = diagnostic.location.path if diagnostic.location else None
    if diagnostic.briefs and where not in diagnostic.briefs:
        text += f"\n  brief{'s' if len(diagnostic.briefs) > 1 else ''}: {', '.join(diagnostic.briefs)}"
    return text


@click.group(cls=ReegenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@common_options
@click.version_option(package_name="reegen", prog_name="reegen")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news articles into attributed executive briefs (PDF and DOCX).

    --project, -q and -v mean the same before the command (reegen --project DIR build)
    as after it; a --project given after the command wins.

    Example: reegen build briefs/baotou-executive.yaml
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Run the command line with `argv` (default: sys.argv) and exit with its status."""
    cli.main(args=argv, prog_name="reegen")


def run() -> None:
    """The `reegen` program (console script and `python -m reegen`): `main`, then a quick exit.

    A normal interpreter exit frees every module and object one by one: 40 ms after a
    sample build, 100 ms after a long one, for nothing, as the process is ending. By the
    time `main` returns, every output is written, closed and renamed into place and the
    corpus index is committed and closed, so once stdout and stderr are flushed the
    process leaves with `os._exit`. Where that could lose something (a tracer or profiler
    is active, coverage is measuring, another thread is running, an exit status that is not
    a number, a stream that cannot be flushed) it exits the normal way.
    """
    collector.hold()  # this process ends with its command: see `reegen.collector`
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = exc.code
    if status is None:
        status = 0
    if isinstance(status, int) and _quick_exit_safe() and _flushed():
        os._exit(status)
    sys.exit(status)


def _quick_exit_safe() -> bool:
    """Return whether nothing in this process needs the interpreter's own shutdown."""
    import threading

    return (sys.gettrace() is None and sys.getprofile() is None and "coverage" not in sys.modules
            and threading.active_count() == 1)


def _flushed() -> bool:
    """Flush stdout and stderr; return False when either cannot be (the normal exit then reports it)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


if __name__ == "__main__":  # pragma: no cover
    run()
