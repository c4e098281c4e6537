"""Every parameter of every API operation, and the query parameters of the site's pages,
given the values generated fuzzing tends to miss: integers past 64 bits either way, digits
that are not ASCII ("²" passes str.isdigit, "٣" passes int()), and a JSON body nested
100,000 deep. None may answer 500: the API answers 4xx with its one error body, the pages
400 or 404.

The operations and their parameters are read from the served OpenAPI schema, so a new
endpoint or filter is covered without editing this file.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from matching.scoring import activation as scoring_activation
from tests.api.helpers import served_schema, token_client
from tests.factories import JobFactory, PairFactory, ResumeFactory
from training.models import TrainingRun

pytestmark = pytest.mark.django_db

HOSTILE_VALUES: list[Any] = [2**64, -(2**64), 2**63, "²", "٣", "1e999", "9" * 5000]
DEPTH = 100_000
DEEP_BODIES = {"list": "[" * DEPTH + "]" * DEPTH, "object": '{"a":' * DEPTH + "1" + "}" * DEPTH}

SCHEMA = served_schema()
OPERATIONS = [
    pytest.param(method.upper(), path, operation, id=f"{method.upper()} {path}")
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def rows(reviewer, monkeypatch, queue_only_settings) -> dict[str, str]:
    """Real rows for the path parameters (so query parameters reach the filters behind
    them), no throttling (the requests come fast; throttling has tests of its own), and
    runs queued rather than trained."""
    for scope in list(ScopedRateThrottle.THROTTLE_RATES):
        monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, scope, "1000000/minute")
    model = scoring_activation.scoring_model_active()
    job, resume = JobFactory(), ResumeFactory()
    PairFactory(resume=resume, job=job, score=0.5, scoring_model=model)
    run = TrainingRun.objects.create()
    return {
        "/jobs/": str(job.pk),
        "/resumes/": str(resume.pk),
        "/training/runs/": str(run.pk),
        "/models/": model.version,
    }


@pytest.fixture
def queue_only_settings(settings):
    settings.MATCHING_SYNC_TASKS = False


def _client(user) -> APIClient:
    client = token_client(user)
    client.raise_request_exception = False  # a 500 is recorded, not raised mid-loop
    return client


def _fill(path: str, rows: dict[str, str], value: Any | None = None) -> str:
    """The path with its parameter set to a real row's, or to `value`."""
    if "{" not in path:
        return path
    head, _, rest = path.partition("{")
    real = next(v for prefix, v in rows.items() if prefix in head)
    return head + str(real if value is None else value) + rest.partition("}")[2]


def _body_properties(operation: dict) -> dict[str, list[str]]:
    """Each content type of the request body and the names of its properties."""
    out = {}
    for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
        schema = media.get("schema", {})
        ref = schema.get("$ref")
        if ref:
            schema = SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[1]]
        out[content_type] = list(schema.get("properties", {}))
    return out


def _fault(response, what: str) -> str | None:
    """Why an answer is wrong: a 5xx, or a 4xx without the API's one error body."""
    if response.status_code >= 500:
        return f"{what}: {response.status_code}"
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            assert error["status"] == response.status_code and error["message"]
        except (ValueError, KeyError, TypeError, AssertionError):
            return f"{what}: {response.status_code} without the error body"
    return None


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_no_parameter_of_an_operation_answers_500_to_overflowing_or_odd_numbers(
    method, path, operation, rows, reviewer
):
    client = _client(reviewer)
    faults = []
    url = _fill(path, rows)
    for parameter in operation.get("parameters", []):
        for value in HOSTILE_VALUES:
            if parameter["in"] == "query":
                target = f"{url}?{parameter['name']}={value}"
            elif parameter["in"] == "path":
                target = _fill(path, rows, value)
            else:
                continue
            response = client.generic(method, target)
            faults.append(_fault(response, f"{parameter['in']} {parameter['name']}={value!s:.20}"))
    for content_type, names in _body_properties(operation).items():
        for name in names:
            # A field that reads JSON out of a string must not recurse through it either.
            for value in [*HOSTILE_VALUES, DEEP_BODIES["list"]]:
                if content_type == "application/json":
                    response = client.generic(
                        method, url, json.dumps({name: value}), content_type=content_type
                    )
                elif content_type == "multipart/form-data":
                    response = getattr(client, method.lower())(url, {name: str(value)})
                else:
                    continue
                faults.append(_fault(response, f"body {name}={value!s:.20} ({content_type})"))
    assert [f for f in faults if f] == []


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_a_json_body_nested_100000_deep_is_a_400_on_every_operation(
    method, path, operation, rows, reviewer
):
    client = _client(reviewer)
    url = _fill(path, rows)
    for body in DEEP_BODIES.values():
        response = client.generic(method, url, body, content_type="application/json")
        assert _fault(response, "deep body") is None
        if "application/json" in _body_properties(operation):
            assert response.status_code == 400
            assert response.json()["error"]["code"] == "parse_error"
            assert "nested" in response.json()["error"]["message"]


@pytest.mark.parametrize("name", ["reviewer", "job", "resume"])
@pytest.mark.parametrize("value", [2**64, -(2**64), "²"])
def test_rating_filters_refuse_ids_past_64_bits_with_a_400_naming_the_filter(name, value, reviewer):
    response = _client(reviewer).get(f"/api/v1/ratings/?{name}={value}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [name]


SITE_PAGES = [
    "/review/?rated={}",
    "/review/?skipped={}",
    "/jobs/{job}/?page={}",
    "/jobs/{job}/?min_score={}",
    "/jobs/{job}/?rated={}",
    "/jobs/{job}/export.csv?min_score={}",
    "/jobs/{}/",
    "/resumes/{}/",
    "/review/pairs/{}/",
]


@pytest.mark.parametrize("page", SITE_PAGES)
def test_site_pages_answer_400_or_404_to_overflowing_or_odd_numbers(page, rows, reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)
    for value in HOSTILE_VALUES:
        response = client.get(page.format(value, job=rows["/jobs/"]))
        assert response.status_code < 500, (value, response.status_code)


@pytest.mark.parametrize("value", [2**64, "²", "٣", "-1"])
def test_the_review_page_answers_400_saying_which_rating_it_cannot_show(value, reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)
    response = client.get(f"/review/?rated={value}")
    assert response.status_code == 400
    assert "rated" in response.content.decode()
