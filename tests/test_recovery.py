"""A build killed while it commits its outputs is completed by the next build in that folder.

The kill is real: a child process builds with `os.replace` wrapped so that it SIGKILLs
itself right after the first rename, leaving a new PDF beside the old DOCX and manifest.
The next run is the real program, bounded like the hostile cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from reegen.output import sha256
from tests.conftest import article_text
from tests.test_cases import CPU_SECONDS, RESIDENT_MB, run_bounded

KILLED = textwrap.dedent("""
    import os, signal, sys
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        if str(dst).endswith((".pdf", ".docx")):
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace
    from reegen import api
    api.build(sys.argv[1], force=True)
""")


def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "articles").mkdir(parents=True)
    (root / "briefs").mkdir()
    (root / "reegen.toml").write_text("", encoding="utf-8")
    (root / "articles" / "a.md").write_text(article_text("a", body="The zone approves permits in hours.\n"),
                                           encoding="utf-8")
    (root / "briefs" / "b.yaml").write_text("title: First\narticles: [a]\nsections: [{title: Lead, from: lead}]\n",
                                           encoding="utf-8")
    return root


def killed_mid_commit(root: Path) -> dict[str, bytes]:
    """Build once, change the title, build again killed after its first output's rename; return the old files."""
    status, _, stderr, _, _ = run_bounded(["build", "briefs/b.yaml"], root)
    assert status == 0, stderr
    out = root / "output"
    old = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    spec = root / "briefs" / "b.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("First", "Second"), encoding="utf-8")
    child = subprocess.run([sys.executable, "-c", KILLED, str(spec)], cwd=root, timeout=60)
    assert child.returncode == -9
    # The torn state the kill leaves: one new output (the DOCX, rendered and staged first) beside the
    # other's old one and the old manifest.
    changed = [name for name in ("b.pdf", "b.docx") if (out / name).read_bytes() != old[name]]
    assert len(changed) == 1
    assert (out / "b.manifest.json").read_bytes() == old["b.manifest.json"]
    return old


def assert_whole(out: Path) -> None:
    """Every output the manifest lists has the hash it records, and nothing staged is left over."""
    manifest = json.loads((out / "b.manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        assert sha256((out.parent / entry["path"]).read_bytes()) == entry["sha256"], entry["path"]
    assert manifest["title"] == "Second"
    assert not [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".commit"))]


def test_a_commit_killed_between_renames_is_completed_by_the_next_build(tmp_path):
    root = project(tmp_path)
    killed_mid_commit(root)
    status, stdout, stderr, cpu, resident = run_bounded(["build", "briefs/b.yaml"], root)
    assert status == 0, stderr
    assert cpu <= CPU_SECONDS and resident <= RESIDENT_MB
    # Completed, not rebuilt: the killed build's outputs are whole and up to date.
    assert "up to date" in stdout
    assert_whole(root / "output")


def test_a_failing_build_still_completes_an_interrupted_commit(tmp_path):
    root = project(tmp_path)
    killed_mid_commit(root)
    spec = root / "briefs" / "b.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("[a]", "[a, nowhere]"), encoding="utf-8")
    status, _, stderr, _, _ = run_bounded(["build", "briefs/b.yaml"], root)
    assert status == 1 and "unknown article 'nowhere'" in stderr
    assert_whole(root / "output")
