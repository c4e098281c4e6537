from __future__ import annotations

from django.core.management.base import BaseCommand

from matching.intake.resumes import resumes_reread


class Command(BaseCommand):
    help = (
        "Read the structured profile (contact, title, dated roles, years, education, "
        "certifications, skills), the candidate's name and the terms the score counts of "
        "every readable resume again: for resumes imported before profiles existed, or "
        "after an upgrade that changed how resumes are read."
    )

    def handle(self, *args, **options) -> None:
        n = resumes_reread()
        self.stdout.write(f"Rebuilt the profiles of {n} resumes.")
