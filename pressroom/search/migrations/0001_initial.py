import django.db.models.deletion
from django.db import migrations, models

# The text index, by database. The SQLite trigger removes a document's text with its row, however
# the row is deleted (a release's cascade included). A later migration that makes Django rebuild
# search_document on SQLite drops the trigger and must create it again.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_deleted AFTER DELETE ON search_document "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_deleted",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("releases", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=8)),
                ("reference", models.CharField(max_length=20)),
                ("state", models.CharField(max_length=16)),
                ("issue_instant", models.DateTimeField(null=True)),
                ("issue_year", models.SmallIntegerField(null=True)),
                (
                    "department",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="releases.department",
                    ),
                ),
                (
                    "release",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="releases.release",
                    ),
                ),
            ],
            options={
                "db_table": "search_document",
                "indexes": [models.Index(fields=["issue_instant"], name="search_document_instant")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("release", "language"), name="search_one_per_language"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
