"""Desk memberships, revisions of a release's content, and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pressroom.releases.models import Department, Release
from pressroom.workflow.errors import AppendOnly
from pressroom.workflow.roles import Role


class Membership(models.Model):
    """A person's role on the desk and the department they write or approve for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_membership"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    def __str__(self) -> str:
        where = f" ({self.department.code})" if self.department_id else ""
        return f"{self.user.get_username()}: {self.get_role_display()}{where}"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too, not only `save()` and `delete()` on one row."""

    def update(self, **kwargs):
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are never changed")

    def delete(self):
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.verbose_name} {self.pk} is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.verbose_name} {self.pk} is never deleted")


class Revision(AppendOnlyModel):
    """One saved state of a release's content: titles, bodies and captions per language."""

    # The audit log and revisions outlive anything: no cascade, no constraint to trip over.
    release = models.ForeignKey(
        Release, on_delete=models.DO_NOTHING, db_constraint=False, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )  # fmt: skip
    author_name = models.CharField(max_length=150, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["release", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of release {self.release_id}"


class AuditEntry(AppendOnlyModel):
    """A workflow move, a content change or a publication: who, when, from what to what."""

    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="audit_entries",
    )  # fmt: skip
    release_reference = models.CharField(max_length=20, blank=True, db_index=True)
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )  # fmt: skip
    actor_name = models.CharField(max_length=150, blank=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.release_reference}"
