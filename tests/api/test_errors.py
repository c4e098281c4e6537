"""One error body for every 4xx: shape, codes, fields, and the statuses DRF and Django raise."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from rest_framework import exceptions
from rest_framework.throttling import ScopedRateThrottle
from werkzeug.test import Client

import training.errors  # noqa: F401  (its UserErrors are parametrised below, as matching's)
from matching.errors import extraction_error
from resumeproject.api.errors import as_api_exception, error_body, flatten
from resumeproject.errors import UserError
from tests.api.helpers import assert_error, token_client

pytestmark = pytest.mark.django_db


# --- the body ----------------------------------------------------------------------------


def test_a_validation_error_lists_each_field_and_sums_them_up_in_the_message(api):
    response = api.post("/api/v1/jobs/", {"title": ""}, format="json")
    error = assert_error(response, 400, "invalid", fields=["title", "description"])
    assert error["fields"] == {
        "title": ["This field may not be blank."],
        "description": ["This field is required."],
    }
    assert error["message"] == (
        "title: This field may not be blank. description: This field is required."
    )


def test_an_error_not_tied_to_a_field_is_the_message():
    body = error_body(exceptions.ValidationError("Give a score or stars."), 400)
    assert body == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "Give a score or stars.",
            "fields": {},
        }
    }


def test_nested_errors_become_dotted_field_paths():
    detail = {
        "files": {0: ["Not a file."], 2: ["Empty."]},
        "items": [{}, {"score": ["Too high."]}],
        "non_field_errors": ["Both given."],
    }
    assert flatten(exceptions.ValidationError(detail).detail) == {
        "files.0": ["Not a file."],
        "files.2": ["Empty."],
        "items.1.score": ["Too high."],
        "non_field_errors": ["Both given."],
    }
    body = error_body(exceptions.ValidationError(detail), 400)["error"]
    assert body["message"] == "Both given."
    assert "non_field_errors" not in body["fields"]


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (Http404("No Job matches the given query."), 404, "not_found"),
        (RequestDataTooBig("big"), 413, "too_large"),
        (extraction_error("empty_file", name="cv.txt"), 400, "empty_file"),
        (DjangoValidationError({"score": ["Too high."]}), 400, "invalid"),
    ],
)
def test_django_and_domain_exceptions_become_api_errors(raised, status, code):
    exc = as_api_exception(raised)
    assert isinstance(exc, exceptions.APIException)
    body = error_body(exc, exc.status_code)["error"]
    assert (exc.status_code, body["code"]) == (status, code)


def _user_errors(cls: type[UserError]) -> list[type[UserError]]:
    return [sub for c in cls.__subclasses__() for sub in (c, *_user_errors(c))]


@pytest.mark.parametrize("error", _user_errors(UserError), ids=lambda cls: cls.__name__)
def test_every_user_error_maps_to_its_code_and_status(error):
    exc = as_api_exception(error("Shown to people."))
    body = error_body(exc, exc.status_code)["error"]
    assert (exc.status_code, body["code"]) == (error.status, error.code)
    assert body["message"] == "Shown to people."
    assert body["fields"] == {}


def test_an_unexpected_exception_is_left_to_django():
    boom = RuntimeError("bug")
    assert as_api_exception(boom) is boom


# --- statuses raised by DRF and Django ---------------------------------------------------


def test_unknown_api_paths_are_404_in_the_error_body(api, anon):
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(anon.get("/api/v2/jobs/"), 404, "not_found")


def test_a_missing_final_slash_is_404_with_a_hint(api):
    error = assert_error(api.post("/api/v1/jobs", {}, format="json"), 404, "not_found")
    assert error["message"] == "Not found. Did you mean /api/v1/jobs/ (with the final slash)?"


def test_a_method_an_endpoint_lacks_is_405(api):
    assert_error(api.delete("/api/v1/jobs/"), 405, "method_not_allowed")


def test_an_unsupported_content_type_is_415(api):
    response = api.post("/api/v1/jobs/", "title=x", content_type="text/plain")
    error = assert_error(response, 415, "unsupported_media_type")
    assert "text/plain" in error["message"]


def test_malformed_json_is_a_parse_error(api):
    response = api.post("/api/v1/jobs/", '{"title": ', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_an_unacceptable_accept_header_is_406(api):
    response = api.get("/api/v1/jobs/", HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")


def test_uploads_are_throttled_with_retry_after(api, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "uploads", "1/hour")

    def upload(name: str):
        data = {"files": [SimpleUploadedFile(name, f"Resume {name}".encode())]}
        return api.post("/api/v1/resumes/", data, format="multipart")

    assert upload("a.txt").status_code == 201
    error = assert_error(upload("b.txt"), 429, "throttled")
    assert 3500 <= error["retry_after"] <= 3600
    # Reading is not throttled.
    assert api.get("/api/v1/resumes/").status_code == 200


def test_throttle_rates_come_from_the_settings(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] is settings.API_THROTTLE_RATES
    assert set(settings.API_THROTTLE_RATES) >= {"uploads", "scoring", "training"}


def test_a_json_body_over_the_limit_is_413_through_the_wsgi_server(reviewer, settings, wsgi_app):
    """Through a real WSGI server too: Django's DATA_UPLOAD_MAX_MEMORY_SIZE applies to JSON."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    key = token_client(reviewer)._credentials["HTTP_AUTHORIZATION"]
    response = Client(wsgi_app).post(
        "/api/v1/score/",
        data=json.dumps({"resume_text": "a" * 2000, "job_text": "Python developer"}),
        headers={"Authorization": key, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = json.loads(response.get_data())["error"]
    assert error["code"] == "too_large"
    assert error["message"] == "The request body is larger than the limit of 1000 bytes."


def test_options_is_405_as_the_schema_describes_the_api(api):
    assert_error(api.options("/api/v1/jobs/"), 405, "method_not_allowed")
