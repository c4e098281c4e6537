from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from training.health import system_health


class HealthApi(APIView):
    @extend_schema(
        summary="Health of the background work (for monitoring)",
        description=(
            "What `manage.py status` prints: the live model, queued tasks, clusters seen in "
            "the last minute, resumes waiting and lost, scoring failed in the last 24 hours, "
            "stale training runs, and `problems`. 200 when nothing needs an operator, 503 "
            "when something does. Any signed-in user or token."
        ),
        responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        health = system_health()
        return Response(health.to_json(), status=200 if health.ok else 503)
