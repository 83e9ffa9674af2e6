"""SQLite FTS5: the embedded default.

One FTS5 table, `search_fts(title, body)` with the `porter unicode61` tokenizer, whose rowid is
the `search_document` id. English is stemmed by the tokenizer; Chinese arrives already split
into bigrams (`pressroom.search.analysis`), which the tokenizer keeps whole. Every query token is
written as an FTS5 string ("..."), so no user input is ever read as FTS5 syntax.
"""

from __future__ import annotations

from pressroom.search.analysis import Clause
from pressroom.search.backends.base import BaseSearchBackend, TextMatch

# bm25 weights of the title and body columns: a word in the title counts four times.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


def fts5_expression(clauses: tuple[Clause, ...]) -> str:
    """Clauses as an FTS5 query: each a quoted phrase, all required."""
    parts = []
    for clause in clauses:
        text = " ".join(token.text for token in clause.tokens).replace('"', '""')
        prefix = " *" if clause.tokens[-1].prefix else ""
        parts.append(f'"{text}"{prefix}')
    return " AND ".join(parts)


class SqliteFts5Backend(BaseSearchBackend):
    vendor = "sqlite"

    def write_text(self, document_id: int, title: str, body: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [document_id, title, body],
            )

    def clear_text(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def text_match(self, clauses: tuple[Clause, ...]) -> TextMatch:
        return TextMatch(
            from_sql="search_fts JOIN search_document d ON d.id = search_fts.rowid",
            where_sql="search_fts MATCH %s",
            params=[fts5_expression(clauses)],
            # bm25 is lower for better matches; negated so every backend sorts score DESC.
            score_sql=f"-bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})",
        )
