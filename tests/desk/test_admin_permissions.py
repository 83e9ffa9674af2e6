"""The admin respects roles: only administrators (and superusers) get in; administrators manage
people, departments and categories and only look at releases; nobody changes a release's state
or the audit log there."""

import pytest

from pressroom.releases.models import Category
from tests.workflow.factories import draft

pytestmark = pytest.mark.django_db

# path -> what each role gets: 200 (allowed), 302 (sent to the log-in page), 403 (refused).
MATRIX = [
    ("/admin/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
    ("/admin/releases/department/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
    ("/admin/releases/category/add/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
    ("/admin/auth/user/add/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
    ("/admin/releases/release/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
    ("/admin/releases/release/add/", {"writer": 302, "approver": 302, "editor": 302, "admin": 403}),
    ("/admin/workflow/auditentry/", {"writer": 302, "approver": 302, "editor": 302, "admin": 200}),
]


@pytest.mark.parametrize("path,expected", MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role", ["writer", "approver", "editor", "admin"])
def test_admin_by_role(client, people, path, expected, role):
    client.force_login(people[role])
    response = client.get(path)
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert "/admin/login/" in response["Location"]


def test_administrator_adds_a_category_but_cannot_change_a_release(client, people, sample_department):
    release = draft(people["writer"], sample_department)
    client.force_login(people["admin"])
    response = client.post("/admin/releases/category/add/",
                           {"slug": "sample-health", "name_en": "Sample health", "name_zh_hant": "樣本衞生"})  # fmt: skip
    assert response.status_code == 302 and Category.objects.filter(slug="sample-health").exists()
    page = client.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # view only
    assert client.post(f"/admin/releases/release/{release.pk}/change/", {}).status_code == 403


def test_even_a_superuser_cannot_change_state_or_the_audit_log_in_the_admin(client, people,
                                                                           sample_department, django_user_model):  # fmt: skip
    release = draft(people["writer"], sample_department)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "x"))
    page = client.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    assert 'name="state"' not in page
    entry = release.audit_entries.get()
    assert client.post(f"/admin/workflow/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert release.audit_entries.count() == 1
