"""training's endpoints; resumeproject/urls.py mounts them under /api/v1/ (namespace "api")."""

from django.urls import path

from training.api.views import feedback, health, models, runs

urlpatterns = [
    path("feedback/", feedback.FeedbackApi.as_view(), name="feedback"),
    path("health/", health.HealthApi.as_view(), name="health"),
    path("training/runs/", runs.TrainingRunCollectionApi.as_view(), name="training-run-list"),
    path(
        "training/runs/<int:pk>/", runs.TrainingRunDetailApi.as_view(), name="training-run-detail"
    ),
    path(
        "training/runs/<int:pk>/cancel/",
        runs.TrainingRunCancelApi.as_view(),
        name="training-run-cancel",
    ),
    path(
        "training/suggestion/",
        runs.RetrainSuggestionApi.as_view(),
        name="training-suggestion",
    ),
    path("models/", models.ScoringModelCollectionApi.as_view(), name="model-list"),
    # Before models/<version>/: "rollback" is an action, not a version.
    path("models/rollback/", models.ScoringModelRollbackApi.as_view(), name="model-rollback"),
    path("models/<str:version>/", models.ScoringModelDetailApi.as_view(), name="model-detail"),
    path(
        "models/<str:version>/card/",
        models.ScoringModelCardApi.as_view(),
        name="model-card",
    ),
    path(
        "models/<str:version>/activate/",
        models.ScoringModelActivateApi.as_view(),
        name="model-activate",
    ),
]
