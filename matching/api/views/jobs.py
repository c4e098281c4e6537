from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from matching.api.filters import JobFilter
from matching.api.serializers.jobs import JobIn, JobOut
from matching.api.serializers.rankings import RankedPair, RankingQueryIn, RankingRowOut
from matching.intake import jobs as intake_jobs
from matching.intake import rates
from matching.models import Job
from matching.privacy import selectors as privacy_selectors
from matching.review import visibility as review_visibility
from matching.scoring import activation as scoring_activation
from matching.scoring import explain as scoring_explain
from matching.scoring import selectors as scoring_selectors
from resumeproject.api.permissions import HasModelPerms, IsReviewer

CHANGE_JOB = ["matching.change_job"]


@extend_schema_view(get=extend_schema(summary="List jobs", description="Newest first."))
class JobCollectionApi(generics.ListAPIView):
    queryset = Job.objects.all()
    serializer_class = JobOut
    filterset_class = JobFilter
    ordering_fields = ["created_at", "updated_at", "title"]
    ordering = ["-created_at"]
    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"POST": ["matching.add_job"]}

    @extend_schema(
        summary="Create a job",
        description="Every resume is scored against an open job in the background.",
        request=JobIn,
        responses={201: JobOut},
    )
    def post(self, request: Request) -> Response:
        data_in = JobIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        job = intake_jobs.job_create(**data_in.validated_data)
        return Response(JobOut(job).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(summary="A job"))
class JobDetailApi(generics.RetrieveAPIView):
    queryset = Job.objects.all()
    serializer_class = JobOut
    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"PUT": CHANGE_JOB, "PATCH": CHANGE_JOB}

    @extend_schema(
        summary="Replace a job's fields",
        description="A changed text re-scores the job's candidates in the background.",
        request=JobIn,
        responses=JobOut,
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    @extend_schema(summary="Change some of a job's fields", request=JobIn, responses=JobOut)
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        job = self.get_object()
        data_in = JobIn(job, data=request.data, partial=partial)
        data_in.is_valid(raise_exception=True)
        job = intake_jobs.job_update(job=job, **data_in.validated_data)
        return Response(JobOut(job).data)


class JobCloseApi(generics.GenericAPIView):
    queryset = Job.objects.all()
    permission_classes = [IsReviewer, HasModelPerms]
    required_perms = {"POST": CHANGE_JOB}

    @extend_schema(
        summary="Close a job",
        description="Sets is_open to false: the job is no longer scored. Closing twice is fine.",
        request=None,
        responses=JobOut,
    )
    def post(self, request: Request, pk: int) -> Response:
        job = intake_jobs.job_update(job=self.get_object(), is_open=False)
        return Response(JobOut(job).data)


class JobRankingApi(generics.GenericAPIView):
    filter_backends: list = []

    @extend_schema(
        summary="A job's ranked candidates, with why",
        description=(
            "Best first, as on the ranking page: score, ratings and the explanation "
            "(requirements and skills found and missing, the best resume passages)."
        ),
        parameters=[RankingQueryIn],
        responses=RankingRowOut(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(Job, pk=pk)
        query = RankingQueryIn(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        top = query.validated_data.pop("top", None)
        anonymize = query.validated_data.pop("anonymize", None)
        anonymized = (
            privacy_selectors.reviewer_anonymizes(user=request.user)
            if anonymize is None
            else anonymize
        )
        pairs: QuerySet = review_visibility.pairs_for_viewer(
            scoring_selectors.job_ranking(job=job, **query.validated_data), user=request.user
        )
        if top is not None:
            pairs = pairs[:top]
        page = self.paginate_queryset(pairs)
        active = scoring_activation.scoring_model_active()
        why = scoring_explain.explain_pairs(
            job=job, pairs=page, encoder_key=active.encoder_key, anonymized=anonymized
        )
        start = self.paginator.page_start
        budget = rates.posting_budget(job.description)
        rows = []
        for i, pair in enumerate(page):
            asks, over = rates.pay_against_budget(pair.resume.profile, budget)
            rows.append(
                RankedPair(
                    rank=start + i,
                    pair=pair,
                    explanation=why[pair.pk],
                    stale=pair.scoring_model_id is not None and pair.scoring_model_id != active.pk,
                    asks=asks.to_json() if asks else None,
                    over_budget=over,
                )
            )
        out = RankingRowOut(rows, many=True, context={"anonymized": anonymized})
        return self.get_paginated_response(out.data)
