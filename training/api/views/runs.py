from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from resumeproject import access
from resumeproject.api import throttling
from resumeproject.api.exceptions import Conflict
from resumeproject.api.parsers import JSONParser
from resumeproject.api.permissions import HasAccess
from resumeproject.api.schema import ErrorSerializer
from training import errors as training_errors
from training import runs as training_runs
from training import selectors
from training.api.filters import TrainingRunFilter
from training.api.serializers.runs import (
    RunCreateIn,
    RunDetailOut,
    RunJsonIn,
    RunMultipartIn,
    RunOut,
    SuggestionOut,
)
from training.models import TrainingRun


def _runs() -> QuerySet[TrainingRun]:
    return TrainingRun.objects.select_related("output_model", "base_model", "created_by")


@extend_schema_view(get=extend_schema(summary="List training runs", description="Newest first."))
class TrainingRunCollectionApi(generics.ListAPIView):
    # The log and the validation predictions can be long: only a run's detail has them.
    queryset = _runs().defer("log", "validation_predictions")
    serializer_class = RunOut
    filterset_class = TrainingRunFilter
    ordering_fields = ["created_at", "started_at", "finished_at", "status", "mode"]
    ordering = ["-created_at"]
    parser_classes = [JSONParser, MultiPartParser]
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_runs, "POST": access.can_train}
    throttle_classes = [throttling.MethodScopedRateThrottle]
    throttle_scopes = {"POST": throttling.TRAINING}

    @extend_schema(
        summary="Queue a training run",
        description=(
            "The options of `manage.py train_custom_model`. Examples come as JSON "
            "(`train_examples`, `validation_examples`: lists in the notes' format) or as "
            "multipart files (`train_file`, `validation_file`), and/or from the database's "
            "labels (`from_ratings`). They are read now: a bad example is a 400 naming it, "
            "and nothing is created. The run is queued and the answer (202) comes at once "
            "with the run and its status `url` (also in `Location`): poll it until "
            "`is_final`. Needs the permission to add training runs (model managers)."
        ),
        request={"application/json": RunJsonIn, "multipart/form-data": RunMultipartIn},
        responses={202: RunDetailOut},
    )
    def post(self, request: Request) -> Response:
        data_in = RunCreateIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        wants_live = data_in.validated_data.get("activate") or data_in.validated_data.get(
            "activate_if_worse"
        )
        if wants_live and not access.can_activate_model(request.user):
            # A run that activates its model at the end makes it live: same permission.
            raise PermissionDenied(access.can_activate_model.refusal)
        # Its refusals (DatasetError, RunRefused) are UserErrors: mapped once, as 400s.
        run = training_runs.training_run_create(**data_in.validated_data, user=request.user)
        # Fresh from the database: with synchronous tasks (tests, demos) it has already run.
        run = _runs().get(pk=run.pk)
        out = RunDetailOut(run, context=self.get_serializer_context())
        return Response(
            out.data, status=status.HTTP_202_ACCEPTED, headers={"Location": out.data["url"]}
        )


@extend_schema_view(
    get=extend_schema(
        summary="A training run, with live progress",
        description=(
            "Status, progress (0..1) and stage while it works; the log tail, the data "
            "checks, the dataset statistics; when done, the live model's and the "
            "candidate's metrics on the same validation examples, the timings, the error "
            "of a failed run and the version it trained."
        ),
    )
)
class TrainingRunDetailApi(generics.RetrieveAPIView):
    queryset = _runs()
    serializer_class = RunDetailOut
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_runs}


class TrainingRunCancelApi(generics.GenericAPIView):
    queryset = _runs()
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_cancel_run}

    @extend_schema(
        summary="Cancel a training run",
        description=(
            "A queued run stops at once, a running one at its next progress report; the "
            "live model is untouched. 409 if the run has already ended. Needs the "
            "permission to change training runs (model managers)."
        ),
        request=None,
        responses={
            200: RunDetailOut,
            409: OpenApiResponse(ErrorSerializer, description="The run has already ended."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        run = self.get_object()
        try:
            training_runs.training_run_cancel(run=run)
        except training_errors.InvalidTransition as exc:
            raise Conflict(str(exc), code="run_finished") from None
        run = _runs().get(pk=run.pk)
        return Response(RunDetailOut(run, context=self.get_serializer_context()).data)


class RetrainSuggestionApi(APIView):
    # The admin shows the suggestion on the runs' list.
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_runs}

    @extend_schema(
        summary="Is retraining suggested?",
        description=(
            "New labels (ratings, imports, history, feedback) since the live model was "
            "trained, against RETRAIN_SUGGEST_AFTER: `suggested` when the threshold is "
            "reached and no run is queued or running."
        ),
        responses=SuggestionOut,
    )
    def get(self, request: Request) -> Response:
        return Response(SuggestionOut(selectors.retrain_status()).data)
