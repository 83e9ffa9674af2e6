"""Writing through the API with a bearer token: drafts, edits and each workflow move, allowed
exactly as the token's owner is allowed on the desk."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from pressroom.api.models import ApiToken
from pressroom.releases.models import Release
from pressroom.workflow.models import AuditEntry
from tests.support.clock import hong_kong

pytestmark = pytest.mark.django_db

DRAFT = {
    "department": "sample",
    "en": {
        "title": "Sample: harbour clean-up",
        "body": "The Sample Department will clean.\n\nSecond paragraph.",
    },
    "zh-Hant": {"title": "樣本：海港清潔", "body": "樣本部門將進行清潔。"},
}


def post(client, url, headers, body=None):
    return client.post(url, body or {}, content_type="application/json", headers=headers)


@pytest.fixture
def draft(client, clock, bearer):
    response = post(client, "/api/v1/releases", bearer("writer"), DRAFT)
    assert response.status_code == 201, response.content
    return response.json()


def test_the_token_command_prints_a_token_once_and_stores_its_digest(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "wanda", "--name", "Sample system", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert secret.startswith("pr_") and len(secret) > 40
    token = ApiToken.objects.get()
    assert secret not in (token.digest, token.prefix) and secret.startswith(token.prefix)
    assert "Shown once" in err.getvalue()
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("token", "nobody")
    call_command("token", "wanda", "--revoke", token.prefix, stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None


def test_a_token_is_needed(client, clock, people, bearer):
    response = post(client, "/api/v1/releases", {}, DRAFT)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert (
        post(client, "/api/v1/releases", {"Authorization": "Bearer pr_wrong"}, DRAFT).status_code
        == 401
    )
    secret = bearer("writer")
    ApiToken.objects.update(revoked_at=hong_kong(2023, 11, 3, 17, 0))
    assert post(client, "/api/v1/releases", secret, DRAFT).status_code == 401


def test_a_writer_drafts_in_both_languages(draft):
    release = Release.objects.get(reference=draft["reference"])
    assert draft["state"] == "draft" and draft["department"] == "sample"
    assert draft["languages"] == ["en", "zh-Hant", "zh-Hans"]
    assert draft["titles"]["zh-Hans"] == "样本：海港清洁"
    assert len(release.version("en").body) == 2
    assert AuditEntry.objects.filter(release_reference=release.reference, action="create").exists()


def test_a_writer_cannot_draft_for_another_department(client, clock, bearer):
    response = post(client, "/api/v1/releases", bearer("other_writer"), DRAFT)
    assert response.status_code == 403
    assert "you cannot start a release for Sample Department" in response.json()["detail"]


def test_bad_drafts_are_422(client, clock, bearer):
    headers = bearer("writer")
    assert post(client, "/api/v1/releases", headers, {"department": "sample"}).status_code == 422
    response = post(
        client, "/api/v1/releases", headers, {"department": "sample", "en": {"title": ""}}
    )
    assert response.status_code == 422 and "en.title" in response.json()["detail"]
    response = client.post(
        "/api/v1/releases", "{not json", content_type="application/json", headers=headers
    )
    assert response.status_code in (400, 422) and "detail" in response.json()
    response = post(client, "/api/v1/releases", headers, {**DRAFT, "department": "nowhere"})
    assert response.status_code == 404


def test_patch_edits_with_a_revision_check(client, draft, bearer):
    url = f"/api/v1/releases/{draft['reference']}"
    body = {
        "revision": draft["revision"],
        "en": {"title": "Sample: harbour clean-up, revised", "body": "New text."},
    }
    response = client.patch(url, body, content_type="application/json", headers=bearer("writer"))
    assert response.status_code == 200, response.content
    assert response.json()["titles"]["en"] == "Sample: harbour clean-up, revised"
    assert response.json()["titles"]["zh-Hant"] == "樣本：海港清潔"  # untouched
    stale = client.patch(url, body, content_type="application/json", headers=bearer("writer"))
    assert stale.status_code == 409
    assert "after you opened revision" in stale.json()["detail"]


def test_every_move_through_the_api(client, clock, draft, bearer):
    reference = draft["reference"]

    def move(action, who, body=None):
        return post(client, f"/api/v1/releases/{reference}/{action}", bearer(who), body)

    assert move("submit", "writer").json()["state"] == "submitted"
    assert move("return", "approver", {"comment": "Sample: shorten it."}).json()["state"] == "draft"
    assert move("submit", "writer").json()["state"] == "submitted"
    refused = move("approve", "writer")
    assert refused.status_code == 403 and "only approvers" in refused.json()["detail"]
    assert move("approve", "approver").json()["state"] == "approved"
    scheduled = move("schedule", "editor", {"issue_instant": "2023-11-03T19:00:00+08:00"}).json()
    assert scheduled["state"] == "scheduled"
    assert scheduled["issue_instant"] == "2023-11-03T19:00:00+08:00"
    assert client.get(f"/api/v1/releases/{reference}").status_code == 404  # not due yet
    assert move("unschedule", "editor").json()["state"] == "approved"
    assert move("publish", "editor").json()["state"] == "published"
    assert client.get(f"/api/v1/releases/{reference}").status_code == 200
    corrected = move(
        "correct",
        "editor",
        {
            "note": "Sample: a date was wrong.",
            "en": {"title": "Sample: harbour clean-up (corrected)", "body": "Fixed."},
        },
    )
    assert corrected.json()["state"] == "corrected"
    assert corrected.json()["titles"]["en"] == "Sample: harbour clean-up (corrected)"
    assert (
        move("withdraw", "editor", {"reason": "Sample: issued in error."}).json()["state"]
        == "withdrawn"
    )
    late = move("submit", "writer")
    assert late.status_code == 409 and "withdrawn" in late.json()["detail"]
    actions = list(
        AuditEntry.objects.filter(release_reference=reference)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
        "schedule",
        "unschedule",
        "publish",
        "correct",
        "withdraw",
    ]


def test_moves_need_their_details(client, draft, bearer):
    reference = draft["reference"]
    response = post(client, f"/api/v1/releases/{reference}/withdraw", bearer("editor"), {})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    response = post(
        client,
        f"/api/v1/releases/{reference}/schedule",
        bearer("editor"),
        {"issue_instant": "tomorrow"},
    )
    assert response.status_code == 422


def test_others_releases_do_not_exist_for_a_writer(client, draft, bearer):
    response = post(client, f"/api/v1/releases/{draft['reference']}/submit", bearer("other_writer"))
    assert response.status_code == 404
    assert post(client, "/api/v1/releases/P0/submit", bearer("editor")).status_code == 404


def test_token_requests_need_no_csrf_cookie(clock, bearer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/releases", DRAFT, content_type="application/json", headers=bearer("writer")
    )
    assert response.status_code == 201


def test_nul_characters_in_text_are_422(client, clock, bearer):
    body = {"department": "sample", "en": {"title": "Sample\x00", "body": ""}}
    response = post(client, "/api/v1/releases", bearer("writer"), body)
    assert response.status_code == 422 and "en.title" in response.json()["detail"]
