"""GET /api/v1/search: the page's search as JSON, never early, errors as JSON, cached."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import NOW, hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import add_category, body, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(clock):
    ferry = make_release(
        hong_kong(2023, 11, 2, 9, 0),
        title="Sample: ferry <timetable>",
        body=body("Sample ferries sail hourly from the pier."),
        title_zh="樣本：渡輪時間表",
        body_zh=body("樣本渡輪每小時開出。"),
    )
    add_category(ferry, slug="transport", name_en="Transport", name_zh="運輸")
    older = make_release(
        hong_kong(2022, 5, 1, 9, 0), title="Sample: ferry pier works", title_zh=None
    )
    withdrawn = make_release(
        hong_kong(2023, 10, 1, 9, 0), title="Sample: ferry fares", title_zh=None,
        state=ReleaseState.WITHDRAWN, withdrawn_at=hong_kong(2023, 10, 2), withdrawal_reason="Sample.",
    )  # fmt: skip
    return {"ferry": ferry, "older": older, "withdrawn": withdrawn}


def search(client, **params):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_hits_are_partial_ninjs_with_marked_title_and_snippet(client, archive):
    answer = search(client, q="ferries", language="en")
    assert answer["total"] == 3 and answer["total_is_lower_bound"] is False
    first = answer["items"][0]
    ferry = archive["ferry"]
    assert first["reference"] == ferry.reference
    assert first["uri"] == BASE_URL + ferry.get_absolute_url("en")
    assert (first["type"], first["representationtype"], first["language"]) == (
        "text",
        "partial",
        "en",
    )
    assert first["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": "Sample: ferry <timetable>"},
        {
            "role": "highlighted",
            "contenttype": "text/html",
            "value": "Sample: <mark>ferry</mark> &lt;timetable&gt;",
        },
    ]
    assert first["descriptions"][0]["value"] == (
        "Sample <mark>ferries</mark> sail hourly from the pier."
    )
    assert first["firstcreated"] == "2023-11-02T09:00:00+08:00"
    assert first["ninjs"] == f"{BASE_URL}/api/v1/releases/{ferry.reference}?lang=en"
    withdrawn = next(
        item for item in answer["items"] if item["reference"] == archive["withdrawn"].reference
    )
    assert (withdrawn["pubstatus"], withdrawn["status"]) == ("canceled", "withdrawn")


def test_chinese_in_either_script_shown_in_the_asked_form(client, archive):
    answer = search(client, q="渡轮", lang="zh-Hans")
    assert [item["reference"] for item in answer["items"]] == [archive["ferry"].reference]
    item = answer["items"][0]
    assert item["language"] == "zh-Hans"
    assert "<mark>渡轮</mark>" in item["headlines"][1]["value"]
    assert item["uri"] == BASE_URL + archive["ferry"].get_absolute_url("zh-Hans")


def test_the_page_filters_facets_and_order(client, archive):
    assert [i["reference"] for i in search(client, q="ferry", category="transport")["items"]] == [
        archive["ferry"].reference
    ]
    dated = search(client, q="ferry", **{"from": "2022-01-01", "to": "2022-12-31"})
    assert [i["reference"] for i in dated["items"]] == [archive["older"].reference]
    assert search(client, q="ferry", department="no-such")["total"] == 0
    newest = search(client, q="ferry", language="en", order="newest")
    assert [i["reference"] for i in newest["items"]] == [
        archive["ferry"].reference, archive["withdrawn"].reference, archive["older"].reference
    ]  # fmt: skip
    facets = newest["facets"]
    assert facets["department"] == [{"key": "sample", "label": "Sample Department", "count": 3}]
    assert facets["year"] == [
        {"key": "2023", "label": "2023", "count": 2},
        {"key": "2022", "label": "2022", "count": 1},
    ]


def test_pages_link_to_the_next(client, archive):
    first = search(client, q="ferry", language="en", page_size=2)
    assert (first["pages"], len(first["items"])) == (2, 2)
    assert first["next_page"].startswith("http://testserver/api/v1/search?")
    assert "page=2" in first["next_page"] and "page_size=2" in first["next_page"]
    second = client.get(first["next_page"]).json()
    assert (len(second["items"]), second["next_page"]) == (1, None)


def test_never_found_before_its_second(client, clock):
    make_release(NOW + dt.timedelta(seconds=1), title="Sample: embargoed budget", title_zh=None)
    assert search(client, q="budget")["total"] == 0
    clock.move_to(NOW + dt.timedelta(seconds=1), tick=False)
    assert search(client, q="budget")["total"] == 1


def test_answers_are_cached_until_the_next_release_is_due(client, clock):
    make_release(NOW + dt.timedelta(seconds=30), title="Sample: soon", title_zh=None)
    make_release(NOW - dt.timedelta(hours=1), title="Sample: harbour", title_zh=None)
    response = client.get("/api/v1/search", {"q": "soon"})
    assert "s-maxage=30" in response["Cache-Control"]
    again = client.get("/api/v1/search", {"q": "soon"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Each query string has its own bytes, so its own ETag: one answer never stands for another.
    other = client.get("/api/v1/search", {"q": "harbour"})
    assert other.json()["total"] == 1 and other["ETag"] != response["ETag"]


@pytest.mark.parametrize(
    "params, where",
    [
        ({"q": "x" * 301}, "query.q"),
        ({"q": "a\x00b"}, "query.q"),
        ({"language": "klingon"}, "query.language"),
        ({"from": "2023-13-45"}, "query.from"),
        ({"page": "0"}, "query.page"),
        ({"page_size": "1000"}, "query.page_size"),
        ({"order": "sideways"}, "query.order"),
        ({"department": "<script>"}, "query.department"),
    ],
)
def test_bad_parameters_are_json_422s_naming_the_parameter(client, clock, params, where):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["where"] == where


@pytest.mark.parametrize("text", ['"unbalanced', "NEAR(a b)", "***", "港" * 300, "title:x"])
def test_query_syntax_never_fails(client, archive, text):
    search(client, q=text)


def test_the_archive_span_s_ends_are_no_limit_and_the_calendar_s_ends_a_422(client, archive):
    assert search(client, q="ferry", **{"from": "1900-01-01", "to": "2200-12-31"})["total"] == 3
    response = client.get(
        "/api/v1/search", {"q": "ferry", "from": "0001-01-01", "to": "9999-12-31"}
    )
    assert response.status_code == 422
    assert "query.from" in response.json()["detail"] and "query.to" in response.json()["detail"]
