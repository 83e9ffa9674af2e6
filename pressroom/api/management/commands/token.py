"""`pressroom token USERNAME`: issue an API token that acts as that desk user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pressroom.api.models import ApiToken
from pressroom.api.tokens import issue_token, revoke
from pressroom.releases.limits import TextRefused


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME (printed once; only its digest is stored). The token "
        "can do exactly what the user can on the desk. --list shows the user's tokens, "
        "--revoke PREFIX withdraws one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for, e.g. 'DH system'")
        parser.add_argument(
            "--list", dest="list_tokens", action="store_true", help="list the user's tokens"
        )
        parser.add_argument(
            "--revoke", dest="revoke_prefix", metavar="PREFIX", help="revoke the token starting so"
        )

    def handle(self, username, name, list_tokens, revoke_prefix, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"no user named {username!r} (create one with createsuperuser or the admin)"
            )
        if list_tokens:
            return self._list(user)
        if revoke_prefix:
            if not revoke(revoke_prefix, user):
                raise CommandError(f"{username} has no live token starting {revoke_prefix!r}")
            self.stdout.write(f"revoked {revoke_prefix}")
            return
        if not user.is_active:
            raise CommandError(f"{username} is inactive: a token would not work")
        try:
            token, secret = issue_token(user, name)
        except TextRefused as refused:
            raise CommandError(f"token {refused}") from None
        self.stderr.write(
            f"Token {token.prefix}… for {username}. Shown once: store it now. "
            "Send it as 'Authorization: Bearer <token>'."
        )
        self.stdout.write(secret)

    def _list(self, user):
        tokens = ApiToken.objects.filter(user=user)
        if not tokens:
            self.stdout.write(f"{user.get_username()} has no tokens")
        for token in tokens:
            status = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
            used = (
                f"last used {token.last_used_at:%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "never used"
            )
            self.stdout.write(f"{token.prefix}…  {status}  {used}  {token.name}")
