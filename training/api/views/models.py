from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_activate, scoring_model_active
from resumeproject import access
from resumeproject.api.exceptions import Conflict
from resumeproject.api.permissions import HasAccess
from resumeproject.api.schema import ErrorSerializer
from training import cards, selectors
from training.api.filters import ScoringModelFilter
from training.api.serializers.models import ActivateIn, ScoringModelOut

ACTIVATION_CONFLICTS = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Not activated: `activation_refused` (it measured worse than the model live at its "
        "training; send force to insist) or `model_unavailable` (its folder is missing or "
        "unreadable). The live model is unchanged."
    ),
)


def _models():
    return ScoringModel.objects.select_related("training_run")


def _activate(model: ScoringModel, *, force: bool, actor: User) -> ScoringModel:
    """Activate through the service; its refusals (ActivationRefused, ModelUnavailable:
    409s) reach the client through the one UserError mapping (resumeproject.api.errors)."""
    scoring_model_activate(model=model, force=force, actor=actor)
    return _models().get(pk=model.pk)


@extend_schema_view(
    get=extend_schema(
        summary="List model versions",
        description=(
            "Newest first, the pre-trained one included: which is live, each one's metrics "
            "and how it compared with the model that was live when it was trained."
        ),
    )
)
class ScoringModelCollectionApi(generics.ListAPIView):
    queryset = _models()
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_models}
    serializer_class = ScoringModelOut
    filterset_class = ScoringModelFilter
    ordering_fields = ["created_at", "activated_at", "version"]
    ordering = ["-created_at"]

    def get(self, request: Request, *args, **kwargs) -> Response:
        scoring_model_active()  # the pre-trained row exists from the first call
        return super().get(request, *args, **kwargs)


@extend_schema_view(get=extend_schema(summary="A model version"))
class ScoringModelDetailApi(generics.RetrieveAPIView):
    queryset = _models()
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_models}
    serializer_class = ScoringModelOut
    lookup_field = "version"


class ScoringModelCardApi(generics.GenericAPIView):
    queryset = _models()
    lookup_field = "version"
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_view_models}

    @extend_schema(
        summary="A model version's model card",
        description=(
            "Intended use and limits, training data and counts, validation metrics with "
            "95% intervals, the adverse impact of the applications it has scored (counts "
            "and ratios only), the counterfactual test, who trained and activated it. "
            "JSON, or Markdown with `?as=markdown`."
        ),
        parameters=[OpenApiParameter("as", str, enum=["json", "markdown"], required=False)],
        responses={200: dict},
    )
    def get(self, request: Request, version: str) -> Response | HttpResponse:
        scoring_model_active()  # the pre-trained row exists from the first call
        card = cards.model_card(self.get_object(), reader=request.user)
        if request.query_params.get("as") == "markdown":
            response = HttpResponse(cards.card_markdown(card), content_type="text/markdown")
            response["Content-Disposition"] = f'inline; filename="model-card-{version}.md"'
            return response
        return Response(card)


class ScoringModelActivateApi(generics.GenericAPIView):
    queryset = _models()
    lookup_field = "version"
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_activate_model}

    @extend_schema(
        summary="Activate a model version (or roll back to one)",
        description=(
            "Makes it the live model without a restart; every pair is re-scored in the "
            "background. Rolling back is activating an earlier version, or `pretrained`. "
            "A version that measured worse than the model live at its training is refused "
            "(409) unless `force` is true. Needs the permission to change scoring models "
            "(model managers)."
        ),
        request=ActivateIn,
        responses={200: ScoringModelOut, 409: ACTIVATION_CONFLICTS},
    )
    def post(self, request: Request, version: str) -> Response:
        model = self.get_object()
        data_in = ActivateIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        model = _activate(model, force=data_in.validated_data["force"], actor=request.user)
        return Response(ScoringModelOut(model).data)


class ScoringModelRollbackApi(APIView):
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_activate_model}

    @extend_schema(
        summary="Roll back to the previously live version",
        description=(
            "Activates the version that was live before the current one (the one activated "
            "last among the others); a second rollback returns to where you started. 409 "
            "with `no_previous_model` if the live model is the only one ever activated. To "
            "go further back, activate a version by name. Needs the permission to change "
            "scoring models (model managers)."
        ),
        request=ActivateIn,
        responses={200: ScoringModelOut, 409: ACTIVATION_CONFLICTS},
    )
    def post(self, request: Request) -> Response:
        data_in = ActivateIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        previous = selectors.model_previously_active()
        if previous is None:
            raise Conflict(
                "No other version has been live: there is nothing to roll back to.",
                code="no_previous_model",
            )
        model = _activate(previous, force=data_in.validated_data["force"], actor=request.user)
        return Response(ScoringModelOut(model).data)
