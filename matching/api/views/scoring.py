from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.api.serializers.scoring import ScoreIn, ScoreOut, ScoreTextIn
from matching.errors import ScoringPaused
from matching.scoring import oversight
from matching.scoring.activation import scoring_model_active
from matching.scoring.inputs import TextPair
from matching.scoring.services import texts_score
from resumeproject.api import throttling
from resumeproject.api.parsers import JSONParser


class ScoreApi(APIView):
    parser_classes = [JSONParser, MultiPartParser]
    throttle_classes = [throttling.MethodScopedRateThrottle]
    throttle_scope = throttling.SCORING

    @extend_schema(
        summary="Score a resume against a job, storing nothing",
        description=(
            "JSON with `resume_text` and `job_text`, or multipart with texts or files "
            "(`resume_file`, `job_file`: PDF, DOCX, TXT, Markdown). The live model scores "
            "the pair; neither text nor its vectors are kept. 409 `scoring_paused` while "
            "a lead has paused automated scoring."
        ),
        request={"application/json": ScoreTextIn, "multipart/form-data": ScoreIn},
        responses=ScoreOut,
    )
    def post(self, request: Request) -> Response:
        if (pause := oversight.scoring_paused()) is not None:
            raise ScoringPaused(oversight.paused_message(pause))
        data_in = ScoreIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        texts = data_in.validated_data
        model = scoring_model_active()
        scores, features = texts_score(
            pairs=[TextPair(resume=texts["resume"], job=texts["job"], title=texts["job_title"])],
            model=model,
            cache=False,
        )
        body = {
            "score": round(float(scores[0]), 4),
            "model": model.version,
            "features": {name: round(float(values[0]), 4) for name, values in features.items()},
        }
        return Response(ScoreOut(body).data)
