"""PostgreSQL: a tsvector column on `search_document` with a GIN index.

Title and body are weighted A and B in one vector built with the `english` configuration, which
stems English; Chinese arrives already split into bigrams (`pressroom.search.analysis`), which
the configuration keeps whole. Queries are tsquery text built from quoted lexemes joined by `&`
and `<->` (adjacent, for phrases and Chinese words), so no user input is read as tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.search.analysis import Clause, Token
from pressroom.search.backends.base import BaseSearchBackend, Filters, TextMatch

CONFIG = "english"
# Documents per UPDATE in write_texts: 3 parameters each, well under PostgreSQL's 65,535.
WRITE_BATCH = 1000


def _lexeme(token: Token) -> str:
    quoted = "'" + token.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if token.prefix else "")


def tsquery_text(clauses: tuple[Clause, ...]) -> str:
    """Clauses as to_tsquery input: each a phrase of adjacent lexemes, all required."""
    return " & ".join(
        "(" + " <-> ".join(_lexeme(token) for token in clause.tokens) + ")" for clause in clauses
    )


class PostgresBackend(BaseSearchBackend):
    vendor = "postgresql"

    def write_text(self, document_id: int, title: str, body: str, tags: str = "") -> None:
        # Filters are joined conditions here: the GIN index hands back all matches anyway.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_document SET vector = "
                f"setweight(to_tsvector('{CONFIG}', %s), 'A') || "
                f"setweight(to_tsvector('{CONFIG}', %s), 'B') WHERE id = %s",
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
                    "UPDATE search_document SET vector = "
                    f"setweight(to_tsvector('{CONFIG}', v.title), 'A') || "
                    f"setweight(to_tsvector('{CONFIG}', v.body), 'B') "
                    f"FROM (VALUES {values}) AS v(id, title, body) WHERE search_document.id = v.id",
                    params,
                )

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
