"""sitemap.xml (release pages and day indexes with hreflang alternates) and the Google News
sitemap of the last two days."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)


def urls(root) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of each <url>."""
    return {
        node.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in node.findall("xhtml:link", NS)
        }
        for node in root.findall("s:url", NS)
    }


@pytest.fixture
def releases(clock):
    paired = make_release(hong_kong(2023, 11, 3, 10, 0), title="Sample: paired")
    english_only = make_release(
        hong_kong(2023, 10, 1, 10, 0), title="Sample: English only", title_zh=None
    )
    make_release(hong_kong(2023, 11, 3, 19, 0), title="Sample: later", state=ReleaseState.SCHEDULED)
    return paired, english_only


def test_the_index_lists_sections_and_the_news_sitemap(client, releases):
    root = xml(client, "/sitemap.xml")
    locations = [node.text for node in root.iter(f"{{{NS['s']}}}loc")]
    assert locations == [
        f"{BASE_URL}/sitemap-releases.xml",
        f"{BASE_URL}/sitemap-days.xml",
        f"{BASE_URL}/sitemap-news.xml",
    ]


def test_release_pages_in_every_language_with_alternates(client, releases):
    paired, english_only = releases
    pages = urls(xml(client, "/sitemap-releases.xml"))
    assert len(pages) == 4  # three versions of one release, one of the other; none early
    english = BASE_URL + paired.get_absolute_url("en")
    assert pages[english] == {
        "en": english,
        "zh-Hant-HK": BASE_URL + paired.get_absolute_url("zh-Hant"),
        "zh-Hans": BASE_URL + paired.get_absolute_url("zh-Hans"),
    }
    assert pages[BASE_URL + paired.get_absolute_url("zh-Hans")] == pages[english]
    assert pages[BASE_URL + english_only.get_absolute_url("en")] == {}


def test_sections_are_read_a_page_at_a_time_and_keep_alternates_across_pages(
    client, releases, monkeypatch
):
    """With two URLs a page, the three versions of the paired release fall on two pages: each
    page reads only its own rows, and the version on the second page still names all three."""
    from pressroom.feeds.sitemaps import DaySitemap, ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    monkeypatch.setattr(DaySitemap, "limit", 2)
    paired, english_only = releases
    locations = [node.text for node in xml(client, "/sitemap.xml").iter(f"{{{NS['s']}}}loc")]
    assert locations == [
        f"{BASE_URL}/sitemap-releases.xml",
        f"{BASE_URL}/sitemap-releases.xml?p=2",
        f"{BASE_URL}/sitemap-days.xml",
        f"{BASE_URL}/sitemap-days.xml?p=2",
        f"{BASE_URL}/sitemap-news.xml",
    ]
    first = urls(xml(client, "/sitemap-releases.xml"))
    with CaptureQueriesContext(connection) as queries:
        second = urls(xml(client, "/sitemap-releases.xml?p=2"))
    # Only the second page's own rows were read: the query listing versions is limited to them.
    listing = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "releases_release"."reference"')
    ]
    every_language = {
        "en": BASE_URL + paired.get_absolute_url("en"),
        "zh-Hant-HK": BASE_URL + paired.get_absolute_url("zh-Hant"),
        "zh-Hans": BASE_URL + paired.get_absolute_url("zh-Hans"),
    }
    assert first == {
        every_language["en"]: every_language,
        every_language["zh-Hans"]: every_language,
    }
    assert second == {
        every_language["zh-Hant-HK"]: every_language,
        BASE_URL + english_only.get_absolute_url("en"): {},
    }
    days = {**urls(xml(client, "/sitemap-days.xml")), **urls(xml(client, "/sitemap-days.xml?p=2"))}
    assert days[f"{BASE_URL}/zh-hant/2023/11/03/"]["en"] == f"{BASE_URL}/en/2023/11/03/"
    assert len(days) == 4
    assert client.get("/sitemap-releases.xml?p=3").status_code == 404
    assert len(listing) == 2  # the page's rows, then their releases' other versions
    assert "LIMIT 2 OFFSET 2" in listing[0] and "LIMIT" not in listing[1], listing


def test_a_days_alternates_are_read_once_per_day_not_once_per_release(client, releases):
    """The alternates of a page of days are (day, language) pairs: DISTINCT over exactly those,
    without Release's default ordering, which would add a column to the DISTINCT and read every
    release of those days (30 MB for one request at 100,000 releases)."""
    for minute in range(5):
        make_release(hong_kong(2023, 11, 3, 9, minute), title=f"Sample: more {minute}")
    with CaptureQueriesContext(connection) as queries:
        pages = urls(xml(client, "/sitemap-days.xml"))
    assert len(pages) == 4
    distinct = [  # the DISTINCT queries other than the page's own rows (LIMIT at their end)
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith("SELECT DISTINCT") and not re.search(r"LIMIT \d+( OFFSET \d+)?$", q["sql"])
    ]  # fmt: skip
    assert distinct and all("ORDER BY" not in sql for sql in distinct), distinct


def test_day_indexes_with_alternates(client, releases):
    pages = urls(xml(client, "/sitemap-days.xml"))
    assert set(pages) == {
        f"{BASE_URL}/en/2023/11/03/",
        f"{BASE_URL}/zh-hant/2023/11/03/",
        f"{BASE_URL}/zh-hans/2023/11/03/",
        f"{BASE_URL}/en/2023/10/01/",
    }
    assert pages[f"{BASE_URL}/zh-hant/2023/11/03/"]["en"] == f"{BASE_URL}/en/2023/11/03/"


def test_google_news_sitemap_holds_the_last_two_days(client, clock, releases):
    paired, _ = releases
    old = make_release(hong_kong(2023, 11, 1, 17, 59), title="Sample: three days ago")
    withdrawn = make_release(hong_kong(2023, 11, 3, 9, 0), state=ReleaseState.WITHDRAWN)
    root = xml(client, "/sitemap-news.xml")
    entries = {
        node.findtext("s:loc", namespaces=NS): node.find("news:news", NS)
        for node in root.findall("s:url", NS)
    }
    assert set(entries) == {
        BASE_URL + paired.get_absolute_url(lang) for lang in ("en", "zh-Hant", "zh-Hans")
    }
    assert old.reference not in str(entries) and withdrawn.reference not in str(entries)
    news = entries[BASE_URL + paired.get_absolute_url("zh-Hant")]
    assert news.findtext("news:publication/news:language", namespaces=NS) == "zh-tw"
    assert news.findtext("news:publication/news:name", namespaces=NS) == "新聞公報室"
    assert news.findtext("news:publication_date", namespaces=NS) == "2023-11-03T10:00:00+08:00"
    assert news.findtext("news:title", namespaces=NS) == "樣本：展覽開幕"
    clock.move_to(hong_kong(2023, 11, 5, 19, 0, 1), tick=False)
    assert xml(client, "/sitemap-news.xml").findall("s:url", NS) == []


def test_unknown_sections_are_404(client, clock):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("section", ["releases", "days"])
def test_a_section_is_written_as_djangos_own_sitemap_view_writes_it(client, releases, rf, section):
    """The section pages are written by our own view (a fraction of the memory) and must say
    exactly what django.contrib.sitemaps would: the same bytes and the same headers."""
    from django.contrib.sitemaps.views import sitemap

    from pressroom.feeds.sitemaps import SITEMAPS

    make_release(hong_kong(2023, 10, 2, 9, 0), title="Sample: <&> \"quoted\" 'title'")
    ours = client.get(f"/sitemap-{section}.xml")
    django = sitemap(rf.get(f"/sitemap-{section}.xml"), SITEMAPS, section=section)
    django.render()
    assert ours.status_code == 200
    assert ours.content == django.content
    assert ours.content.count(b"<url>") >= 4
    for header in ("Content-Type", "X-Robots-Tag"):
        assert ours.headers[header] == django.headers[header], header
    if section == "releases":  # every URL has a lastmod (public_cache names one for days)
        assert ours.headers["Last-Modified"] == django.headers["Last-Modified"]
    assert client.get(f"/sitemap-{section}.xml?p=x").status_code == 404
