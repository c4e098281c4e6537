from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from matching.api.filters import RatingFilter
from matching.api.serializers.ratings import RatingIn, RatingOut, RatingSubmitOut
from matching.models import Rating
from matching.review import ratings as review_ratings
from matching.review import visibility as review_visibility


@extend_schema_view(get=extend_schema(summary="List ratings", description="Newest first."))
class RatingCollectionApi(generics.ListAPIView):
    queryset = Rating.objects.select_related("pair", "reviewer")
    serializer_class = RatingOut
    filterset_class = RatingFilter
    ordering_fields = ["created_at", "score"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Rating]:
        # Blind rating: other reviewers' ratings of a pair only once the caller rated it.
        user = self.request.user
        return review_visibility.ratings_for_viewer(user=user).select_related("pair", "reviewer")

    @extend_schema(
        summary="Rate a resume for a job",
        description=(
            "A score 0..1 or 1-5 stars (1 = 0.0, 5 = 1.0), and a note. The reviewer is the "
            "signed-in user; the model's current score is kept beside the rating. A reviewer "
            "has one rating per resume and job, wherever it was given (labeling queue, admin, "
            "API): the first post creates it (201, `updated` false), a later one replaces its "
            "score and note (200, `updated` true)."
        ),
        request=RatingIn,
        responses={
            201: OpenApiResponse(RatingSubmitOut, description="Created."),
            200: OpenApiResponse(RatingSubmitOut, description="Your earlier rating, updated."),
        },
    )
    def post(self, request: Request) -> Response:
        data_in = RatingIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        pair = review_ratings.pair_get_or_create(resume=data["resume"], job=data["job"])
        submitted = review_ratings.rating_submit(
            pair=pair,
            score=data["score"],
            reviewer=request.user,
            note=data.get("note", ""),
            source=Rating.Source.API,
        )
        body = RatingSubmitOut(submitted.rating, context={"updated": not submitted.created}).data
        code = status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK
        return Response(body, status=code)
