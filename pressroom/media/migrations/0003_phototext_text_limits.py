"""Captions and alt texts checked against pressroom.releases.limits (validators only: no
change to the tables)."""

import pressroom.releases.limits
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0002_random_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='phototext',
            name='alt_text',
            field=models.CharField(blank=True, max_length=300, validators=[pressroom.releases.limits.SingleLine(300)]),
        ),
        migrations.AlterField(
            model_name='phototext',
            name='caption',
            field=models.TextField(blank=True, validators=[pressroom.releases.limits.MultiLine(2000)]),
        ),
    ]
