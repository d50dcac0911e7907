"""`reegen index`: bring the corpus index up to date now, or keep watching the articles folder for builds."""

from __future__ import annotations

import click

from ._common import common_options, current_project, info


@click.command("index")
@click.option("--watch", is_flag=True,
              help="Keep running: watch articles/ and tell builds whether it changed, so they need not list it.")
@common_options
def index_command(watch):
    """Bring the corpus index (.reegen-cache/corpus.sqlite) up to date with articles/ and say what it holds.

    Every article file changed since the last build is read and parsed now, so the next
    build does not (useful as a CI step before many builds). Problems in articles are
    printed as `validate` prints them, and the exit status is then 1.

    With --watch it keeps running after that: it watches articles/ (watchdog, inotify)
    and answers builds of this project, over a socket in .reegen-cache/watch/ that only
    this user can reach, whether any article file changed since their last listing of
    the folder. A warm build then skips visiting every file, which with 100,000
    articles is most of its time. Linux only; refused on network and FUSE file
    systems. Ctrl-C stops it.

    Example: reegen index --watch
    """
    from ..errors import Location, ProjectError

    project = current_project()
    folder = project.articles_dir
    if not folder.is_dir():
        raise ProjectError("articles folder not found", Location(project.display(folder)), code="project.no-articles")
    if not watch:
        _index(project)
        return
    from ..corpus.watcher import CorpusWatcher, WatcherError, WatcherRunning

    watcher = CorpusWatcher(project.root, folder)
    try:
        watcher.start()
    except (WatcherError, OSError) as exc:
        hint = ("one watcher serves every build of the project" if isinstance(exc, WatcherRunning)
                else "builds list the folder themselves without one, as before")
        raise ProjectError(f"cannot start a watcher: {exc}", Location(project.display(folder)),
                           code="index.cannot-watch", hint=hint) from None
    import signal
    import threading

    stopped = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())  # stopped as by Ctrl-C, the socket removed
    try:
        errors = _index(project, fail=False)
        info(f"watching {project.display(folder)}/ for builds of this project (socket "
             f"{project.display(watcher.socket)}); Ctrl-C to stop", err=True)
        _wait(watcher, stopped)
    finally:
        watcher.stop()
        signal.signal(signal.SIGTERM, previous)
    if errors:
        from . import EXIT_CONTENT

        raise click.exceptions.Exit(EXIT_CONTENT)


def _index(project, *, fail: bool = True) -> bool:
    """Load the corpus through its index (twice when the first load had files to parse) and report it.

    Returns whether the articles have errors; with `fail`, exits with status 1 instead.
    """
    from ..cache import CACHE_FILE
    from ..corpus import load_corpus
    from ..corpus.index import CorpusIndex
    from ..errors import Report
    from . import EXIT_CONTENT, print_diagnostics

    folder = project.articles_dir
    prefix = project.display(folder)
    index = CorpusIndex(project.root.resolve() / CACHE_FILE)
    report = Report()
    for _ in range(2):
        # A load that parsed files keeps no listing; the second, from the rows just written, does when
        # every file is settled, and the next build then takes the corpus from it.
        report = Report()
        corpus = load_corpus(folder, report, root=project.root)
        kept = index.open(facts=False) and _has_listing(index, folder, prefix)
        index.close()
        if kept:
            break
    print_diagnostics(report)
    if not index.open(facts=False):
        raise click.ClickException(f"the corpus index {CACHE_FILE} cannot be written here; builds parse every file")
    rows = len(index.rows) if index.read_facts() else 0
    index.close()
    info(f"indexed {prefix}/: {len(corpus)} article{'s' if len(corpus) != 1 else ''}"
         + (f", {len(corpus.failed)} file(s) not usable" if corpus.failed else "")
         + (f", {len(report.errors)} error(s)" if report.errors else "")
         + (f", {len(report.warnings)} warning(s)" if report.warnings else "")
         + f"; {rows} file(s) in {CACHE_FILE}")
    if not kept:
        info("the folder's listing was not kept (a file changed in the last two seconds, or a linked file): "
             "the next build checks each file against the index")
    if fail:  # not the watcher itself: say whether one serves the builds
        from ..corpus.watcher import ask

        if ask(project.root, folder, None) is not None:
            info("a watcher (reegen index --watch) answers the builds of this project")
    if report.has_errors() and fail:
        raise click.exceptions.Exit(EXIT_CONTENT)
    return report.has_errors()


def _has_listing(index, folder, prefix) -> bool:
    listed = index.listed_now(folder, prefix)
    return listed is not None and index.has_listing(listed[0])


def _wait(watcher, stopped) -> None:
    """Return when the user stops the watcher (Ctrl-C, or `stopped` set by SIGTERM); say so when it drops its tokens."""
    from ..watch import stamp

    losses = watcher.losses
    try:
        while not stopped.wait(1.0):
            if watcher.losses != losses:
                losses = watcher.losses
                click.echo(f"[{stamp()}] {watcher.lost}: events may have been missed, so the next build lists the folder",
                           err=True)
            if not watcher.is_watching():
                raise click.ClickException("the watched folder is gone or its observer stopped")
            if not watcher.is_listening():
                raise click.ClickException(f"its socket {watcher.socket} was removed (with .reegen-cache?): "
                                           "builds can no longer ask it")
    except KeyboardInterrupt:
        pass
