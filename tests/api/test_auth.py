"""Authentication: token and session, nothing readable without it, and getting a token."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.helpers import assert_error, token_client
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def schema_operations() -> list[tuple[str, str, bool]]:
    """(method, path, needs auth) of every operation in the OpenAPI schema, so endpoints
    added later (training, models) are covered by these tests without editing them."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation.get("security", [{}]) != [{}])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


OPERATIONS = schema_operations()


def test_the_schema_lists_every_endpoint_of_the_api():
    listed = {(method, path) for method, path, _ in OPERATIONS}
    expected = {
        ("POST", "/api/v1/auth/token/"),
        ("GET", "/api/v1/resumes/"),
        ("POST", "/api/v1/resumes/"),
        ("GET", "/api/v1/resumes/{id}/"),
        ("DELETE", "/api/v1/resumes/{id}/"),
        ("GET", "/api/v1/resumes/{id}/best-jobs/"),
        ("GET", "/api/v1/jobs/"),
        ("POST", "/api/v1/jobs/"),
        ("GET", "/api/v1/jobs/{id}/"),
        ("PUT", "/api/v1/jobs/{id}/"),
        ("PATCH", "/api/v1/jobs/{id}/"),
        ("POST", "/api/v1/jobs/{id}/close/"),
        ("GET", "/api/v1/jobs/{id}/ranking/"),
        ("POST", "/api/v1/score/"),
        ("GET", "/api/v1/ratings/"),
        ("POST", "/api/v1/ratings/"),
    }
    assert expected <= listed


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for m, p, needs_auth in OPERATIONS if needs_auth],
    ids=[f"{m} {p}" for m, p, needs_auth in OPERATIONS if needs_auth],
)
def test_anonymous_requests_get_401_on_every_endpoint(anon, method, path):
    job = JobFactory()
    url = re.sub(r"\{[^}]+\}", str(job.pk), path)
    response = anon.generic(method, url, data=b"{}", content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_only_the_token_endpoint_is_open_without_credentials():
    assert [(m, p) for m, p, needs_auth in OPERATIONS if not needs_auth] == [
        ("POST", "/api/v1/auth/token/")
    ]


def test_an_unknown_token_is_refused_with_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert_error(anon.get("/api/v1/jobs/"), 401, "authentication_failed")


def test_the_token_of_a_deactivated_user_is_refused(reviewer):
    client = token_client(reviewer)
    reviewer.is_active = False
    reviewer.save()
    assert_error(client.get("/api/v1/jobs/"), 401, "authentication_failed")


def test_a_token_reads_the_api(api):
    JobFactory(title="Data engineer")
    response = api.get("/api/v1/jobs/")
    assert response.status_code == 200
    assert [j["title"] for j in response.json()["results"]] == ["Data engineer"]


def test_a_session_reads_the_api_and_writes_with_the_csrf_token(reviewer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.get("/api/v1/jobs/").status_code == 200

    job = {"title": "Nurse", "description": "Intensive care nurse."}
    refused = client.post("/api/v1/jobs/", job, format="json")
    error = assert_error(refused, 403, "permission_denied")
    assert "CSRF" in error["message"]

    client.get("/accounts/login/")  # sets the csrftoken cookie, as a browser would have it
    csrf = client.cookies["csrftoken"].value
    created = client.post("/api/v1/jobs/", job, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert created.status_code == 201


def test_username_and_password_get_a_token_and_the_same_one_again(anon, reviewer):
    first = anon.post("/api/v1/auth/token/", {"username": "rita", "password": "pw-rita-2026"})
    assert first.status_code == 200
    key = first.json()["token"]
    assert Token.objects.get(user=reviewer).key == key
    again = anon.post("/api/v1/auth/token/", {"username": "rita", "password": "pw-rita-2026"})
    assert again.json()["token"] == key
    assert token_client(reviewer).get("/api/v1/jobs/").status_code == 200


def test_a_wrong_password_gets_no_token(anon, reviewer):
    response = anon.post("/api/v1/auth/token/", {"username": "rita", "password": "nope"})
    error = assert_error(response, 400, "invalid")
    assert "Unable to log in" in error["message"]
    assert not Token.objects.exists()


def test_a_missing_password_is_named_as_the_field_at_fault(anon):
    response = anon.post("/api/v1/auth/token/", {"username": "rita"})
    assert_error(response, 400, "invalid", fields=["password"])


def test_drf_create_token_command_creates_a_token_for_a_user(reviewer, capsys):
    call_command("drf_create_token", "rita")
    key = Token.objects.get(user=reviewer).key
    assert key in capsys.readouterr().out
