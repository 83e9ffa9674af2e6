from django.db import migrations, models


class Migration(migrations.Migration):
    """Claims per channel: the claim index leads with (status, channel)."""

    dependencies = [
        ("distribution", "0002_claim_order_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="delivery", name="delivery_claim_order"),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["status", "channel", "due_at", "id"], name="delivery_claim_order"
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["status", "due_at"], name="delivery_next_due"),
        ),
    ]
