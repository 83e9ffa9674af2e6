"""Audit entries for steps that are not workflow moves (preview links, admin edits)."""

from __future__ import annotations

from pressroom.releases.models import Release
from pressroom.workflow.models import AuditEntry


def record_entry(release: Release | None, user, action: str, message: str = "",
                 revision_number: int | None = None) -> AuditEntry:  # fmt: skip
    signed_in = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        release=release,
        release_reference=release.reference if release else "",
        action=action,
        actor=user if signed_in else None,
        actor_name=user.get_username() if signed_in else "system",
        from_state=release.state if release else "",
        to_state=release.state if release else "",
        message=message,
        revision_number=revision_number,
    )


def record_admin_edit(release: Release, user, created: bool) -> AuditEntry:
    """A superuser's save in the admin: a revision and an audit entry, as on the desk."""
    from pressroom.workflow.revisions import record

    action = "admin-create" if created else "admin-edit"
    revision = record(release, user, f"{'created' if created else 'edited'} in the admin")
    return record_entry(release, user, action, "saved in the admin", revision.number)
