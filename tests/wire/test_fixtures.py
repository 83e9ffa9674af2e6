"""Every variation of the wire format, one fictional fixture each: parsed fields and the
canonical render."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from pressroom.wire import BlockKind, ClosingStyle, Language, PageKind, parse, render
from tests.support.wire import FIXTURES, fixture_text

NBSP = "\u00a0"
RELEASE_FIXTURES = sorted(
    path.name for path in FIXTURES.glob("*.txt") if not path.name.endswith("_error.txt")
)


def parsed(name: str):
    return parse(fixture_text(name), source=name)


def kinds(release) -> list[BlockKind]:
    return [block.kind for block in release.body]


@pytest.mark.parametrize("name", RELEASE_FIXTURES)
def test_render_is_canonical_and_stable(name):
    """Rendering what was parsed, then parsing and rendering again, changes nothing."""
    release = parsed(name)
    canonical = render(release)
    again = parse(canonical, reference=release.reference)
    # The department comes from a department site's furniture, which the canonical form drops.
    assert again == replace(release, department=None)
    assert render(again) == canonical


@pytest.mark.parametrize("name", RELEASE_FIXTURES)
def test_canonical_form_has_no_furniture(name):
    canonical = render(parsed(name))
    for furniture in (
        "Go to main content",
        "Skip to main content",
        "跳至主要內容",
        "跳至主要内容",
        "Today's Press Releases",
        "即日新聞",
        "Print this page",
        "Back to top",
    ):
        assert furniture not in canonical


def test_modern_english_page_with_photos():
    release = parsed("en_modern_go_to_main_content_with_photos.txt")
    assert release.language is Language.EN
    assert release.title == "Sample: Harbour festival opens with lantern display (with photos)"
    assert kinds(release) == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert "brings  people" in release.body[1].text  # double spaces kept as issued
    assert release.issue_date == dt.date(2024, 3, 4)
    assert release.issue_time == dt.time(18, 30)
    assert release.captions[1] == "Guests tour the lantern display (back row, 4th from right)."
    assert release.warnings == ()
    lines = render(release).split("\n")
    assert lines[0] == release.title
    assert lines[1] == "*" * len(release.title)
    assert lines[2].startswith(NBSP * 5 + "The Sample Department")
    assert lines[3] == ""
    assert lines[5:12] == [
        NBSP,
        "Ends/Monday, March 4, 2024",
        "Issued at HKT 18:30",
        "NNNN",
        "",
        "Photo",
        "",
    ]


def test_2008_language_bar_and_trailing_thumbnails_are_dropped():
    release = parsed("en_2008_furniture_traditional_simplified_email.txt")
    assert release.title.startswith("Sample: Hong Kong Economic and Trade Office")
    assert kinds(release) == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert release.issue_time == dt.time(10, 5)
    assert release.captions == ()
    assert release.warnings == ()


def test_print_view_without_rule_or_nnnn():
    release = parsed("en_print_view_no_furniture_no_rule_no_nnnn.txt")
    assert release.title == "Sample: Road closure for sample marathon"
    assert release.issue_date == dt.date(2011, 1, 28)
    assert any("no rule" in warning for warning in release.warnings)
    assert render(release).split("\n")[1] == "*" * len(release.title)


def test_department_site_names_department_and_reads_day_first_end():
    release = parsed("en_department_site_skip_link_day_first_end.txt")
    assert release.department == "Sample Department"
    assert release.title == "Sample: Department notice on opening hours"
    assert release.issue_date == dt.date(2016, 6, 6)
    assert release.issue_time is None
    assert any("issue time is unknown" in warning for warning in release.warnings)
    canonical = render(release)
    assert "Ends/Monday, June 6, 2016\nNNNN\n" in canonical
    assert "Issued at" not in canonical


def test_rule_printed_twice_and_longer_is_accepted_with_warnings():
    release = parsed("en_rule_doubled_and_longer.txt")
    assert kinds(release) == [BlockKind.PARAGRAPH]
    assert any(
        "printed 2 times" in warning and warning.startswith("line 5")
        for warning in release.warnings
    )
    assert any("52 '*'" in warning for warning in release.warnings)


def test_title_with_quote_and_suffix_and_a_video_block():
    release = parsed("en_title_quote_suffix_shorter_rule_audio_video.txt")
    assert release.title == "\u201cSample Week\u201d campaign launched (with video)"
    assert release.videos == ("Sample Week campaign launch",)
    assert "launched today.  It runs" in release.body[0].text
    assert render(release).endswith("\n\nAudio / Video\n\nSample Week campaign launch\nView\n")


def test_unindented_lines_lists_tables_rules_and_a_second_heading():
    release = parsed("en_preamble_list_table_rules_heading.txt")
    assert kinds(release) == [
        BlockKind.LINES, BlockKind.LINES, BlockKind.PARAGRAPH, BlockKind.LIST, BlockKind.LIST,
        BlockKind.TABLE, BlockKind.TABLE, BlockKind.RULE, BlockKind.TABLE, BlockKind.RULE,
        BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.RULE, BlockKind.PARAGRAPH,
    ]  # fmt: skip
    body = release.body
    assert body[0].lines == ("Attention duty announcers, radio and TV stations:",)
    assert body[3].lines == ("- First item of the list", "- Second item of the list")
    assert not body[3].ordered and body[4].ordered
    assert body[5].rows == (("Tender date", "September 8, 2020"), ("Closing time", "12 noon"))
    assert body[6].rows[1] == ("Sample North", "3", "1.2 ha")
    assert body[6].lines[1] == "Sample North    3         1.2 ha"  # padding kept as issued
    assert body[9].text == "-" * 57
    assert body[10].text == "Arrangements for the public"
    assert body[12].text == "* * * * *"
    assert "Arrangements for the public\n" + "*" * 27 + "\n" in render(release)


def test_issued_line_twice_unpadded_hour_and_nnnn_after_an_empty_line():
    release = parsed("en_issued_twice_unpadded_hour_nnnn_after_blank.txt")
    assert release.issue_time == dt.time(6, 17)
    assert release.body[0].text == "The sample event starts early.  Doors open at six o\u2019clock."
    assert [warning.split(":")[0] for warning in release.warnings] == ["line 9"]
    assert "Issued at HKT 06:17\nNNNN\n" in render(release)


def test_collapsed_mirror_gives_a_paragraph_per_line():
    release = parsed("en_collapsed_mirror_no_indent_no_blank.txt")
    assert kinds(release) == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert render(release).split("\n")[2].startswith(NBSP * 5 + "The Sample Department")


def test_wrong_weekday_is_a_warning_and_the_render_corrects_it():
    release = parsed("en_wrong_weekday_warning.txt")
    assert release.issue_date == dt.date(2023, 11, 3)
    assert release.warnings == ("line 5: 2023-11-03 is a Friday, not a Monday as the closing says",)
    assert "Ends/Friday, November 3, 2023\n" in render(release)


def test_traditional_chinese_page():
    release = parsed("zh_hant_modern_skip_link_with_wan.txt")
    assert release.language is Language.ZH_HANT
    assert release.title == "示例：海濱節今日開幕（附圖）"
    assert kinds(release) == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert release.issue_date == dt.date(2024, 3, 4)
    assert release.issue_time == dt.time(18, 30)
    assert release.captions == ("示例署長今日（三月四日）在開幕禮上致辭。",)
    lines = render(release).split("\n")
    assert lines[1:4] == [
        "*" * len(release.title),
        "",
        "\u3000\u3000示例部門今日（三月四日）在海濱長廊舉行燈飾展覽，為海濱節揭開序幕。",
    ]
    assert lines[5:11] == [
        "\u3000\u3000示例署長在開幕禮上致辭時表示，海濱節讓市民聚首一堂。",
        NBSP,
        "完",
        "2024年3月4日（星期一）",
        "香港時間18時30分",
        "NNNN",
    ]


def test_simplified_chinese_mirror_is_told_by_its_markers():
    release = parsed("zh_hans_mirror_simplified_markers.txt")
    assert release.language is Language.ZH_HANS
    assert "香港时间18时30分\nNNNN\n" in render(release)


def test_transcript_with_speaker_turns_four_space_indent_and_no_wan():
    release = parsed("zh_transcript_speaker_turns_four_space_indent.txt")
    assert release.title.endswith("（只有中文）")
    assert kinds(release) == [BlockKind.PARAGRAPH, BlockKind.LINES]
    assert "二○二○年一月二十日" in release.body[0].text
    assert release.body[1].lines == (
        "記者：請問示例計劃何時推出？",
        "行政長官：示例計劃將於下月推出。",
    )
    assert release.issue_date == dt.date(2020, 1, 20)


def test_chinese_closing_without_wan_or_nnnn_and_unpadded_hour():
    release = parsed("zh_missing_wan_and_nnnn.txt")
    assert release.issue_date == dt.date(2022, 12, 28)
    assert release.issue_time == dt.time(9, 5)
    assert render(release).endswith("完\n2022年12月28日（星期三）\n香港時間09時05分\nNNNN\n")


def test_ascii_ised_chinese_capture_with_hkscs_character():
    release = parsed("zh_ascii_punctuation_capture.txt")
    assert release.language is Language.ZH_HANT
    assert "輋" in release.title
    assert release.issue_date == dt.date(2015, 6, 1)
    assert release.body[0].text == "示例部門今日宣布,示例工程已經完成."
    assert release.body[1].lines == ("記者: 請問工程費用多少?",)


@pytest.mark.parametrize("name", ["en_photo_popup.txt", "en_photo_popup_mirror_pipes.txt"])
def test_photo_pop_up_pages(name):
    release = parse(fixture_text(name), source="/gia/general/201911/30/P2019113000500_photo_2.htm")
    assert release.kind is PageKind.PHOTO
    assert release.reference == "P2019113000500"
    assert release.photo_number == 2
    assert release.issue_date is None
    assert len(release.captions) == 1
    assert not release.captions[0].endswith("|")


def test_photo_pop_up_is_recognised_without_a_file_name():
    release = parsed("zh_photo_popup.txt")
    assert release.kind is PageKind.PHOTO
    assert release.language is Language.ZH_HANT
    assert release.captions == ("示例署長今日（十一月三十日）參觀示例中心。",)
    assert (
        render(release)
        == f"Photo\n{NBSP}\n示例署長今日（十一月三十日）參觀示例中心。\n{NBSP}\nClose\n"
    )


def test_weather_bulletin_keeps_its_lines():
    release = parsed("weather_bulletin_dispatched.txt")
    assert release.kind is PageKind.WEATHER
    assert release.closing_style is ClosingStyle.DISPATCHED
    assert release.issue_date == dt.date(2022, 8, 25)
    assert release.issue_time == dt.time(9, 21)
    assert kinds(release) == [BlockKind.LINES, BlockKind.LINES]
    assert release.body[0].lines[1] == "SAMPLE SEA IS EXPECTED TO BRING SHOWERS TO THE SAMPLE COAST"
    canonical = render(release)
    assert canonical.endswith(
        "PER CENT.\n\u00a0\nDISPATCHED BY HONG KONG OBSERVATORY AT 09:21 HKT ON 25.08.2022\n"
    )


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (FIXTURES / "canonical").glob("*.txt"))
)
def test_render_matches_the_expected_canonical_file(name):
    """Byte for byte: no-break-space indents, blank-line placement, the closing block."""
    expected = (FIXTURES / "canonical" / name).read_text(encoding="utf-8")
    assert render(parsed(name)) == expected


def test_chinese_time_line_printed_twice_keeps_the_first():
    text = (
        "示例：重複的時間\n********\n\n\u3000\u3000示例段落。\n完\n"
        "2021年5月3日（星期一）\n香港時間8時05分\n香港時間8時15分\nNNNN\n"
    )
    release = parse(text, source="zh_doubled_time.htm")
    assert release.issue_time == dt.time(8, 5)
    assert release.warnings == (
        "line 8: the 香港時間 line is printed twice (a different time; keeping 08:05)",
    )
