"""Reading the archive through the API: lists, ninjs, wire text; nothing before it is due."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.environment import BASE_URL
from tests.support.factories import add_category, add_photos, make_release

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "ninjs-schema_2.2.json").read_text())


@pytest.fixture
def archive(clock):
    """Five releases over three days; one English-only, one in the parks category."""
    releases = [
        make_release(hong_kong(2023, 11, 1, 9, 0), title="Sample: one"),
        make_release(hong_kong(2023, 11, 2, 9, 0), title="Sample: two"),
        make_release(hong_kong(2023, 11, 2, 15, 0), title="Sample: three", title_zh=None),
        make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: four"),
        make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: five"),
    ]
    add_category(releases[1], slug="parks", name_en="Parks", name_zh="公園")
    return releases


def titles(answer) -> list[str]:
    return [item["titles"]["en"] for item in answer["items"]]


def test_newest_first_with_a_total(client, archive):
    answer = client.get("/api/v1/releases").json()
    assert answer["total"] == 5
    assert titles(answer) == [
        "Sample: five",
        "Sample: four",
        "Sample: three",
        "Sample: two",
        "Sample: one",
    ]
    first = answer["items"][0]
    assert first["issue_instant"] == "2023-11-03T09:00:00+08:00"
    assert first["status"] == "published"
    assert first["urls"]["zh-Hant"] == BASE_URL + archive[4].get_absolute_url("zh-Hant")
    assert first["ninjs"] == f"{BASE_URL}/api/v1/releases/{archive[4].reference}"
    assert first["department"]["code"] == "sample"


def test_cursor_pages_cover_everything_once(client, archive):
    seen, cursor = [], None
    while True:
        url = "/api/v1/releases?limit=2" + (f"&cursor={cursor}" if cursor else "")
        answer = client.get(url).json()
        assert answer["total"] == 5
        seen += [item["reference"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert seen == [release.reference for release in reversed(archive)]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("from=2023-11-02&to=2023-11-02", ["Sample: three", "Sample: two"]),
        ("from=2023-11-03", ["Sample: five", "Sample: four"]),
        ("to=2023-11-01", ["Sample: one"]),
        ("category=parks", ["Sample: two"]),
        ("department=sample&language=zh-Hant&to=2023-11-02", ["Sample: two", "Sample: one"]),
        ("department=nobody", []),
    ],
)
def test_filters(client, archive, query, expected):
    answer = client.get(f"/api/v1/releases?{query}").json()
    assert titles(answer) == expected
    assert answer["total"] == len(expected)


def test_a_bad_cursor_or_filter_is_a_clear_422(client, archive):
    response = client.get("/api/v1/releases?cursor=not-ours")
    assert response.status_code == 422
    assert "cursor" in response.json()["detail"]
    response = client.get("/api/v1/releases?from=yesterday")
    assert response.status_code == 422
    assert response.json()["errors"][0]["where"] == "query.from"
    assert client.get("/api/v1/releases?language=fr").status_code == 422


def test_a_release_as_valid_ninjs_in_each_language(client, archive):
    release = archive[1]
    add_photos(release, ["Sample: the gate"], ["樣本：大門"], with_images=1)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for language in ("en", "zh-Hant", "zh-Hans"):
        response = client.get(f"/api/v1/releases/{release.reference}?lang={language}")
        assert response.status_code == 200
        document = response.json()
        assert not list(validator.iter_errors(document)), language
        assert document["uri"] == BASE_URL + release.get_absolute_url(language)
    document = client.get(f"/api/v1/releases/{release.reference}").json()
    assert document["language"] == "en"
    assert document["subjects"][0]["literal"] == "parks"
    associations = {association["name"]: association for association in document["associations"]}
    assert associations["photo-1"]["renditions"][0]["href"].startswith(BASE_URL)
    translations = {name for name in associations if name.startswith("translation-")}
    assert translations == {"translation-zh-Hant", "translation-zh-Hans"}


def test_a_missing_language_is_404_naming_the_ones_there(client, archive):
    response = client.get(f"/api/v1/releases/{archive[2].reference}?lang=zh-Hant")
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"release {archive[2].reference} has no zh-Hant version (it has: en)"
    }


def test_wire_text(client, archive):
    response = client.get(f"/api/v1/releases/{archive[0].reference}/wire?lang=zh-Hant")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "樣本：展覽開幕" in response.content.decode()


def test_not_due_does_not_exist_to_the_second(client, clock):
    due = hong_kong(2023, 11, 3, 18, 0, 5)
    release = make_release(due, title="Sample: due soon", state=ReleaseState.SCHEDULED)
    clock.move_to(due - dt.timedelta(seconds=1), tick=False)
    for url in (
        f"/api/v1/releases/{release.reference}",
        f"/api/v1/releases/{release.reference}/wire",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert (
            response.json()["detail"]
            == f"no public release with the reference {release.reference!r}"
        )
    assert client.get("/api/v1/releases").json()["total"] == 0
    clock.move_to(due, tick=False)
    assert client.get(f"/api/v1/releases/{release.reference}").status_code == 200
    assert client.get("/api/v1/releases").json()["total"] == 1


def test_drafts_and_approved_releases_are_not_public(client, clock):
    draft = make_release(hong_kong(2023, 11, 3, 9, 0), state=ReleaseState.DRAFT)
    approved = make_release(hong_kong(2023, 11, 3, 9, 0), state=ReleaseState.APPROVED)
    for release in (draft, approved):
        assert client.get(f"/api/v1/releases/{release.reference}").status_code == 404
    assert client.get("/api/v1/releases").json()["total"] == 0


def test_openapi_and_docs(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/releases", "/api/v1/releases/{reference}", "/api/v1/changes"} <= schema[
        "paths"
    ].keys()
    assert client.get("/api/docs").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/releases/P%00",
        "/api/v1/releases/P%00/wire",
        "/api/v1/releases?department=a%00",
        "/api/v1/releases?category=%00",
        "/api/v1/changes?cursor=%00",
    ],
)
def test_nul_characters_are_422_not_500(client, clock, url):
    # PostgreSQL cannot hold NUL in text: such input is refused before any query.
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["errors"]
