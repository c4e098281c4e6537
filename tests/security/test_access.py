"""Every URL of the project needs a login, except a short allow-list; reviewers cannot
train, cancel, activate or roll back; uploaded files have no public URL.

The URLconf is walked recursively (admin, API, pages, and whatever is added later), path
parameters are filled with ids of real rows, and each URL is requested with GET and POST
by a client that sends no credentials.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from audit.models import AuditEvent
from audit.services import audit_record
from matching.models import Pair, Rating, ScoringModel
from matching.review import ratings as review_ratings
from matching.scoring import activation as scoring_activation
from tests.factories import JobFactory, ResumeFactory, ScoringModelFactory
from training import runs as training_runs
from training.models import LabeledExample, TrainingRun

pytestmark = pytest.mark.django_db

# Open to anyone, and why. Every other URL answers an anonymous client with a redirect to
# a login page (pages, admin) or 401 (API).
ALLOWED_ANONYMOUS = {
    "login": "the login page itself",
    "logout": "ends a session; shows nothing (POST only)",
    "admin:login": "the admin's login page",
    "admin:logout": "ends a session; shows nothing (POST only)",
    "api:token": "trades a username and password for the user's API token (throttled)",
    # Unknown paths under /api/ answer the API's JSON 404 instead of Django's HTML page;
    # it serves no data. The schema (api:schema) and Swagger UI (api:docs) are NOT here:
    # they describe every endpoint and need a login like the rest.
    "api/": "JSON 404 for an unknown API path",
}


# Swagger UI is a page for people: it sends them to the login page like the other pages.
HTML_UNDER_API = {"api:docs"}


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the path pattern of an unnamed route
    fmt: str  # "jobs/%(job_id)s/"
    params: tuple[str, ...]


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry, regex, inner)
        elif isinstance(entry, URLPattern):
            fmt, params = normalize(regex)[0]
            key = fmt
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(key=key, fmt=fmt, params=tuple(params))


def all_routes() -> list[Route]:
    return list(walk(get_resolver()))


@pytest.fixture
def rows(reviewer, tmp_path) -> dict[str, object]:
    """One real row of everything a URL can name, so each URL points at something that
    exists: a view that looked up the object before checking the login would 404 here
    and be caught."""
    resume = ResumeFactory()
    job = JobFactory()
    pair = review_ratings.pair_get_or_create(resume=resume, job=job)
    rating = review_ratings.rating_create(pair=pair, score=0.5, reviewer=reviewer)
    model = scoring_activation.scoring_model_active()
    run = training_runs.training_run_create(from_ratings=True, enqueue=False, user=reviewer)
    example = LabeledExample.objects.create(
        resume_text="r", job_text="j", resume_sha256="0" * 64, score=0.5, source="import"
    )
    event = AuditEvent.objects.first() or audit_record(actor=reviewer, action="rated", target=pair)
    return {
        "resume": resume,
        "job": job,
        "pair": pair,
        "pairconflict": pair,
        "rating": rating,
        "scoringmodel": model,
        "trainingrun": run,
        "labeledexample": example,
        "auditevent": event,
        "user": reviewer,
        "group": Group.objects.first(),
    }


# The segment before an id names its table: "admin/matching/resume/<id>/", "api/v1/jobs/<pk>/".
TABLE_OF_SEGMENT = {"resumes": "resume", "jobs": "job", "runs": "trainingrun", "r": "resume"}


def fill(route: Route, rows: dict[str, object]) -> str:
    """The route's URL with each parameter set to a real row's id."""
    values: dict[str, str] = {}
    for name in route.params:
        before = route.fmt.split(f"%({name})s")[0].strip("/").split("/")[-1]
        if name in ("job_id", "resume_id", "pair_id", "run_id"):
            table = {"run": "trainingrun"}.get(name[:-3], name[:-3])
            values[name] = str(rows[table].pk)
        elif name == "version":
            values[name] = rows["scoringmodel"].version
        elif name == "app_label":
            values[name] = "matching"
        elif name == "url":
            values[name] = "no/such/page/"
        elif name == "content_type_id":
            values[name] = str(ContentType.objects.get_for_model(rows["resume"]).pk)
        elif name in ("pk", "object_id", "id"):
            if before.startswith("%("):  # admin/r/<content_type_id>/<object_id>/
                before = "r"
            table = TABLE_OF_SEGMENT.get(before, before)
            # Tables with no row here (django-q2's) get an id that may not exist: the login
            # check comes first either way.
            values[name] = str(rows[table].pk) if table in rows else "1"
        else:
            raise AssertionError(f"{route.key}: no value for the parameter {name!r}")
    return "/" + route.fmt % values


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"])
    return target.path in (reverse("login"), reverse("admin:login")) and "next=" in target.query


def test_the_walk_finds_every_part_of_the_site():
    keys = {route.key for route in all_routes()}
    expected = {
        "matching:job_list",
        "matching:resume_file",
        "matching:review_rate",
        "admin:index",
        "admin:matching_resume_delete",
        "admin:training_train_now",
        "admin:audit_auditevent_changelist",
        "api:resume-detail",
        "api:training-run-cancel",
        "api:model-activate",
        "api:model-rollback",
        "api:schema",
        "api:docs",
    }
    assert expected <= keys
    assert set(ALLOWED_ANONYMOUS) <= keys, "an allow-listed URL no longer exists"
    assert len(keys) > 100


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_client_reaches_no_url_outside_the_allow_list(rows, method):
    client = Client()
    refused = []
    for route in all_routes():
        if route.key in ALLOWED_ANONYMOUS:
            continue
        url = fill(route, rows)
        response = getattr(client, method)(
            url, **({"content_type": "application/json", "data": "{}"} if method == "post" else {})
        )
        if url.startswith("/api/") and route.key not in HTML_UNDER_API:
            ok = response.status_code == 401 and (
                json.loads(response.content)["error"]["code"] == "not_authenticated"
            )
        else:
            ok = _is_login_redirect(response)
        if not ok:
            refused.append(f"{method.upper()} {url} ({route.key}): {response.status_code}")
    assert refused == []


def test_anonymous_requests_change_nothing(rows):
    """The walk above posted to every URL (delete, activate, cancel, rate ...)."""
    client = Client()
    for route in all_routes():
        if route.key not in ALLOWED_ANONYMOUS:
            client.post(fill(route, rows), data="{}", content_type="application/json")
    assert Pair.objects.filter(pk=rows["pair"].pk).exists()
    assert Rating.objects.count() == 1
    assert TrainingRun.objects.get().status == TrainingRun.Status.QUEUED
    assert ScoringModel.objects.get(is_active=True).pk == rows["scoringmodel"].pk


def test_the_api_schema_and_docs_need_a_login(reviewer):
    anonymous = Client()
    assert anonymous.get(reverse("api:schema")).status_code == 401
    assert _is_login_redirect(anonymous.get(reverse("api:docs")))
    signed_in = Client()
    signed_in.force_login(reviewer)
    assert signed_in.get(reverse("api:schema")).status_code == 200
    assert signed_in.get(reverse("api:docs")).status_code == 200


# --- uploaded files --------------------------------------------------------------------


def test_uploaded_files_have_no_public_url_even_for_a_signed_in_user(reviewer, settings):
    resume = ResumeFactory()
    assert (settings.MEDIA_ROOT / resume.file.name).exists()
    client = Client()
    client.force_login(reviewer)
    media_url = settings.MEDIA_URL or "/"
    for url in (
        f"/{resume.file.name}",
        f"/media/{resume.file.name}",
        f"{media_url.rstrip('/')}/{resume.file.name}",
        f"/static/{resume.file.name}",
    ):
        assert client.get(url).status_code == 404, url


def test_the_original_file_is_served_only_to_signed_in_users(reviewer):
    resume = ResumeFactory()
    url = reverse("matching:resume_file", args=[resume.pk])
    assert _is_login_redirect(Client().get(url))
    client = Client()
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"resume"
    assert "attachment" in response["Content-Disposition"]


def test_a_rejected_upload_is_downloaded_only_with_the_permission(member, staff_rater):
    """A program renamed .pdf is rejected but kept: its original goes to those with
    matching.download_rejected_resume, on the page and in the admin alike."""
    from django.contrib.auth.models import Permission

    from matching.intake import resumes as intake_resumes

    program = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
    rejected = intake_resumes.resume_create(name="cv.pdf", data=program, schedule=False).resume
    assert rejected.status == rejected.Status.FAILED
    readable = intake_resumes.resume_create(
        name="cv.txt", data=b"Jane Doe, accountant since 2015.", schedule=False
    ).resume
    url = reverse("matching:resume_file", args=[rejected.pk])

    for user in (member, staff_rater):
        client = Client()
        client.force_login(user)
        refused = client.get(url)
        assert refused.status_code == 403, user
        assert "rejected" in refused.content.decode()
        page = client.get(reverse("matching:resume_detail", args=[rejected.pk])).content.decode()
        assert url not in page
        assert 'id="download-withheld"' in page
        # A readable resume stays downloadable for every signed-in reviewer.
        ok = client.get(reverse("matching:resume_file", args=[readable.pk]))
        assert ok.status_code == 200

    staff_rater.user_permissions.add(Permission.objects.get(codename="download_rejected_resume"))
    lead = Client()
    lead.force_login(staff_rater)
    response = lead.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == program
    assert url in lead.get(reverse("matching:resume_detail", args=[rejected.pk])).content.decode()
    admin_page = lead.get(reverse("admin:matching_resume_change", args=[rejected.pk]))
    assert url in admin_page.content.decode()
    assert "a rejected upload: only for leads" in admin_page.content.decode()


# --- reviewers cannot train, cancel, activate or roll back -------------------------------


@pytest.fixture
def custom_model(tmp_path) -> ScoringModel:
    """A second version a reviewer might try to activate (no folder needed: refused first)."""
    return ScoringModelFactory(version="custom-x", encoder_key="p")


def _unchanged(run: TrainingRun, live: ScoringModel) -> None:
    assert TrainingRun.objects.count() == 1
    assert TrainingRun.objects.get(pk=run.pk).status == TrainingRun.Status.QUEUED
    assert ScoringModel.objects.get(is_active=True).pk == live.pk
    assert not AuditEvent.objects.filter(
        action__in=["training_queued", "training_cancelled", "activated", "rolled_back"],
        actor__is_staff=False,
    ).exists()


def test_a_reviewer_cannot_train_cancel_activate_or_roll_back_through_the_api(
    member_api, custom_model
):
    live = scoring_activation.scoring_model_active()
    run = training_runs.training_run_create(from_ratings=True, enqueue=False)
    calls = [
        ("/api/v1/training/runs/", {"from_ratings": True, "force": True}),
        (f"/api/v1/training/runs/{run.pk}/cancel/", {}),
        (f"/api/v1/models/{custom_model.version}/activate/", {"force": True}),
        ("/api/v1/models/rollback/", {"force": True}),
    ]
    for url, body in calls:
        response = member_api.post(url, body, format="json")
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"
    _unchanged(run, live)


def test_a_non_staff_reviewer_cannot_reach_the_training_admin(member, custom_model):
    live = scoring_activation.scoring_model_active()
    run = training_runs.training_run_create(from_ratings=True, enqueue=False)
    client = Client()
    client.force_login(member)
    for url, data in [
        (reverse("admin:training_trainingrun_add"), {"from_ratings": "on", "mode": "fast"}),
        (reverse("admin:training_train_now"), {}),
        (
            reverse("admin:training_trainingrun_changelist"),
            {"action": "cancel", "_selected_action": [run.pk]},
        ),
        (
            reverse("admin:matching_scoringmodel_changelist"),
            {"action": "activate_anyway", "_selected_action": [custom_model.pk]},
        ),
    ]:
        assert _is_login_redirect(client.post(url, data)), url
    _unchanged(run, live)


def test_a_staff_reviewer_without_training_permissions_cannot_train_or_activate_in_the_admin(
    staff_rater, custom_model
):
    live = scoring_activation.scoring_model_active()
    run = training_runs.training_run_create(from_ratings=True, enqueue=False)
    client = Client()
    client.force_login(staff_rater)
    # The admin itself is open to them: they rate pairs there.
    assert client.get(reverse("admin:matching_pair_changelist")).status_code == 200
    client.post(reverse("admin:training_trainingrun_add"), {"from_ratings": "on", "mode": "fast"})
    client.post(reverse("admin:training_train_now"))
    for changelist, action, pk in [
        ("admin:training_trainingrun_changelist", "cancel", run.pk),
        ("admin:matching_scoringmodel_changelist", "activate", custom_model.pk),
        ("admin:matching_scoringmodel_changelist", "activate_anyway", custom_model.pk),
        ("admin:matching_scoringmodel_changelist", "activate", live.pk),
    ]:
        response = client.post(reverse(changelist), {"action": action, "_selected_action": [pk]})
        assert response.status_code == 403, (changelist, action)
    _unchanged(run, live)


def test_pages_outside_the_admin_and_api_offer_no_training_or_activation():
    """Training and activation live only in the admin and the API (tested above)."""
    pages = [
        route.key
        for route in all_routes()
        if not route.fmt.startswith(("admin/", "api/")) and route.key not in ALLOWED_ANONYMOUS
    ]
    assert pages
    assert not [k for k in pages if any(w in k for w in ("train", "activate", "rollback"))]
