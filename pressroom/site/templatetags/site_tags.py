"""Template helpers for the public site: body HTML, Hong Kong times, archive links."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from pressroom.releases import labels
from pressroom.releases.addresses import day_url
from pressroom.releases.html import body_html as render_body
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import Release
from pressroom.site import dates
from pressroom.wire.dates import CHINESE_WEEKDAYS, ENGLISH_WEEKDAYS

register = template.Library()

_WEEKDAYS_SHORT_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@register.filter
def body_html(stored_body: list) -> SafeString:
    return render_body(stored_body)


@register.filter
def hk_clock(instant: dt.datetime) -> str:
    return dates.clock_time(instant)


@register.simple_tag
def release_url(release: Release, language: str) -> str:
    return release.get_absolute_url(language)


@register.simple_tag
def day_link(day: dt.date, language: str) -> str:
    return day_url(language, day)


@register.simple_tag
def long_date(day: dt.date, language: str) -> str:
    return dates.long_date(day, language)


@register.simple_tag
def release_count(count: int, language: str) -> str:
    return labels.release_count(language, count)


@register.simple_tag
def weekday_headers(order: tuple[int, ...], language: str) -> list[tuple[str, str]]:
    """(short, full) weekday names for the calendar's column headers, in column order."""
    headers = []
    for index in order:
        if language == Language.EN:
            headers.append((_WEEKDAYS_SHORT_EN[index], ENGLISH_WEEKDAYS[index]))
        else:
            headers.append((CHINESE_WEEKDAYS[index], "星期" + CHINESE_WEEKDAYS[index]))
    return headers


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The language switch: this page in each language it exists in, current one marked.

    Pages without their own alternates (404, 500) offer each language's front page.
    """
    alternates = context.get("alternates")
    current = context.get("language")
    links = []
    for language in Language:
        if alternates is None:
            url = reverse("site:today", kwargs={"lang": language})
        else:
            url = alternates.get(language)
        if url is None:
            continue
        links.append(
            {
                "name": language.label,
                "tag": HTML_LANG[language],
                "url": url,
                "current": language == current,
            }
        )
    return links
