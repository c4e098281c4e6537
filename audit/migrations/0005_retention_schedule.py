"""Every day the cluster drops audit events older than AUDIT_RETENTION_DAYS (365 by
default, never fewer than 183)."""

from django.db import migrations

FUNC = "audit.tasks.purge_expired_audit_events"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        func=FUNC,
        defaults={"name": "Drop audit events past their retention", "schedule_type": "D"},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_responsible_screening_actions"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(create, remove)]
