"""Page furniture: the navigation text that saved pages carry around a release.

Before the title: skip links and language bars. After the closing block: links to other
lists of releases. None of it is part of the release, and all of it is dropped.
"""

from __future__ import annotations

import re

# Lines that open a page before the title. "Skip to main content" is a department site's,
# and the line after it is that department's name.
_SKIP_LINKS = {"go to main content", "跳至主要內容", "跳至主要内容"}
DEPARTMENT_SKIP_LINK = "skip to main content"
SIMPLIFIED_MARKERS = ("跳至主要内容", "即日新闻", "香港时间")
TRADITIONAL_MARKERS = ("跳至主要內容", "即日新聞", "香港時間")

# 2006 to 2015: "Traditional Chinese Simplified Chinese Email this article news.gov.hk ..."
# (the tail varies); the Chinese pages' bar names English and the other script.
_LANGUAGE_BAR = re.compile(
    r"^(Traditional Chinese|Simplified Chinese|Email this article|English\s*(繁體|簡體|简体|繁体))",
    re.I,
)

# After NNNN. Compared case-insensitively, with curly apostrophes made straight.
_TRAILING_FURNITURE = {
    "today's press releases",
    "print this page",
    "sitemap back to top",
    "sitemap",
    "latest press releases",
    "archives",
    "yesterday's press releases",
    "back to index page",
    "back to top",
    "即日新聞",
    "即日新闻",
    "昨日新聞",
    "昨日新闻",
    "列印本頁",
    "打印本页",
    "返回頁首",
    "返回页首",
    "網頁索引",
    "网页索引",
}
# "Photo Photo Photo": the labels under photo thumbnails on 2010 to 2015 pages.
_THUMBNAIL_LABELS = re.compile(r"^((Photo|圖片|图片)\s*){2,}$", re.I)

PHOTO_HEADINGS = {"photo", "photos", "圖片", "图片", "相片"}
VIDEO_HEADINGS = {"audio / video", "audio/video", "video", "影音", "短片"}
VIDEO_LINKS = {"view", "觀看", "观看", "播放", "play"}
CLOSE_LINKS = {"close", "關閉", "关闭", "close window"}


def folded(text: str) -> str:
    """The form furniture is compared in: trimmed, lower case, straight apostrophes, no
    ' |' separators that some mirrors add between links."""
    return text.strip(" \t\u00a0\u3000|").replace("\u2019", "'").casefold()


def is_skip_link(text: str) -> bool:
    return folded(text) in _SKIP_LINKS


def is_department_skip_link(text: str) -> bool:
    return folded(text) == DEPARTMENT_SKIP_LINK


def is_language_bar(text: str) -> bool:
    return bool(_LANGUAGE_BAR.match(text.strip()))


def is_leading_furniture(text: str) -> bool:
    return is_skip_link(text) or is_department_skip_link(text) or is_language_bar(text)


def is_trailing_furniture(text: str) -> bool:
    return folded(text) in _TRAILING_FURNITURE or bool(_THUMBNAIL_LABELS.match(text.strip()))


def script_markers(text: str) -> str | None:
    """'hans' or 'hant' when the page's furniture or closing says which script it is in."""
    if any(marker in text for marker in SIMPLIFIED_MARKERS):
        return "hans"
    if any(marker in text for marker in TRADITIONAL_MARKERS):
        return "hant"
    return None
