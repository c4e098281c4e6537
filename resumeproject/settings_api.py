"""The REST API's settings (resumeproject/api, matching/api, training/api; docs/api.md),
read from the environment; resumeproject.settings imports them."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from resumeproject.env import env_int, env_str

API_PAGE_SIZE = env_int("API_PAGE_SIZE", 25, minimum=1)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200, minimum=1)
# Requests per client (user, or address when anonymous) on the expensive endpoints, as
# DRF reads them: "<count>/<second|minute|hour|day>". Counters live in the default cache
# (per process unless CACHES points at a shared one such as Redis).
API_THROTTLE_RATES = {
    "uploads": env_str("API_THROTTLE_UPLOADS", "60/minute"),
    "scoring": env_str("API_THROTTLE_SCORING", "60/minute"),
    "training": env_str("API_THROTTLE_TRAINING", "10/hour"),
    # Token requests carry a password: slow down guessing.
    "auth": env_str("API_THROTTLE_AUTH", "20/minute"),
}
_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
for _scope, _rate in API_THROTTLE_RATES.items():
    _count, _, _period = _rate.partition("/")
    if not (_count.isdigit() and int(_count) > 0 and _period in _PERIODS):
        raise ImproperlyConfigured(
            f"API_THROTTLE_{_scope.upper()} must look like 60/minute "
            f"(a count per second, minute, hour or day), got {_rate!r}"
        )


def rest_framework(*, num_proxies: int) -> dict:
    """DRF's settings; throttles key on the client address through `num_proxies` proxies."""
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            # Token first: its WWW-Authenticate header makes a request without credentials a
            # 401 (with session first DRF answers 403).
            "rest_framework.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["resumeproject.api.permissions.IsReviewer"],
        # DRF's JSON parser with a nesting limit (a body 100,000 deep was a RecursionError).
        "DEFAULT_PARSER_CLASSES": ["resumeproject.api.parsers.JSONParser"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PAGINATION_CLASS": "resumeproject.api.pagination.PageNumberPagination",
        "PAGE_SIZE": API_PAGE_SIZE,
        "DEFAULT_FILTER_BACKENDS": [
            "django_filters.rest_framework.DjangoFilterBackend",
            "resumeproject.api.filters.StableOrderingFilter",
        ],
        "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
        # Throttles count per client address through the trusted proxies only (DRF's default,
        # None, keys on the whole X-Forwarded-For header, so a client resets its count at will).
        "NUM_PROXIES": num_proxies,
        "EXCEPTION_HANDLER": "resumeproject.api.errors.exception_handler",
        "DEFAULT_SCHEMA_CLASS": "resumeproject.api.schema.AutoSchema",
        # OPTIONS answers 405: the OpenAPI schema describes the API (DRF's metadata would
        # also need a serializer on views that take no body).
        "DEFAULT_METADATA_CLASS": None,
        "TEST_REQUEST_DEFAULT_FORMAT": "json",
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "Resume Screening API",
    "DESCRIPTION": (
        "Resumes, jobs, rankings, ad-hoc scoring and ratings. Authenticate with "
        "`Authorization: Token <key>` or a session. Every 4xx answer has one body: "
        "`{error: {status, code, message, fields}}`. Guide: docs/api.md."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Separate request and response components: file fields and read-only fields then
    # appear only where they apply.
    "COMPONENT_SPLIT_REQUEST": True,
    # Resumes and training runs both have a `status`: name each set of choices (the
    # resumes' keeps the name it had before training runs came, for generated clients).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "matching.models.Resume.Status",
        "TrainingRunStatusEnum": "training.models.TrainingRun.Status",
        # A rating's source, in RatingOut and in the answer to a post (RatingSubmitOut).
        "RatingSourceEnum": "matching.models.RatingSource",
    },
    # Swagger UI from the drf-spectacular-sidecar package's static files, never a CDN:
    # many sites that run this have no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "persistAuthorization": True,
        # The badge would send the schema to validator.swagger.io.
        "validatorUrl": None,
    },
}
