"""The admin and the REST API grant the same training and model operations to the same
people (issue 14, item 1): every operation of both surfaces, walked for each role.

Writes count as allowed when their effect happened (a run queued or cancelled, a version
live), reads when the page or the resource was served; each walk starts from the same state.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from matching.models import ScoringModel
from matching.scoring import activation as scoring_activation
from resumeproject.access import MODEL_MANAGERS_GROUP
from tests.api.helpers import token_client
from tests.conftest import rated_on_job_scales
from tests.factories import ScoringModelFactory
from training import runs as training_runs
from training.models import TrainingRun

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "training" / "sample" / "training_data.json"
RATING_PERMS = ["view_pair", "add_rating", "view_rating", "change_rating", "view_resume"]
ROLES = ["anonymous", "reviewer", "staff reviewer", "model manager", "superuser"]
ALLOWED_ROLES = {"model manager", "superuser"}


def make_user(role: str, django_user_model):
    if role == "anonymous":
        return None
    if role == "superuser":
        return django_user_model.objects.create_superuser(username="root", password="pw-r-2026")
    user = django_user_model.objects.create_user(
        username=role.replace(" ", "-"), password="pw-2026", is_staff=role != "reviewer"
    )
    if role in ("reviewer", "staff reviewer"):
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="matching", codename__in=RATING_PERMS
            )
        )
    if role == "model manager":
        user.groups.add(Group.objects.get(name=MODEL_MANAGERS_GROUP))
    return user


class World:
    """Three versions (pre-trained live, one trained better, one that measured worse) and
    the run an operation acts on; `reset` puts them back between operations."""

    def __init__(self) -> None:
        self.pretrained = scoring_activation.scoring_model_active()
        rows = json.dumps(rated_on_job_scales(json.loads(SAMPLE.read_bytes()))).encode()
        run = training_runs.training_run_create(
            train_file=("train.json", rows),
            validation_file=("validation.json", rows),
            enqueue=False,
        )
        run = training_runs.training_run_execute(run.pk)
        assert run.status == TrainingRun.Status.SUCCEEDED, run.error
        self.better = run.output_model
        assert self.better.metrics["better_than_live"] is True
        # The same files under another version, recorded as worse: only force activates it.
        store = Path(settings.MODELS_STORE_DIR)
        shutil.copytree(store / self.better.path, store / "worse-copy")
        self.worse = ScoringModelFactory(
            version="worse-copy",
            encoder_key=self.better.encoder_key,
            metrics={**self.better.metrics, "better_than_live": False},
        )
        self.run = self.better.training_run

    def reset(self) -> None:
        cache.clear()  # throttle counters
        scoring_activation.scoring_model_activate(model=self.pretrained, force=True)
        self.run = training_runs.training_run_create(from_ratings=True, enqueue=False)

    def live(self) -> ScoringModel:
        return ScoringModel.objects.get(is_active=True)

    def runs(self) -> int:
        return TrainingRun.objects.count()


def served(response) -> bool:
    assert response.status_code < 500, response.content[:500]
    return response.status_code == 200


def queued(world: World, send: Callable[[], object]) -> bool:
    before = world.runs()
    send()
    return world.runs() > before


def cancelled(world: World, send: Callable[[], object]) -> bool:
    send()
    world.run.refresh_from_db()
    return world.run.status == TrainingRun.Status.CANCELLED


def made_live(world: World, model: ScoringModel, send: Callable[[], object]) -> bool:
    send()
    return world.live().pk == model.pk


def rolled_back(world: World, send: Callable[[], object]) -> bool:
    scoring_activation.scoring_model_activate(model=world.better)  # pre-trained is now previous
    send()
    return world.live().pk == world.pretrained.pk


def admin_walk(client: Client, w: World) -> dict[str, Callable[[], bool]]:
    runs = reverse("admin:training_trainingrun_changelist")
    models = reverse("admin:matching_scoringmodel_changelist")

    def action(changelist: str, name: str, pk: int) -> Callable[[], object]:
        return lambda: client.post(changelist, {"action": name, "_selected_action": [pk]})

    queue_form = {"mode": "fast", "from_ratings": "on", "epochs": 2, "batch_size": 16}
    return {
        "list runs": lambda: served(client.get(runs)),
        "see the retraining suggestion": lambda: served(client.get(runs)),
        "read a run": lambda: served(
            client.get(reverse("admin:training_trainingrun_change", args=[w.run.pk]))
        ),
        "follow a run's progress": lambda: served(
            client.get(reverse("admin:training_trainingrun_status", args=[w.run.pk]))
        ),
        "queue a run": lambda: queued(
            w, lambda: client.post(reverse("admin:training_trainingrun_add"), queue_form)
        ),
        "queue a run from the suggestion": lambda: queued(
            w, lambda: client.post(reverse("admin:training_train_now"))
        ),
        "cancel a run": lambda: cancelled(w, action(runs, "cancel", w.run.pk)),
        "list models": lambda: served(client.get(models)),
        "read a model": lambda: served(
            client.get(reverse("admin:matching_scoringmodel_change", args=[w.better.pk]))
        ),
        "activate": lambda: made_live(w, w.better, action(models, "activate", w.better.pk)),
        "activate anyway": lambda: made_live(
            w, w.worse, action(models, "activate_anyway", w.worse.pk)
        ),
        # The admin rolls back by activating the previous version.
        "roll back": lambda: rolled_back(w, action(models, "activate", w.pretrained.pk)),
    }


def api_walk(client: APIClient, w: World) -> dict[str, Callable[[], bool]]:
    runs, models = "/api/v1/training/runs/", "/api/v1/models/"

    def post(url: str, body: dict | None = None) -> Callable[[], object]:
        return lambda: client.post(url, body or {}, format="json")

    return {
        "list runs": lambda: served(client.get(runs)),
        "see the retraining suggestion": lambda: served(client.get("/api/v1/training/suggestion/")),
        "read a run": lambda: served(client.get(f"{runs}{w.run.pk}/")),
        "follow a run's progress": lambda: served(client.get(f"{runs}{w.run.pk}/")),
        "queue a run": lambda: queued(w, post(runs, {"from_ratings": True})),
        "queue a run from the suggestion": lambda: queued(w, post(runs, {"from_ratings": True})),
        "cancel a run": lambda: cancelled(w, post(f"{runs}{w.run.pk}/cancel/")),
        "list models": lambda: served(client.get(models)),
        "read a model": lambda: served(client.get(f"{models}{w.better.version}/")),
        "activate": lambda: made_live(w, w.better, post(f"{models}{w.better.version}/activate/")),
        "activate anyway": lambda: made_live(
            w, w.worse, post(f"{models}{w.worse.version}/activate/", {"force": True})
        ),
        "roll back": lambda: rolled_back(w, post(f"{models}rollback/")),
    }


def walk(operations: dict[str, Callable[[], bool]], world: World) -> dict[str, bool]:
    answers = {}
    for name, operation in operations.items():
        world.reset()
        answers[name] = operation()
    return answers


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_and_the_api_give_each_role_the_same_answer_for_every_operation(
    role, django_user_model, settings
):
    settings.MATCHING_SYNC_TASKS = False  # queued runs stay queued, so they can be cancelled
    world = World()
    user = make_user(role, django_user_model)
    browser = Client()
    if user is not None:
        browser.force_login(user)
    api = APIClient() if user is None else token_client(user)

    in_admin = walk(admin_walk(browser, world), world)
    in_api = walk(api_walk(api, world), world)

    assert in_admin == in_api
    assert in_admin == dict.fromkeys(in_admin, role in ALLOWED_ROLES)
