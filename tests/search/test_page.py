"""The search page through the test client: forms, marks, facets, empty and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import NOW
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

EARLIER = NOW - dt.timedelta(hours=1)


@pytest.fixture
def browser(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return client


def test_search_redirects_to_the_english_page_keeping_the_query(browser):
    response = browser.get("/search/?q=ferry")
    assert response.status_code == 302
    assert response["Location"] == "/en/search/?q=ferry"


def test_results_show_marked_titles_links_and_facets(browser, clock):
    release = make_release(EARLIER, title="Sample: ferry timetable")
    page = browser.get("/en/search/", {"q": "ferries"}).content.decode()
    assert "<mark>ferry</mark>" in page
    assert release.get_absolute_url("en") in page
    assert "1 press release found" in page
    assert "Sample Department</a> (1)" in page
    assert "2023</a> (1)" in page


def test_chinese_page_shows_simplified_hits_for_a_traditional_query(browser, clock):
    release = make_release(EARLIER, title_zh="樣本：渡輪時間表")
    page = browser.get("/zh-hans/search/", {"q": "渡輪"}).content.decode()
    assert "<mark>渡轮</mark>" in page
    assert release.get_absolute_url("zh-Hans") in page


def test_withdrawn_hits_are_marked(browser, clock):
    make_release(EARLIER, title="Sample: withdrawn ferry", state=ReleaseState.WITHDRAWN)
    page = browser.get("/en/search/", {"q": "ferry"}).content.decode()
    assert "mark-withdrawn" in page


def test_nothing_found_page_helps(browser, clock):
    make_release(EARLIER)
    page = browser.get(
        "/en/search/", {"q": '"no such words"', "department": "sample"}
    ).content.decode()
    assert "No press releases match your search." in page
    assert "remove quotation marks" in page
    assert "Clear all filters" in page


def test_not_yet_public_releases_stay_out_of_the_page(browser, clock):
    make_release(NOW + dt.timedelta(minutes=5), title="Sample: embargoed ferry")
    page = browser.get("/en/search/", {"q": "embargoed"}).content.decode()
    assert "embargoed ferry" not in page
    assert "No press releases match your search." in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"*^:NEAR('},
        {"q": "x" * 50_000},
        {"q": "ferry", "date_from": "2023-13-45", "page": "-4", "order": "sideways"},
        {"q": "ferry", "page": "999999999999", "language": "klingon"},
        {"department": "<script>"},
    ],
)
def test_bad_input_gives_a_page_not_an_error(browser, clock, params):
    make_release(EARLIER)
    response = browser.get("/en/search/", params)
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"<main")[1]


def test_empty_form_invites_a_search(browser, clock):
    page = browser.get("/zh-hant/search/").content.decode()
    assert "請輸入字詞以搜尋新聞公報檔案。" in page


def test_a_capped_search_says_more_than(browser, clock, settings):
    settings.PRESSROOM_SEARCH = {"OPTIONS": {"window": 2}}
    for hours in (1, 2, 3):
        make_release(NOW - dt.timedelta(hours=hours), title="Sample: ferry", title_zh=None)
    page = browser.get("/en/search/", {"q": "ferry"}).content.decode()
    assert "More than 2 press releases found" in page
    assert "The newest 2 are counted and shown, best match first" in page
    page = browser.get("/en/search/", {"q": "ferry", "order": "newest"}).content.decode()
    assert "The newest 2 are counted and shown: add words" in page


def test_the_page_is_cached_per_query_until_the_next_release(browser, clock):
    make_release(NOW + dt.timedelta(seconds=45), title="Sample: soon ferry", title_zh=None)
    make_release(EARLIER, title="Sample: ferry", title_zh=None)
    first = browser.get("/en/search/", {"q": "ferry"})
    assert "s-maxage=45" in first["Cache-Control"]
    assert (
        browser.get("/en/search/", {"q": "ferry"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    assert browser.get("/en/search/", {"q": "pier"})["ETag"] != first["ETag"]


def test_every_page_header_links_to_search(browser, clock):
    page = browser.get("/zh-hans/search/").content.decode()
    assert '<a href="/zh-hans/search/" rel="search">搜寻</a>' in page
