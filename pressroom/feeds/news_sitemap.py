"""The Google News sitemap: release pages issued in the last two days, with the news: fields.

Google News wants, per URL, the publication's name and language, the publication date (W3C
date-time) and the title, and no more than 1,000 URLs; it reads Chinese as `zh-tw`
(Traditional) and `zh-cn` (Simplified), not BCP 47 script tags. Withdrawn releases are left
out: they stay on the site, marked, but are no longer news.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from pressroom.feeds.entries import absolute
from pressroom.feeds.sitemaps import SITEMAP_NAMESPACE, release_path
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.labels import label
from pressroom.releases.languages import Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseState, ReleaseVersion

NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_LIMIT = 1000
GOOGLE_NEWS_LANGUAGE = {Language.EN: "en", Language.ZH_HANT: "zh-tw", Language.ZH_HANS: "zh-cn"}


def recent_versions(now: dt.datetime):
    recent = (
        Release.objects.public(now)
        .filter(issue_instant__gt=now - NEWS_WINDOW)
        .exclude(state=ReleaseState.WITHDRAWN)
    )
    return (
        ReleaseVersion.objects.filter(release__in=recent)
        .order_by("-release__issue_instant", "release__reference", "language")
        .values_list("release__reference", "release__issue_instant", "language", "title")[
            :NEWS_LIMIT
        ]
    )


@public_cache
def news_sitemap(request):
    base_url = settings.PRESSROOM_BASE_URL
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NAMESPACE, "xmlns:news": NEWS_NAMESPACE})
    for reference, issue_instant, language, title in recent_versions(timezone.now()):
        language = Language(language)
        xml.startElement("url", {})
        xml.addQuickElement(
            "loc", absolute(base_url, release_path(reference, issue_instant, language))
        )
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", label(language, "site_name"))
        xml.addQuickElement("news:language", GOOGLE_NEWS_LANGUAGE[language])
        xml.endElement("news:publication")
        xml.addQuickElement(
            "news:publication_date", timezone.localtime(issue_instant, HONG_KONG).isoformat()
        )
        xml.addQuickElement("news:title", title)
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return response
