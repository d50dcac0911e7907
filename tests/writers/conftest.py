"""A document exercising every block and inline type, shared by the writer tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from reportlab.lib.abag import ABag
from reportlab.lib.colors import Color

from reegen.model import (
    BulletList, Caveat, Code, Document, Emph, Heading, LineBreak, Link, ListItem, Meta,
    Paragraph, Quote, Ref, Rule, SourceEntry, SourceRef, SourcesList, Strong, Table,
    TableOfContents, Text, Unresolved,
)

SRC = SourceRef("baotou-high-tech-zone", "key-developments", 12)
REPO = Path(__file__).resolve().parents[2]
#: the hostile cases with a brief, for tests that lay out every paragraph they hold
CASES = sorted(p for p in (REPO / "tests" / "cases").iterdir() if (p / "briefs" / "brief.yaml").is_file())
#: the instant the PDF tests pin, so that outputs compare byte for byte
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def write_pdf(document: Document, **options) -> bytes:
    """Return `document` as PDF bytes, dated `WHEN`."""
    from reegen.writers import WriteOptions, get_writer

    return get_writer("pdf").write(document, WriteOptions(source_date=WHEN, **options))


def project_copy(case: Path, under: Path) -> Path:
    """Return a copy of project `case` inside `under`: a build writes its cache into its project, not the checkout.

    (A build in the case's own folder left its cache there, which tests/test_cases.py then
    copied with the case: a cache-damage case saw a warm cache.)
    """
    copy = under / "project" / case.name
    if not copy.is_dir():
        shutil.copytree(case, copy, symlinks=True, ignore=shutil.ignore_patterns(".reegen-cache", "expected"))
    return copy


def build_case(case: Path, out_dir: Path) -> bool:
    """Build hostile case `case` as a PDF into `out_dir`; False when reegen refuses it.

    A refusal is what some cases are about; the paragraphs laid out before it were still seen.
    A case refused at the template stage lays nothing out, and is not built here: its
    limits on time and memory hold only in a single-threaded process (tests/test_cases.py
    runs it as the real program, in its own process, under limits of its own).
    """
    from reegen import api

    expected = case / "expected" / "stderr.txt"
    if expected.is_file() and "[template." in expected.read_text(encoding="utf-8"):
        return False

    try:
        api.build(project_copy(case, out_dir) / "briefs" / "brief.yaml", formats=["pdf"], out_dir=out_dir, force=True)
    except api.ReegenError:
        return False
    return True


def make_document(*, toc: bool = False) -> Document:
    """Return a small brief with every block type, attributed as `attribute` leaves it."""
    sources = (
        SourceEntry(1, (Text("Rare Earth Exchanges, “Baotou’s high-tech zone fast-tracks magnet projects”, 3 July 2025. "),
                        Link("https://example.org/zone", (Text("https://example.org/zone"),))),
                    url="https://example.org/zone", article_id="baotou-high-tech-zone"),
        SourceEntry(2, (Text("Rare Earth Exchanges, “Symposium on the Two Rare Earth Bases”, 24 June 2025. "
                             "Relays Baogang Daily (state-affiliated), translated."),),
                    article_id="baotou-symposium"),
    )
    caveats = (
        Caveat("state-affiliated", "Source [2] relays Baogang Daily, a state-affiliated outlet.", (2,), ("baotou-symposium",)),
        Caveat("disclaimer", "Source [1] warns: “Any news out of China must be vetted carefully.”", (1,), ("baotou-high-tech-zone",)),
    )
    blocks = []
    if toc:
        blocks.append(TableOfContents())
    blocks += [
        Heading(1, (Text("Executive summary"),), "executive-summary"),
        BulletList((
            ListItem((Paragraph((Text("Approvals take under half a day in S&P-style <fast> lanes."),), SRC, (1,)),), SRC),
            ListItem((
                Paragraph((Text("The zone offers:"),), SRC, (1,)),
                BulletList((
                    ListItem((Paragraph((Text("rapid approvals"),), SRC, (1,)),), SRC),
                    ListItem((Paragraph((Text("innovative financing"),), SRC, (1,)),), SRC),
                )),
            ), SRC),
        )),
        Heading(1, (Text("Key developments"),), "key-developments"),
        Paragraph((Strong((Text("Administrative velocity."),)), Text(" Business registration takes under half a day; "),
                   Emph((Text("adjudication"),)), Text(" time fell by 30% "), Ref((1,)), Text("."),
                   Text(" Cited markers stay visible "), Unresolved("[2: ref. 1, 2]"), Text(".")), SRC, (1,)),
        Quote((Paragraph((Text("“Baotou has built a complete ecosystem of schools, labs, and factories”"),),
                         SourceRef("baotou-circular-chain", "lead", 9), (2,)),), SourceRef("baotou-circular-chain", "lead", 9)),
        Heading(2, (Text("Market context"),), "market-context"),
        Paragraph((Text("Costs: ¥110 million (~$15.2 million), €3 and £4 — "), Code("x < y & z"),
                   LineBreak(), Text("second line with a link "),
                   Link("https://example.org/a-very-long-path/" + "segment/" * 20, (Text("here"),)), Text(".")), SRC, (1,)),
        Table(
            header=((Text("Figure"),), (Text("What it measures"),), (Text("Source"),)),
            rows=tuple(((Text(f"{n}%"),), (Text(f"Row {n} growth of private enterprises"),), (Ref((1,)),)) for n in range(1, 41)),
            caption=(Text("Key figures"),),
            widths=(1, 3, 1),
        ),
        Rule(),
        Paragraph((Text("Shortened: 2 more items omitted."),), role="note"),
        Heading(1, (Text("Verification caveats"),), "verification-caveats"),
        BulletList(tuple(ListItem((Paragraph((Text(c.text),), numbers=c.numbers),)) for c in caveats)),
        Heading(1, (Text("Sources"),), "sources"),
        SourcesList(sources),
    ]
    meta = Meta(
        title="Baotou’s rare-earth magnet machine",
        subtitle="What Western supply chains are up against",
        audience="Executive leadership",
        author="Strategy desk",
        date="2025-07-20",
        classification="Internal — not for redistribution",
        keywords=("baotou", "magnets"),
        template="dossier" if toc else "executive",
    )
    return Document(meta, tuple(blocks), caveats, sources)


@pytest.fixture(scope="module")
def fonts():
    """The PDF writer's font families, loaded once per test module."""
    from reegen.writers._pdf_fonts import load_fonts

    return load_fonts()


@pytest.fixture
def document() -> Document:
    return make_document()


@pytest.fixture
def dossier_document() -> Document:
    return make_document(toc=True)


def libreoffice_env(tmp_path) -> dict:
    """Return an environment whose fontconfig also sees reegen's bundled fonts, as for a user who installed them.

    LibreOffice draws a DOCX with the machine's fonts; a CI machine may have no CJK face,
    and the bundled Droid Sans Fallback stands in for the "Microsoft YaHei" the DOCX names.
    """
    from reegen.writers._pdf_fonts import FONT_DIR

    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONT_DIR}</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def plain(value, *, kinds: bool = False):
    """reportlab's fragments and lines as plain data: its bags and colours compare by identity.

    With `kinds`, a list also records its class (reportlab tells a word followed by a
    space from one that is not by the list's class alone).
    """
    if isinstance(value, ABag):
        return ("bag", type(value).__name__, plain(value.__dict__, kinds=kinds))
    if isinstance(value, Color):
        return ("color", value.rgba())
    if isinstance(value, dict):
        return {k: plain(v, kinds=kinds) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [plain(v, kinds=kinds) for v in value]
        return (type(value).__name__, items) if kinds else items
    return value
