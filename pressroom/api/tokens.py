"""Issuing and checking API tokens: `pr_` + 43 random URL-safe characters, stored as a digest."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from pressroom.api.models import ApiToken
from pressroom.releases import limits

TOKEN_PREFIX = "pr_"
TOKEN_NAME_MAX_CHARS = ApiToken._meta.get_field("name").max_length
SHOWN_CHARACTERS = 11


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and never stored. TextRefused when
    `name` is not one line of at most 100 characters."""
    limits.single_line("name", name, TOKEN_NAME_MAX_CHARS)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:SHOWN_CHARACTERS], digest=digest(secret)
    )
    return token, secret


def user_for_token(secret: str):
    """The active user a live token acts as, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user__desk_membership")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke(prefix: str, user=None) -> int:
    tokens = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.update(revoked_at=timezone.now())
