"""Bytes as real archives hold them: UTF-8 (BOM or not), Big5, Big5-HKSCS, CRLF, mojibake."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.wire import Language, ParseError, decode, decode_detailed, parse, parse_bytes
from tests.support.wire import fixture_text

CHINESE = "zh_hant_modern_skip_link_with_wan.txt"
HKSCS = "zh_ascii_punctuation_capture.txt"  # its title holds 埗, a Big5-HKSCS character
ENGLISH = "en_modern_go_to_main_content_with_photos.txt"


def garble(text: str) -> str:
    """What a page becomes when its UTF-8 bytes are read as cp1252 (bytes that cp1252 leaves
    undefined read as Latin-1, as browsers do) and saved again."""
    return "".join(
        chr(byte) if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([byte]).decode("cp1252")
        for byte in text.encode("utf-8")
    )


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def test_utf8_with_bom_and_crlf_line_ends():
    data = b"\xef\xbb\xbf" + crlf(fixture_text(ENGLISH)).encode("utf-8")
    text = decode(data, "en_utf8_bom_crlf.htm")
    assert not text.startswith("\ufeff")
    assert "\r" not in text
    assert text == fixture_text(ENGLISH)


def test_old_mac_cr_line_ends_become_lf():
    data = fixture_text(ENGLISH).replace("\n", "\r").encode("utf-8")
    assert decode(data) == fixture_text(ENGLISH)


def test_big5_with_crlf():
    text = fixture_text(CHINESE).replace("\u00a0", " ")  # Big5 has no no-break space
    data = crlf(text).encode("big5")
    decoded = decode_detailed(data, "zh_big5_crlf.htm")
    assert decoded.encoding == "big5hkscs"
    assert decoded.text == text
    release = parse(decoded.text)
    assert release.title == "示例：海濱節今日開幕（附圖）"
    assert release.issue_date == dt.date(2024, 3, 4)


def test_big5_hkscs_character():
    text = fixture_text(HKSCS)
    data = text.encode("big5hkscs")
    with pytest.raises(UnicodeEncodeError):
        text.encode("big5")  # the point of the fixture: 埗 is outside plain Big5
    assert "深水埗" in parse_bytes(data, "zh_big5hkscs.htm").title


def test_mojibake_of_english_punctuation_is_repaired_with_a_warning():
    original = fixture_text("en_issued_twice_unpadded_hour_nnnn_after_blank.txt")
    garbled = garble(original)
    assert "â€œ" in garbled
    release = parse_bytes(garbled.encode("utf-8"), "en_mojibake.htm")
    assert release.body[1].text == "\u201cWe welcome everyone,\u201d said a spokesman."
    assert any("mojibake" in warning for warning in release.warnings)


def test_mojibake_of_chinese_text_is_repaired_line_by_line():
    original = fixture_text(CHINESE)
    lines = original.split("\n")
    # Only the title was garbled upstream (UTF-8 read as Latin-1/cp1252 with undefined bytes).
    lines[2] = garble(lines[2])
    assert lines[2].startswith("ç¤ºä¾‹")
    decoded = decode_detailed("\n".join(lines).encode("utf-8"), "zh_mojibake.htm")
    assert decoded.text == original
    assert decoded.warnings == (
        "line 3: repaired mojibake (UTF-8 read as cp1252 upstream) on line(s) 3",
    )


def test_parse_repairs_mojibake_in_text_too():
    garbled = fixture_text(CHINESE).encode("utf-8").decode("latin-1")
    release = parse(garbled, "zh_mojibake.txt")
    assert release.language is Language.ZH_HANT
    assert release.title == "示例：海濱節今日開幕（附圖）"
    assert release.warnings and "mojibake" in release.warnings[0]


def test_text_with_real_latin_letters_is_left_alone():
    text = (
        "Sample: Café opens\n"
        + "*" * 18
        + "\n     Crème brûlée à la carte.\n \nEnds/Friday, November 3, 2023\nIssued at HKT 10:00\n"
    )
    assert decode(text.encode("utf-8")) == text
    assert parse(text).warnings == ()


def test_undecodable_bytes_name_source_and_line():
    data = b"Sample: Title\n****\n" + b"     Good line\n\xff\xfe\xff broken\n"
    with pytest.raises(ParseError) as caught:
        decode(data, "broken.htm")
    error = caught.value
    assert error.source == "broken.htm"
    assert error.line == 4
    assert str(error).startswith("broken.htm, line 4: cannot decode")
    assert "ff" in error.reason


def test_undecodable_bytes_after_crlf_lines_count_lines_right():
    data = b"Line one\r\nLine two\r\nLine three \xff\xff\xff\r\n"
    with pytest.raises(ParseError) as caught:
        decode(data, "crlf.htm")
    assert caught.value.line == 3


def test_parse_accepts_crlf_and_bom_in_text():
    text = "\ufeff" + crlf(fixture_text(ENGLISH))
    release = parse(text)
    assert release.title.startswith("Sample: Harbour festival")
    assert release.issue_time == dt.time(18, 30)
