"""The search page's interface text; Simplified Chinese is derived as the site's labels are."""

from __future__ import annotations

from functools import lru_cache

from pressroom.releases.labels import in_language

ENGLISH: dict[str, str] = {
    "search": "Search",
    "search_heading": "Search press releases",
    "search_label": "Words to find",
    "search_hint": 'Put a phrase in quotes ("lantern festival"). English and Chinese, '
    "Traditional or Simplified, are all searched.",
    "filters": "Refine",
    "language_filter": "Language",
    "any_language": "All languages",
    "english": "English",
    "chinese": "Chinese",
    "date_from": "From",
    "date_to": "To",
    "department_filter": "Department",
    "any_department": "All departments",
    "category_filter": "Category",
    "any_category": "All categories",
    "order": "Order",
    "by_relevance": "Best match",
    "by_newest": "Newest first",
    "results_one": "1 press release found",
    "results_many": "{count} press releases found",
    "results_more": "More than {count} press releases found",
    "results_more_note": "The newest {count} are counted and shown, best match first: add words, "
    "a date range or a filter to narrow the search and reach older ones.",
    "results_more_newest_note": "The newest {count} are counted and shown: add words, a date "
    "range or a filter to reach older ones.",
    "page_of": "Page {page} of {pages}",
    "previous_page": "Previous page",
    "next_page": "Next page",
    "by_department": "By department",
    "by_year": "By year",
    "clear_filters": "Clear all filters",
    "nothing_found": "No press releases match your search.",
    "try_instead": "You could:",
    "tip_spelling": "check the spelling, or use fewer or more general words;",
    "tip_quotes": "remove quotation marks to find the words anywhere, not only together;",
    "tip_filters": "search without the date, department, category or language filters;",
    "tip_language": "search in the other language: releases are issued in English and Chinese.",
    "enter_words": "Type a word or phrase to search the archive of press releases.",
    "bad_dates": "A date could not be read and was left out; use the form YYYY-MM-DD.",
    "version_en": "English",
    "version_zh": "Chinese",
}

TRADITIONAL: dict[str, str] = {
    "search": "搜尋",
    "search_heading": "搜尋新聞公報",
    "search_label": "搜尋字詞",
    "search_hint": "以引號搜尋完整詞組（「燈籠節」）。可用中文（繁體或簡體）或英文搜尋。",
    "filters": "篩選",
    "language_filter": "語文",
    "any_language": "所有語文",
    "english": "英文",
    "chinese": "中文",
    "date_from": "由",
    "date_to": "至",
    "department_filter": "部門",
    "any_department": "所有部門",
    "category_filter": "類別",
    "any_category": "所有類別",
    "order": "排序",
    "by_relevance": "最相關",
    "by_newest": "最新優先",
    "results_one": "找到1篇新聞公報",
    "results_many": "找到{count}篇新聞公報",
    "results_more": "找到超過{count}篇新聞公報",
    "results_more_note": "此處點算及列出最新的{count}篇，最相關者優先：加入字詞、日期範圍或篩選條件，"
    "可收窄搜尋範圍，並找到較早的新聞公報。",
    "results_more_newest_note": "此處點算及列出最新的{count}篇：加入字詞、日期範圍或篩選條件，"
    "可找到較早的新聞公報。",
    "page_of": "第{page}頁，共{pages}頁",
    "previous_page": "上一頁",
    "next_page": "下一頁",
    "by_department": "按部門",
    "by_year": "按年份",
    "clear_filters": "清除所有篩選",
    "nothing_found": "沒有符合搜尋條件的新聞公報。",
    "try_instead": "你可以：",
    "tip_spelling": "檢查字詞是否正確，或改用較少或較概括的字詞；",
    "tip_quotes": "刪去引號，以分開搜尋各個字詞；",
    "tip_filters": "取消日期、部門、類別或語文篩選；",
    "tip_language": "改用另一種語文搜尋：新聞公報以中文及英文發出。",
    "enter_words": "請輸入字詞以搜尋新聞公報檔案。",
    "bad_dates": "未能讀取日期，已略去；請以YYYY-MM-DD格式輸入。",
    "version_en": "英文",
    "version_zh": "中文",
}


@lru_cache(maxsize=4)
def search_labels(language: str) -> dict[str, str]:
    return in_language(language, ENGLISH, TRADITIONAL)
