"""Text that is not UTF-8 is decoded as what it most likely is, and the warning says so."""

from __future__ import annotations

import codecs

import pytest

from etl.errors import SourceError
from etl.sources import decode

GERMAN = (
    "„Nein“, sagte er.",
    "Das kostet 5 € – oder mehr.",
    "Größe",
    "Müller sagte: »Nein«",
    "‚Einzel‘ und „doppelt“ — gemischt • Punkt",
    "Öl für Ägypten",
    "Äußerst übermäßig öffentliche Übergröße für Öl",
    "Der russische Verteidigungsminister Sergej Schoigu ist in Pjöngjang eingetroffen; über Waffen äußerte er sich nicht.",
)
RUSSIAN = "Министр обороны России Сергей Шойгу прибыл в Пхеньян. Он встретился с Ким Чен Ыном и обсудил военное сотрудничество."


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(("text", "encoding"), [(t, e) for t in GERMAN for e in ("cp1252", "latin-1") if _encodable(t, e)])
def test_short_german_texts_read_as_windows_1252(text, encoding):
    data = text.encode(encoding)
    decoded, warnings = decode(data, "x.txt")
    assert decoded == text
    assert warnings == (f"not valid UTF-8 (byte {_first_non_ascii(data)}); decoded as Windows-1252 (detected)",)


@pytest.mark.parametrize(("encoding", "named"), [("cp1251", "cp1251"), ("koi8_r", "koi8_r"), ("iso8859_5", "iso8859_5")])
def test_cyrillic_8_bit_text_is_detected(encoding, named):
    decoded, warnings = decode(RUSSIAN.encode(encoding), "x.txt")
    assert decoded == RUSSIAN
    assert warnings[0].endswith(f"decoded as {named} (detected)")


def test_utf8_never_warns_and_a_bom_is_not_text():
    assert decode("Pjöngjang".encode(), "x") == ("Pjöngjang", ())
    assert decode(codecs.BOM_UTF8 + "Pjöngjang".encode(), "x") == ("Pjöngjang", ())
    assert decode("Pjöngjang".encode("utf-16"), "x") == ("Pjöngjang", ())
    assert decode("Pjöngjang".encode("utf-32"), "x") == ("Pjöngjang", ())


def test_a_declared_charset_wins_over_detection():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body><p>Шойгу</p></body></html>'
    decoded, warnings = decode(html.encode("cp1251"), "x.html")
    assert "Шойгу" in decoded and warnings[0].endswith("decoded as cp1251 (the encoding the file declares)")


def test_a_byte_order_mark_that_lies_is_named():
    with pytest.raises(SourceError, match="starts with a UTF-16 byte-order mark but byte 8 does not fit it"):
        decode(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00", "x.txt")


def _first_non_ascii(data: bytes) -> int:
    return next(i for i, byte in enumerate(data) if byte > 127)


@pytest.mark.parametrize("label", ["base64", "rot13", "hex", "zlib", "uu", "quopri", "unicode_escape", "undefined", "utf-16", "no-such-charset"])
def test_a_declared_charset_that_is_no_text_encoding_is_not_honoured(label):
    html = f'<html><head><meta charset="{label}"></head><body><p>Pjöngjang \\ud800 bestreitet.</p></body></html>'
    decoded, warnings = decode(html.encode("cp1252"), "x.html")
    assert "Pjöngjang \\ud800 bestreitet." in decoded, "read as Windows-1252, the escape left as it is"
    assert warnings[0].endswith("decoded as Windows-1252 (detected)")
