"""PostgreSQL: a tsvector column on `search_document` with a GIN index.

Title and body are weighted A and B in one vector, made in Python from the same terms queries
are made of (`backends.tsvector`: Porter stems, Chinese as bigrams from
`pressroom.search.analysis`), not by `to_tsvector`, whose parser reads text differently. Queries
are tsquery literals of quoted lexemes joined by `&` and `<->` (adjacent, for phrases and
Chinese words), cast as they are: no user input is read as tsquery syntax, and no dictionary
changes a term after analysis made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pressroom.search.analysis import Clause, Token, term
from pressroom.search.backends import tsvector
from pressroom.search.backends.base import BaseSearchBackend, Filters, TextMatch
from pressroom.utils.binary_copy import Binary

# Documents per UPDATE in write_texts: 2 parameters each, well under PostgreSQL's 65,535.
WRITE_BATCH = 1000


def _lexeme(token: Token, in_title: bool = False) -> str:
    quoted = "'" + term(token).replace("\\", "\\\\").replace("'", "''") + "'"
    # Weight A is the title's (see write_text).
    suffix = ("*" if token.prefix else "") + ("A" if in_title else "")
    return quoted + (":" + suffix if suffix else "")


def _phrase(clause: Clause, in_title: bool = False) -> str:
    return "(" + " <-> ".join(_lexeme(token, in_title) for token in clause.tokens) + ")"


def tsquery_text(clauses: tuple[Clause, ...]) -> str:
    """Clauses as a tsquery literal: each a phrase of adjacent lexemes, all required."""
    return " & ".join(_phrase(clause) for clause in clauses)


class PostgresBackend(BaseSearchBackend):
    vendor = "postgresql"
    analysed_column = "vector"

    def write_text(self, document_id: int, title: str, body: str, tags: str = "") -> None:
        # Filters are joined conditions here: the GIN index hands back all matches anyway.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_document SET vector = CAST(%s AS tsvector) WHERE id = %s",
                [tsvector.text(title, body), document_id],
            )

    def write_texts(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """One UPDATE ... FROM (VALUES ...) per WRITE_BATCH documents, the vector as in
        `write_text`."""
        # One row per id, the last given, as writing them one by one would leave.
        rows = list({row[0]: row for row in rows}.values())
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS tsvector))"] * len(batch))
                params = [
                    value
                    for document_id, title, body, _ in batch
                    for value in (document_id, tsvector.text(title, body))
                ]
                cursor.execute(
                    f"UPDATE search_document SET vector = v.vector "
                    f"FROM (VALUES {values}) AS v(id, vector) WHERE search_document.id = v.id",
                    params,
                )

    def analyse_ahead(self, texts: Sequence[tuple[str, str]]) -> list[Binary]:
        """Each text's vector in PostgreSQL's binary form, which the importer's COPY writes as
        it is: made in the processes that parse an import ahead, so the process writing it
        only writes. A pure function of the text."""
        return [Binary(tsvector.binary(title, body)) for title, body in texts]

    def clear_text(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("UPDATE search_document SET vector = ''::tsvector")

    def text_match(self, clauses: tuple[Clause, ...], filters: Filters) -> TextMatch:
        return TextMatch(
            from_sql="search_document d CROSS JOIN CAST(%s AS tsquery) AS q",
            where_sql="d.vector @@ q",
            params=[tsquery_text(clauses)],
            score_sql="ts_rank(d.vector, q)",
        )

    def relevance(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, tuple[int, float]]:
        """One pass over the documents: each clause tested against the title (weight A) of
        the stored vector, and ts_rank, which counts no other documents (no IDF)."""
        tests = "".join(", d.vector @@ CAST(%s AS tsquery)" for _ in clauses)
        sql = (
            f"SELECT d.id, ts_rank(d.vector, CAST(%s AS tsquery)){tests} "
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
