"""The admin respects roles: administrators manage departments and categories and only look at
releases; nobody changes a release's state or the audit log there. Who gets which admin page is
in the role matrix (tests/security/test_role_matrix.py)."""

import pytest

from pressroom.releases.models import Category
from tests.support.factories import draft

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_category_but_cannot_change_a_release(
    client, people, sample_department
):
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
    assert (
        client.post(f"/admin/workflow/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert release.audit_entries.count() == 1
