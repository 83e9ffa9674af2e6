"""Preview links: made by duty editors, opened without signing in, expiring and revocable,
stored only as a keyed hash."""

import datetime as dt
import re

import pytest

from pressroom.desk.models import PreviewLink
from pressroom.desk.previews import token_hash
from tests.support.factories import draft

pytestmark = pytest.mark.django_db


def make_link(client, people, release, hours=48):
    client.force_login(people["editor"])
    response = client.post(f"/desk/r/{release.pk}/share/", {"hours": hours}, follow=True)
    match = re.search(r"http://testserver(/desk/shared/[A-Za-z0-9_-]+/)", response.content.decode())
    assert match, response.content.decode()
    client.logout()
    return match.group(1)


def test_someone_outside_opens_a_preview_of_an_unpublished_release(
    client, people, sample_department
):
    release = draft(people["writer"], sample_department)
    url = make_link(client, people, release)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sample: harbour festival opens" in page and "not public" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "樣本：海港節開幕" in client.get(url + "?lang=zh-hant").content.decode()
    # The release itself is still not on the public site.
    assert release.is_public() is False


def test_the_token_is_stored_only_as_a_hash(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    url = make_link(client, people, release)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    link = PreviewLink.objects.get()
    assert len(token) >= 40 and token not in link.token_hash
    assert link.token_hash == token_hash(token)


def test_revoked_and_expired_links_no_longer_open(client, people, sample_department, time_machine):
    release = draft(people["writer"], sample_department)
    revoked_url = make_link(client, people, release)
    link = PreviewLink.objects.get()
    client.force_login(people["editor"])
    client.post(f"/desk/r/{release.pk}/share/{link.pk}/revoke/")
    client.logout()
    assert client.get(revoked_url).status_code == 404
    expiring_url = make_link(client, people, release, hours=1)
    assert client.get(expiring_url).status_code == 200
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    assert client.get(expiring_url).status_code == 404
    assert client.get("/desk/shared/not-a-real-token/").status_code == 404


@pytest.mark.parametrize("role", ["writer", "approver"])
def test_only_duty_editors_share(client, people, sample_department, role):
    release = draft(people["writer"], sample_department)
    client.force_login(people[role])
    response = client.post(f"/desk/r/{release.pk}/share/", {"hours": 48}, follow=True)
    assert "No link made: you cannot share" in response.content.decode()
    assert not PreviewLink.objects.exists()
