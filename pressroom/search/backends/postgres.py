"""PostgreSQL: a tsvector column on `search_document` with a GIN index.

Title and body are weighted A and B in one vector built with the `english` configuration, which
stems English; Chinese arrives already split into bigrams (`pressroom.search.analysis`), which
the configuration keeps whole. Queries are tsquery text built from quoted lexemes joined by `&`
and `<->` (adjacent, for phrases and Chinese words), so no user input is read as tsquery syntax.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from multiprocessing import util as multiprocessing_util

import psycopg
from django.db import DatabaseError, connections

from pressroom.core.binary_copy import Binary
from pressroom.search.analysis import Clause, Token
from pressroom.search.backends.base import BaseSearchBackend, Filters, TextMatch

logger = logging.getLogger(__name__)

CONFIG = "english"
# Documents per UPDATE in write_texts: 3 parameters each, well under PostgreSQL's 65,535.
WRITE_BATCH = 1000


def vector_sql(title: str, body: str) -> str:
    """A document's vector from SQL expressions of its title and body: the one place that says
    how (title weight A, body weight B, both with CONFIG)."""
    return (
        f"setweight(to_tsvector('{CONFIG}', {title}), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', {body}), 'B')"
    )


# The vectors of many texts in one query, in the order given. The texts go as binary
# parameters (%b: no quoting to do, nothing to unquote) and the vectors come back in their
# binary form, which COPY takes as it is (pressroom.core.binary_copy).
_VECTORS_OF_TEXTS = (
    f"SELECT {vector_sql('v.title', 'v.body')} "
    "FROM unnest(%b::text[], %b::text[]) WITH ORDINALITY AS v(title, body, place) ORDER BY place"
)

_side_connections: dict[tuple[int, str], object] = {}


def _side_connection(alias: str):
    """A connection of this process's own, for work that reads and writes no table.

    Keyed by process: the parse workers are forked, and must never use a connection they
    inherit. Closed as the process ends (multiprocessing runs these finalizers; a forked worker
    runs no atexit)."""
    key = (os.getpid(), alias)
    if key not in _side_connections:
        wrapper = connections.create_connection(alias)
        _side_connections[key] = wrapper
        multiprocessing_util.Finalize(None, wrapper.close, exitpriority=0)
    return _side_connections[key]


def _forget_side_connection(alias: str) -> None:
    wrapper = _side_connections.pop((os.getpid(), alias), None)
    if wrapper is not None:
        try:
            wrapper.close()
        except DatabaseError:
            pass


def close_side_connections() -> None:
    """Close this process's own connections (made again when next needed)."""
    for pid, alias in list(_side_connections):
        if pid == os.getpid():
            _forget_side_connection(alias)


def _lexeme(token: Token, in_title: bool = False) -> str:
    quoted = "'" + token.text.replace("\\", "\\\\").replace("'", "''") + "'"
    # Weight A is the title's (see write_text).
    suffix = ("*" if token.prefix else "") + ("A" if in_title else "")
    return quoted + (":" + suffix if suffix else "")


def _phrase(clause: Clause, in_title: bool = False) -> str:
    return "(" + " <-> ".join(_lexeme(token, in_title) for token in clause.tokens) + ")"


def tsquery_text(clauses: tuple[Clause, ...]) -> str:
    """Clauses as to_tsquery input: each a phrase of adjacent lexemes, all required."""
    return " & ".join(_phrase(clause) for clause in clauses)


class PostgresBackend(BaseSearchBackend):
    vendor = "postgresql"
    analysed_column = "vector"

    def write_text(self, document_id: int, title: str, body: str, tags: str = "") -> None:
        # Filters are joined conditions here: the GIN index hands back all matches anyway.
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_document SET vector = {vector_sql('%s', '%s')} WHERE id = %s",
                [title, body, document_id],
            )

    def write_texts(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """One UPDATE ... FROM (VALUES ...) per WRITE_BATCH documents, the vector as in
        `write_text`."""
        # One row per id, the last given, as writing them one by one would leave.
        rows = list({row[0]: row for row in rows}.values())
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                values = ", ".join(["(%s::bigint, %s::text, %s::text)"] * len(batch))
                params = [value for row in batch for value in row[:3]]
                cursor.execute(
                    f"UPDATE search_document SET vector = {vector_sql('v.title', 'v.body')} "
                    f"FROM (VALUES {values}) AS v(id, title, body) WHERE search_document.id = v.id",
                    params,
                )

    def analyse_ahead(self, texts: Sequence[tuple[str, str]]) -> list[Binary] | None:
        """Each text's vector (tsvector, in its binary form), made by a connection of this
        process's own.

        Making a vector is most of what PostgreSQL does to store a document (the text search
        parser and stemmer, some 0.3 ms for a 2 KB release); made here, in the processes that
        parse an import ahead, by their own database sessions, it runs beside the session
        writing the import instead of inside it. A pure function of the text: no table is read,
        so the answer is the same whenever and wherever it is made.
        """
        if not texts:
            return []
        try:
            wrapper = _side_connection(self.alias)
            wrapper.ensure_connection()
            # The driver's own cursor binds the texts as parameters, where Django's would quote
            # them into the statement (a fifth less time for a batch of 200, measured alone).
            with wrapper.wrap_database_errors, psycopg.Cursor(wrapper.connection) as cursor:
                cursor.execute(
                    _VECTORS_OF_TEXTS,
                    [[title for title, _ in texts], [body for _, body in texts]],
                    binary=True,
                )
                return [Binary(vector) for (vector,) in cursor.fetchall()]
        except DatabaseError as error:
            logger.debug("no vectors ahead (%s); the writer makes them", error)
            _forget_side_connection(self.alias)
            return None

    def clear_text(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("UPDATE search_document SET vector = ''::tsvector")

    def text_match(self, clauses: tuple[Clause, ...], filters: Filters) -> TextMatch:
        return TextMatch(
            from_sql=f"search_document d CROSS JOIN to_tsquery('{CONFIG}', %s) AS q",
            where_sql="d.vector @@ q",
            params=[tsquery_text(clauses)],
            score_sql="ts_rank(d.vector, q)",
        )

    def relevance(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, tuple[int, float]]:
        """One pass over the documents: each clause tested against the title (weight A) of
        the stored vector, and ts_rank, which counts no other documents (no IDF)."""
        tests = "".join(f", d.vector @@ to_tsquery('{CONFIG}', %s)" for _ in clauses)
        sql = (
            f"SELECT d.id, ts_rank(d.vector, to_tsquery('{CONFIG}', %s)){tests} "
            "FROM search_document d WHERE d.id = ANY(%s)"
        )
        params = [tsquery_text(clauses), *(_phrase(clause, True) for clause in clauses), list(ids)]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = {
                key: (sum(map(bool, in_the_title)), float(rank or 0))
                for key, rank, *in_the_title in cursor.fetchall()
            }
        return {key: found.get(key, (0, 0.0)) for key in ids}
