"""Shareable preview links: unguessable (256 random bits), expiring, revocable, stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pressroom.desk.models import PreviewLink
from pressroom.releases.models import Release
from pressroom.workflow.audit import record_entry
from pressroom.workflow.errors import InvalidMove, NotPermitted
from pressroom.workflow.permissions import refusal
from pressroom.workflow.rules import SHARE_RULES

DEFAULT_HOURS = 48
LONGEST_HOURS = 14 * 24
LIFETIME_TEXT = f"a preview link lasts between 1 and {LONGEST_HOURS} hours (14 days)"


def token_hash(token: str) -> str:
    """Keyed with the secret key, so the stored value cannot be checked against guesses
    without the key either."""
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def create_link(release: Release, user, hours: int = DEFAULT_HOURS) -> tuple[PreviewLink, str]:
    """A new link lasting `hours`; returns it with the token, which is never stored and cannot be
    shown again."""
    reason = refusal(
        user, SHARE_RULES, release.department_id, f"share a preview of {release.reference}"
    )
    if reason:
        raise NotPermitted(reason)
    # Checked before any arithmetic: 10**20 hours is beyond what a timedelta holds.
    if not 1 <= hours <= LONGEST_HOURS:
        raise InvalidMove(LIFETIME_TEXT)
    lifetime = dt.timedelta(hours=hours)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = PreviewLink.objects.create(
            release=release,
            token_hash=token_hash(token),
            created_by=user,
            expires_at=timezone.now() + lifetime,
        )
        record_entry(release, user, "preview-link",
                     f"preview link {link.pk} made, valid until {timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}")  # fmt: skip
    return link, token


def find_active(token: str, now: dt.datetime | None = None) -> PreviewLink | None:
    now = timezone.now() if now is None else now
    if not token or len(token) > 100:
        return None
    link = (
        PreviewLink.objects.select_related("release").filter(token_hash=token_hash(token)).first()
    )
    return link if link is not None and link.is_active(now) else None


def revoke(link: PreviewLink, user) -> None:
    reason = refusal(user, SHARE_RULES, link.release.department_id, "revoke a preview link")
    if reason:
        raise NotPermitted(reason)
    if link.revoked_at is None:
        with transaction.atomic():
            PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            record_entry(link.release, user, "preview-revoked", f"preview link {link.pk} revoked")
