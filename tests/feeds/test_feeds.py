"""Feeds in three formats, parsed by a real feed reader (feedparser) with no bozo errors."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import add_category, add_photos, make_release

pytestmark = pytest.mark.django_db

LANGUAGE_FEEDS = ["/en/feeds/releases.rss", "/en/feeds/releases.atom"]


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


def json_feed(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


@pytest.fixture
def releases(clock):
    opening = make_release(hong_kong(2023, 11, 3, 10, 0), title="Sample: park opens")
    add_category(opening, slug="parks", name_en="Parks", name_zh="公園")
    add_photos(
        opening,
        ["Sample: the gate", "Sample: the lawn"],
        ["樣本：大門", "樣本：草地"],
        with_images=2,
    )
    later = make_release(hong_kong(2023, 11, 3, 12, 0), title="Sample: road works")
    return opening, later


@pytest.mark.parametrize("url", LANGUAGE_FEEDS)
def test_language_feeds_parse_cleanly_newest_first(client, releases, url):
    feed = parsed(client, url)
    assert [entry.title for entry in feed.entries] == ["Sample: road works", "Sample: park opens"]
    assert feed.entries[0].link == BASE_URL + releases[1].get_absolute_url("en")
    assert feed.feed.language == "en"


def test_rss_dates_are_rfc_822_in_hong_kong_time(client, releases):
    body = client.get("/en/feeds/releases.rss").content.decode()
    assert "<pubDate>Fri, 03 Nov 2023 12:00:00 +0800</pubDate>" in body
    feed = feedparser.parse(body)
    assert feed.entries[0].published_parsed[:5] == (2023, 11, 3, 4, 0)  # in UTC


def test_atom_dates_are_rfc_3339_in_hong_kong_time(client, releases):
    body = client.get("/en/feeds/releases.atom").content.decode()
    assert "<published>2023-11-03T12:00:00+08:00</published>" in body
    assert "<updated>2023-11-03T12:00:00+08:00</updated>" in body


def test_photos_are_enclosures(client, releases):
    rss = parsed(client, "/en/feeds/releases.rss")
    entry = rss.entries[1]
    # RSS allows one enclosure; Media RSS carries every photo with its caption.
    assert len(entry.enclosures) == 1
    assert entry.enclosures[0].type == "image/png"
    assert int(entry.enclosures[0].length) > 0
    assert [media["url"] for media in entry.media_content] == [
        e.href for e in parsed(client, "/en/feeds/releases.atom").entries[1].enclosures
    ]
    assert len(entry.media_content) == 2
    atom = parsed(client, "/zh-hant/feeds/releases.atom")
    assert len(atom.entries[1].enclosures) == 2
    item = json_feed(client, "/zh-hant/feeds/releases.json")["items"][1]
    assert [a["title"] for a in item["attachments"]] == ["樣本：大門", "樣本：草地"]
    assert item["image"].startswith(BASE_URL + "/media/")


def test_guids_are_stable_tag_uris(client, releases):
    entry = parsed(client, "/en/feeds/releases.rss").entries[1]
    assert entry.id == f"tag:press.example.test,2023-11-03:{releases[0].reference}/en"
    assert entry.guidislink is False
    assert parsed(client, "/en/feeds/releases.atom").entries[1].id == entry.id
    assert json_feed(client, "/en/feeds/releases.json")["items"][1]["id"] == entry.id


def test_a_correction_updates_the_entry_not_a_new_one(client, clock, releases):
    opening = releases[0]
    before = parsed(client, "/en/feeds/releases.atom").entries[1]
    corrected_at = hong_kong(2023, 11, 3, 17, 0)
    opening.state = ReleaseState.CORRECTED
    opening.corrected_at = corrected_at
    opening.correction_note = "Sample: the opening hour was wrong."
    opening.save()
    feed = parsed(client, "/en/feeds/releases.atom")
    assert len(feed.entries) == 2
    entry = feed.entries[1]
    assert entry.id == before.id
    assert entry.updated_parsed[:5] == (2023, 11, 3, 9, 0)
    assert entry.published_parsed == before.published_parsed
    assert "the opening hour was wrong" in entry.summary
    assert "corrected" in [tag.term for tag in entry.tags]
    rss = client.get("/en/feeds/releases.rss").content.decode()
    assert "<atom:updated>2023-11-03T17:00:00+08:00</atom:updated>" in rss
    item = json_feed(client, "/en/feeds/releases.json")["items"][1]
    assert item["date_modified"] == "2023-11-03T17:00:00+08:00"


def test_withdrawn_releases_are_marked(client, releases):
    opening = releases[0]
    opening.state = ReleaseState.WITHDRAWN
    opening.withdrawn_at = hong_kong(2023, 11, 3, 17, 30)
    opening.withdrawal_reason = "Sample: issued in error."
    opening.save()
    entry = parsed(client, "/en/feeds/releases.rss").entries[1]
    assert entry.title == "[Withdrawn] Sample: park opens"
    assert "withdrawn" in [tag.term for tag in entry.tags]
    assert "issued in error" in entry.summary
    zh = parsed(client, "/zh-hant/feeds/releases.atom").entries[1]
    assert zh.title.startswith("[已撤回]")
    item = json_feed(client, "/en/feeds/releases.json")["items"][1]
    assert item["_pressroom"] == {
        "reference": opening.reference,
        "state": "withdrawn",
        "withdrawn": True,
    }


def test_never_early(client, clock):
    due = hong_kong(2023, 11, 3, 18, 0, 1)
    make_release(due, title="Sample: not yet", state=ReleaseState.SCHEDULED)
    for url in ("/en/feeds/releases.rss", "/feeds/releases.atom", "/en/feeds/releases.json"):
        assert b"not yet" not in client.get(url).content
    clock.move_to(due, tick=False)
    assert "Sample: not yet" in [e.title for e in parsed(client, "/en/feeds/releases.rss").entries]


def test_department_and_category_feeds(client, releases):
    department = releases[0].department.code
    feed = parsed(client, f"/en/feeds/departments/{department}.atom")
    assert len(feed.entries) == 2
    feed = parsed(client, "/zh-hans/feeds/categories/parks.rss")
    assert [entry.title for entry in feed.entries] == ["样本：展览开幕"]
    assert feed.feed.language == "zh-Hans"
    assert client.get("/en/feeds/categories/no-such.rss").status_code == 404
    assert client.get("/en/feeds/departments/no-such.json").status_code == 404


def test_the_all_languages_feed_holds_every_version(client, releases):
    feed = parsed(client, "/feeds/releases.rss")
    assert len(feed.entries) == 6
    assert len({entry.id for entry in feed.entries}) == 6
    assert "language" not in feed.feed


def test_json_feed_is_version_1_1(client, releases):
    document = json_feed(client, "/en/feeds/releases.json")
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == BASE_URL + "/en/feeds/releases.json"
    assert document["language"] == "en"
    for item in document["items"]:
        assert {"id", "url", "title", "content_html", "date_published"} <= item.keys()
        dt.datetime.fromisoformat(item["date_published"])


def test_the_bozo_check_can_fail():
    assert feedparser.parse(b"<rss><channel><item><title>x</channel></rss>").bozo
