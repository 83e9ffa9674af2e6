"""Preview links: a way for a duty editor to show an unpublished release to someone outside."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from pressroom.releases.models import Release


class PreviewLink(models.Model):
    """Only a keyed hash of the token is stored: the link itself is shown once, on creation,
    and a copy of the database reveals no usable link."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="preview_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"preview of {self.release.reference} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
