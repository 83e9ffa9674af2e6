"""The roles door: nobody raises their own privileges in the admin, every privilege change is
audited, and nobody approves their own words (the four-eyes rule) on the desk or the API.

The admin attacks post what a browser would send back from the page the attacker sees, with the
privilege they want added, through the test client: each is refused and the account unchanged.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from pressroom.api.tokens import issue_token
from pressroom.releases.models import Release
from pressroom.workflow import actions
from pressroom.workflow.content import ReleaseContent
from pressroom.workflow.errors import NotPermitted
from pressroom.workflow.models import AuditEntry, Membership
from pressroom.workflow.people import ADMINISTRATORS_GROUP
from pressroom.workflow.roles import Role, roles_of
from tests.support.factories import PASSWORD, draft, person

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields of one form as a browser would submit them, untouched."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(
                attrs.get("value") or ("on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select, self._first_option, self._chosen = (
                (name, "multiple" in attrs),
                None,
                False,
            )
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.data[self._select[0]].append(value)
                self._chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not multiple and not self._chosen and self._first_option is not None:
                self.data[name].append(self._first_option)
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None


def form_data(response, form_id: str) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form {form_id!r} on the page"
    return reader.data


def privileges(user) -> tuple:
    user = get_user_model().objects.get(pk=user.pk)
    membership = Membership.objects.filter(user=user).first()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
        (membership.role, membership.department_id) if membership else None,
    )


def codenames(*names: str) -> list[str]:
    return [str(Permission.objects.get(codename=name).pk) for name in names]


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


@pytest.fixture
def duty_editors_group(db):
    """A group a superuser made that carries strong permissions (the kind worth stealing)."""
    group = Group.objects.create(name="Duty editors")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["auth", "releases"])
    )
    return group


# The desk role through the user page's inline (ignored by pages without one).
MEMBERSHIP_AS_EDITOR = {
    "desk_membership-TOTAL_FORMS": "1", "desk_membership-INITIAL_FORMS": "1",
    "desk_membership-MIN_NUM_FORMS": "0", "desk_membership-MAX_NUM_FORMS": "1",
    "desk_membership-0-role": "editor", "desk_membership-0-department": "",
}  # fmt: skip


def post_own_change_form(client, user, **changes):
    url = f"/admin/auth/user/{user.pk}/change/"
    data = form_data(client.get(url), "user_form")
    data.update({key: value for key, value in changes.items()})
    membership = Membership.objects.filter(user=user).first()
    attack = dict(MEMBERSHIP_AS_EDITOR, **{"desk_membership-0-id": str(membership.pk) if membership else "",
                                          "desk_membership-0-user": str(user.pk)})  # fmt: skip
    for key, value in attack.items():
        data.setdefault(key, [value])
    return client.post(url, data)


# --- point 3: nobody raises their own privileges -------------------------------------------


def test_an_administrator_cannot_make_themselves_superuser(client, people):
    adam = people["admin"]
    before = privileges(adam)
    client.force_login(adam)
    response = post_own_change_form(
        client, adam, first_name=["Adam"], is_superuser=["on"], is_staff=["on"]
    )
    assert response.status_code in (302, 403)
    adam.refresh_from_db()
    assert privileges(adam) == before and not adam.is_superuser
    assert roles_of(adam) == {Role.ADMIN}  # not a duty editor
    if response.status_code == 302:
        assert adam.first_name == "Adam"  # the form was whole: only the privilege was ignored


def test_an_administrator_cannot_add_themselves_to_a_group(client, people, duty_editors_group):
    adam = people["admin"]
    before = privileges(adam)
    client.force_login(adam)
    groups = [str(duty_editors_group.pk), str(Group.objects.get(name=ADMINISTRATORS_GROUP).pk)]
    post_own_change_form(client, adam, groups=groups)
    assert privileges(adam) == before
    assert not adam.has_perm("releases.change_release")


def test_an_administrator_cannot_give_themselves_permissions(client, people):
    adam = people["admin"]
    before = privileges(adam)
    client.force_login(adam)
    post_own_change_form(client, adam, user_permissions=codenames("change_group", "change_release"))
    assert privileges(adam) == before


def test_an_administrator_cannot_make_themselves_a_duty_editor(client, people):
    adam = people["admin"]
    before = privileges(adam)
    membership = Membership.objects.get(user=adam)
    client.force_login(adam)
    url = f"/admin/workflow/membership/{membership.pk}/change/"
    client.post(url, {"user": adam.pk, "role": "editor", "department": ""})
    client.post(f"/admin/workflow/membership/{membership.pk}/delete/", {"post": "yes"})
    assert privileges(adam) == before and roles_of(get_user_model().objects.get(pk=adam.pk)) == {
        Role.ADMIN
    }


def test_an_administrator_cannot_give_an_accomplice_a_role_or_flags(client, people):
    """A role given to an account whose password the administrator chose is theirs to use."""
    client.force_login(people["admin"])
    response = client.post("/admin/auth/user/add/", {
        "username": "mallory", "usable_password": "true", "password1": PASSWORD,
        "password2": PASSWORD, "is_superuser": "on", "is_staff": "on",
        "groups": [str(Group.objects.get(name=ADMINISTRATORS_GROUP).pk)],
        **MEMBERSHIP_AS_EDITOR, "desk_membership-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 302  # adding desk accounts is an administrator's job
    mallory = get_user_model().objects.get(username="mallory")
    assert privileges(mallory) == (False, False, [], [], None)
    client.post("/admin/workflow/membership/add/", {"user": mallory.pk, "role": "editor"})
    post_own_change_form(client, mallory, is_superuser=["on"], is_staff=["on"])
    assert privileges(mallory) == (False, False, [], [], None)
    wanda = people["writer"]
    before = privileges(wanda)
    post_own_change_form(client, wanda, is_staff=["on"])
    assert privileges(wanda) == before


def test_an_administrator_cannot_edit_the_permissions_of_a_group(client, people):
    """Even holding the change-group permission (a superuser's shortcut), an administrator
    cannot widen the group that makes them an administrator."""
    adam = people["admin"]
    adam.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_group", "change_group", "add_group"])
    )
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    before = sorted(group.permissions.values_list("pk", flat=True))
    client.force_login(adam)
    url = f"/admin/auth/group/{group.pk}/change/"
    response = client.post(url, {"name": group.name, "permissions": [*map(str, before),
                                                                      *codenames("change_release")]})  # fmt: skip
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before
    response = client.post(
        "/admin/auth/group/add/", {"name": "Mine", "permissions": codenames("change_release")}
    )
    assert response.status_code == 403 and not Group.objects.filter(name="Mine").exists()


def test_an_administrator_cannot_delete_a_superuser_in_bulk(client, people, root):
    client.force_login(people["admin"])
    client.post("/admin/auth/user/", {
        "action": "delete_selected", "_selected_action": [root.pk, people["editor"].pk], "post": "yes",
    })  # fmt: skip
    assert get_user_model().objects.filter(pk__in=[root.pk, people["editor"].pk]).count() == 2


@pytest.mark.parametrize("target", ["root", "editor", "writer"])
def test_an_administrator_cannot_set_another_persons_password(client, people, root, target):
    """Whoever sets a password can sign in as that person (a superuser, a duty editor...)."""
    account = root if target == "root" else people[target]
    client.force_login(people["admin"])
    response = client.post(f"/admin/auth/user/{account.pk}/password/", {
        "usable_password": "true", "password1": "Taken-over-2024", "password2": "Taken-over-2024",
    })  # fmt: skip
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.check_password(PASSWORD) and not account.check_password("Taken-over-2024")


def test_an_administrator_cannot_lock_out_a_superuser(client, people, root):
    client.force_login(people["admin"])
    url = f"/admin/auth/user/{root.pk}/change/"
    data = form_data(client.get(url), "user_form")
    data.pop("is_active", None)
    data.setdefault("username", ["root"])
    client.post(url, data)
    root.refresh_from_db()
    assert root.is_active and root.is_superuser


def test_a_superuser_cannot_change_their_own_privileges(client, people, root, duty_editors_group):
    before = privileges(root)
    client.force_login(root)
    post_own_change_form(
        client, root, groups=[str(duty_editors_group.pk)], is_superuser=[], is_staff=["on"]
    )
    assert privileges(root) == before


def test_a_superusers_change_to_another_account_is_audited(
    client, people, root, duty_editors_group
):
    wanda = people["writer"]
    client.force_login(root)
    url = f"/admin/auth/user/{wanda.pk}/change/"
    data = form_data(client.get(url), "user_form")
    data.update(is_staff=["on"], groups=[str(duty_editors_group.pk)])
    data["desk_membership-0-role"] = ["approver"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert privileges(wanda)[:3] == (False, True, ["Duty editors"])
    assert roles_of(get_user_model().objects.get(pk=wanda.pk)) == {Role.APPROVER}
    entry = AuditEntry.objects.get(action="privileges", actor_id=root.pk)
    assert entry.actor_id == root.pk and entry.actor_name == "root"
    assert "wanda" in entry.message
    for change in ("staff: no → yes", "groups: + Duty editors", "desk role: writer → approver"):
        assert change in entry.message, entry.message


def test_a_superuser_setting_a_password_and_group_permissions_is_audited(client, people, root):
    client.force_login(root)
    edith = people["editor"]
    response = client.post(f"/admin/auth/user/{edith.pk}/password/", {
        "usable_password": "true", "password1": "Reset-by-root-2024", "password2": "Reset-by-root-2024",
    })  # fmt: skip
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="password")
    assert entry.actor_name == "root" and "edith" in entry.message
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    permissions = [
        *map(str, group.permissions.values_list("pk", flat=True)),
        *codenames("view_group"),
    ]
    assert client.post(f"/admin/auth/group/{group.pk}/change/",
                       {"name": group.name, "permissions": permissions}).status_code == 302  # fmt: skip
    entry = AuditEntry.objects.get(action="group")
    assert entry.actor_name == "root" and ADMINISTRATORS_GROUP in entry.message
    assert "+ auth.view_group" in entry.message


# --- point 4: the four-eyes rule -------------------------------------------------------------


def submitted_by(author, department, submitter=None):
    release = draft(author, department)
    actions.SubmitRelease(release, submitter or author).execute()
    return Release.objects.get(pk=release.pk)


@pytest.fixture
def second_approver(sample_department):
    return person("april", Role.APPROVER, sample_department)


def api_move(client, user, release, move, body=None):
    secret = issue_token(user)[1]
    return client.post(f"/api/v1/releases/{release.reference}/{move}", body or {},
                       content_type="application/json", headers={"Authorization": f"Bearer {secret}"})  # fmt: skip


def test_desk_an_approver_cannot_approve_their_own_release(
    client, people, sample_department, second_approver
):
    release = submitted_by(people["approver"], sample_department)
    client.force_login(people["approver"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "you wrote its latest revision" in page  # the reason, beside a disabled button
    assert 'value="approve" disabled' in page
    response = client.post(
        f"/desk/r/{release.pk}/move/approve/", {"expected_revision": "1"}, follow=True
    )
    assert "you wrote its latest revision" in response.content.decode()
    release.refresh_from_db()
    assert release.state == "submitted"
    client.force_login(second_approver)
    assert 'value="approve" disabled' not in client.get(f"/desk/r/{release.pk}/").content.decode()
    client.post(f"/desk/r/{release.pk}/move/approve/", {"expected_revision": "1"})
    release.refresh_from_db()
    assert release.state == "approved"


def test_desk_whoever_submitted_cannot_approve(client, people, sample_department):
    release = submitted_by(people["writer"], sample_department, submitter=people["approver"])
    client.force_login(people["approver"])
    response = client.post(
        f"/desk/r/{release.pk}/move/approve/", {"expected_revision": "1"}, follow=True
    )
    assert "you submitted it" in response.content.decode()
    release.refresh_from_db()
    assert release.state == "submitted"


def test_an_approvers_own_edit_needs_another_pair_of_eyes(
    people, sample_department, second_approver
):
    release = submitted_by(people["writer"], sample_department)
    content = ReleaseContent.of(release)
    content.languages["en"].title = "Sample: the approver's own words"
    actions.EditRelease(release, people["approver"], content=content, expected_revision=1).execute()
    with pytest.raises(NotPermitted, match="you wrote its latest revision"):
        actions.ApproveRelease(release, people["approver"]).execute()
    actions.ApproveRelease(release, second_approver).execute()
    assert Release.objects.get(pk=release.pk).state == "approved"


def test_api_an_approver_cannot_approve_their_own_release(
    client, people, sample_department, second_approver
):
    release = submitted_by(people["approver"], sample_department)
    refused = api_move(client, people["approver"], release, "approve")
    assert refused.status_code == 403
    assert "you wrote its latest revision" in refused.json()["detail"]
    assert "four-eyes" in refused.json()["detail"]
    assert Release.objects.get(pk=release.pk).state == "submitted"
    allowed = api_move(client, second_approver, release, "approve")
    assert allowed.status_code == 200 and allowed.json()["state"] == "approved"


def test_a_duty_editor_cannot_approve_their_own_release_either(client, people, sample_department):
    release = submitted_by(people["editor"], sample_department)
    refused = api_move(client, people["editor"], release, "approve")
    assert (
        refused.status_code == 403 and "you wrote its latest revision" in refused.json()["detail"]
    )
    with pytest.raises(NotPermitted):
        actions.ApproveRelease(release, people["editor"]).execute()
    actions.ApproveRelease(release, people["approver"]).execute()
    assert Release.objects.get(pk=release.pk).state == "approved"


def test_publishing_is_no_way_around_approval(client, people, sample_department):
    """A duty editor who changes an approved release's text may not schedule or publish their
    own change: another duty editor (the second pair of eyes) may."""
    release = submitted_by(people["writer"], sample_department)
    actions.ApproveRelease(release, people["approver"]).execute()
    content = ReleaseContent.of(release)
    content.languages["en"].title = "Sample: words nobody approved"
    actions.EditRelease(release, people["editor"], content=content, expected_revision=1).execute()
    for move, body in (
        ("publish", {}),
        ("schedule", {"issue_instant": "2099-01-01T10:00:00+08:00"}),
    ):
        refused = api_move(client, people["editor"], release, move, body)
        assert refused.status_code == 403, refused.content
        assert "you changed it after it was approved" in refused.json()["detail"]
    client.force_login(people["editor"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert 'value="publish" disabled' in page and "you changed it after it was approved" in page
    assert Release.objects.get(pk=release.pk).state == "approved"
    second_editor = person("eve", Role.EDITOR, None)
    assert api_move(client, second_editor, release, "publish").json()["state"] == "published"


def test_with_the_rule_off_a_one_person_office_approves_its_own(
    client, settings, people, sample_department
):
    settings.PRESSROOM_FOUR_EYES = False
    on_desk = submitted_by(people["approver"], sample_department)
    client.force_login(people["approver"])
    assert 'value="approve" disabled' not in client.get(f"/desk/r/{on_desk.pk}/").content.decode()
    client.post(f"/desk/r/{on_desk.pk}/move/approve/", {"expected_revision": "1"})
    assert Release.objects.get(pk=on_desk.pk).state == "approved"
    through_api = submitted_by(people["approver"], sample_department)
    assert (
        api_move(client, people["approver"], through_api, "approve").json()["state"] == "approved"
    )


def test_the_embedded_demo_runs_as_a_one_person_office():
    """`python3 dev.py serve` turns the rule off unless the user set it; the default is on."""
    import dev
    from pressroom.conf import read

    assert read("PRESSROOM_FOUR_EYES", {}) is True
    assert read("PRESSROOM_FOUR_EYES", dev.DEMO_SETTINGS) is False


def api_patch(client, user, release, title):
    secret = issue_token(user)[1]
    return client.patch(f"/api/v1/releases/{release.reference}", {"en": {"title": title, "body": "Changed."}},
                        content_type="application/json", headers={"Authorization": f"Bearer {secret}"})  # fmt: skip


def scheduled_by_two(people, department):
    release = submitted_by(people["writer"], department)
    actions.ApproveRelease(release, people["approver"]).execute()
    in_a_day = timezone.now() + dt.timedelta(days=1)
    return actions.ScheduleRelease(release, people["editor"], issue_instant=in_a_day).execute()


def test_a_scheduled_release_goes_out_with_its_approved_text(client, people, sample_department):
    """Nothing follows scheduling: a change then would be published unapproved at the instant.
    Pull it back, change it, and another duty editor schedules it again."""
    release = scheduled_by_two(people, sample_department)
    refused = api_patch(client, people["editor"], release, "Sample: words nobody approved")
    assert refused.status_code == 403 and "while it is scheduled" in refused.json()["detail"]
    client.force_login(people["editor"])
    page = client.get(f"/desk/r/{release.pk}/").content.decode()
    assert "while it is scheduled" in page and 'id="compose-form"' not in page
    assert release.versions.get(language="en").title != "Sample: words nobody approved"
    actions.UnscheduleRelease(release, people["editor"]).execute()
    assert (
        api_patch(client, people["editor"], release, "Sample: changed after approval").status_code
        == 200
    )
    in_a_day = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(NotPermitted, match="you changed it after it was approved"):
        actions.ScheduleRelease(release, people["editor"], issue_instant=in_a_day).execute()
    actions.ScheduleRelease(
        release, person("eve", Role.EDITOR, None), issue_instant=in_a_day
    ).execute()


def test_the_admin_is_no_way_around_the_desk(client, people, sample_department, root):
    """Even a superuser cannot rewrite a release on its way to publication in the admin, or
    move a scheduled release's instant to now; published ones (the archive) stay editable."""
    release = scheduled_by_two(people, sample_department)
    client.force_login(root)
    url = f"/admin/releases/release/{release.pk}/change/"
    assert 'name="_save"' not in client.get(url).content.decode()
    now = timezone.localtime(timezone.now())
    response = client.post(url, {"reference": release.reference, "kind": "release",
                                 "issue_instant_0": f"{now:%Y-%m-%d}", "issue_instant_1": f"{now:%H:%M:%S}",
                                 "department": sample_department.pk})  # fmt: skip
    assert response.status_code == 403
    assert Release.objects.get(pk=release.pk).issue_instant == release.issue_instant
    assert not Release.objects.public().filter(pk=release.pk).exists()


def test_the_photo_admin_is_no_way_around_the_desk(client, people, sample_department, root):
    release = draft(
        people["writer"], sample_department, captions=[("Sample: a caption.", "樣本：說明。")]
    )
    photo = release.photos.get()
    client.force_login(root)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/", {"release": release.pk, "position": 2}
    )
    assert response.status_code == 403 and release.photos.get().position == 1
    page = client.get("/admin/media/photo/add/").content.decode()
    assert f'value="{release.pk}"' not in page  # not offered for a new photo either


def _jpeg_with_a_comment() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="JPEG", comment=b"GPS: secret place")
    return buffer.getvalue()


def test_the_admin_is_no_way_around_the_photo_checks(client, people, sample_department, root):
    """An image file reaches a release only through the checks every upload passes (content,
    size, metadata stripped, renditions, a random name): the admin offers no upload of its own."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    release = draft(
        people["writer"], sample_department, captions=[("Sample: a caption.", "樣本：說明。")]
    )
    Release.objects.filter(pk=release.pk).update(
        state="published", issue_instant=timezone.now() - dt.timedelta(days=1), origin="import"
    )
    photo = release.photos.get()
    client.force_login(root)
    for url in (
        f"/admin/media/photo/{photo.pk}/change/",
        f"/admin/releases/release/{release.pk}/change/",
    ):
        assert 'type="file"' not in client.get(url).content.decode(), url
    upload = SimpleUploadedFile("x.jpg", _jpeg_with_a_comment(), content_type="image/jpeg")
    client.post(f"/admin/media/photo/{photo.pk}/change/", {"release": release.pk, "position": 1,
                                                           "image": upload})  # fmt: skip
    photo.refresh_from_db()
    assert not photo.image
    assert client.get("/admin/media/photo/add/").status_code == 403
