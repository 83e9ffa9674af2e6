"""Audit entries for steps that are not workflow moves (preview links, admin edits, imports)."""

from __future__ import annotations

from pressroom.releases.models import Release
from pressroom.workflow.models import AuditEntry

# Who the history names for what `pressroom import` changed: no person, the command.
IMPORT_ACTOR = "import"


def record_entry(release: Release | None, user, action: str, message: str = "",
                 revision_number: int | None = None,
                 actor_name: str = "") -> AuditEntry:  # fmt: skip
    """`actor_name` names an actor that is not a person (without `user`), e.g. the import."""
    signed_in = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        release=release,
        release_reference=release.reference if release else "",
        action=action,
        actor=user if signed_in else None,
        actor_name=user.get_username() if signed_in else actor_name or "system",
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


def record_import_change(release: Release, action: str, message: str) -> AuditEntry:
    """An import (or restore) that changed an archive release: a revision and an audit entry,
    as on the desk, both naming the file (`message`: "imported from <file>")."""
    from pressroom.workflow.revisions import record

    revision = record(release, None, message, author_name=IMPORT_ACTOR)
    return record_entry(release, None, action, message, revision.number, actor_name=IMPORT_ACTOR)
