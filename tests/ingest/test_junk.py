"""Inputs that are not articles are refused with one line naming the file; the rest of the batch still goes through."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from reegen.cli import cli
from reegen.errors import ArticleError, BuildFailed
from reegen.ingest import ingest_paths, ingest_source

ARTICLE = ("Ferry Line Adds Winter Crossings\n"
           "The island ferry will run four extra crossings a day from December, the operator said on Tuesday. "
           "The change follows complaints from commuters about crowded morning boats.\n"
           "Fares stay the same until March, when the council reviews its subsidy.\n")

JUNK = {
    "js-notice.txt": "You need to enable JavaScript to run this app.\n",
    "js-notice-2.html": "<html><body><noscript>This site doesn't work properly without JavaScript enabled. "
                        "Please enable it to continue.</noscript></body></html>",
    "script.txt": "\n".join([
        "(function () {", "  var queue = window.dataLayer || [];", "  function push(event) { queue.push(event); }",
        "  document.addEventListener('load', function () { push({type: 'view'}); });", "  if (queue.length > 3) {",
        "    console.log('busy');", "  }", "})();",
    ]) + "\n",
    "nav.txt": "\n".join(["Home", "World", "Business", "Markets", "Sport", "Culture", "Opinion", "Podcasts",
                          "Newsletters", "About us", "Contact", "Careers"]) + "\n",
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_pages_that_are_not_articles_are_refused(name):
    with pytest.raises(ArticleError) as info:
        ingest_source(JUNK[name].encode("utf-8"), name)
    assert info.value.code in ("ingest.not-article", "ingest.empty")
    assert name in str(info.value.diagnostics[0].location)


def test_a_binary_file_is_refused_not_read_as_latin_1():
    data = bytes(range(256)) * 40
    with pytest.raises(ArticleError) as info:
        ingest_source(data, "photo.txt")
    assert info.value.code == "ingest.not-article" and "NUL" in info.value.message
    with pytest.raises(ArticleError):  # control characters without NUL bytes
        ingest_source(bytes([1, 2, 3, 4, 5, 6, 7, 65, 66]) * 200, "blob.txt")


def test_an_oversized_input_is_refused_with_its_size(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 2_100_001)
    with pytest.raises(BuildFailed) as info:
        ingest_paths([big], tmp_path / "out")
    assert "MB limit" in str(info.value)


def test_a_batch_writes_the_good_inputs_and_exits_1_naming_each_refused_file(tmp_path):
    good = tmp_path / "ferry.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "script.txt"
    bad.write_text(JUNK["script.txt"], encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    result = CliRunner().invoke(cli, ["ingest", str(good), str(bad), str(binary), "-d", str(tmp_path / "articles")])
    assert result.exit_code == 1
    written = list((tmp_path / "articles").iterdir())
    assert [p.name for p in written] == ["ferry-line-adds-winter-crossings.md"]
    refusals = [line for line in result.output.splitlines() if "not-article" in line or "not an article" in line]
    assert any("script.txt" in line for line in refusals) and any("image.txt" in line for line in refusals)
    assert "1 written, 0 unchanged, 2 refused" in result.output


def test_a_real_article_that_mentions_javascript_or_code_is_kept():
    text = ARTICLE + ("The operator's new booking site requires JavaScript, which drew complaints from older travellers "
                      "who said the old phone line worked better.\n")
    result = ingest_source(text.encode("utf-8"), "ferry.txt")
    assert "JavaScript" in result.text


def test_an_article_in_a_script_without_spaces_is_not_taken_for_navigation():
    lines = ["港口新泊位获批", "港务局周一批准了第二个集装箱泊位，审查历时两年。", "官员表示，工程将于明年春天开工，预计需要十八个月。",
             "当地航运公司对这一决定表示欢迎，但警告疏浚费用仍不明确。", "部分居民担心施工噪音会影响附近的学校。",
             "港务局承诺在开工前举行公开听证会。", "新泊位建成后，港口的年吞吐量预计将增加三成。", "市议会将于下月审议相关预算。",
             "分析人士认为，该项目有助于缓解高峰期的船舶拥堵。"]
    result = ingest_source("\n".join(lines).encode("utf-8"), "harbour.txt")
    assert result.draft.title == "港口新泊位获批"


def test_utf16_text_with_a_byte_order_mark_is_not_taken_for_binary():
    result = ingest_source(ARTICLE.encode("utf-16"), "ferry.txt")
    assert result.draft.title == "Ferry Line Adds Winter Crossings"
