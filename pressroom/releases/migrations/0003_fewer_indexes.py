"""Fewer indexes to keep up on every insert, none that a query needs.

- `Release.state`: the (state, issue_instant) index serves every query on the state.
- `Release.reference`: unique by a constraint, which makes no second, LIKE-pattern index.
- `ReleaseVersion.release`: `one_version_per_language` (release, language) serves it.
- `ReleaseVersion.source_reference`: one plain index (looked up by equality only).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0002_release_updated_at_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='release',
            name='reference',
            field=models.CharField(help_text='P + the date it was created + a serial, e.g. P2023110300543.', max_length=20),
        ),
        migrations.AlterField(
            model_name='release',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('corrected', 'Corrected'), ('withdrawn', 'Withdrawn')], default='draft', max_length=16),
        ),
        migrations.AlterField(
            model_name='releaseversion',
            name='release',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='releases.release'),
        ),
        migrations.AlterField(
            model_name='releaseversion',
            name='source_reference',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddIndex(
            model_name='releaseversion',
            index=models.Index(fields=['source_reference'], name='version_source_reference'),
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.UniqueConstraint(fields=('reference',), name='release_reference_unique'),
        ),
    ]
