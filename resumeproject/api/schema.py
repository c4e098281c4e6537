"""OpenAPI pieces shared by every endpoint: the error body and which errors each can answer.

Views declare their success responses with @extend_schema; AutoSchema adds the error
responses that apply, so every operation documents the one error body and the
schema-generated tests (tests/api/test_schemathesis.py) can check each status code.
"""

from __future__ import annotations

import uritemplate
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from resumeproject.api.throttling import scope_for


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="Stable, machine-readable: invalid, not_found, ...")
    message = serializers.CharField(help_text="What was wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per field at fault ({"title": ["This field is required."]}).',
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="Throttled (429) only: seconds to wait."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid input: see error.fields.",
    401: "No or invalid credentials.",
    403: "Signed in, but not allowed to do this.",
    404: "No such object (or page).",
    413: "The request body is too large.",
    415: "Unsupported Content-Type.",
    429: "Too many requests: retry after error.retry_after seconds.",
}

WRITE_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            responses.setdefault(
                str(code),
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    str(code),
                    direction=direction,
                ),
            )
        return responses

    def error_codes(self) -> list[int]:
        method = self.method.upper()
        has_body = method in WRITE_METHODS and self.get_request_serializer() is not None
        is_list = method == "GET" and self._is_list_view()
        codes = []
        if has_body or is_list:
            codes.append(400)
        if not any(cls is AllowAny for cls in self.view.permission_classes):
            codes += [401, 403]
        if uritemplate.variables(self.path) or is_list:
            codes.append(404)
        if has_body:
            codes += [413, 415]
        if scope_for(self.view, method):
            codes.append(429)
        return codes
