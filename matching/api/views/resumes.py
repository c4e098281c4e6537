from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from matching.api.filters import ResumeFilter
from matching.api.serializers.rankings import BestJobRowOut, RankedPair
from matching.api.serializers.resumes import (
    ResumeDetailOut,
    ResumeOut,
    ResumeUploadIn,
    ResumeUploadOut,
)
from matching.intake import erasure as intake_erasure
from matching.intake import resumes as intake_resumes
from matching.models import Resume
from matching.review import visibility as review_visibility
from matching.scoring import oversight as scoring_oversight
from matching.scoring import progress as scoring_progress
from matching.scoring import selectors as scoring_selectors
from resumeproject.api import throttling
from resumeproject.api.permissions import HasModelPerms, IsReviewer


class _ScoringProgressMixin:
    """Resumes come with `scored_jobs`; the serializer compares it with the open jobs."""

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["open_jobs"] = scoring_progress.open_job_count()
        return context


@extend_schema_view(
    get=extend_schema(summary="List resumes", description="Newest first; text not included.")
)
class ResumeCollectionApi(_ScoringProgressMixin, generics.ListAPIView):
    serializer_class = ResumeOut
    filterset_class = ResumeFilter
    ordering_fields = ["created_at", "updated_at", "original_name", "size_bytes", "status"]
    ordering = ["-created_at"]
    parser_classes = [MultiPartParser]
    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"POST": ["matching.add_resume"]}
    throttle_classes = [throttling.MethodScopedRateThrottle]
    throttle_scopes = {"POST": throttling.UPLOADS}

    def get_queryset(self) -> QuerySet[Resume]:
        return scoring_progress.resumes_with_scoring_progress().select_related("uploaded_by")

    @extend_schema(
        summary="Upload resumes",
        description=(
            "Multipart, one or more files under `files`. Text is extracted at once and the "
            "answer lists each file with its outcome and resume; scoring against the open "
            "jobs runs in the background: poll GET /resumes/{id}/ until `scoring` is done. "
            "201: every file imported; 200: every file was already there; 207: mixed or "
            "rejected files (see each result)."
        ),
        request=ResumeUploadIn,
        responses={
            201: ResumeUploadOut,
            200: OpenApiResponse(ResumeUploadOut, description="All duplicates."),
            207: OpenApiResponse(ResumeUploadOut, description="Mixed outcomes."),
        },
    )
    def post(self, request: Request) -> Response:
        data_in = ResumeUploadIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        results = intake_resumes.resumes_upload(
            files=data_in.validated_data["files"], uploaded_by=request.user
        )
        fresh = {
            r.pk: r for r in self.get_queryset().filter(pk__in=[res.resume.pk for res in results])
        }
        outcomes = [res.outcome for res in results]
        body = {
            "results": [
                {"name": upload.name, "outcome": res.outcome, "resume": fresh[res.resume.pk]}
                for upload, res in zip(data_in.validated_data["files"], results, strict=True)
            ],
            "imported": outcomes.count("imported"),
            "duplicates": outcomes.count("duplicate"),
            "rejected": outcomes.count("rejected"),
        }
        if all(o == "imported" for o in outcomes):
            code = status.HTTP_201_CREATED
        elif all(o == "duplicate" for o in outcomes):
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_207_MULTI_STATUS
        out = ResumeUploadOut(body, context=self.get_serializer_context())
        return Response(out.data, status=code)


@extend_schema_view(
    get=extend_schema(summary="A resume with its text and extraction status"),
    delete=extend_schema(
        summary="Delete a resume", description="Removes its file, text, vectors and pairs."
    ),
)
class ResumeDetailApi(_ScoringProgressMixin, generics.RetrieveDestroyAPIView):
    serializer_class = ResumeDetailOut
    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"DELETE": ["matching.delete_resume"]}

    def get_queryset(self) -> QuerySet[Resume]:
        return (
            scoring_progress.resumes_with_scoring_progress()
            .defer(None)
            .defer("term_ids", "term_counts")
            .select_related("uploaded_by")
        )

    def perform_destroy(self, instance: Resume) -> None:
        intake_erasure.resume_delete(resume=instance)


class ResumeBestJobsApi(generics.GenericAPIView):
    filter_backends: list = []

    @extend_schema(
        summary="The jobs a resume fits best",
        description="Scored jobs, open or closed, best first.",
        responses=BestJobRowOut(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        resume = get_object_or_404(Resume.objects.only("pk"), pk=pk)
        page = self.paginate_queryset(
            review_visibility.pairs_for_viewer(
                scoring_selectors.resume_best_jobs(resume=resume), user=request.user
            )
        )
        start = self.paginator.page_start
        rows = [RankedPair(rank=start + i, pair=pair) for i, pair in enumerate(page)]
        return self.get_paginated_response(BestJobRowOut(rows, many=True).data)


class AlternativeProcessIn(serializers.Serializer):
    requested = serializers.BooleanField()


class ResumeAlternativeProcessApi(_ScoringProgressMixin, generics.GenericAPIView):
    """A candidate asked for people-only review, or withdrew the request."""

    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"POST": ["matching.change_resume"]}
    serializer_class = AlternativeProcessIn

    @extend_schema(
        summary="Record a candidate's request for people-only review",
        description=(
            "`requested: true`: no score or verdict is computed for this resume and the "
            "ones it had are cleared; reviewers rate it in the queue. `false`: it is "
            "queued for scoring again. Audited. Needs matching.change_resume."
        ),
        request=AlternativeProcessIn,
        responses=ResumeOut,
    )
    def post(self, request: Request, pk: int) -> Response:
        resume = get_object_or_404(Resume, pk=pk)
        data = AlternativeProcessIn(data=request.data)
        data.is_valid(raise_exception=True)
        scoring_oversight.resume_alternative_process(
            resume=resume, requested=data.validated_data["requested"], actor=request.user
        )
        fresh = scoring_progress.resumes_with_scoring_progress().get(pk=pk)
        return Response(ResumeOut(fresh, context=self.get_serializer_context()).data)
