"""Load with faults (issue 7, point 3), a section of bench/run on its running stack.

While wrk holds today's index through nginx, releases are scheduled one a second and polled
through nginx; meanwhile a web worker is killed (granian starts another), a task worker is
killed and started again, and PostgreSQL is restarted. Reported: errors clients saw, releases
visible early (none allowed) or late, webhook deliveries lost (none allowed), to a receiver
of our own on loopback.

PostgreSQL is the machine's shared server: it is restarted only when no other database on it
has active sessions (other people's tests), unless `force_postgres_restart`; it is always up
again when this returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import percentile, wrk
from bench.stack import POSTGRES_SERVER, children_of, fetch, free_port

PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


class Receiver:
    """A webhook endpoint on loopback that answers 200 and remembers each webhook-id."""

    def __init__(self):
        self.ids: set[str] = set()
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.ids.add(self.headers.get("webhook-id", ""))
                receiver.bodies.append(body)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, reference: str) -> bool:
        return any(reference.encode() in body for body in self.bodies)

    def stop(self) -> None:
        self.server.shutdown()


def other_sessions() -> int:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname NOT LIKE 'pressroom_stack_%%' AND datname <> 'postgres' "
            "AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def postgres_up(seconds: float = 60) -> bool:
    import psycopg

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=2):
                return True
        time.sleep(0.5)
    return False


def run(suite, force_postgres_restart: bool = False) -> None:
    stack = suite.stack
    seconds = 20 if suite.quick else 40
    count = seconds - 8
    receiver = Receiver()
    notes: list[str] = []
    try:
        stack.pressroom("webhook", "add", f"http://127.0.0.1:{receiver.port}/hook")
    except Exception as error:  # distribution not usable: measure the rest
        notes.append(f"no webhook endpoint: {str(error)[:80]}")
    first = math.ceil(time.time()) + 5
    instants = [first + n for n in range(count)]
    ats = [a for i in instants for a in ("--at", dt.datetime.fromtimestamp(i, dt.timezone.utc).isoformat())]
    releases = [json.loads(line) for line in stack.python("-m", "bench.schedule", *ats).splitlines()]
    load: dict = {}
    loader = threading.Thread(target=lambda: load.update(result=wrk(stack.nginx_url("/en/"), seconds)))
    loader.start()
    seen: dict[str, float] = {}
    poll_errors = [0]

    def poll() -> None:
        pending = {r["url"]: i for r, i in zip(releases, instants)}
        deadline = instants[-1] + 30
        while pending and time.time() < deadline:
            for url in list(pending):
                if time.time() < pending[url] - 0.3:
                    continue
                try:
                    answer = fetch(stack.nginx_url(url), timeout=5)
                except Exception:
                    poll_errors[0] += 1
                    continue
                if answer.status == 200:
                    seen[url] = time.time()
                    del pending[url]
                elif answer.status >= 500:
                    poll_errors[0] += 1
            time.sleep(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    faults = []
    time.sleep(max(0, first + 2 - time.time()))
    web_workers = children_of(stack.processes["web"].pid)
    if web_workers:
        os.kill(web_workers[0], signal.SIGKILL)
        faults.append("web worker killed")
    time.sleep(3)
    task = next((n for n in stack.processes if n.startswith("worker-")), None)
    if task:
        os.kill(stack.processes[task].pid, signal.SIGKILL)
        stack.processes[task].wait(5)
        stack._spawn(task, [stack.processes[task].args[0], "worker"])
        faults.append("task worker killed and restarted")
    time.sleep(3)
    busy = other_sessions()
    if busy and not force_postgres_restart:
        notes.append(f"PostgreSQL not restarted: {busy} sessions of other work on the server")
    else:
        restarted = subprocess.run(PG_RESTART, capture_output=True, text=True, timeout=120)
        faults.append("PostgreSQL restarted" if restarted.returncode == 0 else
                      f"PostgreSQL restart failed: {restarted.stderr[-80:]}")  # fmt: skip
    if not postgres_up():
        notes.append("PostgreSQL did not come back within 60 s")
    loader.join()
    poller.join()
    respawned = len(children_of(stack.processes["web"].pid))
    result = load.get("result")
    lags = [seen[r["url"]] - i for r, i in zip(releases, instants) if r["url"] in seen]
    early = sum(1 for lag in lags if lag < 0)
    late = sum(1 for lag in lags if lag >= 1.0) + (len(releases) - len(lags))
    what = ", ".join(faults) + f"; web workers afterwards: {respawned}" + ("; " + "; ".join(notes) if notes else "")
    suite.add("faults: client errors through nginx (wrk)", (result.errors + result.non_2xx) if result else None,
              "responses", "requests served meanwhile", round(result.requests_per_second * seconds) if result else None,
              note=what)  # fmt: skip
    suite.add("faults: poll errors (5xx or no answer)", poll_errors[0], "responses", "none allowed", 0)
    suite.add("faults: releases visible early", early, "releases", "none allowed", 0, note=f"{len(releases)} releases, one a second")
    suite.add("faults: releases late (1 s or more, or never)", late, "releases", "of those scheduled", len(releases))
    suite.add("faults: publish lag p99 through nginx", percentile(lags, 0.99) * 1000 if lags else None, "ms",
              "goal: under 1 s", 1000.0)  # fmt: skip
    if not any("no webhook" in n for n in notes):
        deadline = time.time() + (90 if suite.quick else 150)  # a failed attempt retries after 30 s
        while time.time() < deadline and not all(receiver.received(r["reference"]) for r in releases):
            time.sleep(1)
        lost = sum(1 for r in releases if not receiver.received(r["reference"]))
        suite.add("faults: webhook deliveries lost", lost, "releases", "of those published", len(releases),
                  note=f"{len(receiver.ids)} deliveries received")  # fmt: skip
    receiver.stop()
