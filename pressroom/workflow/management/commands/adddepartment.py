"""pressroom adddepartment CODE --name-en "..." --name-zh "...": add or rename a department."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from pressroom.releases.limits import TextRefused
from pressroom.workflow.people import add_department


class Command(BaseCommand):
    help = "Add a department (or update its names): the code is short, e.g. isd."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name-en", required=True, help="English name")
        parser.add_argument("--name-zh", required=True, help="Traditional Chinese name")

    def handle(self, code, name_en, name_zh, **options):
        if slugify(code) != code or len(code) > 32:
            raise CommandError(f"department code {code!r}: use up to 32 letters, digits, - or _")
        if not name_en.strip() or not name_zh.strip():
            raise CommandError("both --name-en and --name-zh need a name")
        try:
            department, created = add_department(code, name_en.strip(), name_zh.strip())
        except TextRefused as refused:
            raise CommandError(f"department {refused}") from None
        self.stdout.write(f"{'added' if created else 'updated'} department {department.code}: "
                          f"{department.name_en} / {department.name_zh_hant}")  # fmt: skip
