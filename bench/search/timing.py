"""Timing queries: the same seeded query list through the bare FTS5 query, the backend and the
service, warm (one untimed pass first), each query's three timings taken back to back.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.db import connection
from django.utils import timezone

from bench.search import words
from bench.search.generate import synthetic_names
from pressroom.releases.chinese import to_simplified
from pressroom.search import LanguageFilter, Order, SearchQuery, search
from pressroom.search.backends import get_backend
from pressroom.search.backends.base import Filters
from pressroom.search.backends.postgres import tsquery_text
from pressroom.search.backends.sqlite_fts5 import fts5_expression
from pressroom.search.query import parse_text
from pressroom.search.service import _filters

# The references, measured on the same data in the same run as the backend:
# bare    FTS5 alone, best 20 by bm25 over every match (FTS5's own "ORDER BY rank")
# window  FTS5 alone, the newest WINDOW matches with their bm25 (what the backend reads)
BARE_SQL = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20"
WINDOW_SQL = (
    "SELECT rowid, bm25(search_fts, 4, 1, 0) FROM search_fts WHERE search_fts MATCH %s "
    "ORDER BY rowid DESC LIMIT %s"
)
KINDS = ("bare", "window", "backend", "service")
# The same references on PostgreSQL: best 20 by ts_rank of all matches; newest window.
PG_BARE_SQL = (
    "SELECT d.id FROM search_document d, CAST(%s AS tsquery) q WHERE d.vector @@ q "
    "ORDER BY ts_rank(d.vector, q) DESC LIMIT 20"
)
PG_WINDOW_SQL = (
    "SELECT d.id, ts_rank(d.vector, q) FROM search_document d, CAST(%s AS tsquery) q "
    "WHERE d.vector @@ q ORDER BY d.id DESC LIMIT %s"
)
PG_COUNT_SQL = "SELECT count(*) FROM search_document WHERE vector @@ CAST(%s AS tsquery)"
SQLITE_COUNT_SQL = "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s"


def _references():
    """(bare SQL, window SQL, count SQL, expression maker) for the database in use."""
    if connection.vendor == "sqlite":
        return BARE_SQL, WINDOW_SQL, SQLITE_COUNT_SQL, fts5_expression
    return PG_BARE_SQL, PG_WINDOW_SQL, PG_COUNT_SQL, tsquery_text


def make_queries(count: int, seed: int) -> list[tuple[str, SearchQuery]]:
    """(group, query) pairs: English and Chinese, each half plain and half filtered."""
    rnd = random.Random(seed)
    english = words.ENGLISH_CONTENT
    chinese = words.CHINESE_WORDS
    names_en, names_zh = synthetic_names(seed)
    queries = []
    for number in range(count):
        is_chinese = number % 2 == 1
        filtered = number % 4 >= 2
        # Two in five searches are for a name (a place, a person, a project), as journalists'
        # are; the rest for ordinary words, phrases and combinations.
        if rnd.random() < 0.4:
            text = rnd.choice(names_zh if is_chinese else names_en)
        elif is_chinese:
            text = _chinese_text(rnd, chinese)
        else:
            text = _english_text(rnd, english)
        query = SearchQuery(text=text)
        if filtered:
            query = _with_filter(rnd, query, is_chinese)
        group = ("zh" if is_chinese else "en") + (" filtered" if filtered else "")
        queries.append((group, query))
    return queries


def _english_text(rnd: random.Random, vocabulary: list[str]) -> str:
    kind = rnd.random()
    if kind < 0.5:
        word = rnd.choice(vocabulary)
        # Half the single words are typed in another form than the text has them.
        return word + "s" if rnd.random() < 0.5 and not word.endswith("s") else word
    if kind < 0.8:
        return " ".join(rnd.sample(vocabulary, 2))
    return f'"{rnd.choice(words.ENGLISH_PHRASES)}"'


def _chinese_text(rnd: random.Random, vocabulary: list[str]) -> str:
    kind = rnd.random()
    if kind < 0.55:
        text = rnd.choice(vocabulary)
    elif kind < 0.8:
        text = " ".join(rnd.sample(vocabulary, 2))
    elif kind < 0.95:
        text = rnd.choice(vocabulary) + rnd.choice(vocabulary)  # a longer run: a bigram phrase
    else:
        text = rnd.choice(rnd.choice(vocabulary))  # one character
    # A third of the Chinese queries are typed in Simplified.
    return to_simplified(text) if rnd.random() < 0.33 else text


def _with_filter(rnd: random.Random, query: SearchQuery, is_chinese: bool) -> SearchQuery:
    from dataclasses import replace

    kind = rnd.randrange(4)
    if kind == 0:
        code = words.DEPARTMENTS[min(int(rnd.expovariate(1 / 8)), len(words.DEPARTMENTS) - 1)][0]
        return replace(query, department=code)
    if kind == 1:
        start = rnd.randint(1998, 2023)
        return replace(query, date_from=dt.date(start, 1, 1), date_to=dt.date(start + 2, 12, 31))
    if kind == 2:
        return replace(query, category=rnd.choice(words.CATEGORIES)[0])
    language = LanguageFilter.CHINESE if is_chinese else LanguageFilter.ENGLISH
    return replace(query, language=language, order=Order.NEWEST)


def drop_from_page_cache(path) -> None:
    """Ask the kernel to forget the file's cached pages (as pages idle for a while are, on a
    machine short of memory): the next reads come from disk."""
    import os

    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def run_queries(
    count: int, seed: int, cold_frequencies: bool = False, cold_cache: bool = False
) -> dict:
    """With `cold_frequencies`, the SQLite backend's cached document frequencies are
    forgotten before every timed search, as on a server's first search for those words.
    With `cold_cache` (the caller has dropped the file from the page cache) there is no warm
    pass and each query's service time is taken first, before the references read its pages."""
    queries = make_queries(count, seed)
    backend = get_backend()
    now = timezone.now()
    if not cold_cache:
        for _, query in queries:  # warm the page cache: the figures are for a running server
            _time_all(backend, query, now)
    else:
        search(queries[0][1])  # imports and connections, not pages: the first query again below
    timings: dict[str, dict[str, list[float]]] = {}
    matched: dict[str, list[int]] = {}
    for group, query in queries:
        *figures, total = _time_all(backend, query, now, cold_frequencies, cold_cache)
        by_kind = timings.setdefault(group, {kind: [] for kind in KINDS})
        for kind, milliseconds in zip(KINDS, figures):
            by_kind[kind].append(milliseconds)
        matched.setdefault(group, []).append(total)
    report = {}
    for group, by_kind in sorted(timings.items()):
        report[group] = {
            "queries": len(by_kind["bare"]),
            "median matches": int(statistics.median(matched[group])),
            **{kind: _percentiles(values) for kind, values in by_kind.items()},
        }
    every = {kind: [] for kind in KINDS}
    for by_kind in timings.values():
        for kind, values in by_kind.items():
            every[kind].extend(values)
    report["all"] = {
        "queries": len(queries),
        "median matches": int(statistics.median(sum(matched.values(), []))),
        **{kind: _percentiles(values) for kind, values in every.items()},
    }
    return report


def _forget_frequencies() -> None:
    from pressroom.search.backends import sqlite_fts5

    sqlite_fts5._FREQUENCIES.clear()


def _time_all(
    backend, query: SearchQuery, now, cold_frequencies: bool = False, service_first: bool = False
) -> tuple[float, float, float, float, int]:
    parsed = parse_text(query.text)
    filters: Filters = _filters(query)
    bare_sql, window_sql, count_sql, expression_of = _references()
    expression = expression_of(parsed.clauses)
    if service_first:
        started = time.perf_counter()
        search(query)
        first_service_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(bare_sql, [expression])
        cursor.fetchall()
        bare = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(window_sql, [expression, backend.window])
        cursor.fetchall()
        window = time.perf_counter() - started
    if cold_frequencies:
        _forget_frequencies()
    started = time.perf_counter()
    found = backend.search(parsed.clauses, filters, query.order, query.limit, query.offset)
    backend_seconds = time.perf_counter() - started
    if cold_frequencies:
        _forget_frequencies()
    if service_first:
        service_seconds = first_service_seconds
    else:
        started = time.perf_counter()
        search(query)
        service_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:  # not timed: how common the words are
        cursor.execute(count_sql, [expression])
        text_matches = cursor.fetchone()[0] if parsed.clauses else found.total
    return bare * 1000, window * 1000, backend_seconds * 1000, service_seconds * 1000, text_matches


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def format_report(report: dict) -> str:
    lines = [
        "",
        "latency in ms (warm)       n  median   bare p50/p95/p99      window p50/p95/p99"
        "      backend p50/p95/p99     service p50/p95/p99",
    ]
    for group, row in report.items():
        cells = []
        for kind in KINDS:
            figures = row[kind]
            cells.append(f"{figures['p50']:7.1f}{figures['p95']:7.1f}{figures['p99']:7.1f}")
        lines.append(
            f"{group:<22}{row['queries']:>5}{row['median matches']:>8}   " + "   ".join(cells)
        )
    lines.append("(median = median number of documents matching the words, before filters;")
    lines.append(" bare = FTS5 best 20 by bm25 of all matches; window = FTS5 reading the newest")
    lines.append(" window of matches with bm25, no join, filters or visibility)")
    return "\n".join(lines)
