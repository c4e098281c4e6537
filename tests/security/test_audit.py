"""The audit log: who rated, settled, queued, cancelled, activated, rolled back and deleted
what; one event per action with the right actor; read-only in the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from matching.models import Pair, ScoringModel
from matching.review import ratings as review_ratings
from matching.review import services as review_services
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair() -> Pair:
    return review_ratings.pair_get_or_create(resume=ResumeFactory(), job=JobFactory())


def only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [str(e) for e in AuditEvent.objects.all()]
    return events[0]


def test_rating_in_the_queue_records_the_reviewer(pair, member):
    review_ratings.rating_submit(pair=pair, reviewer=member, score=0.5)
    event = only_event("rated")
    assert event.actor == member and event.actor_name == "mo"
    assert event.target_type == "matching.pair" and event.target_id == str(pair.pk)
    assert event.details["score"] == 0.5 and event.details["created"] is True


def test_rating_through_the_api_records_the_caller(pair, member_api, member):
    body = {"resume": pair.resume_id, "job": pair.job_id, "stars": 4}
    assert member_api.post("/api/v1/ratings/", body, format="json").status_code == 201
    event = only_event("rated")
    assert event.actor == member and event.details["source"] == "api"


def test_settling_records_the_lead(pair, reviewer):
    review_services.pair_settle(pair=pair, score=0.6, settled_by=reviewer)
    event = only_event("settled")
    assert event.actor == reviewer and event.details == {"score": 0.6}


def test_queueing_and_cancelling_a_run_record_who(manager, queue_only_settings):
    api = token_client(manager)
    response = api.post("/api/v1/training/runs/", {"from_ratings": True}, format="json")
    assert response.status_code == 202, response.content
    queued = only_event("training_queued")
    assert queued.actor == manager and queued.target_type == "training.trainingrun"
    run_id = queued.target_id
    assert api.post(f"/api/v1/training/runs/{run_id}/cancel/").status_code == 200
    cancelled = only_event("training_cancelled")
    assert cancelled.actor == manager and cancelled.target_id == run_id


def test_activating_and_rolling_back_record_who_and_which_versions(manager, trained_model):
    api = token_client(manager)
    response = api.post(f"/api/v1/models/{trained_model.version}/activate/", {}, format="json")
    assert response.status_code == 200, response.content
    activated = only_event("activated")
    assert activated.actor == manager
    assert activated.target_label == trained_model.version
    assert activated.details["previous"] == "pretrained"
    assert api.post("/api/v1/models/rollback/", {}, format="json").status_code == 200
    rolled_back = only_event("rolled_back")
    assert rolled_back.actor == manager
    assert rolled_back.details == {
        "version": "pretrained",
        "previous": trained_model.version,
        "force": False,
    }


def test_activating_in_the_admin_records_the_admin_user(reviewer, trained_model):
    client = Client()
    client.force_login(reviewer)
    client.post(
        reverse("admin:matching_scoringmodel_changelist"),
        {"action": "activate", "_selected_action": [trained_model.pk]},
    )
    assert ScoringModel.objects.get(is_active=True) == trained_model
    assert only_event("activated").actor == reviewer


def test_work_without_a_person_is_recorded_as_the_system(pair):
    review_ratings.rating_create(pair=pair, score=0.3, source="import")
    event = only_event("rated")
    assert event.actor is None and event.actor_name == ""
    assert str(event).startswith("system rated")


def test_an_unknown_action_is_refused(pair):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=None, action="renamed", target=pair)


def test_the_audit_log_is_read_only_in_the_admin_even_for_a_superuser(reviewer, pair):
    review_ratings.rating_submit(pair=pair, reviewer=reviewer, score=0.5)
    event = only_event("rated")
    client = Client()
    client.force_login(reviewer)
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200 and b"rated" in changelist.content
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.post(change, {"action": "settled"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert b"delete_selected" not in changelist.content and bulk.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).action == "rated"


def test_the_audit_log_is_hidden_from_staff_without_the_view_permission(staff_rater):
    client = Client()
    client.force_login(staff_rater)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
