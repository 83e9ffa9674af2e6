"""Template tags for discovery markup (feeds, canonical, hreflang, JSON-LD, OpenGraph).

A thin layer: what goes in each tag is decided in `pressroom.feeds.discovery`.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.text import Truncator

from pressroom.feeds import discovery
from pressroom.wire.plain_text import plain_text

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    language = context.get("language")
    if language is None:
        return ""
    return discovery.feed_link_tags(language, context.get("release"))


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    alternates = context.get("alternates")
    return discovery.hreflang_tags(alternates) if alternates else ""


@register.simple_tag(takes_context=True)
def canonical_link(context):
    alternates = context.get("alternates")
    language = context.get("language")
    return discovery.canonical_tag(alternates, language) if alternates and language else ""


def _image_urls(context) -> list[str]:
    """The page's photos, at the addresses the page itself links (the public route on a
    public page, the desk's or the preview link's on a preview)."""
    base = discovery.base_url()
    urls = []
    for item in context.get("photos") or []:
        url = item.get("larger_url")
        if url:
            urls.append(url if url.startswith(("http://", "https://")) else base + url)
    return urls


@register.simple_tag(takes_context=True)
def release_metadata(context):
    """NewsArticle JSON-LD and OpenGraph tags for a release page."""
    release, version, language = context["release"], context["version"], context["language"]
    images = _image_urls(context)
    description = Truncator(plain_text(version.blocks).replace("\n", " ")).chars(200)
    return format_html(
        "{}\n{}",
        discovery.json_ld_tag(discovery.news_article(release, version, language, images)),
        discovery.open_graph_tags(release, version, language, images, description),
    )
