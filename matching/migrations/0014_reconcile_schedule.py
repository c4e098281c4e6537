"""Every 5 minutes the cluster queues again the resumes whose scoring was lost
(matching.scoring.reconcile)."""

from django.db import migrations

FUNC = "matching.tasks.reconcile_scoring"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        func=FUNC,
        defaults={"name": "Queue lost scoring again", "schedule_type": "I", "minutes": 5},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0013_verdict_corrections"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(create, remove)]
