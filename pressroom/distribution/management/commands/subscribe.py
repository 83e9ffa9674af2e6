"""`pressroom subscribe EMAIL [--department CODE] [--category SLUG] [--lang L] [--confirmed]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pressroom.distribution.models import Frequency
from pressroom.distribution.subscriptions import (
    SubscriptionError,
    SubscriptionRequest,
    ask_for_confirmation,
    subscribe,
)
from pressroom.releases.languages import from_user_input


class Command(BaseCommand):
    help = (
        "Subscribe an e-mail address to releases (all, or chosen departments or categories). "
        "Sends the confirmation link unless --confirmed (for migrating an existing list)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="CODE",
            help="a department's code; repeat for several (default: all releases)",
        )
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            metavar="SLUG",
            help="a category; repeat for several",
        )
        parser.add_argument("--lang", default="en", help="en, zh-Hant or zh-Hans (default en)")
        parser.add_argument(
            "--frequency",
            default=Frequency.IMMEDIATE,
            choices=Frequency.values,
            help="each release as issued (default), or a daily or weekly digest",
        )
        parser.add_argument("--confirmed", action="store_true",
                            help="the address has already confirmed: subscribe without the e-mail")  # fmt: skip

    def handle(self, *args, email, department, category, lang, frequency, confirmed, **options):
        language = from_user_input(lang)
        if language is None:
            raise CommandError(f"--lang {lang!r}: expected en, zh-Hant or zh-Hans")
        request = SubscriptionRequest(
            email=email,
            language=language.value,
            frequency=frequency,
            departments=tuple(code.strip() for code in department),
            categories=tuple(slug.strip() for slug in category),
        )
        try:
            if confirmed:
                subscription = subscribe(request)
                self.stdout.write(f"Subscribed {subscription.email} to {subscription.describe()}.")
            elif ask_for_confirmation(request):
                self.stdout.write(
                    f"Sent a confirmation link to {request.email.strip()}; the subscription "
                    "starts when it is opened (the worker sends the e-mail)."
                )
            else:
                self.stdout.write(
                    f"Not sent: a confirmation link went to {request.email.strip()} less than "
                    "an hour ago (one an hour per address); that link still works."
                )
        except SubscriptionError as error:
            raise CommandError(str(error)) from None
