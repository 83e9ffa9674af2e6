"""API tokens: a secret that acts as one desk user. Only a digest of the secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=16, db_index=True)
    # SHA-256 of the whole secret: tokens are long random strings, so a fast digest is enough
    # (nothing to guess from), and a stolen database does not give working tokens.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
