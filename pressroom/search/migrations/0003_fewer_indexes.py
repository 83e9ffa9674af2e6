"""No index of its own on `search_document.release_id`: `search_one_per_language` (release,
language) serves every look-up by release. Altering the field makes Django rebuild
`search_document` on SQLite, forwards and backwards, which drops its delete trigger: it is
created again after the rebuild either way (the text table itself is kept).
"""

import django.db.models.deletion
from django.db import migrations, models

from pressroom.search.schema import recreate_delete_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0003_fewer_indexes"),
        ("search", "0002_keyed_documents"),
    ]

    operations = [
        # Backwards, this runs last (after the rebuild).
        migrations.RunPython(migrations.RunPython.noop, recreate_delete_trigger),
        migrations.AlterField(
            model_name="searchdocument",
            name="release",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="releases.release",
            ),
        ),
        migrations.RunPython(recreate_delete_trigger, migrations.RunPython.noop),
    ]
