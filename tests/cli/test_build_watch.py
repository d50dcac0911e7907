"""`reegen build --watch` through the CLI: a banner, timestamps, each problem once, new specs built."""

from __future__ import annotations

import os
import re
import threading

from click.testing import CliRunner

from reegen import watch as watch_module
from reegen.cli import cli
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"
STAMP = r"\[\d\d:\d\d:\d\d\]"


def test_build_watch_prints_a_banner_timestamps_and_a_repeated_failure_once(make_project, monkeypatch):
    spec = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    root = spec.parents[1]
    real_watch = watch_module.watch

    def scripted(paths, **options):
        # The real watch, driven by edits made as each round is reported, then stopped.
        stop = threading.Event()
        edits = [
            lambda: (root / "articles" / "a.md").write_text(article_text("a", body="New lead.\n"), encoding="utf-8"),
            lambda: spec.write_text(SPEC.replace("[a]", "[nope]"), encoding="utf-8"),
            lambda: (root / "articles" / "b.md").write_text(article_text("b", body="Other.\n"), encoding="utf-8"),
            lambda: (root / "briefs" / "added.yaml").write_text(SPEC.replace("[a]", "[b]"), encoding="utf-8"),
        ]

        def report(round_):
            options["report"](round_)
            if edits:
                edits.pop(0)()
            else:
                stop.set()

        real_watch(paths, **{**options, "report": report, "stop": stop})

    monkeypatch.setattr(watch_module, "watch", scripted)
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["build", "--all", "--watch", "-f", "md"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    err = result.stderr.splitlines()
    assert re.match(STAMP + f" watching {re.escape(str(root))} for changes", err[0]) and "Ctrl-C to stop" in err[0]
    assert re.fullmatch(STAMP + r" changed articles/a\.md", err[1])
    assert sum("unknown article 'nope'" in line for line in err) == 1
    assert any(re.fullmatch(STAMP + r" failed briefs/brief\.yaml \(1 problem\)", line) for line in err)
    assert any(re.fullmatch(STAMP + r" still failing briefs/brief\.yaml \(the problems shown above\)", line)
               for line in err)
    out = result.stdout.splitlines()
    assert all(re.match(STAMP + " wrote ", line) for line in out), out
    assert [line.split()[-1] for line in out] == ["output/brief.md", "output/brief.md", "output/added.md"]
    assert "up to date" not in result.stdout


def test_build_watch_says_a_warning_once_while_it_persists_naming_the_briefs_it_affects(make_project, monkeypatch):
    spec = make_project({"a": article_text("a", body="Lead [7].\n")}, SPEC)
    (spec.parent / "second.yaml").write_text(SPEC, encoding="utf-8")
    root = spec.parents[1]
    real_watch = watch_module.watch

    def scripted(paths, **options):
        stop = threading.Event()
        edits = [lambda: (root / "articles" / "a.md").write_text(article_text("a", body="Lead, edited [7].\n"),
                                                                 encoding="utf-8")]

        def report(round_):
            options["report"](round_)
            if edits:
                edits.pop(0)()
            else:
                stop.set()

        real_watch(paths, **{**options, "report": report, "stop": stop})

    monkeypatch.setattr(watch_module, "watch", scripted)
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["build", "--watch", "-f", "md"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    err = result.stderr.splitlines()
    warned = [i for i, line in enumerate(err) if "citation marker [7]" in line]
    assert len(warned) == 1  # the rebuild after the edit has the same warning: not printed again
    assert err[warned[0] + 1] == "  briefs: briefs/brief.yaml, briefs/second.yaml"
    assert result.stdout.count("wrote output/brief.md") == 2
