"""matching's endpoints; resumeproject/urls.py mounts them under /api/v1/ (namespace "api")."""

from django.urls import path

from matching.api.views import jobs, oversight, ratings, resumes, scoring

urlpatterns = [
    path("resumes/", resumes.ResumeCollectionApi.as_view(), name="resume-list"),
    path("resumes/<int:pk>/", resumes.ResumeDetailApi.as_view(), name="resume-detail"),
    path(
        "resumes/<int:pk>/best-jobs/",
        resumes.ResumeBestJobsApi.as_view(),
        name="resume-best-jobs",
    ),
    path(
        "resumes/<int:pk>/alternative-process/",
        resumes.ResumeAlternativeProcessApi.as_view(),
        name="resume-alternative-process",
    ),
    path("jobs/", jobs.JobCollectionApi.as_view(), name="job-list"),
    path("jobs/<int:pk>/", jobs.JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<int:pk>/close/", jobs.JobCloseApi.as_view(), name="job-close"),
    path("jobs/<int:pk>/ranking/", jobs.JobRankingApi.as_view(), name="job-ranking"),
    path("score/", scoring.ScoreApi.as_view(), name="score"),
    path("scoring/", oversight.ScoringStateApi.as_view(), name="scoring-state"),
    path("scoring/pause/", oversight.ScoringPauseApi.as_view(), name="scoring-pause"),
    path("scoring/resume/", oversight.ScoringResumeApi.as_view(), name="scoring-resume"),
    path("ratings/", ratings.RatingCollectionApi.as_view(), name="rating-list"),
]
