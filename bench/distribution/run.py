"""Distribution benchmark: many releases due at the same second, fanned out to local sinks.

    .venv/bin/python bench/distribution/run.py            # 100 releases, 1,000 endpoints,
                                                          # 10,000 subscribers
    .venv/bin/python bench/distribution/run.py --quick    # 10, 200, 1,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_distribution ... (PostgreSQL)

Each subscriber follows one department and each release comes from one, so a release reaches
subscribers / releases mailboxes, and every endpoint. Measured in one run, against the same
sinks (a separate process): first a bare loop (httpx.Client with keep-alive POSTing the same
body; smtplib over one reused connection), then `pressroom worker` as its own process, from
the issue instant. Figures, not a test: never run by the suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bare_webhooks(url: str, count: int, body: bytes) -> float:
    import httpx

    with httpx.Client(headers={"content-type": "application/json"}) as client:
        started = time.perf_counter()
        for number in range(count):
            client.post(url, content=body, headers={"webhook-id": f"msg_bare{number}"})
        return count / (time.perf_counter() - started)


def bare_mails(port: int, count: int, text: str) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for number in range(count):
            message = EmailMessage()
            message["From"], message["To"] = "bench@example.test", f"reader-{number}@example.test"
            message["Subject"] = "Sample: bare loop"
            message.set_content(text)
            connection.send_message(message)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--releases", type=int)
    parser.add_argument("--endpoints", type=int)
    parser.add_argument("--subscribers", type=int)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--worker-args", default="", help="more options for `pressroom worker`")
    parser.add_argument("--lead", type=float, default=None, help="seconds until the instant")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    releases = args.releases or (10 if args.quick else 100)
    endpoint_count = args.endpoints or (200 if args.quick else 1000)
    subscriber_count = args.subscribers or (1000 if args.quick else 10000)

    data_dir = Path(tempfile.mkdtemp(prefix="pressroom-bench-distribution-"))
    smtp_port = free_port()
    os.environ.update(PRESSROOM_DATA_DIR=str(data_dir), EMAIL_HOST="127.0.0.1",
                      EMAIL_PORT=str(smtp_port), PRESSROOM_TASKS_BACKEND="database",
                      DJANGO_SETTINGS_MODULE="pressroom.settings", PRESSROOM_LOG_LEVEL="WARNING",
                      PRESSROOM_WEBHOOK_ALLOW_PRIVATE="true")  # the sinks are on 127.0.0.1  # fmt: skip
    from bench.distribution.sinks import Sinks

    sinks = Sinks(smtp_port)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    report, figures = run(sinks, releases, endpoint_count, subscriber_count, args.threads, args.lead,
                          args.workers, args.worker_args.split())  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    sinks.stop()
    if os.environ.get("BENCH_KEEP_DATA"):  # for looking at the rows afterwards
        print(f"data kept in {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(report)


def populate(http_url: str, releases: int, endpoint_count: int, subscriber_count: int):
    from django.utils import timezone

    from pressroom.distribution.models import Subscription, WebhookEndpoint
    from pressroom.releases.models import Department
    from pressroom.workflow.roles import Role
    from tests.support.factories import department, person

    departments = [
        department(f"sample{n}", f"Sample Department {n}", f"樣本部門{n}") for n in range(releases)
    ]
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(url=f"{http_url}/newsroom-{n}", newsroom=f"Sample Newsroom {n}")
        for n in range(endpoint_count)
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(email=f"reader-{n}@example.test", everything=False, confirmed_at=now)
        for n in range(subscriber_count)
    )
    through = Subscription.departments.through
    ids = list(Subscription.objects.order_by("pk").values_list("pk", flat=True))
    through.objects.bulk_create(
        through(subscription_id=pk, department_id=departments[n % releases].pk)
        for n, pk in enumerate(ids)
    )
    editor = person("bench-editor", Role.EDITOR, None)
    return editor, list(Department.objects.order_by("pk"))


def run(sinks, releases: int, endpoint_count: int, subscriber_count: int, threads: int, lead,
        processes: int = 1, worker_args: list[str] = ()):  # fmt: skip
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from pressroom.distribution.models import Delivery, DeliveryStatus
    from tests.support.distribution import schedule

    http_url = f"http://127.0.0.1:{sinks.http_port}"
    editor, departments = populate(http_url, releases, endpoint_count, subscriber_count)

    # Bare loops first, against the same sinks, with a body of the size the worker sends.
    sample_body = b'{"uri":"' + b"x" * 3000 + b'"}'
    bare_hooks = bare_webhooks(
        f"{http_url}/bare", min(5000, releases * endpoint_count), sample_body
    )
    bare_mail = bare_mails(sinks.smtp_port, min(3000, subscriber_count), "Sample body text. " * 150)
    sinks.reset()

    # Long enough for the scheduling moves and the ahead-of-time fan-out (about 2,500 rows/s on
    # a loaded 2-core SQLite machine) to finish before the instant, as they would for releases
    # scheduled minutes or hours ahead; the report says how early the fan-out finished.
    rows = releases * endpoint_count + subscriber_count
    lead = lead if lead is not None else 15.0 + rows / 2500
    instant = (timezone.now() + dt.timedelta(seconds=lead)).replace(microsecond=0)
    environment = dict(os.environ)
    if connection.vendor == "sqlite":
        environment["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    # BENCH_WORKER_PREFIX runs the worker under a profiler, e.g. "py-spy record -o out.txt --".
    prefix = os.environ.get("BENCH_WORKER_PREFIX", "").split()
    workers = [
        subprocess.Popen(
            [
                *prefix,
                sys.executable,
                "-m",
                "pressroom",
                "worker",
                "--threads",
                str(threads),
                *worker_args,
            ],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(processes)
    ]
    scheduling_started = time.perf_counter()
    for number in range(releases):
        schedule(editor, departments[number], instant, title=f"Sample: benchmark release {number}")
    scheduling_seconds = time.perf_counter() - scheduling_started
    expected = releases * endpoint_count + subscriber_count
    deadline = time.monotonic() + lead + 600
    while time.monotonic() < deadline:
        if Delivery.objects.filter(status=DeliveryStatus.SENT).count() >= expected:
            break
        time.sleep(0.25)
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(60)

    sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
    fanned_out_by = Delivery.objects.aggregate(last=Max("created_at"))["last"]
    lags = [
        (row["last"] - instant).total_seconds()
        for row in sent.values("event__release_id").annotate(last=Max("sent_at"))
    ]
    # Per channel: from the instant to each release's last webhook, and last e-mail, recorded sent.
    channel_lags = {
        channel: [
            (row["last"] - instant).total_seconds()
            for row in sent.filter(channel=channel)
            .values("event__release_id")
            .annotate(last=Max("sent_at"))
        ]
        for channel in ("webhook", "email")
    }
    stats = sinks.stats()
    # The bare loops once more, now the worker is done: on a machine shared with other work a
    # single-threaded loop swings by a factor of 2-3 within minutes; rates are set against the
    # faster of the two (the stricter comparison).
    bare_hooks_after = bare_webhooks(
        f"{http_url}/bare", min(5000, releases * endpoint_count), sample_body
    )
    bare_mail_after = bare_mails(
        sinks.smtp_port, min(3000, subscriber_count), "Sample body text. " * 150
    )
    bare_hooks_best, bare_mail_best = (
        max(bare_hooks, bare_hooks_after),
        max(bare_mail, bare_mail_after),
    )
    hooks, mails = stats["http"], stats["smtp"]
    first_hook_lag = hooks["first"] - instant.timestamp() if hooks["first"] else float("nan")
    hook_rate = (
        hooks["count"] / max(1e-9, hooks["last"] - instant.timestamp()) if hooks["count"] else 0
    )
    mail_rate = (
        mails["count"] / max(1e-9, mails["last"] - instant.timestamp()) if mails["count"] else 0
    )
    first_release_done = min(lags) if lags else float("nan")
    webhook_window = sent.filter(channel="webhook").aggregate(
        first=Min("sent_at"), last=Max("sent_at")
    )
    not_sent = Delivery.objects.exclude(status=DeliveryStatus.SENT).count()
    lines = [
        f"distribution benchmark on {connection.vendor}: {releases} releases due at the same "
        f"second, {endpoint_count} webhook endpoints, {subscriber_count} subscribers "
        f"({subscriber_count // releases} per release), {processes} worker process(es) of "
        f"{threads} sending threads {' '.join(worker_args)}".rstrip(),
        f"  deliveries: {expected} expected, {sent.count()} sent, {not_sent} not sent; "
        f"arrivals at sinks: {hooks['count']} webhooks ({hooks['distinct']} distinct webhook-ids), "
        f"{mails['count']} mails over {mails['sessions']} SMTP sessions",
        f"  scheduling {releases} releases took {scheduling_seconds:.2f}s (outbox rows only)",
        f"  ahead-of-time fan-out finished {(instant - fanned_out_by).total_seconds():.1f}s "
        f"before the instant (lead {lead:.0f}s)",
        f"  first webhook arrived {first_hook_lag * 1000:.0f} ms after the issue instant",
        f"  lag from instant to a release's last delivery: p50 {statistics.median(lags):.2f}s, "
        f"p99 {percentile(lags, 0.99):.2f}s, first release complete {first_release_done:.2f}s",
        f"  webhooks recorded sent between {webhook_window['first']:%H:%M:%S.%f} and "
        f"{webhook_window['last']:%H:%M:%S.%f}",
        f"  webhooks: {hook_rate:.0f}/s through the worker vs {bare_hooks_best:.0f}/s bare loop "
        f"({hook_rate / bare_hooks_best:.0%}; bare loop {bare_hooks:.0f}/s before the worker, "
        f"{bare_hooks_after:.0f}/s after)",
        f"  mails:    {mail_rate:.0f}/s through the worker vs {bare_mail_best:.0f}/s bare loop "
        f"({mail_rate / bare_mail_best:.0%}; bare loop {bare_mail:.0f}/s before, {bare_mail_after:.0f}/s "
        f"after) (rates measured from the instant, both channels at once)",
    ]
    lines += task_queue_lines()
    errors = "".join(worker.stderr.read() for worker in workers if worker.stderr)
    if "Traceback" in errors:
        lines.append("  worker errors:\n" + errors[-2000:])
    figures = {
        "database": connection.vendor,
        "releases": releases, "endpoints": endpoint_count, "subscribers": subscriber_count,
        "expected": expected, "sent": sent.count(), "not_sent": not_sent,
        "webhook_arrivals": hooks["count"], "distinct_webhook_ids": hooks["distinct"],
        "mail_arrivals": mails["count"],
        "first_webhook_ms": first_hook_lag * 1000,
        "first_release_complete_s": first_release_done,
        "webhook_lag_p50_s": percentile(channel_lags["webhook"], 0.5) if channel_lags["webhook"] else None,
        "webhook_lag_p99_s": percentile(channel_lags["webhook"], 0.99) if channel_lags["webhook"] else None,
        "email_lag_p50_s": percentile(channel_lags["email"], 0.5) if channel_lags["email"] else None,
        "email_lag_p99_s": percentile(channel_lags["email"], 0.99) if channel_lags["email"] else None,
        "webhook_rate": hook_rate, "webhook_bare_rate": bare_hooks_best,
        "mail_rate": mail_rate, "mail_bare_rate": bare_mail_best,
    }  # fmt: skip
    return "\n".join(lines), figures


def task_queue_lines() -> list[str]:
    """Per channel: how long delivery batches waited in the task queue, and ran (task rows)."""
    from django_tasks_db.models import DBTaskResult

    from pressroom.distribution.models import Delivery

    rows = list(
        DBTaskResult.objects.filter(task_path__contains="deliver").values_list(
            "args_kwargs", "enqueued_at", "started_at", "finished_at"
        )
    )
    if not rows:
        return []
    first_ids = {row[0]["args"][0][0]: row for row in rows if row[0]["args"][0]}
    channels = dict(Delivery.objects.filter(pk__in=first_ids).values_list("pk", "channel"))
    by_channel: dict[str, list] = {}
    for first_id, row in first_ids.items():
        by_channel.setdefault(channels.get(first_id, "?"), []).append(row)
    lines = []
    for channel, batches in sorted(by_channel.items()):
        done = [row for row in batches if row[2] and row[3]]
        waits = [(row[2] - row[1]).total_seconds() * 1000 for row in done]
        runs = [(row[3] - row[2]).total_seconds() * 1000 for row in done]
        sizes = [len(row[0]["args"][0]) for row in batches]
        lines.append(
            f"  {channel} batches: {len(batches)} of {statistics.mean(sizes):.0f} on average; "
            f"queue wait p50 {statistics.median(waits):.0f} ms, p90 {percentile(waits, 0.9):.0f} ms; "
            f"run p50 {statistics.median(runs):.0f} ms, p90 {percentile(runs, 0.9):.0f} ms"
        )
    return lines


if __name__ == "__main__":
    main()
