"""Scheduled tasks name a task body in matching.tasks, whose names never move.

0004 scheduled the retention purge by the path of its service
(matching.services.resumes_purge_expired); that module is gone. The schedule row is
stored in django_q_schedule, so it is rewritten here on every database, fresh or live.
Queued tasks need nothing: only schedules named a services path.
"""

from django.db import migrations

MOVED = {"matching.services.resumes_purge_expired": "matching.tasks.purge_expired_resumes"}


def _rename(apps, moves):
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in moves.items():
        Schedule.objects.filter(func=old).update(func=new)


def forward(apps, schema_editor):
    _rename(apps, MOVED)


def backward(apps, schema_editor):
    _rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_one_rating_per_reviewer"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
