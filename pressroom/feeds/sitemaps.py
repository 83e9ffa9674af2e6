"""sitemap.xml: every public release page in each of its languages, and the day indexes.

Each URL lists its language alternates (`xhtml:link rel="alternate" hreflang`), using the same
BCP 47 tags as the pages' own hreflang links. Addresses are absolute on PRESSROOM_BASE_URL,
whatever host the request came in on, so they match the pages' canonical links.

Items are read at request time from `Release.objects.public(now)` as plain rows (no model
instances), one sitemap page at a time (PagesFromRows): a request holds at most `limit` URLs,
whatever the size of the archive. A section's page is written by `sitemap_section`, the same
bytes as Django's sitemap view and template make, with a fraction of their memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.xmlutils import SimplerXMLGenerator

from pressroom.publiccache.decorators import public_cache
from pressroom.releases.addresses import day_url
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseVersion

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


class PagesFromRows:
    """A sitemap's items as Django's Paginator reads them: `count()` asks the database how many
    rows there are, and a slice reads only that page's rows. A sitemap of the whole archive thus
    holds one page of it (`limit` URLs), never all of it: listing every version of every
    release for each request made the web worker's memory grow with the archive (50 MiB more
    at 25,000 releases in bench/archive_walk.py).

    `rows` is a queryset of value tuples in the sitemap's order; `describe(*row)` makes each one
    (key, path, lastmod, language); `alternates(keys)` gives every language's path for those
    keys, so a release or day whose versions fall on both sides of a page boundary still lists
    them all."""

    def __init__(self, rows, describe, alternates):
        self.rows = rows
        self.describe = describe
        self.alternates = alternates

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SitemapPage]:
        if not isinstance(index, slice):
            raise TypeError("sitemap items are read a page (a slice) at a time")
        page = [self.describe(*values) for values in self.rows[index]]
        by_key = self.alternates({key for key, *_ in page})
        return [
            SitemapPage(path, lastmod, language, by_key[key])
            for key, path, lastmod, language in page
        ]


class ReleaseSitemap(BaseUrlSitemap):
    changefreq = "never"
    # 10,000 URLs a page rather than the protocol's 50,000: a page is built in the web worker's
    # memory (its URLs, then the rendered XML), so this bounds what one request holds.
    limit = 10_000

    def items(self) -> PagesFromRows:
        versions = ReleaseVersion.objects.filter(release__in=Release.objects.public(timezone.now()))
        return PagesFromRows(
            versions.order_by(
                "-release__issue_instant", "release__reference", "language"
            ).values_list(
                "release__reference", "release__issue_instant", "release__updated_at", "language"
            ),
            self.describe,
            lambda references: self.alternates(versions, references),
        )

    @staticmethod
    def describe(reference, issue_instant, updated_at, language):
        path = release_path(reference, issue_instant, language)
        return reference, path, max(issue_instant, updated_at), language

    @staticmethod
    def alternates(versions, references) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        rows = versions.filter(release__reference__in=references).values_list(
            "release__reference", "release__issue_instant", "language"
        )
        for reference, issue_instant, language in rows:
            found[reference][language] = release_path(reference, issue_instant, language)
        return found


class DaySitemap(BaseUrlSitemap):
    changefreq = "daily"
    limit = ReleaseSitemap.limit

    def items(self) -> PagesFromRows:
        days = (
            Release.objects.public(timezone.now())
            .annotate(day=TruncDate("issue_instant", tzinfo=HONG_KONG))
            .exclude(versions__language=None)
        )
        return PagesFromRows(
            days.values_list("day", "versions__language")
            .order_by("-day", "versions__language")
            .distinct(),
            lambda day, language: (day, day_url(language, day), None, language),
            lambda chosen: self.alternates(days, chosen),
        )

    @staticmethod
    def alternates(days, chosen) -> dict[dt.date, dict[str, str]]:
        found: dict[dt.date, dict[str, str]] = defaultdict(dict)
        # order_by(): Release's default ordering would join DISTINCT and make it every release
        # of those days (100,000 rows for a page of 500 days at 100,000 releases: 30 MB).
        pairs = (
            days.filter(day__in=chosen)
            .order_by()
            .values_list("day", "versions__language")
            .distinct()
        )
        for day, language in pairs:
            found[day][language] = day_url(language, day)
        return found


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


# Django's sitemap.xml template, as its {% spaceless %} leaves it.
URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<urlset xmlns="{SITEMAP_NAMESPACE}" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"


def url_element(origin: str, page: SitemapPage, changefreq: str | None) -> str:
    """One <url>, as Django's template writes it (on one line, escaped the same way)."""
    parts = ["<url><loc>", escape(origin + page.path), "</loc>"]
    if page.lastmod:
        # The template's date filter shows the instant in the current time zone.
        parts += ["<lastmod>", f"{timezone.localtime(page.lastmod):%Y-%m-%d}", "</lastmod>"]
    if changefreq:
        parts += ["<changefreq>", changefreq, "</changefreq>"]
    if len(page.alternates) > 1:
        for language, path in page.alternates.items():
            parts += ['<xhtml:link rel="alternate" hreflang="', HTML_LANG[Language(language)],
                      '" href="', escape(origin + path), '"/>']  # fmt: skip
    parts.append("</url>")
    return "".join(parts)


@x_robots_tag
def sitemap_section(request, section: str):
    """A page of one section (`?p=`), as `django.contrib.sitemaps.views.sitemap` answers it.

    Written here because Django's view builds a dict per URL and its template renders each
    node of each of them, then runs {% spaceless %} over the result: a page of 10,000 URLs took
    the web worker's memory up by some 14 MB, and a worker's threads each keep the memory their
    largest request needed (bench/archive_walk.py found its peak growing with the number of
    sitemap pages walked). Here a page is its rows and one string per URL."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = sitemap_class()
    try:
        pages = sitemap.paginator.page(request.GET.get("p", 1)).object_list
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page") from None
    origin = f"{sitemap.get_protocol()}://{sitemap.get_domain()}"
    body = "".join(
        [
            URLSET_START,
            *(url_element(origin, page, sitemap.changefreq) for page in pages),
            URLSET_END,
        ]
    )
    response = HttpResponse(body, content_type="application/xml")
    lastmods = [page.lastmod for page in pages]
    if lastmods and all(lastmods):
        # As Django's view: Last-Modified when every URL has one, for conditional requests.
        response.headers["Last-Modified"] = http_date(max(lastmods).timestamp())
    return response
