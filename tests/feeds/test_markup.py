"""Release pages carry a canonical URL, NewsArticle JSON-LD and OpenGraph tags."""

from __future__ import annotations

import json
import re

import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import add_category, add_photos, make_release

pytestmark = pytest.mark.django_db


def json_ld(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<meta property="([^"]+)" content="([^"]*)">', page)


@pytest.fixture
def release(clock):
    release = make_release(
        hong_kong(2023, 11, 3, 10, 0), title="Sample: <script>alert(1)</script> & more"
    )
    add_category(release, slug="parks", name_en="Parks", name_zh="公園")
    add_photos(release, ["Sample: the gate"], ["樣本：大門"], with_images=1)
    return release


def test_canonical_url(client, release):
    page = client.get(release.get_absolute_url("en")).content.decode()
    assert f'<link rel="canonical" href="{BASE_URL}{release.get_absolute_url("en")}">' in page
    home = client.get("/").content.decode()
    assert f'<link rel="canonical" href="{BASE_URL}/en/">' in home
    assert 'hreflang="x-default"' in home


def test_news_article_json_ld(client, release):
    page = client.get(release.get_absolute_url("zh-Hant")).content.decode()
    document = json_ld(page)
    assert document["@type"] == "NewsArticle"
    assert document["url"] == BASE_URL + release.get_absolute_url("zh-Hant")
    assert document["headline"] == "樣本：展覽開幕"
    assert document["inLanguage"] == "zh-Hant-HK"
    assert document["datePublished"] == "2023-11-03T10:00:00+08:00"
    assert document["author"]["name"] == "樣本部門"
    assert document["articleSection"] == ["公園"]
    assert document["image"][0].startswith(BASE_URL + "/media/")


def test_json_ld_cannot_be_broken_out_of(client, release):
    page = client.get(release.get_absolute_url("en")).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<script>" not in block and "\\u003Cscript\\u003E" in block
    assert json_ld(page)["headline"] == "Sample: <script>alert(1)</script> & more"


def test_open_graph(client, release):
    page = client.get(release.get_absolute_url("en")).content.decode()
    properties = meta(page)
    assert ("og:type", "article") in properties
    assert ("og:title", "Sample: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more") in properties
    assert ("og:url", BASE_URL + release.get_absolute_url("en")) in properties
    assert ("og:locale", "en_HK") in properties
    assert ("og:locale:alternate", "zh_HK") in properties
    assert any(name == "og:image" and value.startswith(BASE_URL) for name, value in properties)
    assert ("article:published_time", "2023-11-03T10:00:00+08:00") in properties
    assert any(
        name == "og:description" and "sample programme" in value for name, value in properties
    )


def test_withdrawn_is_said_in_json_ld(client, clock):
    release = make_release(
        hong_kong(2023, 11, 3, 9, 0),
        state=ReleaseState.WITHDRAWN,
        withdrawn_at=hong_kong(2023, 11, 3, 12, 0),
    )
    document = json_ld(client.get(release.get_absolute_url("en")).content.decode())
    assert document["creativeWorkStatus"] == "Withdrawn"
    assert document["dateModified"] == "2023-11-03T12:00:00+08:00"
