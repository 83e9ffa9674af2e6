"""`Release.origin`: whether the desk or an import made a release.

An import may change only the releases it made (and nobody on the desk has moved since), so
the releases already stored are told apart once: the importer always stores a digest of the
content it read (`ReleaseVersion.source_digest`) and the desk never does. The rest, and every
release made from now on without saying otherwise, are the desk's.
"""

from django.db import migrations, models


def mark_imported(apps, schema_editor):
    Release = apps.get_model("releases", "Release")
    ReleaseVersion = apps.get_model("releases", "ReleaseVersion")
    imported = ReleaseVersion.objects.exclude(source_digest="").values("release_id")
    Release.objects.filter(pk__in=imported).update(origin="import")


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0003_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="origin",
            field=models.CharField(
                choices=[("desk", "Made on the desk"), ("import", "Imported from an archive")],
                default="desk",
                max_length=8,
            ),
        ),
        migrations.RunPython(mark_imported, migrations.RunPython.noop, elidable=True),
    ]
