from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"
    # No ML imports here: django-q2 forks its workers from the process that loads the
    # apps, and torch initialised before a fork deadlocks the children.
