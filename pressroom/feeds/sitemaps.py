"""sitemap.xml: every public release page in each of its languages, and the day indexes.

Each URL lists its language alternates (`xhtml:link rel="alternate" hreflang`), using the same
BCP 47 tags as the pages' own hreflang links. Addresses are absolute on PRESSROOM_BASE_URL,
whatever host the request came in on, so they match the pages' canonical links.

Items are read at request time from `Release.objects.public(now)` as plain rows (no model
instances), so a large archive costs one query per section and little memory per URL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from pressroom.caching import public_cache
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseVersion
from pressroom.site.page import day_url

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class SitemapPage:
    path: str
    lastmod: dt.datetime | None
    language: str
    alternates: dict[str, str] = field(default_factory=dict)


def release_path(reference: str, issue_instant: dt.datetime, language: str) -> str:
    day = timezone.localtime(issue_instant, HONG_KONG).date()
    return reverse(
        "site:release",
        kwargs={
            "lang": language,
            "year": f"{day:%Y}",
            "month": f"{day:%m}",
            "day": f"{day:%d}",
            "reference": reference,
        },
    )


class BaseUrlSitemap(Sitemap):
    """Absolute addresses on PRESSROOM_BASE_URL, with hreflang alternates from each item."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PRESSROOM_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.PRESSROOM_BASE_URL).netloc

    def location(self, page: SitemapPage) -> str:
        return page.path

    def lastmod(self, page: SitemapPage):
        return page.lastmod

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol()}://{self.get_domain()}"
        for url in urls:
            alternates = url["item"].alternates
            if len(alternates) > 1:
                url["alternates"] = [
                    {"location": origin + path, "lang_code": HTML_LANG[Language(language)]}
                    for language, path in alternates.items()
                ]
        return urls


class ReleaseSitemap(BaseUrlSitemap):
    changefreq = "never"

    def items(self) -> list[SitemapPage]:
        rows = (
            ReleaseVersion.objects.filter(release__in=Release.objects.public(timezone.now()))
            .order_by("-release__issue_instant", "release__reference", "language")
            .values_list(
                "release__reference", "release__issue_instant", "release__updated_at", "language"
            )
        )
        by_release: dict[str, dict[str, str]] = defaultdict(dict)
        pages = []
        for reference, issue_instant, updated_at, language in rows:
            alternates = by_release[reference]
            path = release_path(reference, issue_instant, language)
            alternates[language] = path
            # Every page of one release shares (and so completes) the same alternates dict.
            pages.append(SitemapPage(path, max(issue_instant, updated_at), language, alternates))
        return pages


class DaySitemap(BaseUrlSitemap):
    changefreq = "daily"

    def items(self) -> list[SitemapPage]:
        rows = (
            Release.objects.public(timezone.now())
            .annotate(day=TruncDate("issue_instant", tzinfo=HONG_KONG))
            .values_list("day", "versions__language")
            .exclude(versions__language=None)
            .order_by("-day", "versions__language")
            .distinct()
        )
        by_day: dict[dt.date, dict[str, str]] = defaultdict(dict)
        pages = []
        for day, language in rows:
            path = day_url(language, day)
            by_day[day][language] = path
            pages.append(SitemapPage(path, None, language, by_day[day]))
        return pages


SITEMAPS = {"releases": ReleaseSitemap, "days": DaySitemap}


@public_cache
def sitemap_index(request):
    """The sitemap index: each section's pages and the Google News sitemap, on the base URL."""
    origin = settings.PRESSROOM_BASE_URL.rstrip("/")
    locations = []
    for section, sitemap_class in SITEMAPS.items():
        path = reverse("feeds:sitemap-section", kwargs={"section": section})
        pages = sitemap_class().paginator.num_pages
        locations.append(origin + path)
        locations.extend(f"{origin}{path}?p={number}" for number in range(2, pages + 1))
    locations.append(origin + reverse("feeds:news-sitemap"))
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    xml.startElement("sitemapindex", {"xmlns": SITEMAP_NAMESPACE})
    for location in locations:
        xml.startElement("sitemap", {})
        xml.addQuickElement("loc", location)
        xml.endElement("sitemap")
    xml.endElement("sitemapindex")
    xml.endDocument()
    return response
