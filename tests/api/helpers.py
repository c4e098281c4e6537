"""Helpers of the REST API tests: clients, permissions and the error-body assertion."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def served_schema() -> dict:
    """The OpenAPI schema /api/schema/ serves, generated without a request (so without
    the database): the operations and parameters the generated tests walk."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def grant(user, *codenames: str) -> None:
    """Give a user Django model permissions ("add_resume", ...) of the matching app."""
    perms = Permission.objects.filter(content_type__app_label="matching", codename__in=codenames)
    assert perms.count() == len(codenames)
    user.user_permissions.add(*perms)


def assert_error(response, status: int, code: str, fields: list[str] | None = None) -> dict:
    """The one error body: {"error": {status, code, message, fields}}; returns error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"status", "code", "message", "fields"} <= set(error)
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if fields is not None:
        assert sorted(error["fields"]) == sorted(fields)
    return error
