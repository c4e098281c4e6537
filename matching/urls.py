from django.urls import path

from matching.review import accuracy as review_accuracy
from matching.review import views as review_views
from matching.web import about, export, oversight, ranking, resumes

app_name = "matching"

urlpatterns = [
    path("", ranking.job_list, name="job_list"),
    path("about/scores/", about.how_scores_are_made, name="how_scores_are_made"),
    path("scoring/pause", oversight.scoring_pause, name="scoring_pause"),
    path("scoring/resume", oversight.scoring_resume, name="scoring_resume"),
    path("jobs/<int:job_id>/", ranking.job_ranking, name="job_ranking"),
    path("jobs/<int:job_id>/export.csv", export.job_export, name="job_export"),
    path("resumes/<int:resume_id>/", resumes.resume_detail, name="resume_detail"),
    path("resumes/<int:resume_id>/file", resumes.resume_file, name="resume_file"),
    path("review/", review_views.review_next, name="review"),
    path("review/pairs/<int:pair_id>/", review_views.review_pair, name="review_pair"),
    path("review/pairs/<int:pair_id>/rate", review_views.review_rate, name="review_rate"),
    path("review/pairs/<int:pair_id>/skip", review_views.review_skip, name="review_skip"),
    path("review/verdicts/", review_accuracy.verdict_accuracy, name="verdict_accuracy"),
    path(
        "review/verdicts/corrections.csv",
        review_accuracy.corrections_export,
        name="verdict_corrections_export",
    ),
    path(
        "review/pairs/<int:pair_id>/verdict",
        review_views.review_correct,
        name="review_correct",
    ),
    path("review/progress.json", review_views.scoring_progress, name="scoring_progress"),
    path("review/anonymize", review_views.anonymize_toggle, name="anonymize_toggle"),
]
