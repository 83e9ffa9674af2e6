"""Hypothesis strategies: wire releases in canonical shape (English, Traditional and
Simplified Chinese, weather bulletins), for the round-trip and digest properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import opencc
from hypothesis import strategies as st

from pressroom.wire import (
    Block,
    BlockKind,
    ClosingStyle,
    Language,
    PageKind,
    ParsedRelease,
)
from pressroom.wire.trailer import is_trailer_keyword

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
PUNCTUATION = ",.'’“”()/&%$!?;"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CJK_PUNCTUATION = "，。、；：「」（）○"

word = st.text(LETTERS, min_size=1, max_size=10).flatmap(
    lambda letters: st.sampled_from(["", ",", ".", "’s", ")", ";"]).map(lambda tail: letters + tail)
)
capitalised = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=1)


def phrase(max_words: int, first=capitalised) -> st.SearchStrategy[str]:
    """Words with single spaces, starting with a capital: never a list item, table or rule."""
    return st.tuples(first, st.lists(word, min_size=1, max_size=max_words)).map(
        lambda parts: parts[0] + " ".join(parts[1])
    )


english_paragraph = (
    st.text(LETTERS + PUNCTUATION + " \u00a0", min_size=1, max_size=200).map(str.strip).filter(bool)
)
chinese_paragraph = (
    st.text(st.one_of(CJK, st.sampled_from(CJK_PUNCTUATION + "ABC123 ")), min_size=1, max_size=120)
    .map(str.strip)
    .filter(bool)
)
short_line = phrase(5).filter(lambda line: len(line) <= 40)
chinese_line = st.tuples(
    st.sampled_from(["記者：", "行政長官：", "主持人："]), st.text(CJK, min_size=1, max_size=20)
).map("".join)

rule_block = st.sampled_from(["-" * 57, "-" * 58, "* * * * *", "***", "*" * 40]).map(
    lambda text: Block(BlockKind.RULE, text=text)
)
heading_block = phrase(4).map(lambda text: Block(BlockKind.HEADING, text=text))
unordered_list = st.lists(phrase(4), min_size=1, max_size=4).flatmap(
    lambda items: st.sampled_from(["- ", "* "]).map(
        lambda marker: Block(BlockKind.LIST, lines=tuple(marker + item for item in items))
    )
)
ordered_list = st.lists(phrase(4), min_size=1, max_size=4).map(
    lambda items: Block(
        BlockKind.LIST,
        lines=tuple(f"{number}. {item}" for number, item in enumerate(items, 1)),
        ordered=True,
    )
)
colon_table = st.lists(st.tuples(phrase(2), phrase(3)), min_size=1, max_size=4).map(
    lambda rows: Block(
        BlockKind.TABLE, lines=tuple(f"{key} : {value}" for key, value in rows), rows=tuple(rows)
    )
)


def lines_block(line: st.SearchStrategy[str]) -> st.SearchStrategy[Block]:
    return st.lists(line, min_size=1, max_size=3).map(
        lambda lines: Block(BlockKind.LINES, lines=tuple(lines))
    )


def paragraph_block(text: st.SearchStrategy[str]) -> st.SearchStrategy[Block]:
    return text.map(lambda text: Block(BlockKind.PARAGRAPH, text=text))


english_blocks = st.one_of(
    paragraph_block(english_paragraph),
    paragraph_block(english_paragraph),
    lines_block(short_line),
    unordered_list,
    ordered_list,
    colon_table,
    rule_block,
    heading_block,
)
chinese_blocks = st.one_of(
    paragraph_block(chinese_paragraph),
    paragraph_block(chinese_paragraph),
    lines_block(chinese_line),
    rule_block,
)
issue_dates = st.dates(min_value=dt.date(1997, 7, 1), max_value=dt.date(2099, 12, 31))
issue_times = st.times().map(lambda time: time.replace(second=0, microsecond=0))
# A caption or video title that is exactly a heading or a furniture link ("Archives") cannot be
# told from one; real captions are sentences.
caption_text = phrase(8).filter(lambda text: not is_trailer_keyword(text))
captions = st.lists(caption_text, max_size=3).map(tuple)
videos = st.lists(caption_text, max_size=2).map(tuple)


@st.composite
def english_releases(draw) -> ParsedRelease:
    return ParsedRelease(
        language=Language.EN,
        title="Sample: "
        + draw(phrase(10))
        + draw(st.sampled_from(["", " (with photos)", " (with video)"])),
        body=tuple(draw(st.lists(english_blocks, min_size=1, max_size=6))),
        issue_date=draw(issue_dates),
        issue_time=draw(st.one_of(st.none(), issue_times)),
        captions=draw(captions),
        videos=draw(videos),
    )


def in_script(release: ParsedRelease) -> ParsedRelease:
    """The release's text written in its own script, as real pages are (the generator draws
    characters of both)."""
    convert = opencc.OpenCC("s2hk" if release.language is Language.ZH_HANT else "hk2s").convert
    body = tuple(
        Block(
            block.kind, text=convert(block.text), lines=tuple(convert(line) for line in block.lines)
        )
        for block in release.body
    )
    captions = tuple(convert(caption) for caption in release.captions)
    return replace(release, title=convert(release.title), body=body, captions=captions)


chinese_caption = st.text(CJK, min_size=1, max_size=40).filter(
    lambda text: not is_trailer_keyword(text)
)


@st.composite
def chinese_releases(draw) -> ParsedRelease:
    language = draw(st.sampled_from([Language.ZH_HANT, Language.ZH_HANS]))
    # Without a time line (香港时间) nothing on the page marks a Simplified page as such.
    time_strategy = (
        issue_times if language is Language.ZH_HANS else st.one_of(st.none(), issue_times)
    )
    return in_script(
        ParsedRelease(
            language=language,
            title="示例："
            + draw(st.text(CJK, min_size=1, max_size=30))
            + draw(st.sampled_from(["", "（附圖）", "（只有中文）"])),
            body=tuple(draw(st.lists(chinese_blocks, min_size=1, max_size=6))),
            issue_date=draw(issue_dates),
            issue_time=draw(time_strategy),
            captions=tuple(draw(st.lists(chinese_caption, max_size=3))),
        )
    )


upper_line = (
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-", min_size=1, max_size=60)
    .map(str.strip)
    .filter(
        lambda line: (
            line and not line.startswith(("DISPATCHED", "NNNN", "END", "-", "*")) and line != "NNNN"
        )
    )
)


@st.composite
def weather_bulletins(draw) -> ParsedRelease:
    return ParsedRelease(
        language=Language.EN,
        title="SAMPLE PRESS WEATHER BULLETIN",
        body=tuple(draw(st.lists(lines_block(upper_line), min_size=1, max_size=4))),
        issue_date=draw(issue_dates),
        issue_time=draw(issue_times),
        kind=PageKind.WEATHER,
        closing_style=ClosingStyle.DISPATCHED,
    )
