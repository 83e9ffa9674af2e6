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

import json
import time
from collections.abc import Iterable

from pressroom.search.analysis import Clause, Token, texts_holding
from pressroom.search.backends.base import BaseSearchBackend, Filters, TextMatch
from pressroom.search.keys import category_tag, department_tag

# bm25 weights of the title, body and tags columns: a word in the title counts four times.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
# bm25 is computed only when every query token is in at most this many documents (see
# `fine_scores`); OPTIONS["bm25_max_documents"] changes it.
BM25_MAX_DOCUMENTS = 10_000
# Title tests (`relevance`): by the index for windows larger than this, while a clause has at
# most this many title rows per window document in the window's id range.
INDEX_TITLES_FROM = 500
TITLE_ROWS_PER_DOCUMENT = 1
# Document frequencies are kept this long per process, for at most this many tokens.
DOCUMENT_FREQUENCY_SECONDS = 3600
DOCUMENT_FREQUENCY_ENTRIES = 100_000
# (database, token) -> (documents, whether exact or a lower bound, when counted)
_FREQUENCIES: dict[tuple[str, str], tuple[int, bool, float]] = {}


def _phrase(clause: Clause) -> str:
    text = " ".join(token.text for token in clause.tokens).replace('"', '""')
    return f'"{text}"' + (" *" if clause.is_prefix else "")


def fts5_expression(clauses: tuple[Clause, ...], tags: tuple[str, ...] = ()) -> str:
    """Clauses as an FTS5 query: each a quoted phrase in title or body, all required; then
    the filter tags, each required in the tags column."""
    expression = "{title body} : (" + " AND ".join(_phrase(clause) for clause in clauses) + ")"
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
        self.write_texts([(document_id, title, body, tags)])

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
            # The title again beside the document's row, for `relevance` (see the model).
            cursor.executemany(
                "UPDATE search_document SET title = %s WHERE id = %s",
                [(row[1], row[0]) for row in rows],
            )

    def clear_text(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("UPDATE search_document SET title = ''")

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

    def relevance(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, tuple[int, float]]:
        """Clauses the title holds, then bm25 when cheap (`fine_scores`).

        Two ways to find the titles holding a clause. The index: `{title} : "..."` in the id
        range of `ids`, which reads every match of the clause's words in that range (about
        0.2 us each), so it is tried for a window of more than INDEX_TITLES_FROM documents
        and given up when a clause has more than TITLE_ROWS_PER_DOCUMENT times as many rows
        as the window (common words in a wide range). Otherwise the analysed titles are read
        from `search_document.title` by id, from the pages the window's rows were just read
        from (FTS5's own copy sits with the body, a page of its own per document: at a million
        releases with a cold page cache that was a quarter of a search's time), and tested in
        Python (`texts_holding`, a few us each). A prefix clause always takes the second way:
        matching it in the index again would scan every token it starts.
        """
        scores = self.fine_scores(clauses, filters, ids, every_match)
        counts = None
        if len(ids) > INDEX_TITLES_FROM and not any(clause.is_prefix for clause in clauses):
            counts = self._title_counts_by_index(clauses, filters, ids)
        if counts is None:
            counts = self._title_counts_by_text(clauses, ids)
        return {key: (counts[key], scores.get(key, 0.0)) for key in ids}

    def _title_counts_by_index(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int]
    ) -> dict[int, int] | None:
        counts = dict.fromkeys(ids, 0)
        most = TITLE_ROWS_PER_DOCUMENT * len(ids)
        tags = [f'tags : "{tag}"' for tag in filter_tags_of(filters)]
        with self.connection.cursor() as cursor:
            for clause in clauses:
                expression = " AND ".join(["{title} : " + _phrase(clause), *tags])
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                    "AND rowid >= %s AND rowid <= %s LIMIT %s",
                    [expression, min(ids), max(ids), most + 1],
                )
                rows = cursor.fetchall()
                if len(rows) > most:
                    return None
                for (key,) in rows:
                    if key in counts:
                        counts[key] += 1
        return counts

    def _title_counts_by_text(self, clauses: tuple[Clause, ...], ids: list[int]) -> dict[int, int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title FROM search_document "
                "WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(ids)],
            )
            titles = dict(cursor.fetchall())
        texts = [titles.get(key) or "" for key in ids]
        counts = [0] * len(ids)
        for clause in clauses:
            for position in texts_holding(clause, texts):
                counts[position] += 1
        return dict(zip(ids, counts))

    def fine_scores(
        self, clauses: tuple[Clause, ...], filters: Filters, ids: list[int], every_match: bool
    ) -> dict[int, float]:
        """bm25 (title weight 4) of the matches among `ids`, when it is cheap.

        bm25 first counts every document holding each phrase in the whole index (for its IDF),
        whatever rows are asked for, which is slow for a common word in a large archive.
        So it is asked for only when the query's tokens together are in at most
        BM25_MAX_DOCUMENTS documents (`documents_holding`), never for a prefix, and only when
        `ids` are every match (their id range then holds few other rows). The filter tags are
        left out of the expression: bm25 would count them too, and `ids` passed the filters.
        """
        if not every_match or any(clause.is_prefix for clause in clauses):
            return {}
        budget = self.bm25_max
        for token in sorted({token.text for clause in clauses for token in clause.tokens}):
            budget -= self.documents_holding(token, budget)
            if budget < 0:
                return {}
        sql = (
            f"SELECT rowid, -bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0) FROM search_fts "
            "WHERE search_fts MATCH %s AND rowid >= %s AND rowid <= %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [fts5_expression(clauses), min(ids), max(ids)])
            return {key: max(float(score or 0), 0.0) for key, score in cursor.fetchall()}

    def documents_holding(self, token: str, most: int) -> int:
        """How many documents hold `token` if at most `most`, else `most + 1`.

        Counted by matching the token and reading at most `most + 1` rows (about 1 us each),
        so a common word costs no more than a rare one; kept per process for
        DOCUMENT_FREQUENCY_SECONDS (a count, or a lower bound when the reading stopped): an
        hour-old count decides as well whether bm25 is cheap.
        """
        now = time.monotonic()
        key = (self.connection.settings_dict["NAME"], token)
        cached = _FREQUENCIES.get(key)
        if cached is not None and now - cached[2] < DOCUMENT_FREQUENCY_SECONDS:
            count, exact = cached[:2]
            if exact or count > most:
                return min(count, most + 1)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "LIMIT %s)",
                [fts5_expression((Clause((Token(token),)),)), most + 1],
            )
            count = cursor.fetchone()[0]
        if len(_FREQUENCIES) >= DOCUMENT_FREQUENCY_ENTRIES:
            _FREQUENCIES.clear()
        _FREQUENCIES[key] = (count, count <= most, now)
        return count

    @property
    def bm25_max(self) -> int:
        return int(self.options.get("bm25_max_documents", BM25_MAX_DOCUMENTS))

    def prepare(self, cursor) -> None:
        """A page cache large enough for the documents a window joins (SQLite's default is
        2 MiB), set once per database connection. OPTIONS["cache_mib"] changes it."""
        wrapper = self.connection
        if getattr(wrapper, "_search_prepared", None) is wrapper.connection:
            return
        cursor.execute(f"PRAGMA cache_size = -{int(self.options.get('cache_mib', 64)) * 1024}")
        wrapper._search_prepared = wrapper.connection
