from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from training import labels as training_labels
from training import selectors
from training.api.serializers.feedback import FeedbackIn, FeedbackOut


class FeedbackApi(APIView):
    @extend_schema(
        summary="Correct a score (feedback)",
        description=(
            "The product notes' collect_feedback: a resume text, a job text, what the model "
            "said and what the reviewer says. Stored as a label for the next training run "
            "(source `feedback`); the answer says whether retraining is now suggested. "
            "Any reviewer may send it; the label is theirs."
        ),
        request=FeedbackIn,
        responses={201: FeedbackOut},
    )
    def post(self, request: Request) -> Response:
        data_in = FeedbackIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        example = training_labels.feedback_collect(
            **data_in.validated_data, user=request.user, origin="api"
        )
        out = FeedbackOut(example, context={"retraining": selectors.retrain_status()})
        return Response(out.data, status=status.HTTP_201_CREATED)
