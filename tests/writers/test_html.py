"""The HTML writer: one self-contained, safe page with working source links."""

import re
from html.parser import HTMLParser

from reegen.model import Document, Link, Meta, Paragraph, Text
from reegen.writers import WriteOptions
from reegen.writers.html import HtmlWriter


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.tags, self.text = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag in ("script", "img", "link", "iframe"):
            raise AssertionError(f"unexpected <{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def parse(document):
    html = HtmlWriter().write(document, WriteOptions()).decode("utf-8")
    collector = _Collector()
    collector.feed(html)
    return html, collector


def test_every_source_number_links_to_an_entry_that_exists(document):
    _, page = parse(document)
    internal = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert "source-1" in internal and "source-2" in internal
    assert set(internal) <= page.ids


def test_a_source_number_links_with_its_brackets():
    html, _ = parse(Document(Meta(title="Brief"), (Paragraph((Text("One."),), numbers=(3,)),
                                                   Paragraph((Text("Two."),), numbers=(1, 2)))))
    assert re.search(r'<a href="#source-3"[^>]*>\[3\]</a>', html)
    assert re.search(r'<a href="#source-1"[^>]*>\[1</a>, <a href="#source-2"[^>]*>2\]</a>', html)


def test_markup_like_text_prints_as_written(document):
    html, page = parse(document)
    text = "".join(page.text)
    assert "S&P-style <fast> lanes" in text
    assert "<fast>" not in html  # escaped, never a tag


def test_only_safe_link_schemes_become_links(document):
    from dataclasses import replace

    bad = Paragraph((Link("javascript:alert(1)", (Text("click"),)),))
    html, page = parse(replace(document, blocks=document.blocks + (bad,)))
    assert "javascript:" not in html and "click" in "".join(page.text)


def test_the_page_needs_nothing_from_outside(document):
    html, page = parse(document)
    assert "<style>" in html and not re.search(r"(src|href)=\"(https?:)?//(?!example\.org)", html)


def test_title_block_and_classification(document):
    _, page = parse(document)
    text = " ".join(page.text)
    assert "Baotou’s rare-earth magnet machine" in text and "Internal — not for redistribution" in text
