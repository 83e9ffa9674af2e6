"""A release is invisible everywhere until its issue instant, to the second, with no worker."""

import datetime as dt

import pytest

from pressroom.releases.models import ReleaseState
from tests.support.clock import hong_kong
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

ISSUE = hong_kong(2023, 11, 3, 16, 0, 0)
ONE_SECOND = dt.timedelta(seconds=1)
TITLE = "Sample: embargoed notice"


@pytest.fixture
def scheduled(clock):
    """A release scheduled (never marked published by a worker) for 16:00:00 today."""
    return make_release(ISSUE, title=TITLE, title_zh="樣本：禁發公報", state=ReleaseState.SCHEDULED)


def _pages(release):
    return {
        "home": "/",
        "today (zh-Hant)": "/zh-hant/",
        "day index": "/en/2023/11/03/",
        "month calendar": "/en/2023/11/",
        "release page": release.get_absolute_url("en"),
        "release page (zh-Hans)": release.get_absolute_url("zh-Hans"),
        "wire text": release.get_wire_url("en"),
    }


def test_nothing_shows_one_second_before_the_issue_instant(client, clock, scheduled):
    clock.move_to(ISSUE - ONE_SECOND, tick=False)
    for name, url in _pages(scheduled).items():
        response = client.get(url)
        body = response.content.decode()
        if "release page" in name or name == "wire text":
            assert response.status_code == 404, name
        else:
            assert response.status_code == 200, name
        assert TITLE not in body and "禁發公報" not in body, name
        assert scheduled.reference not in body, name
    month = client.get("/en/2023/11/").content.decode()
    assert 'href="/en/2023/11/03/"' not in month


def test_everything_shows_at_the_issue_instant(client, clock, scheduled):
    clock.move_to(ISSUE, tick=False)
    pages = _pages(scheduled)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
    assert TITLE in client.get("/").content.decode()
    assert "禁發公報" in client.get("/zh-hant/").content.decode()
    assert 'href="/en/2023/11/03/"' in client.get("/en/2023/11/").content.decode()
    assert TITLE in client.get(pages["wire text"]).content.decode()


def test_the_source_reference_does_not_reveal_an_early_release(client, clock):
    make_release(ISSUE, reference="P2023110300392", source_reference_zh="P2023110300391",
                 state=ReleaseState.SCHEDULED)  # fmt: skip
    clock.move_to(ISSUE - ONE_SECOND, tick=False)
    assert client.get("/zh-hant/2023/11/03/P2023110300391/").status_code == 404
    clock.move_to(ISSUE, tick=False)
    assert client.get("/zh-hant/2023/11/03/P2023110300391/").status_code == 301


def test_drafts_never_show(client, clock):
    draft = make_release(ISSUE - dt.timedelta(hours=1), title=TITLE, state=ReleaseState.DRAFT)
    assert TITLE not in client.get("/").content.decode()
    assert client.get(draft.get_absolute_url("en")).status_code == 404
