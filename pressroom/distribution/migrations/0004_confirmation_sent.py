from django.db import migrations, models


class Migration(migrations.Migration):
    """When a confirmation link last went to an address (by keyed digest): one an hour."""

    dependencies = [
        ("distribution", "0003_claim_per_channel"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConfirmationSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("address_digest", models.CharField(max_length=64, unique=True)),
                ("sent_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
