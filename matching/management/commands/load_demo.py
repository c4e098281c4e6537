from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from matching.models import Job, Resume
from matching.services import (
    job_create,
    pair_get_or_create,
    rating_create,
    resumes_import_paths,
)

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = "Load the demo resumes, jobs and ratings, and create a reviewer login."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="reviewer")
        parser.add_argument("--password", default="reviewer-demo-2026")

    def handle(self, *args, username: str, password: str, **options) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        if not Job.objects.exists():
            for spec in json.loads((DEMO_DIR / "jobs.json").read_text()):
                job_create(
                    title=spec["title"],
                    description=spec["description"],
                    must_have="\n".join(spec.get("must_have", [])),
                    nice_to_have="\n".join(spec.get("nice_to_have", [])),
                )
        summary = resumes_import_paths(paths=[DEMO_DIR / "resumes"], uploaded_by=user)
        self.stdout.write(
            f"Demo: {Job.objects.count()} jobs, {len(summary.imported)} resumes imported "
            f"({len(summary.duplicates)} already there)."
        )
        ratings = 0
        for spec in json.loads((DEMO_DIR / "ratings.json").read_text()):
            resume = Resume.objects.filter(original_name=spec["resume_file"]).first()
            job = Job.objects.filter(title=spec["job_title"]).first()
            if resume is None or job is None:
                continue
            pair = pair_get_or_create(resume=resume, job=job)
            if not pair.ratings.filter(reviewer=user).exists():
                rating_create(
                    pair=pair, score=spec["score"], reviewer=user, note=spec.get("note", "")
                )
                ratings += 1
        self.stdout.write(f"Demo: {ratings} human ratings added.")
        if created:
            self.stdout.write(self.style.SUCCESS(f"Reviewer login: {username} / {password}"))
        else:
            self.stdout.write(f"Reviewer login: {username} (password unchanged)")
