"""The interface every search backend offers, and the SQL all of them share.

A backend owns two things: how a document's text is stored (`write_text`) and how parsed query
clauses become a match condition with a relevance score (`text_match`). Everything else, the
visibility rule, filters, ordering, paging and facet counts, is the same SQL over
`search_document` and lives here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections

from pressroom.releases.models import PUBLIC_STATES, Release
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
    # (department_id, year, count) for every department and year among all matches.
    facet_rows: list[tuple[int | None, int | None, int]]


@dataclass(frozen=True)
class TextMatch:
    """SQL pieces a backend contributes: `d` is always search_document."""

    from_sql: str
    where_sql: str
    params: list
    score_sql: str


class BaseSearchBackend:
    """Subclasses implement `write_text`, `clear_text` and `text_match`."""

    vendor = ""

    def __init__(self, alias: str = "default", **options):
        self.alias = alias
        self.options = options

    @property
    def connection(self):
        return connections[self.alias]

    # Writing ---------------------------------------------------------------------------------

    def write_text(self, document_id: int, title: str, body: str) -> None:
        """Replace the indexed text of one document (title and body already analysed)."""
        raise NotImplementedError

    def clear_text(self) -> None:
        """Remove all indexed text (documents are deleted by the caller)."""
        raise NotImplementedError

    # Reading ---------------------------------------------------------------------------------

    def text_match(self, clauses: tuple[Clause, ...]) -> TextMatch:
        raise NotImplementedError

    def search(
        self, clauses: tuple[Clause, ...], filters: Filters, order: Order, limit: int, offset: int
    ) -> BackendResults:
        if clauses:
            match = self.text_match(clauses)
        else:
            match = TextMatch("search_document d", "1 = 1", [], "0")
        where, params = self._where(match, filters)
        if order == Order.NEWEST:
            order_by = "d.issue_instant DESC, d.id DESC"
        else:
            order_by = "score DESC, d.issue_instant DESC, d.id DESC"
        page_sql = (
            f"SELECT d.id, d.release_id, d.language, {match.score_sql} AS score "
            f"FROM {match.from_sql} WHERE {where} ORDER BY {order_by} LIMIT %s OFFSET %s"
        )
        facet_sql = (
            f"SELECT d.department_id, d.issue_year, COUNT(*) FROM {match.from_sql} "
            f"WHERE {where} GROUP BY d.department_id, d.issue_year"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(facet_sql, params)
            facet_rows = [tuple(row) for row in cursor.fetchall()]
            total = sum(row[2] for row in facet_rows)
            matches: list[Match] = []
            if total > offset:
                cursor.execute(page_sql, [*params, limit, offset])
                matches = [Match(*row) for row in cursor.fetchall()]
        return BackendResults(matches, total, facet_rows)

    def _where(self, match: TextMatch, filters: Filters) -> tuple[str, list]:
        """The match, the visibility rule and the filters, as one WHERE clause."""
        adapt = self.connection.ops.adapt_datetimefield_value
        states = ", ".join(["%s"] * len(PUBLIC_STATES))
        # Release.objects.public(now): a public state and an issue instant not after now.
        conditions = [match.where_sql, f"d.state IN ({states})", "d.issue_instant <= %s"]
        params = [*match.params, *[str(state) for state in PUBLIC_STATES], adapt(filters.now)]
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
