"""pressroom workflow REFERENCE MOVE --user NAME [--comment/--note/--reason TEXT] [--at ISO]"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pressroom.releases.limits import TextRefused
from pressroom.releases.models import HONG_KONG, Release
from pressroom.workflow.actions import MOVE_ACTIONS
from pressroom.workflow.errors import WorkflowError


class Command(BaseCommand):
    help = "Make a workflow move on a release as a given person (same rules as the desk)."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("move", choices=sorted(MOVE_ACTIONS))
        parser.add_argument("--user", required=True, help="whose move it is (their role applies)")
        parser.add_argument("--comment", default="", help="for return")
        parser.add_argument("--note", default="", help="for correct")
        parser.add_argument("--reason", default="", help="for withdraw")
        parser.add_argument("--at", help="for schedule: Hong Kong time, e.g. 2024-03-01T16:30")

    def handle(self, reference, move, user, comment, note, reason, at, **options):
        release = Release.objects.by_reference(reference).first()
        if release is None:
            raise CommandError(f"no release {reference}")
        person = get_user_model().objects.filter(username=user, is_active=True).first()
        if person is None:
            raise CommandError(f"no active user {user!r}")
        extra = {"schedule": {"issue_instant": _instant(at)}, "return": {"comment": comment},
                 "correct": {"note": note}, "withdraw": {"reason": reason}}.get(move, {})  # fmt: skip
        try:
            MOVE_ACTIONS[move](release, person, **extra).execute()
        except (WorkflowError, TextRefused) as error:
            raise CommandError(str(error)) from None
        release.refresh_from_db()
        self.stdout.write(f"{release.reference}: {release.state}")


def _instant(text):
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text!r}: expected a time like 2024-03-01T16:30") from None
    return value if value.tzinfo else value.replace(tzinfo=HONG_KONG)
