"""The states a release moves through (pressroom.workflow.rules says who moves it), and which of
them make it public once its issue instant has passed (pressroom.releases.visibility)."""

from __future__ import annotations

from django.db import models


class ReleaseState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# States in which a release is public once its issue instant has passed. A scheduled release
# is public at its instant without waiting for any worker to mark it published.
PUBLIC_STATES = (
    ReleaseState.SCHEDULED,
    ReleaseState.PUBLISHED,
    ReleaseState.CORRECTED,
    ReleaseState.WITHDRAWN,
)
