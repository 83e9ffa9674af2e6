"""`search_document.id` declared `integer` on SQLite, so it is the table's rowid
(`DocumentKeyField`): a look-up by id reads one B-tree instead of a unique index and then the
table, and the rows lie in issue order. Nothing changes on PostgreSQL (bigint either way).

Django rebuilds `search_document` on SQLite for it, forwards and backwards, which drops its
delete trigger: it is created again after the rebuild either way, as in 0003.
"""

from django.db import migrations

import pressroom.search.models
from pressroom.search.schema import recreate_delete_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_document_titles"),
    ]

    operations = [
        # Backwards, this runs last (after the rebuild).
        migrations.RunPython(migrations.RunPython.noop, recreate_delete_trigger),
        migrations.AlterField(
            model_name="searchdocument",
            name="id",
            field=pressroom.search.models.DocumentKeyField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(recreate_delete_trigger, migrations.RunPython.noop),
    ]
