"""`pressroom webhook add URL [--embargo] | list | remove ID | rotate ID`: newsroom endpoints."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pressroom.distribution import endpoints
from pressroom.distribution.models import WebhookEndpoint
from pressroom.releases.languages import from_user_input


class Command(BaseCommand):
    help = (
        "Manage newsroom webhook endpoints. `add URL` prints the new signing secret (whsec_...), "
        "shown once; `rotate ID` makes a new one."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="register an endpoint and print its secret")
        add.add_argument("url", help="http:// or https:// address that receives the POSTs")
        add.add_argument("--embargo", action="store_true",
                         help="accredited: receives releases allowed under embargo ahead of time")  # fmt: skip
        add.add_argument("--newsroom", default="", help="the newsroom's name")
        add.add_argument("--lang", default="en", help="language of the ninjs bodies (default en)")
        actions.add_parser("list", help="list endpoints")
        remove = actions.add_parser("remove", help="delete an endpoint")
        remove.add_argument("id", type=int)
        rotate = actions.add_parser(
            "rotate", help="replace an endpoint's secret; prints the new one"
        )
        rotate.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, url, embargo, newsroom, lang, **options):
        language = from_user_input(lang)
        if language is None:
            raise CommandError(f"--lang {lang!r}: expected en, zh-Hant or zh-Hans")
        try:
            endpoint = endpoints.register(url, newsroom=newsroom, accepts_embargo=embargo,
                                          language=language.value)  # fmt: skip
        except endpoints.EndpointError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            f"Endpoint {endpoint.pk} added{' (embargo)' if embargo else ''}: {endpoint.url}"
        )
        self.stderr.write("Its signing secret, shown once (Standard Webhooks):")
        self.stdout.write(endpoint.secret)

    def _list(self, **options):
        for endpoint in WebhookEndpoint.objects.all():
            flags = [flag for flag, on in (("embargo", endpoint.accepts_embargo),
                                           ("inactive", not endpoint.active)) if on]  # fmt: skip
            self.stdout.write(
                f"{endpoint.pk}\t{endpoint.url}\t{endpoint.language}\t{endpoint.newsroom}"
                + (f"\t{','.join(flags)}" if flags else "")
            )

    def _endpoint(self, pk: int) -> WebhookEndpoint:
        endpoint = WebhookEndpoint.objects.filter(pk=pk).first()
        if endpoint is None:
            raise CommandError(f"no webhook endpoint {pk} (see `pressroom webhook list`)")
        return endpoint

    def _remove(self, id, **options):
        endpoint = self._endpoint(id)
        endpoint.delete()
        self.stdout.write(f"Removed endpoint {id} ({endpoint.url}).")

    def _rotate(self, id, **options):
        endpoint = endpoints.rotate_secret(self._endpoint(id))
        self.stderr.write(f"New secret for endpoint {endpoint.pk}; the old one no longer signs:")
        self.stdout.write(endpoint.secret)
