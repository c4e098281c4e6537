"""LabeledExample.outcome was never written or read: the hiring outcome becomes the score
when a history is imported (training.datasets.parse_history)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_model_managers_permissions"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="labeledexample",
            name="outcome",
        ),
    ]
