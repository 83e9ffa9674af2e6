"""The interface every search backend offers, and the SQL all of them share.

A backend owns two things: how a document's text is stored (`write_text`, or `write_texts`
for many) and how parsed query clauses become a match condition with a relevance score
(`text_match`). Everything else, the visibility rule, filters, ordering, paging and facet
counts, is the same SQL over `search_document` and lives here once: one query reading the
newest WINDOW matches in id order (ids sort in issue order, `pressroom.search.keys`), from
which the page, the total and the facets are all taken.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections

from pressroom.releases import visibility
from pressroom.releases.models import Release
from pressroom.search import keys
from pressroom.search.analysis import Clause
from pressroom.search.query import Order

_CATEGORY_TABLE = Release.categories.through._meta.db_table


@dataclass(frozen=True)
class Filters:
    """Filters in database terms: ids and UTC instants, already looked up and converted."""

    now: dt.datetime
    language: str | None = None  # en or zh-Hant
    start: dt.datetime | None = None  # issue_instant >= start
    end: dt.datetime | None = None  # issue_instant < end
    department_id: int | None = None
    category_id: int | None = None


@dataclass(frozen=True)
class Match:
    document_id: int
    release_id: int
    language: str
    score: float


@dataclass(frozen=True)
class BackendResults:
    matches: list[Match]
    total: int
    # (department_id, year, count) for every department and year among the counted matches.
    facet_rows: list[tuple[int | None, int | None, int]]
    # True when more than `total` documents match: total, facets and pages then cover the
    # newest `total` matches (the window), which are also the ones ranked.
    capped: bool = False


@dataclass(frozen=True)
class TextMatch:
    """SQL pieces a backend contributes: `d` is always search_document.

    `key_sql` is the column holding the document id in the index's own order: ordering and
    ranges on it let the index stop early (FTS5's rowid; `d.id` elsewhere).
    """

    from_sql: str
    where_sql: str
    params: list
    score_sql: str
    key_sql: str = "d.id"
    # Where scores are read from, when less than from_sql will do.
    score_from_sql: str = ""


def _score(relevance: tuple[int, float] | None) -> float:
    """One number in the same order as (clauses in the title, finer score >= 0)."""
    if relevance is None:
        return 0.0
    titled, finer = relevance
    return titled + finer / (1 + finer)


# How many of the newest matches are read, counted, faceted and ranked. A search that matches
# more is common enough that its newest WINDOW matches, best first, make a useful first page;
# the total is then shown as "more than WINDOW" (see decision 0002). 2,000 rather than 5,000
# more than halves the slowest searches at a million releases for a few more "more than"
# totals (docs/performance.md). OPTIONS["window"] changes it.
WINDOW = 2_000


class BaseSearchBackend:
    """Subclasses implement `write_text`, `clear_text` and `text_match`."""

    vendor = ""

    def __init__(self, alias: str = "default", **options):
        self.alias = alias
        self.options = options
        self.window = int(options.get("window", WINDOW))

    @property
    def connection(self):
        return connections[self.alias]

    # Writing ---------------------------------------------------------------------------------

    def write_text(self, document_id: int, title: str, body: str, tags: str = "") -> None:
        """Replace the indexed text of one document (title and body already analysed).

        `tags` are filter tokens (`pressroom.search.indexing.filter_tags`) a backend may index
        to narrow department and category filters inside the index.
        """
        raise NotImplementedError

    def write_texts(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """`write_text` for many documents: rows of (document_id, title, body, tags).

        Backends write them in a few statements; this default writes one at a time, so a
        backend with only `write_text` still indexes bulk imports.
        """
        for document_id, title, body, tags in rows:
            self.write_text(document_id, title, body, tags)

    # Work a bulk load can do before its transaction ------------------------------------------

    def analyse_ahead(self, texts: Sequence[tuple[str, str]]) -> list | None:
        """What writing each (title, body) would work out, worked out now, outside any
        transaction; None when this backend has nothing to work out ahead (the default).

        The importer calls this in the processes that parse files ahead of storing them, so
        the one process writing to the database (and its database session) spends less on
        each document. A backend answering it names `analysed_column`, the column of
        search_document the answers are inserted into with the document rows. A backend that
        cannot do it now (say, no connection) answers None too: `write_texts` does the work.
        """
        return None

    # The column of search_document that takes `analyse_ahead`'s answers as the documents are
    # inserted; None for a backend that answers nothing ahead.
    analysed_column: str | None = None

    def clear_text(self) -> None:
        """Remove all indexed text (documents are deleted by the caller)."""
        raise NotImplementedError

    # Reading ---------------------------------------------------------------------------------

    def text_match(self, clauses: tuple[Clause, ...], filters: Filters) -> TextMatch:
        raise NotImplementedError

    def search(
        self, clauses: tuple[Clause, ...], filters: Filters, order: Order, limit: int, offset: int
    ) -> BackendResults:
        """The newest `window` matches in one pass (page, total and facets), then ranking.

        The rows arrive newest first, the index's own order: nothing is sorted or scored to
        find them. Ranked by relevance (`relevance`): first by how many of the query's clauses
        the title holds, then by the backend's finer score when it is cheap, then newer first.
        A search matching more than the window ranks the window (its newest `window` matches):
        finding the best title matches of the whole archive would read every match's positions.
        """
        if clauses:
            match = self.text_match(clauses, filters)
        else:
            match = TextMatch("search_document d", "1 = 1", [], "0")
        with self.connection.cursor() as cursor:
            self.prepare(cursor)
        rows = self._window_rows(match, filters, self.window + 1)
        capped = len(rows) > self.window
        rows = rows[: self.window]
        relevance: dict[int, tuple[int, float]] = {}
        if clauses and rows and order != Order.NEWEST:
            relevance = self.relevance(
                clauses, filters, [row[0] for row in rows], every_match=not capped
            )
            # Best first; among equals the newer (the higher id).
            rows = sorted(rows, key=lambda row: (*relevance[row[0]], row[0]), reverse=True)
        facets = Counter((row[3], row[4]) for row in rows)
        return BackendResults(
            matches=[
                Match(row[0], row[1], row[2], _score(relevance.get(row[0])))
                for row in rows[offset : offset + limit]
            ],
            total=len(rows),
            facet_rows=[(department, year, count) for (department, year), count in facets.items()],
            capped=capped,
        )

    def _window_rows(self, match: TextMatch, filters: Filters, limit: int) -> list[tuple]:
        """(id, release_id, language, department_id, issue_year) of the newest `limit` matches
        that pass visibility and filters."""
        where, params = self._where(match, filters)
        sql = (
            f"SELECT d.id, d.release_id, d.language, d.department_id, d.issue_year "
            f"FROM {match.from_sql} WHERE {where} ORDER BY {match.key_sql} DESC LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return cursor.fetchall()

    def prepare(self, cursor) -> None:
        """Per-connection settings a backend wants before searching (none by default)."""

    def relevance(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, tuple[int, float]]:
        """(clauses the title holds, finer score) of each matching document in `ids`.

        `every_match` is false when `ids` are only the newest of the matches. This default
        has no title test (0 for every document) and takes `fine_scores`; the backends count
        the clauses in the title (`pressroom.search.analysis.text_test` on SQLite).
        """
        scores = self.fine_scores(clauses, filters, ids, every_match)
        return {key: (0, scores.get(key, 0.0)) for key in ids}

    def fine_scores(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, float]:
        """The backend's own relevance score (0 or more, higher is better) of matches among
        `ids`, or nothing when it would cost too much. By default `score_sql` over their id
        range (the visibility rule is not needed: `ids` passed it)."""
        match = self.text_match(clauses, filters)
        sql = (
            f"SELECT {match.key_sql}, {match.score_sql} FROM {match.score_from_sql or match.from_sql} "
            f"WHERE {match.where_sql} AND {match.key_sql} >= %s AND {match.key_sql} <= %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*match.params, min(ids), max(ids)])
            return {key: float(score or 0) for key, score in cursor.fetchall()}

    def _where(self, match: TextMatch, filters: Filters) -> tuple[str, list]:
        """The match, the visibility rule and the filters, as one WHERE clause."""
        adapt = self.connection.ops.adapt_datetimefield_value
        # The visibility rule over the document's own copies of the state and issue instant.
        public, public_params = visibility.public_sql(adapt(filters.now), "d.")
        conditions = [match.where_sql, public]
        params = [*match.params, *public_params]
        # The same limits as id ranges, which the index seeks to (the exact tests stay above).
        lowest = keys.first_key_at_or_after(filters.start) if filters.start else 0
        conditions.append(f"{match.key_sql} >= %s AND {match.key_sql} < %s")
        params.extend([max(lowest, keys.LOWEST_DATED_KEY), keys.first_key_after(filters.now)])
        if filters.end:
            conditions.append(f"{match.key_sql} < %s")
            params.append(keys.first_key_at_or_after_ceiling(filters.end))
        if filters.language:
            conditions.append("d.language = %s")
            params.append(filters.language)
        if filters.start:
            conditions.append("d.issue_instant >= %s")
            params.append(adapt(filters.start))
        if filters.end:
            conditions.append("d.issue_instant < %s")
            params.append(adapt(filters.end))
        if filters.department_id is not None:
            conditions.append("d.department_id = %s")
            params.append(filters.department_id)
        if filters.category_id is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {_CATEGORY_TABLE} rc "
                "WHERE rc.release_id = d.release_id AND rc.category_id = %s)"
            )
            params.append(filters.category_id)
        return " AND ".join(conditions), params
