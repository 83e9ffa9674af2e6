"""Markup that lets machines find and understand pages: feed links, canonical URLs, hreflang,
schema.org NewsArticle JSON-LD and OpenGraph. Used by the site's templates through the small
`discovery` template tag library; the decisions live here.

JSON-LD goes in `<script type="application/ld+json">`: a data block, not a script, so a strict
Content-Security-Policy does not block it. Its JSON is escaped like Django's `json_script` (<, >
and & as \\u escapes), so no text in a release can close the element.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from pressroom.feeds.entries import absolute
from pressroom.feeds.views import FORMAT_NAMES, MIME_TYPES, feed_url
from pressroom.releases.labels import label
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import Release, ReleaseState

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
OPEN_GRAPH_LOCALES = {Language.EN: "en_HK", Language.ZH_HANT: "zh_HK", Language.ZH_HANS: "zh_CN"}


def base_url() -> str:
    return settings.PRESSROOM_BASE_URL.rstrip("/")


def feeds_for_page(
    language: Language, release: Release | None = None
) -> list[tuple[str, str, str]]:
    """(title, mime type, url) of the feeds a page announces: its language's, and on a release
    page its department's and its categories'."""
    scopes = [(label(language, "site_name"), {})]
    if release is not None and release.department:
        scopes.append((release.department.name(language), {"department": release.department}))
    if release is not None:
        for category in release.categories.all():
            scopes.append((category.name(language), {"category": category}))
    links = []
    for title, scope in scopes:
        for fmt, name in FORMAT_NAMES.items():
            links.append((f"{title} ({name})", MIME_TYPES[fmt], feed_url(fmt, language, **scope)))
    return links


def feed_link_tags(language: Language, release: Release | None = None) -> SafeString:
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        (
            (mime, title, absolute(base_url(), url))
            for title, mime, url in feeds_for_page(language, release)
        ),
    )


def hreflang_tags(alternates: dict) -> SafeString:
    """Absolute hreflang alternates, English also as x-default (the site's front language)."""
    links = [(HTML_LANG[Language(code)], base_url() + url) for code, url in alternates.items()]
    if Language.EN in alternates:
        links.append(("x-default", base_url() + alternates[Language.EN]))
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', links)


def canonical_tag(alternates: dict, language: Language) -> SafeString:
    url = alternates.get(language)
    if not url:
        return SafeString("")
    return format_html('<link rel="canonical" href="{}">', base_url() + url)


def news_article(release: Release, version, language: Language, image_urls: list[str]) -> dict:
    """schema.org NewsArticle for one language version of a public release."""
    url = base_url() + release.get_absolute_url(language)
    modified = max(
        instant
        for instant in (release.issue_instant, release.corrected_at, release.withdrawn_at)
        if instant
    )
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": version.title[:110],
        "name": version.title,
        "inLanguage": HTML_LANG[language],
        "datePublished": release.local_issue_instant.isoformat(),
        "dateModified": modified.astimezone(release.local_issue_instant.tzinfo).isoformat(),
        "identifier": release.reference,
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": label(language, "site_name"),
            "url": base_url() + "/",
        },
    }
    if release.department:
        document["author"] = {
            "@type": "GovernmentOrganization",
            "name": release.department.name(language),
        }
    sections = [category.name(language) for category in release.categories.all()]
    if sections:
        document["articleSection"] = sections
    if image_urls:
        document["image"] = image_urls
    if release.state == ReleaseState.WITHDRAWN:
        document["creativeWorkStatus"] = "Withdrawn"
    if release.correction_note:
        document["correction"] = release.correction_note
    return document


def json_ld_tag(document: dict) -> SafeString:
    text = json.dumps(document, ensure_ascii=False, indent=1).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">\n{text}\n</script>')


def open_graph_tags(
    release: Release, version, language: Language, image_urls: list[str], description: str
) -> SafeString:
    properties = [
        ("og:type", "article"),
        ("og:site_name", label(language, "site_name")),
        ("og:title", version.title),
        ("og:url", base_url() + release.get_absolute_url(language)),
        ("og:locale", OPEN_GRAPH_LOCALES[language]),
    ]
    properties += [
        ("og:locale:alternate", OPEN_GRAPH_LOCALES[Language(other)])
        for other in release.languages()
        if other != language
    ]
    if description:
        properties.append(("og:description", description))
    properties += [("og:image", url) for url in image_urls]
    properties.append(("article:published_time", release.local_issue_instant.isoformat()))
    if release.department:
        properties.append(("article:author", release.department.name(language)))
    properties += [
        ("article:section", category.name(language)) for category in release.categories.all()
    ]
    return format_html_join("\n", '<meta property="{}" content="{}">', properties)
