"""Resources are bounded: huge inputs end with a clear error or a correct render, never a hang or OOM.

Each case runs the real CLI in a subprocess under a memory limit (RLIMIT_AS) and a
wall-clock timeout, the way cmark's pathological tests do.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

MEMORY = 3 * 1024**3  # address space; reegen's working set stays far below this
TIMEOUT = 120

HEAD = "---\nid: {id}\ntitle: Big\npublisher: P\npublished: 2025-01-01\n---\n"


def run_limited(project: Path, *args: str) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run([sys.executable, "-m", "reegen", *args], cwd=project, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=limit)


def project(tmp_path: Path, article: str, spec: str) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "briefs").mkdir()
    (tmp_path / "reegen.toml").write_text("", encoding="utf-8")
    (tmp_path / "articles" / "big.md").write_text(article, encoding="utf-8")
    (tmp_path / "briefs" / "b.yaml").write_text(textwrap.dedent(spec), encoding="utf-8")
    return tmp_path


def test_a_50000_item_list_is_refused_with_its_location(tmp_path):
    items = "".join(f"- item {i}\n" for i in range(50_000))
    root = project(tmp_path, HEAD.format(id="big") + "Lead.\n\n## Items\n" + items,
                   "title: T\narticles: [big]\nsections: [{title: S, from: items}]\n")
    result = run_limited(root, "build", "briefs/b.yaml")
    assert result.returncode == 1
    assert "articles/big.md:9: error: section 'items' has 50,00" in result.stderr
    assert "reegen reads at most 5,000 per section [article.too-large]" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_one_megabyte_paragraph_renders_in_every_format(tmp_path):
    words = " ".join(f"w{i % 997}" for i in range(200_000))
    root = project(tmp_path, HEAD.format(id="big") + words + " end.\n",
                   "title: T\narticles: [big]\nsections: [{title: S, from: lead}]\nformats: [pdf, docx, md]\n")
    result = run_limited(root, "build", "briefs/b.yaml")
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    pdf = PdfReader(root / "output" / "b.pdf")
    assert len(pdf.pages) > 50
    # two pages in the middle hold more than the 997 distinct words, so every one of them
    assert "w996" in pdf.pages[10].extract_text() + pdf.pages[11].extract_text()
    import docx

    text = "".join(p.text for p in docx.Document(str(root / "output" / "b.docx")).paragraphs)
    assert len(text) > 950_000 and "w996 w0 w1" in text and "end\u00a0[1]." in text


def test_an_article_file_over_the_size_limit_is_refused(tmp_path):
    root = project(tmp_path, HEAD.format(id="big") + ("x " * 1_500_000) + "\n",
                   "title: T\narticles: [big]\nsections: [{title: S, from: lead}]\n")
    result = run_limited(root, "build", "briefs/b.yaml")
    assert result.returncode == 1
    assert "articles/big.md: error: file is larger than 2 MB" in result.stderr


def test_an_unused_giant_article_does_not_slow_other_briefs(tmp_path, monkeypatch):
    items = "".join(f"- item {i}\n" for i in range(4_999))
    root = project(tmp_path, HEAD.format(id="big") + "Lead.\n\n## Items\n" + items,
                   "title: T\narticles: [small]\nsections: [{title: S, from: lead}]\nformats: [md]\n")
    (root / "articles" / "small.md").write_text(HEAD.format(id="small") + "Small lead.\n", encoding="utf-8")
    from reegen import api, parse

    parsed = []
    real = parse.parse_body
    monkeypatch.setattr(parse, "parse_body", lambda article, *a, **k: parsed.append(article.id) or real(article, *a, **k))
    result = api.build(root / "briefs" / "b.yaml")
    assert "Small lead\u00a0\\[[1]" in result.outputs["md"].read_text(encoding="utf-8")
    assert parsed == ["small"]  # the parse stage read only the body the brief uses
