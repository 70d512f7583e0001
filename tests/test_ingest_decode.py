"""The bytes → str cascade of ``storyline.ingest.decode``."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from storyline.errors import BinaryInput, DecodeError
from storyline.ingest.decode import decode_bytes, normalize_newlines, sniff_html_charset

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
FRENCH = "Café crème, naïve “quoted” — résumé of the déjà vu.\nSecond line: à bientôt, garçon.\n"


def test_utf8_is_not_a_guess() -> None:
    d = decode_bytes("Grüße aus München\n".encode(), origin="a.txt")
    assert (d.text, d.encoding, d.note) == ("Grüße aus München\n", "utf-8", "")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_marks(bom: bytes, encoding: str) -> None:
    d = decode_bytes(bom + "Kyiv, 4 May — talks\r\nresume".encode(encoding), origin="a.txt")
    assert d.text == "Kyiv, 4 May — talks\nresume"
    assert d.encoding == encoding
    assert d.note == ""


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_single_byte_is_guessed_as_cp1252(encoding: str) -> None:
    text = FRENCH if encoding == "cp1252" else "Grüße aus München, schöne Straße und ähnliche Wörter.\n"
    d = decode_bytes(text.encode(encoding), origin="a.txt")
    assert d.text == text
    assert d.note == "decoded as cp1252 (guessed by charset-normalizer)"


def test_cyrillic_cp1251_is_not_forced_to_cp1252() -> None:
    text = "Президент России заявил сегодня, что переговоры продолжатся на следующей неделе."
    d = decode_bytes(text.encode("cp1251"), origin="a.txt")
    assert d.text == text
    assert d.note == "decoded as cp1251 (guessed by charset-normalizer)"


def test_declared_charset_wins_over_guessing_and_is_not_a_guess() -> None:
    d = decode_bytes(FRENCH.encode("cp1252"), origin="p.html", declared="iso-8859-1")
    assert (d.text, d.encoding, d.note) == (FRENCH, "cp1252", "")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (PNG, "binary data (a PNG image), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary data (a PDF document), not text"),
        (b"hello\x00world", "binary data (contains NUL bytes), not text"),
        (bytes(range(1, 32)) * 10, "binary data (too many control characters), not text"),
    ],
)
def test_binary_input(data: bytes, problem: str) -> None:
    with pytest.raises(BinaryInput) as info:
        decode_bytes(data, origin="x.txt")
    assert info.value.origin == "x.txt"
    assert info.value.problem == problem
    assert str(info.value) == f"[E102] x.txt: {problem}"


def test_bad_bom_is_a_decode_error() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9", origin="x.txt")
    assert info.value.problem.startswith("byte order mark says utf-8 but the bytes are not")


def test_newlines_normalised() -> None:
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_sniff_meta_charset() -> None:
    assert sniff_html_charset(b'<html><head><meta charset="windows-1252">') == "windows-1252"
    assert sniff_html_charset(
        b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    ) == ("ISO-8859-1")
    assert sniff_html_charset(b"<html><head><title>x</title>") is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co")), min_size=1))
def test_utf8_round_trip(text: str) -> None:
    assume(not text.startswith(("\ufeff", "GIF87a", "GIF89a", "%PDF-")))  # a BOM / a magic number
    assert decode_bytes(text.encode("utf-8"), origin="x").text == normalize_newlines(text)
