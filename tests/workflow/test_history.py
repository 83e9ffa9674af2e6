"""Revisions, their differences, optimistic locking and the append-only audit log."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory

from pressroom.workflow import actions, revisions
from pressroom.workflow.content import ReleaseContent
from pressroom.workflow.errors import AppendOnly, StaleEdit
from pressroom.workflow.models import AuditEntry, Revision
from tests.support.factories import draft

pytestmark = pytest.mark.django_db


def edit(release, user, expected, title):
    content = ReleaseContent.of(release)
    content.languages["en"].title = title
    return actions.EditRelease(release, user, content=content, expected_revision=expected).execute()


def test_every_save_is_a_revision_with_who_and_what(people, sample_department):
    release = draft(people["writer"], sample_department)
    edit(release, people["writer"], 1, title=("Sample: festival opens on Sunday"))
    numbers = list(
        Revision.objects.filter(release_id=release.pk).values_list("number", "author_name")
    )
    assert numbers == [(2, "wanda"), (1, "wanda")]
    newest = Revision.objects.get(release_id=release.pk, number=2)
    assert newest.snapshot["languages"]["en"]["title"] == "Sample: festival opens on Sunday"


def test_diff_between_any_two_revisions_covers_title_body_and_captions(people, sample_department):
    release = draft(
        people["writer"], sample_department, captions=[("Sample: the stage.", "樣本：舞台。")]
    )
    edit(release, people["writer"], 1, title=("Sample: festival opens on Sunday"))
    content = ReleaseContent.of(release)
    content.languages["zh-Hant"].photos[1].caption = "樣本：新舞台。"
    content.languages["en"].body = "The Sample Department opened a festival.\n\nEntry is free."
    actions.EditRelease(release, people["writer"], content=content, expected_revision=2).execute()
    first, third = (Revision.objects.get(release_id=release.pk, number=n) for n in (1, 3))
    changed = {d.label: d.lines for d in revisions.diff(first, third) if d.changed}
    assert set(changed) == {"Title (en)", "Body (en)", "Captions (zh-Hant)"}
    assert "-Sample: harbour festival opens" in changed["Title (en)"]
    assert "+Sample: festival opens on Sunday" in changed["Title (en)"]
    assert any("Entry is free." in line and line.startswith("+") for line in changed["Body (en)"])
    assert "+Photo 1: 樣本：新舞台。" in changed["Captions (zh-Hant)"]


def test_a_stale_save_is_refused_and_changes_nothing(people, sample_department):
    release = draft(people["writer"], sample_department)
    edit(release, people["approver"], 1, title=("Sample: the approver's title"))
    with pytest.raises(
        StaleEdit, match=r"changed by arthur .*revision 2.*after you opened revision 1"
    ):
        edit(release, people["writer"], 1, title=("Sample: the writer's title"))
    assert release.versions.get(language="en").title == "Sample: the approver's title"
    assert revisions.latest_number(release) == 2


def test_audit_entries_cannot_be_changed_or_deleted(people, sample_department):
    release = draft(people["writer"], sample_department)
    entry = AuditEntry.objects.get(release_id=release.pk)
    entry.message = "rewritten history"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(message="rewritten")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        Revision.objects.filter(release_id=release.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).message.startswith("draft started")


@pytest.mark.parametrize("model", [AuditEntry, Revision])
def test_no_one_edits_the_log_in_the_admin_not_even_a_superuser(model, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "r@example.invalid", "x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin_site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
