"""Pausing and resuming automated scoring through the API, with the same permission as
the job list's buttons (resumeproject.access.can_pause_scoring)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.scoring import oversight
from resumeproject import access
from resumeproject.api.permissions import HasAccess


class ScoringStateOut(serializers.Serializer):
    paused = serializers.BooleanField()
    since = serializers.DateTimeField(allow_null=True)
    by = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    queued = serializers.IntegerField(required=False)


class PauseIn(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


def _state(**extra: int) -> dict:
    pause = oversight.scoring_paused()
    return {
        "paused": pause is not None,
        "since": pause.paused_at if pause else None,
        "by": pause.paused_by.get_username() if pause and pause.paused_by else None,
        "reason": pause.reason if pause else "",
        **extra,
    }


class ScoringStateApi(APIView):
    @extend_schema(summary="Whether automated scoring is paused", responses=ScoringStateOut)
    def get(self, request: Request) -> Response:
        return Response(ScoringStateOut(_state()).data)


class ScoringPauseApi(APIView):
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_pause_scoring}

    @extend_schema(
        summary="Pause automated scoring",
        description=(
            "New resumes and jobs then stay unscored and ad-hoc scoring answers 409 "
            "`scoring_paused`, until a lead resumes it; nothing is rejected. Audited."
        ),
        request=PauseIn,
        responses=ScoringStateOut,
    )
    def post(self, request: Request) -> Response:
        data = PauseIn(data=request.data)
        data.is_valid(raise_exception=True)
        oversight.scoring_pause(actor=request.user, reason=data.validated_data["reason"])
        return Response(ScoringStateOut(_state()).data)


class ScoringResumeApi(APIView):
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_pause_scoring}

    @extend_schema(
        summary="Resume automated scoring",
        description="Queues every resume left unscored meanwhile (`queued`). Audited.",
        request=None,
        responses=ScoringStateOut,
    )
    def post(self, request: Request) -> Response:
        queued = oversight.scoring_resume(actor=request.user)
        return Response(ScoringStateOut(_state(queued=queued)).data)
