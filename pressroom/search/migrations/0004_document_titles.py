"""`search_document.title`: the analysed title beside each row, for the SQLite backend's title
tests (`SqliteFts5Backend.relevance`), filled from FTS5's own copy of the indexed text.

Adding a NOT NULL column makes Django rebuild `search_document` on SQLite, forwards and
backwards, which drops its delete trigger: it is created again after the rebuild either way,
as in 0003. On PostgreSQL the column stays empty (its vector weights the title).
"""

from django.db import migrations, models

from pressroom.search.schema import recreate_delete_trigger

# search_fts_content.c0 is the title column of search_fts (title, body, tags), as indexed.
FILL_TITLES = (
    "UPDATE search_document SET title = coalesce("
    "(SELECT c0 FROM search_fts_content c WHERE c.id = search_document.id), '')"
)


def fill_titles(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FILL_TITLES)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_fewer_indexes"),
    ]

    operations = [
        # Backwards, this runs last (after the rebuild).
        migrations.RunPython(migrations.RunPython.noop, recreate_delete_trigger),
        migrations.AddField(
            model_name="searchdocument",
            name="title",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
        migrations.RunPython(recreate_delete_trigger, migrations.RunPython.noop),
        migrations.RunPython(fill_titles, migrations.RunPython.noop),
    ]
