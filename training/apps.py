from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        # why: the app registry is not ready when apps.py is imported; ready() is the
        # documented place. No ML imports here: the qcluster parent imports the apps
        # before forking workers.
        from django.db.models.signals import post_save

        from matching.models import Rating
        from training import erasure  # noqa: F401  (connects erase_training_copies)
        from training.labels import label_saved
        from training.models import LabeledExample

        post_save.connect(label_saved, sender=Rating, dispatch_uid="training_rating_saved")
        post_save.connect(label_saved, sender=LabeledExample, dispatch_uid="training_example_saved")
