"""Search benchmark: build a synthetic archive, index it, time queries against a bare FTS5 query.

    .venv/bin/python -m bench.search.run --size 20000          # a quick run
    .venv/bin/python -m bench.search.run --size 1000000        # the issue's target

Uses its own data folder (default /tmp/pressroom-bench-<size>), never the developer's database,
and SQLite (the embedded default). Archive rows and index rows are written with executemany
straight into the tables, not through the ORM per row; the index rows go through the same
analysis (`pressroom.search.analysis.index_text`) as live indexing. Prints index build time and
size, then p50/p95/p99 latency for English and Chinese queries, with and without filters, for:
  bare     SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT 20
  backend  the backend's search: match, visibility rule, filters, ranking, total, facets
  service  pressroom.search.search(): the backend plus result pages and highlighted snippets
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="releases to generate")
    parser.add_argument("--queries", type=int, default=300, help="queries to time")
    parser.add_argument("--seed", type=int, default=20231103)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="query an archive built earlier")
    parser.add_argument(
        "--window", type=int, default=None, help="the backend's window (OPTIONS['window'])"
    )
    parser.add_argument(
        "--cold-frequencies",
        action="store_true",
        help="forget the cached document frequencies before every timed search (SQLite)",
    )
    parser.add_argument(
        "--cold-cache",
        action="store_true",
        help="drop the database file from the page cache first, skip the warm pass and time "
        "the service before the references (SQLite): a search reading from disk",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="load and time PostgreSQL instead, e.g. postgres://postgres@127.0.0.1:5432/"
        "pressroom_bench (the database is dropped and made again unless --reuse)",
    )
    args = parser.parse_args(argv)

    kind = "pg-" if args.postgres else ""
    data_dir = args.data_dir or Path(f"/tmp/pressroom-bench-{kind}{args.size}")
    if not args.reuse and data_dir.exists():
        shutil.rmtree(data_dir)
    os.environ["PRESSROOM_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
        if not args.reuse:
            _new_postgres_database(args.postgres)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressroom.settings"
    import django

    django.setup()
    if args.window:
        from django.conf import settings

        search_settings = dict(getattr(settings, "PRESSROOM_SEARCH", {}))
        search_settings["OPTIONS"] = {**search_settings.get("OPTIONS", {}), "window": args.window}
        settings.PRESSROOM_SEARCH = search_settings
    from django.core.management import call_command

    from bench.search import load, timing

    if not args.reuse:
        call_command("migrate", verbosity=0)
        build = load.build_archive(args.size, args.seed)
        print(f"archive: {args.size:,} releases ({build.documents:,} indexed versions)")
        print(f"  wall time, all of it     {build.wall_seconds:8.1f} s")
        print(f"  archive rows written     {build.archive_seconds:8.1f} s")
        print(f"  index rows written       {build.index_seconds:8.1f} s  (search_document + FTS5)")
        print(f"  then FTS5 optimize       {build.optimize_seconds:8.1f} s")
        print(f"  text analysis (workers)  {build.analysis_cpu_seconds:8.1f} s CPU, in parallel")
    sizes = load.table_sizes()
    print(
        f"  index size               {sizes['index'] / 2**20:8.1f} MiB "
        f"({'FTS5' if not args.postgres else 'GIN'} {sizes['fts'] / 2**20:.1f} MiB, documents {sizes['documents'] / 2**20:.1f} MiB)"
    )
    print(f"  database                 {sizes['file'] / 2**20:8.1f} MiB")
    if args.cold_cache:
        timing.drop_from_page_cache(Path(connection_file()))
    report = timing.run_queries(args.queries, args.seed, args.cold_frequencies, args.cold_cache)
    print(timing.format_report(report))
    name = ("report" + ("-cold" if args.cold_frequencies else "") + ("-cold-cache" if args.cold_cache else "")
            + (f"-window{args.window}" if args.window else ""))  # fmt: skip
    json_path = data_dir / f"{name}.json"
    json_path.write_text(
        json.dumps({"size": args.size, "sizes": sizes, "latency": report}, indent=2)
    )
    print(f"(figures also in {json_path})")


def connection_file() -> str:
    from django.db import connection

    if connection.vendor != "sqlite":
        raise SystemExit("--cold-cache is for SQLite (a database file this process can drop)")
    return str(connection.settings_dict["NAME"])


def _new_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main(sys.argv[1:])
