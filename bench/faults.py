"""Load with faults (issue 7, point 3), a section of bench/run on its running stack.

While wrk holds today's index through nginx, releases are scheduled one a second and polled
through nginx (each release by a poller of its own, every 20 ms from just before its
instant); meanwhile a web worker is killed (granian starts another), a task worker is killed
and started again, and PostgreSQL is restarted. Reported: errors clients saw, releases
visible early (none allowed) or late, webhook deliveries lost (none allowed), to a receiver
of our own on loopback.

PostgreSQL is restarted only when the stack runs a cluster of its own
(`StackOptions(private_postgres=True)`, what bench/run uses): the machine's shared server,
which other people use, is never restarted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import RESULTS, percentile, wrk
from bench.stack import fetch, free_port


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


def postgres_up(server: str, seconds: float = 60) -> bool:
    import psycopg

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            with psycopg.connect(f"{server}/postgres", connect_timeout=2):
                return True
        time.sleep(0.5)
    return False


def run(suite) -> None:
    stack = suite.stack
    seconds = 20 if suite.quick else 40
    count = seconds - 8
    receiver = Receiver()
    notes: list[str] = []
    try:
        stack.pressroom("webhook", "add", f"http://127.0.0.1:{receiver.port}/hook",
                        "--newsroom", "Bench receiver")  # fmt: skip
    except Exception as error:  # distribution not usable: measure the rest
        notes.append(f"no webhook endpoint: {str(error)[:80]}")
    first = math.ceil(time.time()) + 5
    instants = [first + n for n in range(count)]
    ats = [a for i in instants for a in ("--at", dt.datetime.fromtimestamp(i, dt.UTC).isoformat())]
    releases = [
        json.loads(line) for line in stack.python("-m", "bench.schedule", *ats).splitlines()
    ]
    if time.time() > first - 1:
        notes.append(f"scheduling ended {time.time() - first + 5:.1f} s after it began")
    load: dict = {}
    loader = threading.Thread(
        target=lambda: load.update(result=wrk(stack.nginx_url("/en/"), seconds))
    )
    loader.start()
    seen: dict[str, float] = {}
    early: list[str] = []
    poll_errors: list[str] = []
    polls: dict[str, list[str]] = {r["url"]: [] for r in releases}  # for the record of late ones
    troubled: set[str] = set()  # releases whose polls met an error

    def poll(url: str, instant: float) -> None:
        """One release: every 20 ms from 0.3 s before its instant until it answers 200."""
        while time.time() < instant - 0.3:
            time.sleep(0.01)
        while time.time() < instant + 30:
            started = time.time()
            try:
                answer = fetch(stack.nginx_url(url), timeout=5)
            except Exception as error:
                poll_errors.append(f"{started - instant:+.2f}s {type(error).__name__}")
                troubled.add(url)
                polls[url].append(
                    f"{started - instant:+.3f} {time.time() - instant:+.3f} {type(error).__name__}"
                )
                continue
            finished = time.time()
            polls[url].append(f"{started - instant:+.3f} {finished - instant:+.3f} {answer.status} "
                              f"{answer.headers.get('x-cache-status', '-')}")  # fmt: skip
            if answer.status == 200:
                seen[url] = finished
                if finished < instant:
                    early.append(url)
                return
            if answer.status != 404:
                poll_errors.append(f"{started - instant:+.2f}s {answer.status}")
                troubled.add(url)
            time.sleep(0.02)

    pollers = [
        threading.Thread(target=poll, args=(r["url"], i)) for r, i in zip(releases, instants)
    ]
    for poller in pollers:
        poller.start()
    faults = []
    timeline: list[str] = []
    time.sleep(max(0, first + 2 - time.time()))
    web_workers = stack.web_workers()
    if web_workers:
        timeline.append(f"{time.time() - first:+.3f} web worker {web_workers[0]} killed")
        respawn = stack.kill_web_worker()
        faults.append("web worker killed (" + (f"a new one started {respawn:.2f} s later" if respawn is not None
                                               else "not replaced within 10 s") + ")")  # fmt: skip
    time.sleep(max(0, first + 5 - time.time()))
    task = next((n for n in stack.processes if n.startswith("worker-")), None)
    if task:
        timeline.append(
            f"{time.time() - first:+.3f} task worker {stack.processes[task].pid} killed"
        )
        os.kill(stack.processes[task].pid, signal.SIGKILL)
        stack.processes[task].wait(5)
        stack._spawn(task, [stack.processes[task].args[0], "worker"])
        faults.append("task worker killed and restarted")
    time.sleep(max(0, first + 8 - time.time()))
    if stack.cluster is None:
        notes.append("PostgreSQL not restarted: the stack uses the machine's shared server")
    else:
        timeline.append(f"{time.time() - first:+.3f} PostgreSQL restart begins")
        try:
            took = stack.cluster.restart()
            timeline.append(f"{time.time() - first:+.3f} PostgreSQL restarted")
            faults.append(f"PostgreSQL (the stack's own cluster) restarted in {took:.1f} s")
        except Exception as error:
            faults.append(f"PostgreSQL restart failed: {str(error)[-120:]}")
        if not postgres_up(stack.postgres_server):
            notes.append("PostgreSQL did not come back within 60 s")
    loader.join()
    for poller in pollers:
        poller.join()
    respawned = len(stack.web_workers())
    result = load.get("result")
    lags = {r["url"]: seen[r["url"]] - i for r, i in zip(releases, instants) if r["url"] in seen}
    late = {url: lag for url, lag in lags.items() if lag >= 1.0}
    late_note = ", ".join(f"{(lags[r['url']] if r['url'] in lags else float('inf')):.1f} s at +{i - first} s"
                          for r, i in zip(releases, instants) if r["url"] in late or r["url"] not in lags)  # fmt: skip

    def record(chosen) -> str:
        return "\n".join(timeline) + "\n\n" + "\n".join(
            f"release at +{i - first} s ({r['url']}): polls (start, end from its instant; status, cache)\n  "
            + "\n  ".join(polls[r["url"]][-40:]) for r, i in chosen) + "\n"  # fmt: skip

    both = list(zip(releases, instants))
    (suite.work / "faults.txt").write_text(record(both))
    # What the late or failed polls saw stays beside the results (the work folder goes).
    worth_a_look = [
        (r, i) for r, i in both if r["url"] in late or r["url"] not in lags or r["url"] in troubled
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest-faults.txt").write_text(
        record(worth_a_look)
        if worth_a_look
        else "\n".join(timeline) + "\n\nno release late, no poll error\n"
    )
    what = (
        ", ".join(faults)
        + f"; web workers afterwards: {respawned}"
        + ("; " + "; ".join(notes) if notes else "")
    )
    if result:
        what = f"{result.errors_in_words()}; {what}"
    suite.add("faults: client errors through nginx (wrk)", (result.errors + result.non_2xx) if result else None,
              "responses", "requests served meanwhile", round(result.requests_per_second * seconds) if result else None,
              note=what)  # fmt: skip
    suite.add("faults: poll errors (5xx or no answer)", len(poll_errors), "responses", "none allowed", 0,
              note="; ".join(poll_errors[:6]))  # fmt: skip
    suite.add("faults: releases visible early", len(early), "releases", "none allowed", 0,
              note=f"{len(releases)} releases, one a second")  # fmt: skip
    suite.add("faults: releases late (1 s or more, or never)", len(late) + len(releases) - len(lags),
              "releases", "of those scheduled", len(releases), note=late_note)  # fmt: skip
    values = list(lags.values()) + [float("inf")] * (len(releases) - len(lags))
    suite.add("faults: publish lag p99 through nginx", percentile(values, 0.99) * 1000, "ms",
              "goal: under 1 s", 1000.0)  # fmt: skip
    if not any("no webhook" in n for n in notes):
        deadline = time.time() + (90 if suite.quick else 150)  # a failed attempt retries after 30 s
        while time.time() < deadline and not all(
            receiver.received(r["reference"]) for r in releases
        ):
            time.sleep(1)
        missing = [r["reference"] for r in releases if not receiver.received(r["reference"])]
        # The references name the rows to look at (the stack's logs stay with `bench/run --keep`).
        suite.add("faults: webhook deliveries lost", len(missing), "releases", "of those published", len(releases),
                  note=f"{len(receiver.ids)} deliveries received"
                       + (f"; not received: {', '.join(missing[:5])}" if missing else ""))  # fmt: skip
    receiver.stop()
