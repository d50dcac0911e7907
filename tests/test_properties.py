"""Property tests: any text in any article field or spec string builds, or fails with a located error."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from reegen import api
from reegen.errors import ReegenError

#: fields whose text prints as written (not Markdown), so it must come back out of both formats
PLAIN_FIELDS = ("title", "publisher", "disclaimer", "spec_title", "spec_subtitle", "classification")
#: text a reader could check by eye: printable ASCII, markup characters included
READABLE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40)


#: the longest word every field's line is sure to hold whole (longer ones may be broken across lines)
LONGEST_UNBROKEN = 20


def write_project(root: Path, field: str, value: str) -> Path:
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    fm = {"title": "Plain title", "publisher": "Plain publisher", "disclaimer": "Plain disclaimer"}
    spec = {"spec_title": "Brief", "spec_subtitle": "Sub", "classification": "Internal"}
    body = "Plain body text."
    if field in fm:
        fm[field] = value
    elif field in spec:
        spec[field] = value
    elif field == "body":
        body = value
    (root / "articles").mkdir(parents=True)
    (root / "briefs").mkdir()
    (root / "reegen.toml").write_text("", encoding="utf-8")
    (root / "articles" / "a.md").write_text(
        f"---\nid: a\ntitle: {q(fm['title'])}\npublisher: {q(fm['publisher'])}\npublished: 2025-01-01\n"
        f"disclaimers: [{q(fm['disclaimer'])}]\n---\n{body}\n", encoding="utf-8", errors="surrogatepass")
    spec_path = root / "briefs" / "b.yaml"
    text_section = f"  - title: Ours\n    text: {q(value)}\n" if field == "text" else ""
    spec_path.write_text(
        f"title: {q(spec['spec_title'])}\nsubtitle: {q(spec['spec_subtitle'])}\nclassification: {q(spec['classification'])}\n"
        f"articles: [a]\nsections:\n  - title: S\n    from: lead\n{text_section}", encoding="utf-8", errors="surrogatepass")
    return spec_path


def build_or_located_error(field: str, value: str):
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = write_project(Path(tmp) / "p", field, value)
        try:
            result = api.build(spec_path)
        except ReegenError as exc:
            diagnostics = exc.diagnostics
            assert diagnostics, "an error with nothing to say"
            assert all(d.location is not None or d.code.startswith("render.") for d in diagnostics if d.severity == "error"), \
                [str(d) for d in diagnostics]
            return None
        pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(result.outputs["pdf"]).pages).split())
        document = docx.Document(str(result.outputs["docx"]))
        # (tables too: the caveats quote a source's own warning in their table of sources)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        word = " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())
        return pdf, word


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(PLAIN_FIELDS + ("body", "text")), value=st.text(max_size=40))
def test_any_text_in_any_field_builds_or_fails_with_a_located_reegen_error(field, value):
    build_or_located_error(field, value)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(PLAIN_FIELDS), value=READABLE)
def test_readable_text_in_plain_fields_prints_as_written_in_pdf_and_docx(field, value):
    out = build_or_located_error(field, value)
    folded = " ".join(value.split())
    if not folded:
        return
    assert out is not None, "readable text must build"
    pdf, word = out
    # a word longer than its line (a narrow table cell: a disclaimer in the table of sources; the
    # title's line holds about twenty-five digits) is broken across lines, which text extraction
    # reads as a space: every character still comes through, in order
    squeeze = lambda t: "".join(t.split())  # noqa: E731
    broken = field == "disclaimer" or any(len(w) > LONGEST_UNBROKEN for w in folded.split())
    assert folded in pdf or (broken and squeeze(folded) in squeeze(pdf))
    assert folded in word
