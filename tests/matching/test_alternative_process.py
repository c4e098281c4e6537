"""A candidate who asked for an alternative to automated screening is rated by people
only: no score or verdict is computed for them, the ranking lists them apart, the queue
serves them to reviewers; recorded from the admin or the API, audited, and undone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from matching.models import Pair, Resume
from matching.review.selectors import review_queue
from matching.scoring import services as scoring_services
from matching.scoring.reconcile import unscored_resumes
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(django_user_model):
    user = django_user_model.objects.create_user(username="rae", password="pw-rae-2026")
    user.user_permissions.add(Permission.objects.get(codename="change_resume"))
    return user


@pytest.fixture
def scored():
    jobs = JobFactory.create_batch(2)
    resumes = ResumeFactory.create_batch(3)
    scoring_services.pairs_score()
    assert Pair.objects.filter(score__isnull=False).count() == 6
    return jobs, resumes


def test_asking_clears_the_scores_and_keeps_the_candidate_out_of_scoring(
    recruiter, scored, client, member
):
    jobs, (asked, *others) = scored
    api = token_client(recruiter)
    url = reverse("api:resume-alternative-process", args=[asked.pk])
    answer = api.post(url, {"requested": True}, format="json")
    assert answer.status_code == 200 and answer.json()["alternative_process_at"]
    pairs = Pair.objects.filter(resume=asked)
    assert pairs.count() == 2
    assert set(pairs.values_list("score", "scoring_model", "verdicts_key")) == {(None, None, "")}
    assert scoring_services.pairs_score(resume_ids=[asked.pk]) == 0
    assert asked not in unscored_resumes()  # nothing waits: nothing will score it
    event = AuditEvent.objects.get(action="alternative_process")
    assert event.actor == recruiter and event.details == {"requested": True}

    queue = list(review_queue(reviewer=member).values_list("resume_id", flat=True))
    assert queue[:2] == [asked.pk, asked.pk]  # people-only pairs first in their tier

    client.force_login(member)
    rating_screen = client.get(reverse("matching:review_pair", args=[pairs.first().pk]))
    assert (
        "People-only review: the tool gives no score or verdict" in rating_screen.content.decode()
    )
    page = client.get(reverse("matching:job_ranking", args=[jobs[0].pk])).content.decode()
    people_only = page[page.index('id="people-only"') :]
    assert f'data-resume-id="{asked.pk}"' in people_only
    ranked = page[: page.index('id="people-only"')]
    assert f'data-resume-id="{asked.pk}"' not in ranked
    assert f'data-resume-id="{others[0].pk}"' in ranked


def test_withdrawing_scores_the_candidate_again(recruiter, scored):
    _, (asked, *_) = scored
    api = token_client(recruiter)
    url = reverse("api:resume-alternative-process", args=[asked.pk])
    api.post(url, {"requested": True}, format="json")
    answer = api.post(url, {"requested": False}, format="json")
    assert answer.json()["alternative_process_at"] is None
    assert Pair.objects.filter(resume=asked, score__isnull=False).count() == 2


def test_only_people_who_may_change_resumes_record_it(member, scored):
    _, (asked, *_) = scored
    url = reverse("api:resume-alternative-process", args=[asked.pk])
    assert token_client(member).post(url, {"requested": True}, format="json").status_code == 403
    bad = token_client_with_change(member).post(url, {"requested": "maybe"}, format="json")
    assert bad.status_code == 400 and "requested" in bad.json()["error"]["fields"]
    assert Resume.objects.get(pk=asked.pk).alternative_process_at is None


def token_client_with_change(user):
    user.user_permissions.add(Permission.objects.get(codename="change_resume"))
    return token_client(user)


def test_the_admin_actions_record_and_withdraw_it(client, reviewer, scored):
    _, (asked, *_) = scored
    client.force_login(reviewer)
    changelist = reverse("admin:matching_resume_changelist")
    client.post(changelist, {"action": "people_only", "_selected_action": [asked.pk]})
    assert Resume.objects.get(pk=asked.pk).alternative_process_at is not None
    listed = client.get(changelist, {"people_only": "yes"}).content.decode()
    assert asked.original_name in listed
    client.post(changelist, {"action": "back_to_scoring", "_selected_action": [asked.pk]})
    assert Resume.objects.get(pk=asked.pk).alternative_process_at is None
