from django.urls import path

from fairness import views

app_name = "fairness"

urlpatterns = [
    path("impact/", views.impact_report, name="impact_report"),
    path("impact/summary/", views.impact_summary, name="impact_summary"),
    path("impact.csv", views.impact_csv, name="impact_csv"),
]
