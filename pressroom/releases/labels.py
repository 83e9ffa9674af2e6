"""The interface text of every public output (site pages, feeds, search) in each language.

A small dictionary rather than gettext catalogues: the site has a few dozen labels, English and
Traditional Chinese are written here, and Simplified Chinese is derived from Traditional the same
way release text is (OpenCC), so the three never drift apart.
"""

from __future__ import annotations

from functools import lru_cache

from pressroom.releases.chinese import to_simplified
from pressroom.releases.languages import Language

ENGLISH: dict[str, str] = {
    "site_name": "Pressroom",
    "colon": ": ",
    "site_tagline": "Government press releases",
    "skip_link": "Skip to main content",
    "language_switch": "Language",
    "main_navigation": "Main",
    "todays_releases": "Today's Press Releases",
    "archive": "Archive",
    "search": "Search",
    "no_releases_today": "No press releases have been issued yet today.",
    "no_releases_day": "No press releases were issued on this day.",
    "releases_of_day": "Press releases of {date}",
    "release_count_one": "1 press release",
    "release_count_many": "{count} press releases",
    "issue_time": "Issued at",
    "calendar": "Calendar",
    "previous_month": "Previous month",
    "next_month": "Next month",
    "pick_day": "Go to a day",
    "go": "Go",
    "month_summary": "Press releases issued in {month}",
    "month_heading": "Archive: {month}",
    "no_releases_month": "No press releases were issued in this month.",
    "photos": "Photos",
    "photo_number": "Photo {number}",
    "larger_view": "View larger image",
    "photo_awaiting": "The image for this caption will be added later.",
    "department": "Issued by",
    "categories": "Categories",
    "other_languages": "This press release in other languages",
    "plain_text": "Plain text version",
    "withdrawn": "This press release has been withdrawn.",
    "withdrawn_at": "Withdrawn",
    "reason": "Reason",
    "correction": "Correction",
    "corrected_at": "Corrected",
    "day_index_link": "All press releases of this day",
    "withdrawn_mark": "Withdrawn",
    "continued": "The release continues on its page.",
    "corrected_mark": "Corrected",
    "times_note": "All times are Hong Kong time (HKT).",
    "not_found_title": "Page not found",
    "not_found_text": "There is no page at this address. It may have been mistyped, or the "
    "press release may not have been issued yet.",
    "not_in_language": "This press release is not available in this language.",
    "available_in": "It is available in:",
    "server_error_title": "Something went wrong",
    "server_error_text": "The page could not be shown. Please try again in a moment.",
    "unavailable_title": "Briefly unavailable",
    "unavailable_text": "The press releases cannot be reached for a moment. Please try again "
    "in a few seconds.",
    "home_link": "Today's press releases",
}

TRADITIONAL: dict[str, str] = {
    "site_name": "新聞公報室",
    "colon": "：",
    "site_tagline": "政府新聞公報",
    "skip_link": "跳至主要內容",
    "language_switch": "語言",
    "main_navigation": "主選單",
    "todays_releases": "今日新聞公報",
    "archive": "新聞公報檔案",
    "search": "搜尋",
    "no_releases_today": "今日暫未發出新聞公報。",
    "no_releases_day": "當日沒有發出新聞公報。",
    "releases_of_day": "{date}的新聞公報",
    "release_count_one": "1篇新聞公報",
    "release_count_many": "{count}篇新聞公報",
    "issue_time": "發出時間",
    "calendar": "日曆",
    "previous_month": "上一個月",
    "next_month": "下一個月",
    "pick_day": "前往指定日期",
    "go": "前往",
    "month_summary": "{month}發出的新聞公報",
    "month_heading": "新聞公報檔案：{month}",
    "no_releases_month": "本月沒有發出新聞公報。",
    "photos": "圖片",
    "photo_number": "圖片{number}",
    "larger_view": "檢視大圖",
    "photo_awaiting": "此說明的圖片稍後提供。",
    "department": "發出部門",
    "categories": "類別",
    "other_languages": "本新聞公報的其他語文版本",
    "plain_text": "純文字版本",
    "withdrawn": "本新聞公報已撤回。",
    "withdrawn_at": "撤回時間",
    "reason": "原因",
    "correction": "更正",
    "corrected_at": "更正時間",
    "day_index_link": "當日所有新聞公報",
    "withdrawn_mark": "已撤回",
    "continued": "全文載於新聞公報網頁。",
    "corrected_mark": "已更正",
    "times_note": "所有時間均為香港時間。",
    "not_found_title": "找不到網頁",
    "not_found_text": "此網址沒有網頁。網址可能有誤，或新聞公報尚未發出。",
    "not_in_language": "本新聞公報沒有此語文版本。",
    "available_in": "現有版本：",
    "server_error_title": "系統出現問題",
    "server_error_text": "未能顯示網頁，請稍後再試。",
    "unavailable_title": "暫時未能提供服務",
    "unavailable_text": "新聞公報暫時未能存取，請於數秒後再試。",
    "home_link": "今日新聞公報",
}


def in_language(
    language: str, english: dict[str, str], traditional: dict[str, str]
) -> dict[str, str]:
    """One language's labels from the two that are written; zh-Hans is derived from zh-Hant.
    Callers cache the result (conversion is not free)."""
    if language == Language.EN:
        return english
    if language == Language.ZH_HANS:
        return {key: to_simplified(text) for key, text in traditional.items()}
    return traditional


@lru_cache(maxsize=4)
def labels_for(language: str) -> dict[str, str]:
    """Every label of the site in one language."""
    return in_language(language, ENGLISH, TRADITIONAL)


def label(language: str, key: str, **values: object) -> str:
    text = labels_for(language)[key]
    return text.format(**values) if values else text


def release_count(language: str, count: int) -> str:
    if count == 1:
        return label(language, "release_count_one")
    return label(language, "release_count_many", count=count)
