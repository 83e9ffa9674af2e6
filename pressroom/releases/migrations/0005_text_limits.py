"""Titles, names and notes checked against pressroom.releases.limits (validators only: no
change to the tables)."""

import pressroom.releases.limits
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0004_release_origin'),
    ]

    operations = [
        migrations.AlterField(
            model_name='category',
            name='name_en',
            field=models.CharField(max_length=200, validators=[pressroom.releases.limits.SingleLine(200)], verbose_name='name (English)'),
        ),
        migrations.AlterField(
            model_name='category',
            name='name_zh_hant',
            field=models.CharField(max_length=200, validators=[pressroom.releases.limits.SingleLine(200)], verbose_name='name (Traditional Chinese)'),
        ),
        migrations.AlterField(
            model_name='department',
            name='name_en',
            field=models.CharField(max_length=200, validators=[pressroom.releases.limits.SingleLine(200)], verbose_name='name (English)'),
        ),
        migrations.AlterField(
            model_name='department',
            name='name_zh_hant',
            field=models.CharField(max_length=200, validators=[pressroom.releases.limits.SingleLine(200)], verbose_name='name (Traditional Chinese)'),
        ),
        migrations.AlterField(
            model_name='release',
            name='correction_note',
            field=models.TextField(blank=True, validators=[pressroom.releases.limits.MultiLine(5000)]),
        ),
        migrations.AlterField(
            model_name='release',
            name='withdrawal_reason',
            field=models.TextField(blank=True, validators=[pressroom.releases.limits.MultiLine(5000)]),
        ),
        migrations.AlterField(
            model_name='releaseversion',
            name='title',
            field=models.CharField(max_length=500, validators=[pressroom.releases.limits.SingleLine(500)]),
        ),
    ]
