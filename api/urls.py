"""/api/: v1 endpoints, the OpenAPI schema, the docs, and a JSON 404 for anything else."""

from django.urls import include, path, re_path

from api.views import auth, jobs, meta, ratings, resumes, scoring

app_name = "api"

v1 = [
    path("auth/token/", auth.TokenObtainApi.as_view(), name="token"),
    path("resumes/", resumes.ResumeCollectionApi.as_view(), name="resume-list"),
    path("resumes/<int:pk>/", resumes.ResumeDetailApi.as_view(), name="resume-detail"),
    path(
        "resumes/<int:pk>/best-jobs/",
        resumes.ResumeBestJobsApi.as_view(),
        name="resume-best-jobs",
    ),
    path("jobs/", jobs.JobCollectionApi.as_view(), name="job-list"),
    path("jobs/<int:pk>/", jobs.JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<int:pk>/close/", jobs.JobCloseApi.as_view(), name="job-close"),
    path("jobs/<int:pk>/ranking/", jobs.JobRankingApi.as_view(), name="job-ranking"),
    path("score/", scoring.ScoreApi.as_view(), name="score"),
    path("ratings/", ratings.RatingCollectionApi.as_view(), name="rating-list"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", meta.SchemaView.as_view(), name="schema"),
    path("docs/", meta.docs_view, name="docs"),
    re_path(r"", meta.UnknownPathApi.as_view()),
]
