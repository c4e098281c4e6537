"""django-q2 stores task names (in the broker and in django_q_schedule): every stored or
queued name resolves, and a name that moved is rewritten by a migration."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string
from django_q.models import Schedule

from matching import queue as matching_queue
from training import queue as training_queue

BEFORE = [("matching", "0006_one_rating_per_reviewer")]
AFTER = [("matching", "0007_stable_task_paths")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db
def test_every_scheduled_task_resolves_after_migrate():
    funcs = list(Schedule.objects.values_list("func", flat=True))
    assert "matching.tasks.purge_expired_resumes" in funcs
    assert "training.tasks.fail_stale_runs" in funcs
    for func in funcs:
        assert callable(import_string(func)), func


@pytest.mark.parametrize(
    "name",
    [
        *matching_queue.TASK_NAMES,
        training_queue.RUN_TRAINING,
        training_queue.FAIL_STALE_RUNS,
    ],
)
def test_every_task_name_the_queues_send_resolves(name):
    assert name.split(".")[1] == "tasks"  # the stable task bodies, never a service
    assert callable(import_string(name))


@pytest.mark.django_db(transaction=True)
def test_migration_0007_rewrites_a_schedule_of_the_old_services_path():
    apps = _migrate(BEFORE)
    try:
        schedules = apps.get_model("django_q", "Schedule")
        schedules.objects.all().delete()
        schedules.objects.create(
            # The old path, as migration 0004 stored it (spelled in two parts so that a
            # rewrite of module paths in the tree leaves it alone).
            func="matching.services" + ".resumes_purge_expired",
            name="purge",
            schedule_type="D",
        )
        apps = _migrate(AFTER)
        schedules = apps.get_model("django_q", "Schedule")
        assert list(schedules.objects.values_list("func", flat=True)) == [
            "matching.tasks.purge_expired_resumes"
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
