"""The body of bench/run: sections that each add figures (see bench/run for usage)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    Figure,
    LoadResult,
    markdown_table,
    peak_rss_mb,
    percentile,
    run_measured,
    write_results,
    wrk,
)
from bench.stack import PRESSROOM, ROOT, Stack, StackOptions, children_of, fetch, free_port


class Suite:
    def __init__(
        self, quick: bool, work: Path, search_data: Path | None = None, keep: bool = False
    ):
        self.quick = quick
        self.work = work
        self.keep = keep
        self.search_data = search_data.resolve() if search_data else None
        self.files = 2_000 if quick else 100_000
        self.load_seconds = 3 if quick else 10
        # wrk's load on each page, cut into interleaved slices (see interleaved): one-second
        # slices, so that a figure and its reference are measured moments apart.
        self.slices = 3 if quick else 10
        self.slice_seconds = self.load_seconds // self.slices
        self.figures: list[Figure] = []
        self.stack: Stack | None = None

    def add(self, *args, **kwargs) -> None:
        figure = Figure(*args, **kwargs)
        self.figures.append(figure)
        print(markdown_table([figure]).splitlines()[-1], flush=True)

    def section(self, name, function) -> None:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            function()
        except Exception as error:  # a section that fails is reported, the others still run
            self.add(name, None, "", "", None, note=f"failed: {str(error)[:200]}")
        print(f"   ({time.monotonic() - started:.0f}s)", flush=True)

    # -- import, export, memory ---------------------------------------------------------------
    def generate(self) -> None:
        from bench.wire_files import generate

        half_a, half_b = self.work / "wire-a", self.work / "wire-b"
        paths = generate(self.work / "wire-all", self.files)
        half_a.mkdir()
        half_b.mkdir()
        for number, path in enumerate(paths):
            path.rename((half_a if number < len(paths) // 2 else half_b) / path.name)
        self.halves = (half_a, half_b)

    def reference_parse(self) -> float:
        """Plain read + wire.parse of every file, no database: what import could at best do."""
        from pressroom.wire.parse import parse_bytes

        paths = [p for half in self.halves for p in sorted(half.iterdir())]
        started = time.perf_counter()
        for path in paths:
            parse_bytes(path.read_bytes(), source=path)
        return len(paths) / (time.perf_counter() - started)

    def import_export(self) -> None:
        stack = self.stack
        parse_rate = self.reference_parse()
        seconds = 0.0
        exports = []
        walks = []  # (rows, peak MiB of a web worker, WalkResult) after each half
        for half in self.halves:
            took, _, completed = run_measured(
                [PRESSROOM, "import", str(half)], cwd=ROOT, env=stack.env
            )
            if completed.returncode != 0:
                raise RuntimeError(f"import failed: {completed.stderr[-300:]}")
            seconds += took
            out = self.work / f"export-{len(exports)}.jsonl"
            took, peak, completed = run_measured(
                [PRESSROOM, "export", "--all", "--format", "jsonl"],
                cwd=ROOT,
                env=stack.env,
                stdout_path=out,
            )
            if completed.returncode != 0:
                raise RuntimeError(f"export failed: {completed.stderr[-300:]}")
            rows = sum(1 for _ in out.open("rb"))
            exports.append((rows, took, peak))
            imported = [
                path.stem for done in self.halves[: len(exports)] for path in done.iterdir()
            ]
            walks.append((rows, *self.walk_archive(imported)))
        self.add("import", self.files / seconds, "releases/s", "read + parse the same files, no database",
                 parse_rate)  # fmt: skip
        rows, took, peak = exports[-1]
        reference = self.reference_copy_rate()
        self.add("export --all", rows / took, "rows/s", "COPY of the versions table (database alone)",
                 reference, note=f"{rows:,} rows")  # fmt: skip
        small_rows, _, small_peak = exports[0]
        self.add("export --all peak memory", peak, "MiB",
                 f"the same at {small_rows:,} rows (flat = ratio 1)", small_peak,
                 note=f"{rows:,} rows")  # fmt: skip
        (small_rows, small_walk_peak, _), (rows, walk_peak, walked) = walks[0], walks[-1]
        self.add("web worker peak memory, walking the archive", walk_peak, "MiB",
                 f"the same walk at {small_rows:,} rows (flat = ratio 1)", small_walk_peak,
                 note=f"{rows:,} rows; {walked.note}")  # fmt: skip

    def walk_archive(self, references: list[str]) -> tuple[float | None, object]:
        """Fresh web workers walk the archive as it now stands (bench/archive_walk.py); the
        highest peak resident memory among them, and what the walk was answered."""
        from bench.archive_walk import walk

        stack = self.stack
        stack.stop_process("web")
        stack.start_web()

        def get(address: str) -> tuple[int, bytes]:
            try:
                answer = fetch(stack.app_url(address), timeout=120)
            except OSError:
                return 0, b""
            return answer.status, answer.body

        result = walk(get, references, releases=400 if self.quick else 2_000)
        peaks = [peak for peak in map(peak_rss_mb, children_of(stack.processes["web"].pid)) if peak]
        return (max(peaks) if peaks else None), result

    def reference_copy_rate(self) -> float:
        import psycopg

        with psycopg.connect(self.stack.database_url) as connection:
            count = connection.execute("SELECT count(*) FROM releases_releaseversion").fetchone()[0]
            started = time.perf_counter()
            with connection.cursor().copy("COPY releases_releaseversion TO STDOUT") as copy:
                for _ in copy:
                    pass
            return count / (time.perf_counter() - started)

    # -- pages under load ----------------------------------------------------------------------
    def pages(self) -> None:
        stack = self.stack
        index = fetch(stack.app_url("/en/"), timeout=60)
        import re

        release_path = re.search(r'href="(/en/\d{4}/\d{2}/\d{2}/P\d+/)"', index.text())[1]
        items = len(re.findall(r'class="release-title"', index.text()))
        static_root = self.work / "static-copy"
        targets = {"release page": release_path, "today's index": "/en/"}
        for path in targets.values():
            copy = static_root / path.strip("/") / "index.html"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(fetch(stack.app_url(path), timeout=60).body)
        # The static copy is served twice, the machine's limit being the faster of the two:
        # as nginx serves files by default (sendfile, the socket corked around it) and as the
        # proxy sends its kept copies (one 64 KB buffer, no sendfile: faster for pages of this
        # size, see the shipped nginx.conf). Both use the proxy's other rules: the same gzip rules
        # (wrk asks for no compression, so neither compresses here), no access log, no version in
        # Server, files kept open between requests as the proxy keeps its cached copies open.
        sending = {
            "with sendfile": "",
            "as the proxy sends": "    sendfile off;\n    output_buffers 1 64k;\n",
        }
        static_ports = {way: free_port() for way in sending}
        servers = tuple(
            f"server {{\n    listen 127.0.0.1:{port};\n    access_log off;\n"
            "    server_tokens off;\n    gzip on;\n    gzip_vary on;\n    gzip_min_length 1024;\n"
            "    gzip_comp_level 5;\n    open_file_cache max=10000 inactive=10s;\n"
            f"    open_file_cache_valid 1s;\n{sending[way]}"
            f"    root {static_root};\n    location / {{ try_files $uri $uri/index.html =404; }}\n}}"
            for way, port in static_ports.items()
        )
        # nginx's own proxy cache with nothing of Pressroom's in it, for the same pages: a plain
        # nginx origin (its own few headers, a copy kept a second), a short key, no security
        # headers, gzip or X-Cache-Status. What a proxied hit costs on this machine against a
        # static file: about the most a proxy configuration on this machine can reach.
        origin_port, ceiling_port = free_port(), free_port()
        servers += (
            f"server {{\n    listen 127.0.0.1:{origin_port};\n    access_log off;\n    root {static_root};\n"
            "    location / { try_files $uri $uri/index.html =404; add_header X-Accel-Expires 1; }\n}",
            f"proxy_cache_path {self.work / 'ceiling-cache'} levels=1:2 keys_zone=bench_ceiling:8m use_temp_path=off;\n"
            f"server {{\n    listen 127.0.0.1:{ceiling_port};\n    access_log off;\n    server_tokens off;\n"
            f"    location / {{\n        proxy_pass http://127.0.0.1:{origin_port};\n        proxy_http_version 1.1;\n"
            '        proxy_set_header Connection "";\n        proxy_cache bench_ceiling;\n        proxy_cache_key $request_uri;\n'
            "        proxy_cache_use_stale updating;\n        open_file_cache max=10000 inactive=10s;\n"
            "        open_file_cache_valid 1s;\n        sendfile off;\n        output_buffers 1 64k;\n    }\n}",
        )
        stack.stop_process("nginx")
        stack.start_nginx(extra_servers=servers)
        # The goals (docs/performance.md): the app alone at least 100x stock Wagtail, and
        # through nginx at least 90% of nginx's own proxy cache of the same bytes.
        goals = {"release page": 100, "today's index": 100}
        with contextlib.ExitStack() as running:
            try:
                peer = running.enter_context(self.wagtail_site())
                peer_paths = self.wagtail_paths(peer, release_path)
            except Exception as error:  # the peer failing must not hide Pressroom's own figures
                peer, peer_paths = (
                    None,
                    {name: (None, f"failed: {str(error)[:150]}") for name in targets},
                )
            for name, path in targets.items():
                size = len(fetch(stack.app_url(path), timeout=60).body)
                note = f"{size / 1024:.1f} KB" + (
                    f", {items} items" if name == "today's index" else ""
                )
                fetch(
                    stack.app_url(path), timeout=60
                )  # rendered once before the load, as a visitor would
                urls = {way: f"http://127.0.0.1:{port}{path}" for way, port in static_ports.items()}
                urls.update(ceiling=f"http://127.0.0.1:{ceiling_port}{path}")
                urls.update(proxied=stack.nginx_url(path), app=stack.app_url(path))
                peer_path, wagtail_note = peer_paths.get(name, (None, "not measured"))
                if peer_path:
                    urls["wagtail"] = peer.url(peer_path)
                measured = self.interleaved(urls)
                proxied, app, wagtail = (
                    measured["proxied"],
                    measured["app"],
                    measured.get("wagtail"),
                )
                fastest = max(static_ports, key=lambda way: measured[way].requests_per_second)
                static = measured[fastest]
                ways = ", ".join(
                    f"{way} {measured[way].requests_per_second:,.0f}" for way in static_ports
                )
                limit = "nginx serving a static copy (machine's limit)"
                reference = f"stock Wagtail 8, gunicorn 2 workers (goal: {goals[name]}x)"
                note += f"; {self.slices} slices of {self.slice_seconds} s, interleaved"
                self.add(f"{name}, stock Wagtail", wagtail.requests_per_second if wagtail else None,
                         "req/s", limit, static.requests_per_second, note=wagtail_note)  # fmt: skip
                self.add(f"{name}, app alone", app.requests_per_second, "req/s", reference,
                         wagtail.requests_per_second if wagtail else None, note=note)  # fmt: skip
                self.add(f"{name}, through nginx", proxied.requests_per_second, "req/s",
                         limit, static.requests_per_second,
                         note=f"{note}; static copy, the faster of: {ways} req/s")  # fmt: skip
                ceiling = measured["ceiling"]
                self.add(f"{name}, nginx's own proxy cache", ceiling.requests_per_second, "req/s",
                         limit, static.requests_per_second,
                         note="the same page from a plain nginx origin, kept a second; no security "
                              "headers, gzip or X-Cache-Status, a short key: what a proxied hit costs here")  # fmt: skip
                self.add(f"{name}, through nginx, against nginx's own proxy cache", proxied.requests_per_second,
                         "req/s", f"{name}, nginx's own proxy cache (goal: 0.9)",
                         ceiling.requests_per_second)  # fmt: skip
                self.add(f"{name} p99, stock Wagtail", wagtail.p99_ms if wagtail else None, "ms",
                         "static copy p99", static.p99_ms)  # fmt: skip
                self.add(
                    f"{name} p99, app alone", app.p99_ms, "ms", "static copy p99", static.p99_ms
                )
                self.add(
                    f"{name} p99, through nginx",
                    proxied.p99_ms,
                    "ms",
                    "static copy p99",
                    static.p99_ms,
                )
                errors = sum(
                    measured[n].errors + measured[n].non_2xx for n in ("app", "proxied", "ceiling")
                )
                if errors:
                    self.add(f"{name} errors under load", errors, "responses", "none allowed", 0)
        workers = children_of(stack.processes["web"].pid)
        peaks = [p for p in (peak_rss_mb(pid) for pid in workers) if p]
        self.add("web worker peak memory", max(peaks) if peaks else None, "MiB",
                 "the bench's own Python process", round(__import__("bench.common", fromlist=["own_peak_rss_mb"]).own_peak_rss_mb(), 1),
                 note=f"{len(peaks)} workers, after the load")  # fmt: skip

    def interleaved(self, urls: dict[str, str]) -> dict:
        """wrk on each address in turn, in short slices taken round after round, so that a
        figure and its reference share the same moments of a machine that other work also
        uses. After each slice the server is asked once more and answered before the next
        slice begins: requests queued behind the load (gunicorn's backlog) are not left to
        run during someone else's slice."""
        runs: dict[str, list] = {name: [] for name in urls}
        for _ in range(self.slices):
            for name, url in urls.items():
                runs[name].append(wrk(url, self.slice_seconds))
                with contextlib.suppress(Exception):
                    fetch(url, timeout=120)
        return {name: LoadResult.combined(results) for name, results in runs.items()}

    def wagtail_site(self):
        """The stock Wagtail site holding the same releases, on the same PostgreSQL (bench/wagtail.py)."""
        from bench.wagtail import WagtailSite

        export = self.work / "wagtail-export.jsonl"
        with export.open("wb") as out:
            subprocess.run([PRESSROOM, "export", "--all", "--format", "jsonl"], cwd=ROOT,
                           env=self.stack.env, stdout=out, check=True, timeout=1800)  # fmt: skip
        return WagtailSite(self.work / "wagtail", export, workers=self.stack.options.web_workers,
                           postgres_server=self.stack.postgres_server)  # fmt: skip

    def wagtail_paths(self, site, release_path: str) -> dict:
        """The Wagtail addresses of the same two pages, each with a note on what it holds."""
        import re

        reference = re.search(r"/(P\d+)/$", release_path)[1].lower()
        paths = {}
        for name, path in {"release page": f"/{reference}/", "today's index": "/"}.items():
            answer = fetch(site.url(path), timeout=60)
            if answer.status != 200:
                raise RuntimeError(f"Wagtail answered {answer.status} for {path}")
            items = answer.text().count("<li>") - 2  # less the two navigation links
            note = f"{len(answer.body) / 1024:.1f} KB" + (f", {items} items" if path == "/" else "")
            paths[name] = (path, note + f"; {site.loaded}")
        return paths

    # -- publish lag ---------------------------------------------------------------------------
    def publish_lag(self) -> None:
        stack = self.stack
        count = 5 if self.quick else 20
        first = math.ceil(time.time()) + 4
        instants = [first + 2 * n for n in range(count)]
        ats = [a for instant in instants
               for a in ("--at", dt.datetime.fromtimestamp(instant, dt.UTC).isoformat())]  # fmt: skip
        releases = [
            json.loads(line) for line in stack.python("-m", "bench.schedule", *ats).splitlines()
        ]
        lags, early, round_trips = [], 0, []
        for release, instant in zip(releases, instants):
            while time.time() < instant - 0.5:
                time.sleep(0.01)
            while True:
                started = time.time()
                answer = fetch(stack.nginx_url(release["url"]))
                finished = time.time()
                round_trips.append(finished - started)
                if answer.status == 200:
                    if finished < instant:
                        early += 1
                    lags.append(max(0.0, finished - instant))
                    break
                if finished > instant + 30:
                    lags.append(float("inf"))
                    break
                time.sleep(0.02)
        poll = percentile(round_trips, 0.5) * 1000
        self.add("publish lag p50, through nginx", percentile(lags, 0.5) * 1000, "ms",
                 "one poll round trip through nginx (p50)", poll, note=f"{count} releases, polled every 20 ms")  # fmt: skip
        self.add("publish lag p99, through nginx", percentile(lags, 0.99) * 1000, "ms",
                 "goal: under 1 s", 1000.0)  # fmt: skip
        self.add("releases visible early", early, "releases", "none allowed", 0)

    def faults(self) -> None:
        from bench import faults

        faults.run(self)

    # -- other engineers' benchmarks -----------------------------------------------------------
    def search(self) -> None:
        size = 5_000 if self.quick else 1_000_000
        # --search-data: an archive bench/search built before (13-26 min at a million) is reused.
        data_dir = self.search_data or self.work / "search"
        reuse = ["--reuse"] if self.search_data and (data_dir / "report.json").exists() else []
        subprocess.run([sys.executable, "-m", "bench.search.run", "--size", str(size), *reuse,
                        "--data-dir", str(data_dir), "--queries", "100" if self.quick else "300"],
                       cwd=ROOT, check=True, capture_output=True, timeout=3600)  # fmt: skip
        report = json.loads((data_dir / "report.json").read_text())
        if not self.search_data and not self.keep:
            # The archive it built (11.5 GB at a million) goes now, with its pages in memory,
            # so that the distribution section after it does not run beside it.
            shutil.rmtree(data_dir, ignore_errors=True)
        latency = report["latency"]["all"]
        for key in ("p50", "p95", "p99"):
            self.add(f"search {key} (service)", latency["service"][key], "ms",
                     "bare FTS5 MATCH on the same index", latency["bare"][key],
                     note=f"{size:,} releases, SQLite FTS5")  # fmt: skip

    def distribution(self) -> None:
        """bench/distribution at its full (or quick) size: 100 releases due at one second, 1,000
        newsroom endpoints and 10,000 subscribers on local sinks; figures from its JSON."""
        figures_path = self.work / "distribution.json"
        command = [sys.executable, "-m", "bench.distribution.run", "--json", str(figures_path),
                   *(["--quick"] if self.quick else [])]  # fmt: skip
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        environment["TMPDIR"] = str(self.work)  # its data folder inside the run's own
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800,
                                   env=environment)  # fmt: skip
        report = self.work / "distribution.txt"
        report.write_text(completed.stdout + completed.stderr)
        if completed.returncode != 0 or not figures_path.exists():
            self.add("bench/distribution", None, "", "", None,
                     note=f"failed (exit {completed.returncode}); output in {report}")  # fmt: skip
            return
        f = json.loads(figures_path.read_text())
        size = f"{f['releases']} releases at one second, {f['endpoints']:,} endpoints, {f['subscribers']:,} subscribers"
        self.add("first webhook after the issue instant", f["first_webhook_ms"], "ms",
                 "goal: within 100 ms", 100.0, note=size)  # fmt: skip
        self.add("first release: all its deliveries sent", f["first_release_complete_s"] * 1000, "ms",
                 "goal: all 1,000 webhooks within 2 s", 2000.0)  # fmt: skip
        # Against the time the bare loop would take for the same number of deliveries.
        counts = {"webhook": (f["releases"] * f["endpoints"], f["webhook_bare_rate"]),
                  "email": (f["subscribers"], f["mail_bare_rate"])}  # fmt: skip
        for channel, label in (("webhook", "last webhook"), ("email", "last e-mail")):
            count, bare_rate = counts[channel]
            if f[f"{channel}_lag_p50_s"] is None or not bare_rate:
                continue
            for key in ("p50", "p99"):
                self.add(f"publish lag to a release's {label} dispatched, {key}",
                         f[f"{channel}_lag_{key}_s"] * 1000, "ms",
                         f"bare loop sending all {count:,} one after another", count / bare_rate * 1000)  # fmt: skip
        self.add("webhooks through the worker", f["webhook_rate"], "deliveries/s",
                 "bare loop: one httpx keep-alive client to the same receiver (goal: 0.5)",
                 f["webhook_bare_rate"])  # fmt: skip
        self.add("e-mails through the worker", f["mail_rate"], "deliveries/s",
                 "bare loop: smtplib over one reused connection to the same sink (goal: 0.5)",
                 f["mail_bare_rate"])  # fmt: skip
        repeats = f["webhook_arrivals"] - f["distinct_webhook_ids"]
        self.add("deliveries lost (not sent)", f["not_sent"], "deliveries", "of those expected", f["expected"],
                 note=f"{f['sent']:,} recorded sent; {f['webhook_arrivals']:,} webhooks arrived "
                      f"({repeats} repeats of a webhook-id), {f['mail_arrivals']:,} mails")  # fmt: skip

    def run(self) -> None:
        self.section("generate wire files", self.generate)
        # A PostgreSQL cluster of its own: the faults section restarts it (never the machine's server).
        options = StackOptions(web_workers=2, task_workers=2, redis_db=12, demo=False, access_log=False,
                               private_postgres=True)  # fmt: skip
        with Stack(self.work / "stack", options) as stack:
            self.stack = stack
            self.section("import and export", self.import_export)
            self.section("pages under load", self.pages)
            self.section("publish lag", self.publish_lag)
            self.section("load with faults", self.faults)
        self.section("search", self.search)
        self.section("distribution", self.distribution)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/run", description="Pressroom's benchmark suite.")
    parser.add_argument("--quick", action="store_true", help="about two minutes on smaller data")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--search-data", type=Path, default=None,
                        help="a folder where bench/search built its archive of the same size: "
                             "reused (queries only) instead of built again")  # fmt: skip
    args = parser.parse_args(argv)
    # Stopped with SIGTERM (kill, a CI timeout), unwind as for Ctrl-C: the stack's processes
    # and its PostgreSQL cluster are stopped on the way out instead of left running.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    started = time.monotonic()
    suite = Suite(args.quick, work, args.search_data, keep=args.keep)
    try:
        suite.run()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    header = (
        f"`bench/run{' --quick' if args.quick else ''}` on {platform.node()} "
        f"({os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{time.monotonic() - started:.0f} s"
    )
    json_path, md_path = write_results(suite.figures, header)
    print("\n" + header + "\n\n" + markdown_table(suite.figures))
    print(f"written: {json_path} and {md_path}")
