"""`pressroom loaddemo`: fictional sample releases to look around a new installation with."""

from django.core.management.base import BaseCommand

from pressroom.core.demo.loader import load_demo, remove_demo


class Command(BaseCommand):
    help = (
        "Load about 25 fictional sample releases (titles start with 'Sample:' / '示例：') in "
        "English and Traditional Chinese over the last five days, some with photos. Safe to "
        "run again: samples already loaded are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="delete the samples and load them again, dated from now",
        )
        parser.add_argument(
            "--remove", action="store_true", help="delete the samples and their photos"
        )

    def handle(self, *args, refresh=False, remove=False, **options):
        if refresh or remove:
            removed = remove_demo()
            self.stdout.write(f"Removed {removed} sample release(s).")
            if remove:
                return
        result = load_demo()
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {len(result.created)} sample release(s).")
            )
        if result.already_there:
            self.stdout.write(
                f"{len(result.already_there)} sample release(s) were already loaded; unchanged."
            )
        if result.stale_since:
            self.stdout.write(
                f"The samples are dated from {result.stale_since:%Y-%m-%d}; "
                "run `pressroom loaddemo --refresh` to date them from today."
            )
