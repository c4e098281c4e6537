from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("jobs/<int:job_id>/", views.job_ranking, name="job_ranking"),
    path("jobs/<int:job_id>/export.csv", views.job_export, name="job_export"),
    path("resumes/<int:resume_id>/", views.resume_detail, name="resume_detail"),
    path("resumes/<int:resume_id>/file", views.resume_file, name="resume_file"),
]
