"""The tagged PDF: structure tree, marked content, artifacts and PDF/UA identification.

Three readers check it: `pdfua` (the machine-checkable part of PDF/UA-1), poppler's
`pdfinfo -struct-text` (the text each structure element holds, compared with the
document model), and `check_marked_content` below, which walks every page's content
stream with pikepdf and follows the parent tree both ways.
"""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pytest
from pdfua import validate

from reegen import api
from reegen.model import BulletList, Heading, Quote, SourcesList, Table, plain_text, walk
from reegen.writers import _pdf_story, _pdf_tags

from ..conftest import require_tool
from .conftest import CASES, REPO, build_case, write_pdf

BRIEFS = ["baotou-executive", "baotou-dossier"]
#: operators that put marks on the page: each must be inside a marked-content sequence
_PAINTING = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "BI"}


@pytest.fixture(scope="module")
def sample_pdfs() -> dict[str, bytes]:
    return {brief: write_pdf(api.load_document(REPO / "briefs" / f"{brief}.yaml"), base_dir=REPO)
            for brief in BRIEFS}


def check_marked_content(data: bytes) -> dict:
    """Check every page's marked content against the structure tree; return counts of what was seen.

    Every painting operator is inside a marked-content sequence; sequences do not nest;
    each one is an /Artifact or has an MCID whose parent-tree entry is an element of the
    same role listing that MCID; every MCID an element lists is on its page; every link
    annotation has a /StructParent leading to a /Link element whose OBJR names it.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    tree = root.StructTreeRoot
    nums = tree.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert "/Kids" not in tree.ParentTree
    seen = {"mcids": 0, "artifacts": 0, "links": 0}
    listed: dict[tuple, object] = {}  # (page objgen, mcid) -> element, from the structure tree

    def walk_tree(element, page):
        page = element.get("/Pg", page)
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, int):
                listed[(page.objgen, int(kid))] = element
            elif kid.get("/Type") == "/MCR":
                listed[(kid.Pg.objgen, int(kid.MCID))] = element
            elif kid.get("/Type") == "/OBJR":
                assert element.S == "/Link"
            else:
                assert kid.P.objgen == element.objgen, "an element's /P is the element listing it"
                walk_tree(kid, page)

    for top in tree.K:
        walk_tree(top, None)
    for page in pdf.pages:
        depth, mcids = 0, []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                assert depth == 0, "marked-content sequences do not nest"
                depth += 1
                if operands[0] == "/Artifact":
                    seen["artifacts"] += 1
                    continue
                mcid = int(operands[1].MCID)
                mcids.append((str(operands[0]), mcid))
            elif op == "EMC":
                depth -= 1
                assert depth >= 0
            elif op in _PAINTING:
                assert depth == 1, f"'{op}' outside any marked content on page {page.index + 1}"
        assert depth == 0
        if mcids:
            entry = parents[int(page.StructParents)]
            assert len(entry) == len(mcids), "the parent tree lists each MCID of the page"
            for role, mcid in mcids:
                assert mcid == mcids.index((role, mcid)), "MCIDs are numbered from 0 in order"
                element = entry[mcid]
                assert element.S == role
                assert listed[(page.obj.objgen, mcid)].objgen == element.objgen
            seen["mcids"] += len(mcids)
        else:
            assert "/StructParents" not in page.obj
        for annotation in page.get("/Annots", []):
            if annotation.Subtype == "/Link":
                element = parents[int(annotation.StructParent)]
                assert element.S == "/Link"
                assert element.K.Obj.objgen == annotation.objgen
                assert str(annotation.Contents).strip()
                seen["links"] += 1
    on_pages = sum(1 for _ in listed)
    assert on_pages == seen["mcids"], "every MCID the tree lists is drawn"
    assert int(tree.ParentTreeNextKey) == max(parents) + 1
    return seen


def struct_text(data: bytes, tmp_path) -> list[tuple[tuple[str, ...], str]]:
    """Return poppler's reading of the tags: (the roles from the root down to the text's element, text) in order."""
    require_tool("pdfinfo")
    path = tmp_path / "tagged.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, encoding="utf-8",
                         errors="replace").stdout
    rows, roles, last_was_text = [], [], False
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        text = line.strip()
        if text.startswith('"'):
            path = tuple(roles[:depth])
            if rows and rows[-1][0] == path and last_was_text:  # one element's text in several pieces
                rows[-1] = (path, rows[-1][1] + text[1:-1])
            else:
                rows.append((path, text[1:-1]))
            last_was_text = True
            continue
        last_was_text = False
        if text and not text.startswith("/") and not text.startswith("Object "):
            del roles[depth:]
            roles.append(text.split()[0].rstrip(":"))
    return rows


def _squash(text: str) -> str:
    # whitespace-normalised: each line break's space is in the text (see test_pdf_breaks.py)
    return " ".join(text.split())


def test_reportlab_has_the_internals_the_tagging_uses():
    from reportlab.pdfbase.pdfdoc import PDFPage
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.tables import Table as RlTable

    owners = {"Table": RlTable, "Canvas": Canvas, "PDFPage": PDFPage}
    for owner, name in _pdf_tags.INTERNALS:
        assert hasattr(owners[owner], name), f"reportlab {owner}.{name} is gone: see _pdf_tags"


@pytest.mark.parametrize("brief", BRIEFS)
def test_the_sample_briefs_pass_pdfua_with_no_finding(sample_pdfs, brief, tmp_path):
    path = tmp_path / f"{brief}.pdf"
    path.write_bytes(sample_pdfs[brief])
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert [o.rule_id for o in report.skipped] == []  # every implemented rule ran


@pytest.mark.parametrize("brief", BRIEFS)
def test_every_marked_content_sequence_belongs_to_one_element_or_is_an_artifact(sample_pdfs, brief):
    seen = check_marked_content(sample_pdfs[brief])
    assert seen["mcids"] > 100 and seen["artifacts"] > 5 and seen["links"] > 20


@pytest.mark.parametrize("brief", BRIEFS)
def test_poppler_reads_headings_lists_and_table_cells_in_the_model_order(sample_pdfs, brief, tmp_path):
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    rows = struct_text(sample_pdfs[brief], tmp_path)
    headings = [_squash(text) for path, text in rows if re.fullmatch(r"H[1-6]", path[-1])]
    model = [_squash(document.meta.title)]
    blocks = list(walk(document.blocks))
    model += [_squash(plain_text(b.children)) for b in blocks if isinstance(b, Heading)]
    if any(type(b).__name__ == "TableOfContents" for b in blocks):
        headings.remove(_squash("Contents"))
    assert headings == model
    cells = [_squash(text) for path, text in rows if path[-1] in ("TH", "TD")]
    model_cells = [_squash(plain_text(cell)) for t in blocks if isinstance(t, Table)
                   for row in ((t.header,) if t.header else ()) + tuple(t.rows) for cell in row]
    assert cells == [c for c in model_cells if c]
    labels = [text for path, text in rows if path[-1] == "Lbl"]
    items = sum(len(b.items) for b in blocks if isinstance(b, BulletList))
    items += sum(len(b.entries) for b in blocks if isinstance(b, SourcesList))
    assert len(labels) == items
    entries = [e for b in blocks if isinstance(b, SourcesList) for e in b.entries]
    assert labels[-len(entries):] == [f"{e.number}." for e in entries]
    quotes = [_squash(plain_text(p.children)) for q in blocks if isinstance(q, Quote) for p in q.blocks
              if hasattr(p, "children")]
    assert quotes == [_squash(text) for path, text in rows if "BlockQuote" in path]
    assert all(path[:2] == ("Document", "Sect") for path, _ in rows if path[-1] == "LBody")  # Sources, too


def test_the_structure_tree_is_the_same_on_reportlab_s_drawing_path(monkeypatch, tmp_path):
    document = api.load_document(REPO / "briefs" / "baotou-executive.yaml")
    fast_ran = []
    original = _pdf_story.draw_paragraph
    monkeypatch.setattr(_pdf_story, "draw_paragraph", lambda p: fast_ran.append(1) or original(p))
    fast = write_pdf(document, base_dir=REPO)
    assert len(fast_ran) > 100  # the fast path drew the paragraphs
    monkeypatch.setattr(_pdf_story, "draw_paragraph", lambda p: False)  # reportlab's drawPara draws them
    plain = write_pdf(document, base_dir=REPO)
    check_marked_content(plain)
    assert struct_text(plain, tmp_path) == struct_text(fast, tmp_path)


@pytest.mark.parametrize("brief", BRIEFS)
def test_tagging_changes_nothing_visible(brief, tmp_path):
    require_tool("pdftoppm")
    from reegen.writers import WriteOptions
    from reegen.writers.pdf import render_pdf

    from .conftest import WHEN

    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    options = WriteOptions(source_date=WHEN, base_dir=REPO)
    pages = {}
    for tagged in (True, False):
        path = tmp_path / f"{tagged}.pdf"
        path.write_bytes(render_pdf(document, options, tagged=tagged))
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(tmp_path / f"page-{tagged}")], check=True)
        pages[tagged] = sorted(p.read_bytes() for p in tmp_path.glob(f"page-{tagged}*"))
    assert len(pages[True]) > 1
    assert pages[True] == pages[False]


def test_the_catalog_names_language_title_and_pdf_ua(sample_pdfs):
    pdf = pikepdf.open(io.BytesIO(sample_pdfs["baotou-executive"]))
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
    assert all(page.Tabs == "/S" for page in pdf.pages)
    assert len(pdf.open_outline().root) > 3  # bookmarks for the headings


def test_a_brief_in_another_language_says_so(tmp_path):
    document = api.load_document(REPO / "briefs" / "baotou-executive.yaml")
    from dataclasses import replace

    german = replace(document, meta=replace(document.meta, language="de-CH"))
    pdf = pikepdf.open(io.BytesIO(write_pdf(german, base_dir=REPO)))
    assert str(pdf.Root.Lang) == "de-CH"


def test_source_number_links_say_which_source_they_open(sample_pdfs):
    pdf = pikepdf.open(io.BytesIO(sample_pdfs["baotou-executive"]))
    contents = {str(a.Dest): str(a.Contents) for page in pdf.pages for a in page.get("/Annots", [])
                if "/Dest" in a}
    assert contents["source-1"].startswith("Source 1: ")
    assert len(contents["source-1"]) > len("Source 1: ") + 10
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    roles = {(str(a.Dest).startswith("source-"), str(parents[int(a.StructParent)].P.S))
             for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a}
    assert roles == {(True, "/Reference")}  # every internal link of the executive brief is a source number


def test_a_table_header_repeated_on_a_later_page_is_an_artifact():
    from reegen.model import Document, Meta, Table as TableBlock, Text

    rows = tuple(((Text(f"figure {i}"),), (Text("what it measures " * 3),)) for i in range(120))
    table = TableBlock(header=((Text("Figure"),), (Text("Measure"),)), rows=rows)
    data = write_pdf(Document(Meta("Brief"), (table,)))
    check_marked_content(data)
    pdf = pikepdf.open(io.BytesIO(data))
    assert len(pdf.pages) > 2
    heads = [e for e in _elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/TH"]
    assert len(heads) == 2  # the header's cells once, however many pages the table takes
    repeated = sum(1 for page in pdf.pages[1:] for operands, op in pikepdf.parse_content_stream(page)
                   if str(op) == "BDC" and operands[0] == "/Artifact" and operands[1].Type == "/Pagination")
    assert repeated >= 2 * (len(pdf.pages) - 1)  # the running header and footer, and the header row


def _elements(element):
    yield element
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem" or (
                isinstance(kid, pikepdf.Dictionary) and "/S" in kid):
            yield from _elements(kid)


def test_rebuilds_are_byte_identical(sample_pdfs):
    document = api.load_document(REPO / "briefs" / "baotou-dossier.yaml")
    assert write_pdf(document, base_dir=REPO) == sample_pdfs["baotou-dossier"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_hostile_cases_that_build_pass_pdfua_and_the_marked_content_check(case, tmp_path):
    if not build_case(case, tmp_path):
        pytest.skip("reegen refuses this case")
    for path in tmp_path.glob("*.pdf"):
        check_marked_content(path.read_bytes())
        report = validate(str(path))
        assert [(f.rule_id, f.message) for f in report.findings] == []


def test_an_element_all_in_another_script_has_its_own_language():
    from reegen.model import Document, Meta, Paragraph, Text

    texts = ["包头稀土高新区加快推进", "東京は日本の首都です", "The zone in Baotou (包头) reports", "서울"]
    data = write_pdf(Document(Meta("Brief"), tuple(Paragraph((Text(t),)) for t in texts)))
    check_marked_content(data)
    pdf = pikepdf.open(io.BytesIO(data))
    langs = [str(e.get("/Lang", "")) for e in _elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/P"]
    # a word in another script inside an English paragraph is not marked (no Span-level tags)
    assert langs == ["zh", "ja", "", "ko"]


@pytest.mark.parametrize("text, language, expected", [
    ("包头稀土", "en", "zh"), ("包头稀土", "zh-Hans", None), ("東京は首都", "zh", "ja"), ("東京は首都", "ja", None),
    ("مرحبا", "en", "und-Arab"), ("مرحبا", "fa", None), ("नमस्ते", "en", "und-Deva"), ("Baotou 包头", "en", None),
    ("Łódź", "en", None), ("2026 · 3", "en", None),
])
def test_language_of_names_what_the_script_tells_and_no_more(text, language, expected):
    assert _pdf_tags.language_of(text, language) == expected


def _typst(document) -> str:
    """Return Typst markup holding `document`'s headings, paragraphs, lists, quotes and tables (test helper)."""
    from reegen.model import Paragraph, Rule, TableOfContents, Text

    def text(inlines) -> str:
        plain = " ".join(plain_text(inlines).split())
        return "[#" + '"' + plain.replace("\\", "\\\\").replace('"', '\\"') + '"' + "]"

    def block(b) -> str:
        if isinstance(b, Heading):
            return f"#heading(level: {min(b.level + 1, 6)}, outlined: false){text(b.children)}\n"
        if isinstance(b, Paragraph):
            return f"#par{text(b.children)}\n" if plain_text(b.children).strip() else ""
        if isinstance(b, BulletList):
            items = ", ".join("[" + "".join(block(x) for x in item.blocks) + "]" for item in b.items)
            return f"#{'enum' if b.ordered else 'list'}({items})\n"
        if isinstance(b, Quote):
            return "#quote(block: true)[" + "".join(block(x) for x in b.blocks) + "]\n"
        if isinstance(b, Table):
            n = max(len(b.header), *(len(r) for r in b.rows))
            cells = [text(r[c]) if c < len(r) else "[]" for r in b.rows for c in range(n)]
            head = ", ".join(text(b.header[c]) if c < len(b.header) else "[]" for c in range(n))
            caption = f"#par{text(b.caption)}\n" if b.caption else ""
            return caption + f"#table(columns: {n}, table.header({head}), {', '.join(cells)})\n"
        if isinstance(b, SourcesList):
            return "#enum(" + ", ".join(f"enum.item({e.number}){text(e.children)}" for e in b.entries) + ")\n"
        assert isinstance(b, (Rule, TableOfContents))
        return ""

    head = f'#set document(title: "Brief")\n#set text(lang: "{document.meta.language}")\n'
    return head + f"#heading(level: 1){text((Text(document.meta.title),))}\n" + "".join(
        block(b) for b in document.blocks)


@pytest.mark.parametrize("brief", BRIEFS)
def test_typst_tags_the_same_content_with_the_same_headings_lists_and_tables(sample_pdfs, brief, tmp_path):
    import typst  # the test extra's: Typst writes tagged PDF (PDF/UA-1) itself
    document = api.load_document(REPO / "briefs" / f"{brief}.yaml")
    source = tmp_path / "brief.typ"
    source.write_text(_typst(document), encoding="utf-8")
    theirs = typst.compile(str(source), pdf_standards=["ua-1"])

    def outline(data: bytes):
        rows = struct_text(data, tmp_path)
        headings = [(path[-1], _squash(t)) for path, t in rows if re.fullmatch(r"H[1-6]", path[-1])]
        labels = [t for path, t in rows if path[-1] == "Lbl"]
        cells = [(path[-1], _squash(t)) for path, t in rows if path[-1] in ("TH", "TD")]
        return headings, len(labels), cells

    ours = outline(sample_pdfs[brief])
    if any(type(b).__name__ == "TableOfContents" for b in walk(document.blocks)):
        ours = ([h for h in ours[0] if h[1] != "Contents"], *ours[1:])
    assert ours == outline(theirs)


def test_each_contents_entry_is_a_toci_with_its_link(sample_pdfs, tmp_path):
    document = api.load_document(REPO / "briefs" / "baotou-dossier.yaml")
    rows = struct_text(sample_pdfs["baotou-dossier"], tmp_path)
    entries = [text for path, text in rows if path[-2:] == ("TOC", "TOCI")]
    headings = [b for b in walk(document.blocks) if isinstance(b, Heading) and b.level <= 2]
    assert len(entries) == len(headings)
    # the dot leaders and page numbers are artifacts: each entry reads as its heading
    assert [_squash(e) for e in entries] == [_squash(plain_text(h.children)) for h in headings]


def test_the_logo_is_a_figure_with_alternative_text(tmp_path):
    from PIL import Image

    from reegen.writers import WriteOptions
    from reegen.writers.pdf import render_pdf

    from .conftest import WHEN

    Image.new("RGB", (300, 90), (0, 110, 90)).save(tmp_path / "logo.png")
    document = api.load_document(REPO / "briefs" / "baotou-executive.yaml")
    data = render_pdf(document, WriteOptions(source_date=WHEN, brand={"logo": "logo.png"}, base_dir=tmp_path))
    check_marked_content(data)
    pdf = pikepdf.open(io.BytesIO(data))
    figures = [e for e in _elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/Figure"]
    assert [str(f.Alt) for f in figures] == ["Logo"]  # reegen cannot know what the image shows
    named = render_pdf(document, WriteOptions(source_date=WHEN, brand={"logo": "logo.png", "logo_alt": "Acme Research"},
                                              base_dir=tmp_path))
    with pikepdf.open(io.BytesIO(named)) as named_pdf:
        alts = [str(e.Alt) for e in _elements(named_pdf.Root.StructTreeRoot.K[0]) if e.S == "/Figure"]
    assert alts == ["Acme Research"]  # what `[brand] logo_alt` says it shows
    path = tmp_path / "logo.pdf"
    path.write_bytes(data)
    assert [(f.rule_id, f.message) for f in validate(str(path)).findings] == []


def test_a_nested_list_sits_in_its_item_s_body_and_says_how_it_is_marked():
    from reegen.model import Document, ListItem, Meta, Paragraph, Text

    def shape(element):
        kids = element.get("/K")
        kids = [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        numbering = str(element.A.ListNumbering) if element.S == "/L" else ""
        return (str(element.S) + numbering, [shape(k) for k in kids])

    inner = BulletList((ListItem((Paragraph((Text("inner"),)),)),))
    document = Document(Meta("T"), (BulletList((ListItem((Paragraph((Text("outer"),)), inner)),)),
                                    BulletList((ListItem((Paragraph((Text("one"),)),)),), ordered=True)))
    data = write_pdf(document)
    check_marked_content(data)
    pdf = pikepdf.open(io.BytesIO(data))
    tree = shape(pdf.Root.StructTreeRoot.K[0])
    item = ("/LI", [("/Lbl", []), ("/LBody", [])])
    assert tree == ("/Document", [
        ("/H1", []),
        ("/L/Disc", [("/LI", [("/Lbl", []), ("/LBody", [("/P", []), ("/L/None", [item])])])]),
        ("/L/Decimal", [item]),
    ])


def test_a_reportlab_without_the_internals_the_tags_use_gets_an_untagged_pdf_and_one_warning(monkeypatch, tmp_path):
    from reegen.writers import _rl_compat as compat

    document = api.load_document(REPO / "briefs" / "baotou-executive.yaml")
    tagged = write_pdf(document, base_dir=REPO)
    monkeypatch.setattr(_pdf_tags, "INTERNALS", (*_pdf_tags.INTERNALS, ("Canvas", "_gone_in_a_later_reportlab")))
    monkeypatch.setattr(compat, "_warned", compat._warned - {"untagged"})
    with pytest.warns(compat.FallbackWarning, match="without tags") as caught:
        plain = write_pdf(document, base_dir=REPO)
        write_pdf(document, base_dir=REPO)
    assert len([w for w in caught if "without tags" in str(w.message)]) == 1
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
    with pikepdf.open(io.BytesIO(tagged)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
    assert _words(plain, tmp_path) == _words(tagged, tmp_path)  # the same brief, only without its tags


def _words(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "words.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
