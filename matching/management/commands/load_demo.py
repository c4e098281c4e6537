from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from matching.intake.jobs import job_create
from matching.intake.resumes import resumes_import_paths
from matching.models import Job, Resume
from matching.review.ratings import pair_get_or_create, rating_create
from resumeproject.access import MODEL_MANAGERS_GROUP, model_managers_group

DEMO_DIR = Path(settings.BASE_DIR) / "demo"

# The demo's two logins. Neither is a superuser: their passwords are published (README).
# A reviewer reads the pages and rates; staff, because rating pairs is done in the admin.
REVIEWER_PERMISSIONS = [
    "matching.view_job",
    "matching.view_resume",
    "matching.view_pair",
    "matching.view_rating",
    "matching.add_rating",
    "matching.change_rating",
    "matching.delete_rating",
    "matching.add_verdictcorrection",
]
# A lead also uploads, edits jobs, settles disagreements and changes others' ratings, and
# trains and activates models through the "model managers" group (resumeproject.access).
LEAD_PERMISSIONS = [
    *REVIEWER_PERMISSIONS,
    "matching.add_resume",
    "matching.delete_resume",
    "matching.download_rejected_resume",
    "matching.add_job",
    "matching.change_job",
    "matching.change_others_rating",
    "matching.view_pairconflict",
    "matching.settle_pair",
    "matching.view_verdictcorrection",
    "matching.change_verdictcorrection",
]


class Command(BaseCommand):
    help = (
        "Load the demo resumes, jobs and ratings, and create two logins: a reviewer who "
        "rates, and a lead who also uploads, trains and activates models."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="reviewer", help="The reviewer's login.")
        parser.add_argument("--password", default="reviewer-demo-2026")
        parser.add_argument("--lead-username", default="lead", help="The lead's login.")
        parser.add_argument("--lead-password", default="lead-demo-2026")

    def handle(
        self,
        *args,
        username: str,
        password: str,
        lead_username: str,
        lead_password: str,
        **options,
    ) -> None:
        reviewer, reviewer_login = self._demo_user(
            username, password, REVIEWER_PERMISSIONS, role="Reviewer"
        )
        lead, lead_login = self._demo_user(
            lead_username, lead_password, LEAD_PERMISSIONS, role="Lead", model_manager=True
        )
        if not Job.objects.exists():
            for spec in json.loads((DEMO_DIR / "jobs.json").read_text()):
                job_create(
                    title=spec["title"],
                    description=spec["description"],
                    must_have="\n".join(spec.get("must_have", [])),
                    nice_to_have="\n".join(spec.get("nice_to_have", [])),
                )
        summary = resumes_import_paths(paths=[DEMO_DIR / "resumes"], uploaded_by=lead)
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
            if not pair.ratings.filter(reviewer=reviewer).exists():
                rating_create(
                    pair=pair, score=spec["score"], reviewer=reviewer, note=spec.get("note", "")
                )
                ratings += 1
        self.stdout.write(f"Demo: {ratings} human ratings added.")
        for line in (reviewer_login, lead_login):
            self.stdout.write(self.style.SUCCESS(line))

    def _demo_user(
        self,
        username: str,
        password: str,
        permissions: list[str],
        *,
        role: str,
        model_manager: bool = False,
    ):
        """The demo login `username` with its role, and the line that tells how to log in.

        A new account gets the role. An existing one gets it only while it still has the
        demo's password (an earlier demo's `reviewer` was a superuser with the published
        password); an account someone gave their own password is not the demo's to change.
        """
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            login = f"{role} login: {username} / {password}"
        elif user.check_password(password):
            login = f"{role} login: {username} (password unchanged)"
        else:
            return (
                user,
                f"{role} login: {username} already exists and is not the demo's; left as it is.",
            )
        user.is_staff, user.is_superuser, user.is_active = True, False, True
        user.save()
        codenames = [perm.split(".", 1) for perm in permissions]
        query = Q()
        for app_label, codename in codenames:
            query |= Q(content_type__app_label=app_label, codename=codename)
        found = list(Permission.objects.filter(query))
        if len(found) != len(codenames):
            raise CommandError("The demo's permissions are missing: run `manage.py migrate`.")
        user.user_permissions.set(found)
        if model_manager:
            user.groups.add(model_managers_group())
        else:
            user.groups.remove(*Group.objects.filter(name=MODEL_MANAGERS_GROUP))
        return user, login
