"""Every day the cluster erases resumes older than RESUME_RETENTION_DAYS (0: none)."""

from django.db import migrations

FUNC = "matching.services.resumes_purge_expired"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        func=FUNC,
        defaults={"name": "Purge expired resumes", "schedule_type": "D"},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_reviewer_preferences"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(create, remove)]
