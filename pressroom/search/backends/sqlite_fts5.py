"""SQLite FTS5: the embedded default.

One FTS5 table, `search_fts(title, body, tags)` with the `porter unicode61` tokenizer, whose
rowid is the `search_document` id (in issue order, `pressroom.search.keys`). English is stemmed
by the tokenizer; Chinese arrives already split into bigrams (`pressroom.search.analysis`),
which the tokenizer keeps whole. Every query token is written as an FTS5 string ("..."),
restricted to the title and body columns, so no user input is ever read as FTS5 syntax or
matches a filter tag.

Searches read the index newest first (`ORDER BY rowid DESC`, which FTS5 serves without
sorting) and stop after the window (`backends.base.WINDOW`); bm25 is asked for afterwards,
only for a window that holds every match; dates and "issued before now" are
rowid ranges FTS5 seeks to, and department and category filters are tokens of the `tags` column
intersected inside FTS5, so a filter that keeps few of a common word's matches stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.search.analysis import Clause
from pressroom.search.backends.base import BaseSearchBackend, Filters, TextMatch
from pressroom.search.keys import category_tag, department_tag

# bm25 weights of the title, body and tags columns: a word in the title counts four times.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


def fts5_expression(clauses: tuple[Clause, ...], tags: tuple[str, ...] = ()) -> str:
    """Clauses as an FTS5 query: each a quoted phrase in title or body, all required; then
    the filter tags, each required in the tags column."""
    parts = []
    for clause in clauses:
        text = " ".join(token.text for token in clause.tokens).replace('"', '""')
        prefix = " *" if clause.tokens[-1].prefix else ""
        parts.append(f'"{text}"{prefix}')
    expression = "{title body} : (" + " AND ".join(parts) + ")"
    return " AND ".join([expression, *(f'tags : "{tag}"' for tag in tags)])


def filter_tags_of(filters: Filters) -> tuple[str, ...]:
    """Tags for the department and category filters (a filter naming nothing has no tag)."""
    tags = []
    if filters.department_id and filters.department_id > 0:
        tags.append(department_tag(filters.department_id))
    if filters.category_id and filters.category_id > 0:
        tags.append(category_tag(filters.category_id))
    return tuple(tags)


class SqliteFts5Backend(BaseSearchBackend):
    vendor = "sqlite"

    def write_text(self, document_id: int, title: str, body: str, tags: str = "") -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                [document_id, title, body, tags],
            )

    def write_texts(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        # One row per id, the last given, as writing them one by one would leave.
        rows = list({row[0]: row for row in rows}.values())
        if not rows:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)", rows
            )

    def clear_text(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def text_match(self, clauses: tuple[Clause, ...], filters: Filters) -> TextMatch:
        return TextMatch(
            # CROSS JOIN keeps FTS5 the outer loop, read in rowid order.
            from_sql="search_fts CROSS JOIN search_document d ON d.id = search_fts.rowid",
            where_sql="search_fts MATCH %s",
            params=[fts5_expression(clauses, filter_tags_of(filters))],
            # bm25 is lower for better matches; negated so every backend sorts score DESC.
            score_sql=f"-bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0)",
            key_sql="search_fts.rowid",
            score_from_sql="search_fts",
        )

    def prepare(self, cursor) -> None:
        """A page cache large enough for the documents a window joins (SQLite's default is
        2 MiB), set once per database connection. OPTIONS["cache_mib"] changes it."""
        wrapper = self.connection
        if getattr(wrapper, "_search_prepared", None) is wrapper.connection:
            return
        cursor.execute(f"PRAGMA cache_size = -{int(self.options.get('cache_mib', 64)) * 1024}")
        wrapper._search_prepared = wrapper.connection
