"""HTML charset: a page saved in the encoding it declares comes out as its own letters, not mojibake."""

from __future__ import annotations

import pytest

from reegen.ingest import ingest_source
from reegen.ingest.decode import declared_charset

_RUSSIAN = ("Городской совет утвердил новый план ремонта мостов через реку, и работы начнутся весной. "
            "Инженеры говорят, что старые опоры простоят ещё десять лет, если их укрепить вовремя.")
_CHINESE = ("市政府昨天公布了新的公交线路计划，将在明年春季开通三条线路。"
            "交通部门表示，新线路会连接城东的住宅区和城西的工业园区，方便工人上下班。")


def _page(head: str, title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


@pytest.mark.parametrize("head", [
    '<meta charset="windows-1251">',
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    "<meta content='text/html;charset=CP1251' http-equiv='content-type'>",
])
def test_a_windows_1251_page_is_read_in_the_encoding_it_declares(head):
    data = _page(head, "Мосты отремонтируют весной", _RUSSIAN).encode("cp1251")
    result = ingest_source(data, "page.html")
    assert result.draft.title == "Мосты отремонтируют весной"
    assert "Инженеры говорят, что старые опоры" in result.text
    assert any("windows-1251" in e.detail or "cp1251" in e.detail for e in result.report.of_kind("decoding"))


def test_a_gb2312_page_is_read_as_chinese_not_mojibake():
    data = _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "新公交线路明年开通",
                 _CHINESE).encode("gb2312")
    result = ingest_source(data, "page.htm")
    assert result.draft.title == "新公交线路明年开通"
    assert "交通部门表示" in result.text


def test_a_page_with_a_utf8_byte_order_mark_ignores_a_wrong_declaration():
    data = b"\xef\xbb\xbf" + _page('<meta charset="iso-8859-1">', "Мосты отремонтируют весной", _RUSSIAN).encode("utf-8")
    result = ingest_source(data, "page.html")
    assert "Инженеры говорят" in result.text


def test_valid_utf8_is_read_as_utf8_even_when_the_page_declares_latin1():
    data = _page('<meta charset="iso-8859-1">', "Café owners protest", "Prices at the café rose again. " * 6).encode("utf-8")
    result = ingest_source(data, "page.html")
    assert "Prices at the café rose" in result.text and "Ã" not in result.text


@pytest.mark.parametrize(("data", "codec"), [
    (b'<html><head><meta charset="gb2312">', "gbk"),
    (b"<meta http-equiv=Content-Type content='text/html; charset=Shift_JIS'>", "cp932"),
    (b'<?xml version="1.0" encoding="ISO-8859-2"?><html>', "iso8859-2"),
    (b'<meta charset="no-such-codec">', None),
    (b"<p>no declaration here</p>", None),
])
def test_declared_charset_maps_labels_as_browsers_do(data, codec):
    assert declared_charset(data) == codec
