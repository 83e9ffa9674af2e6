"""Every page announces its feeds with <link rel="alternate">, and each announced feed works."""

import re

import feedparser
import pytest

from tests.support.clock import hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import add_category, make_release

pytestmark = pytest.mark.django_db

FEED_LINK = re.compile(
    r'<link rel="alternate" type="(application/[a-z+]+)" title="[^"]*" href="([^"]+)">'
)


def announced(client, url):
    return FEED_LINK.findall(client.get(url).content.decode())


@pytest.fixture
def release(clock):
    release = make_release(hong_kong(2023, 11, 3, 10, 0))
    add_category(release, slug="parks", name_en="Parks", name_zh="公園")
    return release


@pytest.mark.parametrize(
    "url", ["/", "/zh-hant/", "/en/2023/11/03/", "/zh-hans/2023/11/", "/en/nothing-here/"]
)
def test_every_page_announces_its_language_feeds(client, release, url):
    links = announced(client, url)
    language = "zh-hant" if "zh-hant" in url else "zh-hans" if "zh-hans" in url else "en"
    assert (("application/rss+xml", f"{BASE_URL}/{language}/feeds/releases.rss")) in links
    assert (("application/atom+xml", f"{BASE_URL}/{language}/feeds/releases.atom")) in links
    assert (("application/feed+json", f"{BASE_URL}/{language}/feeds/releases.json")) in links


def test_a_release_page_also_announces_its_department_and_categories(client, release):
    links = dict(
        (href, kind) for kind, href in announced(client, release.get_absolute_url("zh-Hant"))
    )
    assert f"{BASE_URL}/zh-hant/feeds/departments/sample.atom" in links
    assert f"{BASE_URL}/zh-hant/feeds/categories/parks.rss" in links
    for href, kind in links.items():
        response = client.get(href.removeprefix(BASE_URL))
        assert response.status_code == 200, href
        if kind != "application/feed+json":
            assert not feedparser.parse(response.content).bozo, href
