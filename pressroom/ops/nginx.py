"""Render the shipped nginx configuration (see templates/ops/nginx.conf for the reasoning)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template import Context, Engine

from pressroom.media.views import INTERNAL_URL
from pressroom.publiccache import policy

TEMPLATES = Path(__file__).resolve().parent / "templates"
# nginx's own file of MIME types, installed with Debian's nginx package.
MIME_TYPES = Path("/etc/nginx/mime.types")
_LISTEN = re.compile(r"^(?:\[[0-9a-fA-F:]+\]:|[\w.-]+:)?\d{1,5}$")


@dataclass(frozen=True)
class NginxOptions:
    listen: str
    upstreams: tuple[str, ...]
    server_name: str
    static_root: Path
    media_root: Path
    cache_dir: Path
    client_max_body_bytes: int
    access_log: str | None = None
    # A complete nginx.conf run as its own process under this folder (else an http-context file).
    prefix: Path | None = None
    run_as: str | None = None
    nginx_workers: str = "auto"
    reuseport: bool = False
    # Hand out a copy that has run out while its successor is fetched (PRESSROOM_STALE_WHILE_
    # REVALIDATE_SECONDS above 0): nginx does not read the app's stale-while-revalidate.
    stale_while_updating: bool = True
    # Hand out the last copy when the app cannot answer (PRESSROOM_STALE_IF_ERROR).
    stale_if_error: bool = True
    # Further server blocks for a standalone file (the benchmark's static-copy server).
    extra_servers: tuple[str, ...] = field(default=())


# How many times nginx may try a read whose web worker dies under it (see the template).
READ_ATTEMPTS = 8


def upstream_servers(upstreams: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(address, backup) of each `server` line: every upstream once, then backups taken from
    them in turn until a read can be tried READ_ATTEMPTS times (nginx tries each line once)."""
    lines = [(address, False) for address in upstreams]
    for number in range(max(0, READ_ATTEMPTS - len(upstreams))):
        lines.append((upstreams[number % len(upstreams)], True))
    return lines


def render(options: NginxOptions) -> str:
    for value in (options.listen, *options.upstreams):
        if not _LISTEN.match(value):
            raise ValueError(f"{value!r} is not an nginx address: expected PORT or ADDR:PORT")
    engine = Engine(dirs=[str(TEMPLATES)], autoescape=False)
    # Room above the largest photo for the rest of the form.
    megabytes = options.client_max_body_bytes // (1024 * 1024) + 5
    context = {
        "standalone": options.prefix is not None,
        "prefix": options.prefix,
        "run_as": options.run_as,
        "nginx_workers": options.nginx_workers,
        "mime_types": MIME_TYPES,
        "listen": options.listen,
        "reuseport": options.reuseport,
        "stale_while_updating": options.stale_while_updating,
        "stale_if_error": options.stale_if_error,
        "upstream_servers": upstream_servers(options.upstreams),
        "server_name": options.server_name,
        "static_root": str(options.static_root).rstrip("/"),
        "media_root": str(options.media_root).rstrip("/"),
        "media_internal": INTERNAL_URL,
        "cache_dir": options.cache_dir,
        "client_max_body": f"{megabytes}m",
        "access_log": options.access_log,
        "extra_servers": options.extra_servers,
        # The share policy's request half, from settings (the session cookie's name).
        "bypass": policy.nginx_bypass(),
        "shared_methods": " ".join(policy.SHARED_METHODS),
    }
    text = engine.get_template("ops/nginx.conf").render(Context(context, autoescape=False))
    return re.sub(r"\n{3,}", "\n\n", text)


# The example shipped as deploy/pressroom.nginx.conf (a test keeps the two the same):
# `python -m pressroom.ops.nginx > deploy/pressroom.nginx.conf`.
def example() -> NginxOptions:
    return NginxOptions(
        listen="80",
        upstreams=("127.0.0.1:8000",),
        server_name="press.example.org",
        static_root=Path("/srv/pressroom/data/static"),
        media_root=Path("/srv/pressroom/data/media"),
        cache_dir=Path("/srv/pressroom/data/nginx-cache"),
        client_max_body_bytes=20 * 1024 * 1024,
        access_log="/var/log/nginx/pressroom.access.log",
    )


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    django.setup()
    print(render(example()), end="")
