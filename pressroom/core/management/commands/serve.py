"""`pressroom serve [ADDR:PORT]`: the site on granian, a production-grade WSGI server.

Django's `runserver` is for development only; this command is what a deployment runs (behind
nginx or alone). Static files come from WhiteNoise inside the application and uploaded photos
from its media route (PRESSROOM_MEDIA_SENDER=app), so one process tree serves the whole site.
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import re
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressroom.utils import lifeline

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8000
WSGI_TARGET = "pressroom.wsgi:application"
# Connections waiting to be accepted, shared by the workers (granian's default).
GRANIAN_BACKLOG = 1024

# "8000", "127.0.0.1:8000", "0.0.0.0:8000", "[::1]:8000", "localhost:8000"
_ADDRPORT = re.compile(r"^(?:(?P<host>\[[^\]]+\]|[^:\[\]]+):)?(?P<port>\d+)$")


@dataclass(frozen=True)
class BindAddress:
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        host = self.host
        if host in {"0.0.0.0", "::"}:
            host = "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/"


def parse_bind_address(text: str | None) -> BindAddress:
    """Read ADDR:PORT the way `runserver` does; a bad value names what was expected."""
    if not text:
        return BindAddress(DEFAULT_ADDRESS, DEFAULT_PORT)
    match = _ADDRPORT.match(text.strip())
    if not match:
        raise CommandError(
            f"{text!r} is not an address: expected PORT or ADDR:PORT, "
            "e.g. 8000, 127.0.0.1:8000, 0.0.0.0:8000 or [::1]:8000"
        )
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise CommandError(f"{text!r}: the port must be between 1 and 65535")
    host = (match["host"] or DEFAULT_ADDRESS).strip("[]")
    if host == "localhost":
        host = "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise CommandError(
            f"{text!r}: {host!r} is not an IP address (use 127.0.0.1, 0.0.0.0 or ::1)"
        ) from None
    return BindAddress(host, port)


def check_can_listen(address: BindAddress) -> None:
    """Fail with a plain sentence before granian does with a Rust error and a backtrace."""
    family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # granian sets SO_REUSEADDR too, so a port in TIME_WAIT is not "in use" for either.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address.host, address.port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {address.port} on {address.host} is already in use: stop the other "
                    f"server or choose another port, e.g. `pressroom serve "
                    f"{address.host}:{address.port + 1}`"
                ) from None
            if error.errno == errno.EACCES:
                raise CommandError(
                    f"not allowed to listen on {address}: ports below 1024 need root; "
                    "choose a port such as 8000"
                ) from None
            if error.errno == errno.EADDRNOTAVAIL:
                raise CommandError(f"{address.host} is not an address of this machine") from None
            raise CommandError(f"cannot listen on {address}: {error.strerror}") from None


def blocking_threads_per_worker() -> int:
    """Threads that run Django in each worker; granian warns above twice the CPU count."""
    return max(2, (os.cpu_count() or 1) * 2 + 1)


# glibc gives threads that allocate their own malloc arenas (up to eight per core) and keeps
# each at the largest size it reached, so each of a worker's threads ends up holding the memory
# of the largest request it has served: walking the archive, a worker's peak grew with the
# number of sitemap pages asked for (bench/archive_walk.py; figures in docs/performance.md).
# Two, as commonly set for threaded servers; an operator's MALLOC_ARENA_MAX wins.
MALLOC_ARENAS = 2
M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)


def limit_malloc_arenas() -> None:
    """MALLOC_ARENA_MAX for this process (and the workers it forks, which inherit the setting)
    and, through the environment, for processes started anew. Nothing where libc is not glibc."""
    arenas = os.environ.setdefault("MALLOC_ARENA_MAX", str(MALLOC_ARENAS))
    try:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, int(arenas))
    except (AttributeError, OSError, ValueError):
        pass


def start_companions() -> list:
    """Processes that run beside the site and stop with it.

    The place for the task worker (deliveries, scheduled work) that a later issue adds: start it
    here and return a handle with `stop()`; `serve` stops every companion when the site stops.
    On the embedded default (the database tasks backend) that is one `pressroom worker`, so
    the demo distributes releases with this one command; with Redis, run workers yourself.
    """
    from pressroom.distribution.companion import worker_beside_the_site

    return worker_beside_the_site()


class Command(BaseCommand):
    help = (
        "Run the Pressroom site on granian, a production-grade server (not Django's "
        "development server). ADDR:PORT defaults to 127.0.0.1:8000; use 0.0.0.0:8000 to listen "
        "on every interface. Worker processes: PRESSROOM_WEB_WORKERS. Ctrl-C stops it."
    )
    # Like runserver: warn about unapplied migrations rather than refuse to start.
    requires_migrations_checks = True

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            metavar="ADDR:PORT",
            help=f"where to listen (default {DEFAULT_ADDRESS}:{DEFAULT_PORT}); a bare port "
            "listens on 127.0.0.1",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default: PRESSROOM_WEB_WORKERS, currently "
            f"{settings.PRESSROOM_WEB_WORKERS})",
        )
        parser.add_argument("--access-log", action="store_true", help="log one line per request")

    def handle(self, *args, addrport=None, workers=None, access_log=False, **options):
        address = parse_bind_address(addrport)
        workers = workers if workers is not None else settings.PRESSROOM_WEB_WORKERS
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        check_can_listen(address)
        # WhiteNoise warns on every worker start when STATIC_ROOT is missing; it may stay empty.
        os.makedirs(settings.STATIC_ROOT, exist_ok=True)

        from granian import Granian
        from granian.constants import Interfaces

        # Request counters start at zero with each server (see pressroom.ops.metrics).
        from pressroom.ops.metrics import reset_for_new_server

        reset_for_new_server()
        limit_malloc_arenas()
        threads = blocking_threads_per_worker()
        server = Granian(
            WSGI_TARGET,
            address=address.host,
            port=address.port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            # granian's backpressure counts open connections, idle keep-alive ones included,
            # not requests in Python (blocking_threads bounds those). Set to the thread count
            # it let nginx's idle upstream connections take every slot, and new connections
            # then waited forever (60 s 504s, releases late): granian's own default instead.
            backpressure=max(threads, GRANIAN_BACKLOG // workers),
            backlog=GRANIAN_BACKLOG,
            # A worker that dies (killed, out of memory) is replaced within half a second
            # instead of leaving the site with one worker fewer, or none.
            respawn_failed_workers=True,
            respawn_interval=0.5,
            websockets=False,
            log_access=access_log,
        )
        self.stdout.write(
            f"Pressroom at {address.url} ({workers} worker{'s' if workers != 1 else ''}, "
            f"data in {settings.DATA_DIR}). Press Ctrl-C to stop."
        )
        self.stdout.flush()
        # Granian's workers and the task worker stop with this process even when it is killed
        # outright (kill -9): they would otherwise keep the port (pressroom.utils.lifeline).
        lifeline.children_die_with_this_process()
        companions = start_companions()
        try:
            server.serve()
        except RuntimeError as error:
            # granian reports socket failures that happen after our check (a race) this way.
            raise CommandError(f"the server stopped: {error}") from None
        finally:
            for companion in companions:
                companion.stop()
