"""fairness's endpoints; resumeproject/urls.py mounts them under /api/v1/ (namespace "api").

- POST self-identification/: import survey answers (a JSON list of rows, or a CSV file
  as multipart field `file`), all or nothing; needs "fairness.add_selfidentification".
- GET fairness/impact/?job=&since=&until=: the adverse-impact report; needs
  "fairness.read_self_identification". Nothing else in the API returns this data.
"""

from __future__ import annotations

from dataclasses import asdict

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fairness import importing, selectors
from fairness.forms import ScopeForm
from resumeproject import access
from resumeproject.api.parsers import JSONParser
from resumeproject.api.permissions import HasAccess


class ImportOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class SelfIdentificationImportApi(APIView):
    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_import_self_identification}
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        summary="Import self-identification",
        description=(
            "Rows with `resume_id` or `sha256` and any of sex, race_ethnicity, age_band, "
            "disability, veteran (codes or labels; blank means not stated), as a JSON list "
            "or a CSV file in the multipart field `file`. A row that does not fit refuses "
            "the whole import (`invalid_self_identification`, each problem named by row)."
        ),
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={201: ImportOut},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is not None:
            source = f"csv:{upload.name}"
            rows = importing.parse_csv(upload.read(), name=source)
        else:
            source = "api"
            rows = request.data if isinstance(request.data, list) else [request.data]
        result = importing.import_rows(rows, source=source, actor=request.user)
        return Response(asdict(result), status=201)


class AdverseImpactApi(APIView):
    permission_classes = [HasAccess]
    access_checks = {"GET": access.can_read_self_identification}

    @extend_schema(
        summary="Adverse-impact report",
        description=(
            "The live model's scores of a job's (or every job's) applications received in a "
            "period, by sex, race/ethnicity and their intersections: scoring rates and impact "
            "ratios as Local Law 144 defines them, selection rates with the four-fifths flag "
            "and Fisher's exact test. Reading it is audited."
        ),
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        form = ScopeForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        scoped = selectors.adverse_impact(form.scope(), reader=request.user)
        return Response(
            {
                "scope": scoped.scope.describe(),
                "model": scoped.model.version,
                "generated_at": scoped.generated_at,
                "applications": scoped.report.total,
                "with_self_identification": scoped.with_self_identification,
                "median_score": scoped.report.median_score,
                "selection_threshold": scoped.report.selection_threshold,
                "breakdowns": [
                    {"name": b.name, "unknown": b.unknown, "rows": [asdict(r) for r in b.rows]}
                    for b in scoped.report.breakdowns
                ],
            }
        )


urlpatterns = [
    path(
        "self-identification/",
        SelfIdentificationImportApi.as_view(),
        name="self-identification-import",
    ),
    path("fairness/impact/", AdverseImpactApi.as_view(), name="adverse-impact"),
]
