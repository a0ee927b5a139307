"""Bytes to text: declared charsets, UTF-8 default, damaged bytes."""

from __future__ import annotations

from articles.lwn import parse_page
from articles.lwn.decoding import decode_page
from tests.lwn.pagebuilder import page_html

NAMES = "<p>Jürgen Dürr — ½</p>"


def test_it_defaults_to_utf8_without_a_declaration() -> None:
    text, warnings = decode_page("<p>Jürgen Dürr</p>".encode())
    assert "Jürgen Dürr" in text
    assert warnings == []


def test_it_honours_a_declared_latin1_charset() -> None:
    data = page_html(NAMES.replace(" — ½", ""), charset="iso-8859-1").encode("latin-1")
    page = parse_page(data)
    assert page.items[0].body_text == "Jürgen Dürr"
    assert page.warnings == []


def test_it_honours_a_meta_charset_attribute() -> None:
    data = b'<meta charset="windows-1252"><p>caf\xe9</p>'
    text, warnings = decode_page(data)
    assert "café" in text
    assert warnings == []


def test_it_replaces_undecodable_bytes_and_warns() -> None:
    data = page_html(NAMES).encode("utf-8").replace("Dürr".encode(), b"D\xfcrr")
    page = parse_page(data)
    assert "D\ufffdrr" in page.items[0].body_text
    assert "Jürgen" in page.items[0].body_text
    assert [w.code for w in page.warnings] == ["bytes-undecodable"]


def test_it_follows_a_utf16_byte_order_mark() -> None:
    data = page_html(NAMES).encode("utf-16")
    page = parse_page(data)
    assert page.items[0].body_text == "Jürgen Dürr — ½"


def test_it_ignores_a_utf16_declaration_in_ascii_bytes() -> None:
    text, _ = decode_page(b'<meta charset="utf-16"><p>J\xc3\xbcrgen</p>')
    assert "Jürgen" in text


def test_it_ignores_an_unknown_charset_label() -> None:
    text, _ = decode_page('<meta charset="klingon"><p>Jürgen</p>'.encode())
    assert "Jürgen" in text
