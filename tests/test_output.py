"""Outputs: atomic and never destructive; reproducible with SOURCE_DATE_EPOCH."""


import os

import pytest

from reegen import api
from reegen.errors import BuildFailed, ProjectError
from reegen.output import commit, source_date
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


def test_commit_writes_every_file_or_none(tmp_path):
    target = tmp_path / "out" / "x.pdf"
    commit({target: b"one", tmp_path / "out" / "x.docx": b"two"})
    assert target.read_bytes() == b"one"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_build_leaves_earlier_outputs_byte_identical(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    result = api.build(path)
    before = {p: p.read_bytes() for p in (*result.outputs.values(), result.manifest)}
    path.write_text(SPEC.replace("from: lead", "from: [a#nope]"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        api.build(path)
    assert {p: p.read_bytes() for p in before} == before


def test_a_failing_writer_leaves_earlier_outputs_untouched(make_project, monkeypatch):
    from reegen.errors import RenderError
    from reegen.writers.docx import DocxWriter

    path = make_project({"a": article_text("a")}, SPEC)
    result = api.build(path)
    before = {p: p.read_bytes() for p in result.outputs.values()}

    def boom(self, document, options):
        raise RenderError("cannot render")

    monkeypatch.setattr(DocxWriter, "write", boom)
    with pytest.raises(RenderError):
        api.build(path, force=True)
    assert {p: p.read_bytes() for p in before} == before


def test_each_format_is_staged_on_disk_before_the_next_is_rendered(make_project, monkeypatch):
    # A long brief's DOCX (rendered first, see `api._render_order`) is not held in memory while its
    # PDF is rendered, and replaces nothing yet.
    from reegen.writers.pdf import PdfWriter

    path = make_project({"a": article_text("a")}, SPEC)
    result = api.build(path)
    out = result.outputs["docx"].parent
    before = {p: p.read_bytes() for p in result.outputs.values()}
    seen = {}
    render = PdfWriter.write_file

    def write_file(self, document, options, file):
        staged = [p for p in out.iterdir() if p.name.startswith(".brief.docx.") and p.name.endswith(".tmp")]
        seen["staged"] = [p.read_bytes()[:4] for p in staged]
        seen["docx"] = result.outputs["docx"].read_bytes()
        return render(self, document, options, file)

    monkeypatch.setattr(PdfWriter, "write_file", write_file)
    api.build(path, formats=["pdf", "docx"], force=True)
    assert seen["staged"] == [b"PK\x03\x04"]
    assert seen["docx"] == before[result.outputs["docx"]]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_writer_failing_after_another_was_staged_leaves_no_new_folder(make_project, monkeypatch, tmp_path):
    from reegen.errors import RenderError
    from reegen.writers.docx import DocxWriter

    path = make_project({"a": article_text("a")}, SPEC)

    def boom(self, document, options):
        raise RenderError("cannot render")

    monkeypatch.setattr(DocxWriter, "write", boom)
    with pytest.raises(RenderError):
        api.build(path, formats=["pdf", "docx"], out_dir=tmp_path / "new" / "out")
    assert not (tmp_path / "new").exists()


def test_an_output_that_is_a_symlink_is_refused(make_project, tmp_path):
    path = make_project({"a": article_text("a")}, SPEC)
    out = path.parents[1] / "output"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"keep")
    (out / "brief.pdf").symlink_to(elsewhere)
    with pytest.raises(ProjectError) as info:
        api.build(path)
    assert info.value.code == "output.symlink"
    assert elsewhere.read_bytes() == b"keep"


def test_an_output_that_would_overwrite_an_input_is_refused(make_project):
    path = make_project({"a": article_text("a")}, SPEC + "output: articles/a\nformats: [md]\n")
    # articles/a.md is an input; the md output would land on it
    with pytest.raises(ProjectError) as info:
        api.build(path)
    assert info.value.code == "output.is-input"


def test_an_output_outside_the_project_is_refused(make_project):
    path = make_project({"a": article_text("a")}, SPEC + "output: ../../escape\n")
    with pytest.raises(Exception) as info:
        api.build(path)
    assert getattr(info.value, "code", "") == "spec.output-outside"


def test_out_dir_puts_outputs_in_that_folder(make_project, tmp_path):
    path = make_project({"a": article_text("a")}, SPEC)
    result = api.build(path, out_dir=tmp_path / "elsewhere")
    assert result.outputs["pdf"] == tmp_path / "elsewhere" / "brief.pdf"


def test_two_builds_with_source_date_epoch_are_byte_identical(make_project, pinned_date, tmp_path):
    path = make_project({"a": article_text("a")}, SPEC)
    first = api.build(path, out_dir=tmp_path / "one")
    second = api.build(path, out_dir=tmp_path / "two")
    for fmt in ("pdf", "docx"):
        assert first.outputs[fmt].read_bytes() == second.outputs[fmt].read_bytes(), fmt
    assert first.manifest.read_bytes().replace(b"one", b"two") == second.manifest.read_bytes()


def test_source_date_epoch_must_be_a_number(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ProjectError):
        source_date()


def test_two_builds_of_one_brief_at_once_leave_complete_consistent_files(make_project):
    import hashlib
    import json
    import subprocess
    import sys

    import docx as python_docx
    from pypdf import PdfReader

    path = make_project({"a": article_text("a", body="Lead.\n\n" + "Paragraph text. " * 400 + "\n")}, SPEC)
    root = path.parents[1]
    runs = [subprocess.Popen([sys.executable, "-m", "reegen", "build", "--force", "-q", str(path)], cwd=root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for process in runs:
        process.communicate(timeout=120)
    assert [p.returncode for p in runs] == [0, 0, 0]
    out = root / "output"
    PdfReader(out / "brief.pdf").pages[0].extract_text()
    python_docx.Document(str(out / "brief.docx"))
    manifest = json.loads((out / "brief.manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        assert hashlib.sha256((root / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_output_folder_fails_cleanly_even_for_root(make_project):
    """Root ignores chmod, so as root the build runs without CAP_DAC_OVERRIDE (setpriv): permissions bind."""
    import os
    import shutil
    import subprocess
    import sys

    path = make_project({"a": article_text("a")}, SPEC)
    root = path.parents[1]
    out = root / "output"
    out.mkdir()
    (out / "brief.pdf").write_bytes(b"earlier pdf")
    out.chmod(0o555)
    command = [sys.executable, "-m", "reegen", "build", "briefs/brief.yaml"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            if os.environ.get("REEGEN_REQUIRE_TOOLS") == "1":
                pytest.fail("setpriv (util-linux) is required to test permissions as root")
            pytest.skip("running as root without setpriv: chmod would not stop the write")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    try:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    finally:
        out.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "error: cannot write output: Permission denied [output.write-failed]" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "brief.pdf").read_bytes() == b"earlier pdf"
    assert sorted(p.name for p in out.iterdir()) == ["brief.pdf"]


def test_write_atomic_syncs_the_new_file_before_it_replaces_the_old(tmp_path, monkeypatch):
    from reegen import output

    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(output.os, "fsync", lambda fd: events.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(output.os, "replace", lambda a, b: events.append("replace") or real_replace(a, b))
    output.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and oct(target.stat().st_mode & 0o777) == "0o644"
    assert events[:2] == ["fsync", "replace"] and events.count("fsync") == 2  # the file, then its folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_write_atomic_that_fails_leaves_the_old_file_and_no_staging_file(tmp_path, monkeypatch):
    from reegen import output

    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_write_all", full)
    with pytest.raises(OSError, match="No space"):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_recover_lists_a_settled_folder_once_and_sees_what_changes_in_it(tmp_path, monkeypatch):
    """`build --all` recovers one folder per brief: a folder unchanged since it was listed is not listed again."""
    from reegen import output

    out = tmp_path / "out"
    out.mkdir()
    (out / "x.pdf").write_bytes(b"pdf")
    settled = os.stat(out).st_mtime_ns - 10_000_000_000
    os.utime(out, ns=(settled, settled))  # last changed ten seconds ago
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(output.os, "listdir", lambda p: listed.append(p) or real_listdir(p))
    output.recover(out, ["x.pdf"])
    output.recover(out, ["x.pdf"])
    assert len(listed) == 1  # the second brief reused the listing
    # A killed writer's staging file changes the folder: it is seen, and removed as stale.
    (out / ".x.pdf.abcd1234.tmp").write_bytes(b"half")
    output.recover(out, ["x.pdf"])
    assert not (out / ".x.pdf.abcd1234.tmp").exists()
    assert (out / "x.pdf").read_bytes() == b"pdf"


def test_recover_does_not_keep_the_listing_of_a_folder_that_just_changed(tmp_path, monkeypatch):
    """A name added in the same clock tick as the folder's recorded time would not change it: not trusted."""
    from reegen import output

    out = tmp_path / "out"
    out.mkdir()
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(output.os, "listdir", lambda p: listed.append(p) or real_listdir(p))
    output.recover(out, ["x.pdf"])
    output.recover(out, ["x.pdf"])
    assert len(listed) == 2


def test_the_manifest_written_in_pieces_is_the_indented_json_it_always_was():
    import json

    from reegen.output import manifest_pieces, render_manifest

    manifest = {"title": "Baotou — 包头", "outputs": [{"path": "output/b.pdf", "bytes": 3}] * 40, "figures": [],
                "caveats": [{"sources": [1, 2], "text": "A “quoted” line\nand a second"}]}
    expected = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    pieces = list(manifest_pieces(manifest, size=64))
    assert len(pieces) > 5 and b"".join(pieces) == expected == render_manifest(manifest)


def test_a_file_written_by_its_writer_is_staged_with_its_digest_and_size(tmp_path):
    from reegen.output import Staging, sha256

    target = tmp_path / "out" / "x.pdf"

    def write(out):
        out.write(b"a first try")
        out.seek(0)
        out.truncate()  # a writer may start again
        out.write(b"%PDF-" + b"x" * 3_000_000)

    with Staging() as staging:
        digest, size = staging.add_written(target, write)
        assert not target.exists()
        staging.commit()
    data = target.read_bytes()
    assert (digest, size) == (sha256(data), len(data))
    assert data.startswith(b"%PDF-x") and len(data) == 3_000_005
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_writer_failing_inside_its_staging_file_leaves_nothing(tmp_path):
    from reegen.output import Staging

    target = tmp_path / "out" / "x.pdf"

    def write(out):
        out.write(b"half")
        raise RuntimeError("layout failed")

    with pytest.raises(RuntimeError), Staging() as staging:
        staging.add_written(target, write)
    assert not (tmp_path / "out").exists()


def test_a_lock_file_removed_while_a_build_waits_on_it_is_taken_again_at_its_path(tmp_path):
    # A failed build removes the lock file it made; another build already waiting on that
    # file must not go on holding a lock on a file no later build will ever open.
    import fcntl
    import threading
    import time

    from reegen import output

    path = tmp_path / ".reegen.lock"
    held = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(held, fcntl.LOCK_EX)  # the failing build
    inside, leave = threading.Event(), threading.Event()

    def other_build():
        with output._lock(tmp_path):
            inside.set()
            leave.wait(10)

    waiter = threading.Thread(target=other_build)
    waiter.start()
    time.sleep(0.2)  # let it open the file and wait in flock (if it has not yet, it opens the new one: also fine)
    os.unlink(path)
    fcntl.flock(held, fcntl.LOCK_UN)
    os.close(held)
    try:
        assert inside.wait(10)
        probe = os.open(path, os.O_RDWR)  # the waiter made the file at the path again...
        try:
            with pytest.raises(BlockingIOError):  # ...and holds its lock
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(probe)
    finally:
        leave.set()
        waiter.join(10)


def test_a_failed_build_leaves_a_lock_file_another_build_holds(tmp_path):
    import fcntl

    from reegen import output

    path = tmp_path / ".reegen.lock"
    with output._lock(tmp_path):
        output._remove_lock(path)
        assert path.exists()
    output._remove_lock(path)
    assert not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_SH)  # a build staging its files holds it shared
    output._remove_lock(path)
    assert path.exists()
    os.close(fd)
