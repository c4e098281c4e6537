from __future__ import annotations

from django.core.management.base import BaseCommand

from matching.intake.resumes import resumes_rebuild_profiles


class Command(BaseCommand):
    help = (
        "Read the structured profile (contact, title, dated roles, years, education, "
        "certifications, skills) of every readable resume again: for resumes imported "
        "before profiles existed, or after an upgrade that changed how profiles are read."
    )

    def handle(self, *args, **options) -> None:
        n = resumes_rebuild_profiles()
        self.stdout.write(f"Rebuilt the profiles of {n} resumes.")
