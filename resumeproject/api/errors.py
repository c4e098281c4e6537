"""One error body for every 4xx the API answers.

    {"error": {"status": 400, "code": "invalid", "message": "title: This field is required.",
               "fields": {"title": ["This field is required."]}}}

`code` is stable and machine-readable (DRF's codes: invalid, not_authenticated,
authentication_failed, permission_denied, not_found, method_not_allowed, not_acceptable,
unsupported_media_type, too_large, throttled, parse_error, or a UserError's code);
`message` is for people; `fields` names the fields at fault, as dotted paths for nested
ones ("files.1"), and is empty when no field is. A throttled answer adds `retry_after`
(seconds, also in the Retry-After header).

Exceptions that are not a client's fault are left alone: Django answers 500 and logs them.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from resumeproject.api.exceptions import PayloadTooLarge
from resumeproject.errors import UserError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    response.data = error_body(exc, response.status_code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(response.data["error"]["retry_after"])
    return response


def as_api_exception(exc: Exception) -> Exception:
    """Django's and the domain's exceptions a client can cause, as DRF exceptions."""
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return PayloadTooLarge(f"Too many files in one request: at most {limit}.")
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return PayloadTooLarge(f"Too many fields in one request: at most {limit}.")
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, UserError):
        return user_error(exc)
    return exc


def user_error(exc: UserError) -> exceptions.APIException:
    """Any app's user error as the API answer: its status, its code, its message."""
    answer = type(
        exc.__class__.__name__,
        (exceptions.APIException,),
        {"status_code": exc.status, "default_code": exc.code},
    )
    return answer(exc.message, code=exc.code)


def error_body(exc: exceptions.APIException, status_code: int) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        fields = flatten(exc.detail)
        general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, []) + fields.pop("", [])
        message = " ".join(general) or " ".join(
            f"{name}: {messages[0]}" for name, messages in fields.items()
        )
        message = message or "Invalid input."
    else:
        detail = exc.detail
        if isinstance(detail, list | dict):
            # An APIException raised with structured detail: keep it as fields.
            fields = flatten(detail)
            message = " ".join(m for ms in fields.values() for m in ms)
            code = exc.default_code
        else:
            message = str(detail)
            code = getattr(detail, "code", None) or exc.default_code
    body: dict[str, Any] = {
        "status": status_code,
        "code": str(code),
        "message": message,
        "fields": fields,
    }
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = max(1, math.ceil(exc.wait))
    return {"error": body}


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"dotted.path": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for path, messages in flatten(value, name).items():
                out.setdefault(path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, list | dict) for item in detail):
            if detail:
                out[prefix] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                name = f"{prefix}.{index}" if prefix else str(index)
                for path, messages in flatten(item, name).items():
                    out.setdefault(path, []).extend(messages)
    else:
        out[prefix] = [str(detail)]
    return out
