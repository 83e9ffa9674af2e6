"""`pressroom nginxconf`: the nginx configuration for this installation, paths filled in.

One template (pressroom/ops/templates/ops/nginx.conf) serves both uses: an http-context file for
a system nginx (/etc/nginx/conf.d/pressroom.conf), and with --standalone a complete nginx.conf
that runs as its own process under a prefix folder (the stack test and the benchmarks).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressroom.ops.nginx import NginxOptions, render


class Command(BaseCommand):
    help = (
        "Print the nginx configuration for this installation: a micro-cache that obeys "
        "Pressroom's Cache-Control, static files served from the data folder, photos sent by "
        "nginx once the application has decided (run the application with "
        "PRESSROOM_MEDIA_SENDER=nginx), gzip. Install it in /etc/nginx/conf.d/, or run it on "
        "its own with --standalone PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listen", default="80", help="nginx's listen value (default 80)")
        parser.add_argument(
            "--upstream", action="append", metavar="ADDR:PORT",
            help="where `pressroom serve` listens; repeat for several servers "
            "(default 127.0.0.1:8000)",
        )  # fmt: skip
        parser.add_argument("--server-name", default="_", help="server_name (default _)")
        parser.add_argument(
            "--cache-dir", help="the micro-cache folder (default: nginx-cache in the data folder)"
        )
        parser.add_argument(
            "--standalone", metavar="PREFIX",
            help="write a complete nginx.conf for `nginx -p PREFIX -c PREFIX/nginx.conf`",
        )  # fmt: skip
        parser.add_argument("--access-log", help="access log file, or `off`")
        parser.add_argument("--output", "-o", help="write to this file instead of printing")

    def handle(self, *args, **options):
        standalone = Path(options["standalone"]).resolve() if options["standalone"] else None
        access_log = options["access_log"]
        if access_log is None:
            access_log = (
                str(standalone / "access.log")
                if standalone
                else "/var/log/nginx/pressroom.access.log"
            )
        nginx_options = NginxOptions(
            listen=options["listen"],
            upstreams=tuple(options["upstream"] or ["127.0.0.1:8000"]),
            server_name=options["server_name"],
            static_root=Path(settings.STATIC_ROOT),
            media_root=Path(settings.MEDIA_ROOT),
            cache_dir=Path(options["cache_dir"] or Path(settings.DATA_DIR) / "nginx-cache"),
            client_max_body_bytes=settings.PRESSROOM_UPLOAD_MAX_BYTES,
            stale_while_updating=settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS > 0,
            stale_if_error=settings.PRESSROOM_STALE_IF_ERROR,
            access_log=None if access_log == "off" else access_log,
            prefix=standalone,
            run_as="root" if standalone and os.geteuid() == 0 else None,
        )
        try:
            text = render(nginx_options)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["output"]:
            Path(options["output"]).write_text(text)
        else:
            self.stdout.write(text, ending="")
