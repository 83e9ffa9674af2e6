"""pressroom adduser USERNAME --role writer|approver|editor|admin --department CODE"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pressroom.releases.models import Department
from pressroom.workflow.people import add_user
from pressroom.workflow.roles import Role


class Command(BaseCommand):
    help = ("Add a desk account (or change its role). The password comes from PRESSROOM_PASSWORD "
            "or is asked for; it must pass the password rules.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument(
            "--department", help="department code (required for writers and approvers)"
        )
        parser.add_argument("--email", default="")

    def handle(self, username, role, department, email, **options):
        found = None
        if department:
            found = Department.objects.filter(code=department).first()
            if found is None:
                raise CommandError(
                    f"no department {department!r}: add it with `pressroom adddepartment`"
                )
        password = os.environ.get("PRESSROOM_PASSWORD") or self._ask_password()
        try:
            user = add_user(username, Role(role), found, password, email)
        except ValidationError as error:
            raise CommandError("password refused: " + " ".join(error.messages)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        where = f" in {found.code}" if found else ""
        self.stdout.write(f"{username}: {Role(role).label.lower()}{where} (user id {user.pk})")

    def _ask_password(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("no password given (set PRESSROOM_PASSWORD for scripts)") from None
        if first != second:
            raise CommandError("the two passwords differ")
        return first
