"""Document ids in issue order and a `tags` column for department and category filters.

The FTS5 table is made again with a third, unweighted column of filter tokens; existing
documents are removed, since their ids and text no longer fit: `pressroom search-rebuild`
writes them again (a notice says so when there were any). Changing the primary key makes Django
rebuild `search_document` on SQLite, which drops its delete trigger, so it is created again.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_document_deleted",
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_deleted AFTER DELETE ON search_document "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]


def clear_documents(apps, schema_editor):
    document = apps.get_model("search", "SearchDocument")
    removed, _ = document.objects.all().delete()
    if removed:
        print(f"\n  search: {removed} documents removed; run `pressroom search-rebuild`.")


def recreate_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_documents, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchdocument",
            name="id",
            field=models.BigIntegerField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(recreate_text_index, migrations.RunPython.noop),
    ]
