"""API exceptions of this project (beside DRF's); kept apart from errors.py, which imports
rest_framework.views, so parsers and permissions can raise them without an import cycle."""

from __future__ import annotations

from rest_framework import exceptions, status


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


class InvalidInput(exceptions.APIException):
    """A 400 with a code of its own (a matching.errors code, for instance)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid input."
    default_code = "invalid"


class Conflict(exceptions.APIException):
    """A 409: the request is fine, but the object's state does not allow it now (a run
    that has already ended, a model that measured worse). `code` says which state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the object."
    default_code = "conflict"
