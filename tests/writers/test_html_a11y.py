"""The HTML brief is accessible: language, landmarks, one h1, headings in order, named links; axe-core finds nothing.

The structural tests read the page with the standard library's parser. The axe tests open
every sample brief (and the hostile cases that stress text and tables) in the session's
headless Chromium and run axe-core (bundled by selenium-axe-python) on it, with the
WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reegen import api
from reegen.model import (
    Document, Emph, Heading, Link, Meta, Paragraph, Ref, SourceEntry, SourcesList, Table, TableOfContents, Text,
)
from reegen.writers import WriteOptions
from reegen.writers.html import HtmlWriter

from .conftest import project_copy

REPO = Path(__file__).resolve().parents[2]
#: hostile cases whose text and tables stress what a screen reader and axe look at
CASES = ("article-cjk-text", "article-right-to-left-text", "article-hebrew-line", "article-devanagari-text",
         "article-40-column-table", "article-list-nested-12-deep", "article-unresolved-marker-strict",
         "article-markup-like-text", "article-javascript-link", "article-2000-character-url",
         "article-raw-html-block", "article-emoji-renders", "article-deeply-nested-quotes")
#: the rule sets axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class _Page(HTMLParser):
    """Collects the tags (with their attributes), headings and link names of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.links.append(attrs)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def render(document: Document) -> tuple[str, _Page]:
    html = HtmlWriter().write(document, WriteOptions()).decode("utf-8")
    page = _Page()
    page.feed(html)
    return html, page


def brief(*blocks, **meta) -> Document:
    sources = (SourceEntry(1, (Text("Rare Earth Exchanges, "), Emph((Text("Zone fast-tracks magnets"),)), Text(", undated."))),
               SourceEntry(2, (Text("Publisher not stated, title not stated (summary: "), Emph((Text("A plan"),)),
                               Text("), undated."))))
    return Document(Meta(title=meta.pop("title", "Brief"), **meta),
                    tuple(blocks) + (Heading(1, (Text("Sources"),), "sources"), SourcesList(sources)), sources=sources)


def test_the_page_language_is_the_brief_language():
    _, page = render(brief(Paragraph((Text("Hallo."),)), language="de-AT"))
    assert page.all("html")[0]["lang"] == "de-AT"
    _, page = render(brief(Paragraph((Text("Hello."),))))
    assert page.all("html")[0]["lang"] == "en"


def test_a_language_that_is_not_a_tag_falls_back_to_english():
    html, page = render(brief(Paragraph((Text("x"),)), language='en" onload="x'))
    assert page.all("html")[0]["lang"] == "en"
    assert "onload" not in html


def test_text_in_another_script_is_marked_with_its_language():
    html, _ = render(brief(Paragraph((Text("包头（Baotou）稀土 and שלום עולם, then カタカナ."),)), title="包头 brief"))
    assert '<h1><span lang="zh">包头</span> brief</h1>' in html
    assert '<span lang="zh">稀土</span>' in html and '<span lang="he">שלום עולם</span>' in html
    assert '<span lang="ja">カタカナ</span>' in html


def test_text_in_the_briefs_own_script_is_not_marked():
    html, _ = render(brief(Paragraph((Text("包头稀土"),)), language="zh-Hans"))
    assert '<html lang="zh-Hans">' in html and "包头稀土" in html and 'lang="zh"' not in html


def test_the_page_has_banner_main_navigation_and_content_info_landmarks():
    html, page = render(brief(TableOfContents("Contents"), Heading(1, (Text("One"),), "one"),
                              Paragraph((Text("Body."),)), classification="Internal"))
    assert [t for t, _ in page.tags].count("main") == 1
    # the title block is the banner: a <header> outside <main>
    assert html.index("<header") < html.index("<main>") and html.index("</header>") < html.index("<main>")
    assert page.all("nav")[0]["aria-label"] == "Contents"
    assert html.index("</main>") < html.index("<footer") and "Internal" in html[html.index("<footer"):]


def test_the_title_is_the_only_h1_and_no_heading_level_is_skipped():
    _, page = render(brief(Heading(3, (Text("Deep first"),), "a"), Heading(1, (Text("Top"),), "b"),
                           Heading(3, (Text("Skips one"),), "c"), Heading(2, (Text("Back"),), "d")))
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, page.headings


def test_column_headers_have_scope():
    table = Table(((Text("Figure"),), (Text("Value"),)), (((Text("Output"),), (Text("3 t"),), (Text("extra"),)),))
    _, page = render(brief(table))
    assert [th.get("scope") for th in page.all("th")] == ["col", "col"]


def test_a_source_number_link_is_named_after_its_source():
    html, page = render(brief(Paragraph((Text("One."),), numbers=(1, 2))))
    named = {a["href"]: a for a in page.links if a.get("href", "").startswith("#source-")}
    assert named["#source-1"]["aria-label"] == "Source 1: Zone fast-tracks magnets"
    # a title reegen derived is still shown as one
    assert named["#source-2"]["aria-label"] == "Source 2: title not stated (summary: A plan)"
    assert named["#source-1"]["title"] == named["#source-1"]["aria-label"]
    # the visible text is unchanged
    assert ">[1</a>, <a" in html and ">2]</a>" in html


def test_a_citation_in_text_is_named_too():
    _, page = render(brief(Paragraph((Text("As reported "), Ref((2,)), Text(".")))))
    assert [a.get("aria-label") for a in page.links if a.get("href") == "#source-2"] == [
        "Source 2: title not stated (summary: A plan)"]


def test_a_link_without_text_shows_its_address():
    html, page = render(brief(Paragraph((Text("See "), Link("https://example.org/x", ()), Text(".")))))
    assert '<a href="https://example.org/x"><span class="url">https://example.org/x</span></a>' in html


# --------------------------------------------------------------------------- axe-core in a real browser


def _axe(browser, path: Path) -> dict:
    from selenium_axe_python import Axe

    browser.get(path.resolve().as_uri())
    axe = Axe(browser)
    axe.inject()
    return axe.run(options=json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}}))


def _violations(results: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]


@pytest.fixture(scope="module")
def built_pages(tmp_path_factory) -> dict[str, Path]:
    """Build every sample brief and the chosen hostile cases as HTML; return name -> page."""
    out = tmp_path_factory.mktemp("a11y-html")
    pages = {}
    for spec in sorted((REPO / "briefs").glob("*.yaml")):
        result = api.build(spec, formats=["html"], out_dir=out / "samples", force=True)
        pages[spec.stem] = Path(result.outputs["html"])
    for name in CASES:
        case = project_copy(REPO / "tests" / "cases" / name, out)
        result = api.build(case / "briefs" / "brief.yaml", formats=["html"],
                           out_dir=out / name, force=True)
        pages[name] = Path(result.outputs["html"])
    return pages


@pytest.mark.render
def test_axe_finds_no_violation_in_any_sample_or_hostile_brief(browser, built_pages):
    assert {"baotou-executive", "baotou-dossier"} <= set(built_pages)
    found = {}
    for name, page in built_pages.items():
        results = _axe(browser, page)
        # the checks that matter here ran and passed (so an empty list is not an empty run)
        passed = {rule["id"] for rule in results["passes"]}
        expected = {"html-has-lang", "html-lang-valid", "landmark-one-main", "page-has-heading-one", "region"}
        if name.startswith("baotou-"):  # the samples have subheadings and source links
            expected |= {"heading-order", "link-name", "color-contrast"}
        assert expected <= passed, (name, sorted(expected - passed))
        if results["violations"]:
            found[name] = _violations(results)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.render
def test_axe_reports_a_page_without_language_or_landmarks(browser, tmp_path):
    """The check can fail: the same page without lang and landmarks is reported."""
    html, _ = render(brief(Paragraph((Text("Body."),))))
    bare = html.replace('<html lang="en">', "<html>").replace("<main>", "<div>").replace("</main>", "</div>")
    page = tmp_path / "bare.html"
    page.write_text(bare, encoding="utf-8")
    ids = {v["id"] for v in _axe(browser, page)["violations"]}
    assert {"html-has-lang", "landmark-one-main"} <= ids


@pytest.mark.render
def test_axe_finds_no_violation_on_a_page_with_every_block_and_inline(browser, tmp_path):
    """Every kind of content the model has, unresolved markers and code included, in both layouts."""
    from .conftest import make_document

    for toc in (False, True):
        page = tmp_path / f"every-{toc}.html"
        page.write_bytes(HtmlWriter().write(make_document(toc=toc), WriteOptions()))
        results = _axe(browser, page)
        assert "color-contrast" in {rule["id"] for rule in results["passes"]}
        assert not results["violations"], _violations(results)
