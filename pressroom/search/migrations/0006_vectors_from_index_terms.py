"""PostgreSQL: every document's vector made again from the terms queries are made of
(`pressroom.search.backends.tsvector`), where `to_tsvector('english', ...)` made them before.
Queries now cast their lexemes to tsquery as they are, so vectors of the old kind would miss
the stop words it dropped and the words its stemmer and parser read otherwise.

Backwards, the vectors are made by `to_tsvector` again. Nothing to do on SQLite.
"""

import json

from django.db import migrations

from pressroom.search.backends import tsvector
from pressroom.search.indexing import analysed_text

BATCH = 1000
# The analysed title and body as the vector before this migration was made of them.
ENGLISH_VECTOR = (
    "setweight(to_tsvector('english', CAST(%s AS text)), 'A') || "
    "setweight(to_tsvector('english', CAST(%s AS text)), 'B')"
)


def _write_vectors(apps, schema_editor, values, vector_sql):
    """Every document's vector from its version's title and body: `values(title, body)` gives
    the parameters of `vector_sql`, one document's vector."""
    if schema_editor.connection.vendor != "postgresql":
        return
    documents = apps.get_model("search", "SearchDocument")._meta.db_table
    versions = apps.get_model("releases", "ReleaseVersion")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        last_id = -(2**63)
        while True:
            cursor.execute(
                f"SELECT d.id, v.title, v.body FROM {documents} d JOIN {versions} v "
                "ON v.release_id = d.release_id AND v.language = d.language "
                "WHERE d.id > %s ORDER BY d.id LIMIT %s",
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            last_id = rows[-1][0]
            parameters = []
            for document_id, title, body in rows:
                # Django's PostgreSQL connections hand jsonb over as its text.
                body = json.loads(body) if isinstance(body, str) else body
                parameters += [document_id, *values(*analysed_text(title, body))]
            placeholders = ", ".join([f"(CAST(%s AS bigint), {vector_sql})"] * len(rows))
            cursor.execute(
                f"UPDATE {documents} SET vector = v.vector FROM (VALUES {placeholders}) "
                f"AS v(id, vector) WHERE {documents}.id = v.id",
                parameters,
            )


def vectors_from_index_terms(apps, schema_editor):
    _write_vectors(
        apps, schema_editor, lambda title, body: [tsvector.text(title, body)], "CAST(%s AS tsvector)"
    )


def vectors_from_to_tsvector(apps, schema_editor):
    _write_vectors(apps, schema_editor, lambda title, body: [title, body], ENGLISH_VECTOR)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_document_rowid"),
        ("releases", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(vectors_from_index_terms, vectors_from_to_tsvector, elidable=False),
    ]
