"""Every role against every door: the admin's pages and actions, the desk's moves and the API's
moves, with the answer each role gets, written out here apart from the code that decides it.

Answers: "ok" (a page shown, or the change made), "refused" (403, or the change not made),
"login" (sent to sign in; 401 from the API), "hidden" (404: not on that person's desk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from pressroom.api.tokens import issue_token
from pressroom.releases.models import Release
from pressroom.workflow.models import AuditEntry
from pressroom.workflow.people import ADMINISTRATORS_GROUP
from tests.support.factories import PASSWORD, draft

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "writer", "approver", "editor", "admin", "superuser"]
NEW_PASSWORD = "Another-sample-pass-2024"


def answers(words: str) -> dict[str, str]:
    """One answer per role, in the order of ROLES."""
    return dict(zip(ROLES, words.split(), strict=True))


@dataclass
class World:
    people: dict
    release: Release | None
    client: object

    @property
    def other_root(self):
        return get_user_model().objects.get(username="root2")

    def account(self, username):
        return get_user_model().objects.get(username=username)


@dataclass(frozen=True)
class Door:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, str]
    data: Callable[[World], dict] = field(default=lambda world: {})
    done: Callable[[World], bool] | None = None  # for a change: was it made?
    state: str | None = None  # the release the door needs, in this state
    api: bool = False


def change_form(user, **changes) -> dict:
    """The user page as a browser sends it back (flags and groups only where the form has them)."""
    membership = getattr(user, "desk_membership", None)
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00", "groups": [g.pk for g in user.groups.all()],
        "desk_membership-TOTAL_FORMS": "1" if membership else "0",
        "desk_membership-INITIAL_FORMS": "1" if membership else "0",
        "desk_membership-MIN_NUM_FORMS": "0", "desk_membership-MAX_NUM_FORMS": "1",
    }  # fmt: skip
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    if membership:
        data.update({"desk_membership-0-id": membership.pk, "desk_membership-0-user": user.pk,
                     "desk_membership-0-role": membership.role,
                     "desk_membership-0-department": membership.department_id or ""})  # fmt: skip
    data.update(changes)
    return data


def duty_editors(world) -> Group:
    return Group.objects.get_or_create(name="Duty editors")[0]


def signed_in_account(world):
    return world.client.session.get("_auth_user_id")


def own_account(world):
    return get_user_model().objects.get(pk=signed_in_account(world))


ADMIN_PAGE = answers("login login login login ok ok")
SUPERUSER_ONLY = answers("login login login login refused ok")
NOBODY = answers("login login login login refused refused")

ADMIN_DOORS = [
    Door("admin: index", "GET", lambda w: "/admin/", ADMIN_PAGE),
    Door("admin: departments", "GET", lambda w: "/admin/releases/department/", ADMIN_PAGE),
    Door("admin: add a category", "GET", lambda w: "/admin/releases/category/add/", ADMIN_PAGE),
    Door("admin: releases", "GET", lambda w: "/admin/releases/release/", ADMIN_PAGE),
    Door("admin: add a release", "GET", lambda w: "/admin/releases/release/add/", SUPERUSER_ONLY),
    Door("admin: audit log", "GET", lambda w: "/admin/workflow/auditentry/", ADMIN_PAGE),
    Door("admin: delete an audit entry", "POST",
         lambda w: f"/admin/workflow/auditentry/{AuditEntry.objects.filter(action='create').first().pk}/delete/",
         NOBODY, data=lambda w: {"post": "yes"},
         done=lambda w: not AuditEntry.objects.filter(action="create").exists(), state="draft"),
    Door("admin: people", "GET", lambda w: "/admin/auth/user/", ADMIN_PAGE),
    Door("admin: add a person (form)", "GET", lambda w: "/admin/auth/user/add/", ADMIN_PAGE),
    Door("admin: add a person", "POST", lambda w: "/admin/auth/user/add/", ADMIN_PAGE,
         data=lambda w: {"username": "newcomer", "usable_password": "true", "password1": NEW_PASSWORD,
                         "password2": NEW_PASSWORD, "desk_membership-TOTAL_FORMS": "0",
                         "desk_membership-INITIAL_FORMS": "0"},
         done=lambda w: get_user_model().objects.filter(username="newcomer").exists()),
    Door("admin: a writer's page", "GET", lambda w: f"/admin/auth/user/{w.account('wanda').pk}/change/",
         ADMIN_PAGE),
    Door("admin: make oneself superuser and a duty editor", "POST",
         lambda w: f"/admin/auth/user/{signed_in_account(w) or 0}/change/", NOBODY,
         data=lambda w: change_form(own_account(w), is_superuser="on", groups=[duty_editors(w).pk])
         if signed_in_account(w) else {},
         done=lambda w: bool(signed_in_account(w)) and own_account(w).groups.filter(name="Duty editors").exists()),
    Door("admin: make a writer staff", "POST", lambda w: f"/admin/auth/user/{w.account('wanda').pk}/change/",
         SUPERUSER_ONLY, data=lambda w: change_form(w.account("wanda"), is_staff="on"),
         done=lambda w: w.account("wanda").is_staff),
    Door("admin: set a writer's password", "POST",
         lambda w: f"/admin/auth/user/{w.account('wanda').pk}/password/", SUPERUSER_ONLY,
         data=lambda w: {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
         done=lambda w: w.account("wanda").check_password(NEW_PASSWORD)),
    Door("admin: set another superuser's password", "POST",
         lambda w: f"/admin/auth/user/{w.other_root.pk}/password/", SUPERUSER_ONLY,
         data=lambda w: {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
         done=lambda w: w.other_root.check_password(NEW_PASSWORD)),
    Door("admin: delete another superuser (bulk action)", "POST", lambda w: "/admin/auth/user/",
         SUPERUSER_ONLY,
         data=lambda w: {"action": "delete_selected", "_selected_action": [w.other_root.pk], "post": "yes"},
         done=lambda w: not get_user_model().objects.filter(username="root2").exists()),
    Door("admin: groups", "GET", lambda w: "/admin/auth/group/", SUPERUSER_ONLY),
    Door("admin: widen the administrators' group", "POST",
         lambda w: f"/admin/auth/group/{Group.objects.get(name=ADMINISTRATORS_GROUP).pk}/change/",
         SUPERUSER_ONLY,
         data=lambda w: {"name": ADMINISTRATORS_GROUP, "permissions": [
             *Group.objects.get(name=ADMINISTRATORS_GROUP).permissions.values_list("pk", flat=True),
             Permission.objects.get(codename="change_release").pk]},
         done=lambda w: Group.objects.get(name=ADMINISTRATORS_GROUP).permissions.filter(
             codename="change_release").exists()),
]  # fmt: skip

IN_AN_HOUR = timezone.now() + dt.timedelta(hours=1)
MOVES = {
    # move: (source state, state after, details, who may)
    "submit": ("draft", "submitted", {}, "login ok ok ok refused ok"),
    "approve": ("submitted", "approved", {}, "login refused ok ok refused ok"),
    "schedule": ("approved", "scheduled", {"issue_instant": IN_AN_HOUR}, "login refused refused ok refused ok"),
    "publish": ("approved", "published", {}, "login refused refused ok refused ok"),
    "unschedule": ("scheduled", "approved", {}, "login refused refused ok refused ok"),
    "return": ("submitted", "draft", {"comment": "Sample: add the venue."}, "login refused ok ok refused ok"),
    "correct": ("published", "corrected", {"note": "Sample: a date was wrong."}, "login refused refused ok refused ok"),
    "withdraw": ("published", "withdrawn", {"reason": "Sample: issued in error."}, "login refused refused ok refused ok"),
}  # fmt: skip


def _desk_form(details: dict) -> dict:
    form = dict(details)
    if "issue_instant" in form:
        form["issue_instant"] = timezone.localtime(form["issue_instant"]).strftime(
            "%Y-%m-%dT%H:%M:%S"
        )
    return form


def _api_body(details: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value
        for key, value in details.items()
    }


def _moved_to(target):
    return lambda w: Release.objects.get(pk=w.release.pk).state == target


def _api_answers(who: str) -> dict[str, str]:
    """As on the desk, except that administrators, who have no desk role, are not shown
    unpublished releases through the API at all."""
    expected = answers(who)
    expected["admin"] = "hidden"
    return expected


MOVE_DOORS = [
    door
    for move, (source, target, details, who) in MOVES.items()
    for door in (
        Door(f"desk: {move}", "POST", lambda w, move=move: f"/desk/r/{w.release.pk}/move/{move}/",
             answers(who), data=lambda w, details=details: _desk_form(details), done=_moved_to(target),
             state=source),
        Door(f"api: {move}", "POST", lambda w, move=move: f"/api/v1/releases/{w.release.reference}/{move}",
             _api_answers(who), data=lambda w, details=details: _api_body(details), done=_moved_to(target),
             state=source, api=True),
    )
]  # fmt: skip

DESK_DOORS = [
    # Administrators see the desk's queue and audit log, never a release's text.
    Door("desk: the queue", "GET", lambda w: "/desk/", answers("login ok ok ok ok ok")),
    Door("desk: a release of the sample department", "GET", lambda w: f"/desk/r/{w.release.pk}/",
         answers("login ok ok ok refused ok"), state="submitted"),
]  # fmt: skip

DOORS = ADMIN_DOORS + DESK_DOORS + MOVE_DOORS


def answer(door: Door, response, world: World) -> str:
    status = response.status_code
    assert status < 500, f"{door.name}: {status}"
    location = response.get("Location", "")
    if status == 401 or (status == 302 and "/login/" in location):
        return "login"
    if status == 404:
        return "hidden"
    if status == 403:
        return "refused"
    if door.done is None:
        assert status == 200, f"{door.name}: {status}"
        return "ok"
    return "ok" if door.done(world) else "refused"


@pytest.mark.parametrize("door", DOORS, ids=[door.name for door in DOORS])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, people, sample_department, django_user_model, role, door):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    django_user_model.objects.create_superuser("root2", "root2@example.invalid", PASSWORD)
    signed_in = {**people, "superuser": root}.get(role)
    release = None
    if door.state:
        release = draft(people["writer"], sample_department)
        instant = (
            IN_AN_HOUR if door.state == "scheduled" else timezone.now() - dt.timedelta(hours=1)
        )
        Release.objects.filter(pk=release.pk).update(state=door.state, issue_instant=instant)
        release.refresh_from_db()
    world = World(people=people, release=release, client=client)
    headers = {}
    if door.api and signed_in is not None:
        headers["Authorization"] = f"Bearer {issue_token(signed_in)[1]}"
    elif signed_in is not None:
        client.force_login(signed_in)
    if door.method == "GET":
        response = client.get(door.path(world), headers=headers)
    elif door.api:
        response = client.post(door.path(world), door.data(world), content_type="application/json",
                               headers=headers)  # fmt: skip
    else:
        response = client.post(door.path(world), door.data(world))
    assert answer(door, response, world) == door.expected[role]
