from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from matching.intake.resumes import ImportSummary, collect_resume_files, resumes_import_paths
from matching.scoring import progress as scoring_progress

# Seconds between two looks at the scoring progress with --wait.
POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = (
        "Import resume files (PDF, DOCX, TXT, Markdown) from files and folders. Text is "
        "read here; scoring is queued in tasks of IMPORT_BATCH_SIZE resumes that the "
        "django-q2 workers (manage.py qcluster) take in parallel."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders (searched recursively).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Stay until the workers have scored every imported resume, with a second "
            "progress bar; stops with an error if a scoring task fails.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=None,
            metavar="SECONDS",
            help="With --wait: give up waiting after this long (the workers carry on).",
        )

    def handle(
        self,
        *args,
        paths: list[str],
        no_progress: bool,
        wait: bool,
        timeout: float | None,
        **options,
    ) -> None:
        files = collect_resume_files(paths)
        if not files:
            raise CommandError("No files found under the given paths.")
        bar = tqdm(total=len(files), unit="file", disable=no_progress, file=self.stderr._out)
        summary = resumes_import_paths(paths=paths, progress=lambda path, result: bar.update(1))
        bar.close()
        for _path, reason in summary.rejected:
            self.stdout.write(self.style.ERROR(f"rejected  {reason}"))
        for path in summary.duplicates:
            self.stdout.write(f"duplicate {path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(summary.imported)} imported, {len(summary.duplicates)} skipped as "
                f"duplicate, {len(summary.rejected)} rejected."
            )
        )
        if not summary.imported:
            return
        if settings.MATCHING_SYNC_TASKS:
            self.stdout.write("Scored against the open jobs (MATCHING_SYNC_TASKS is on).")
            return
        self.stdout.write(
            f"Scoring against the open jobs is queued in the background: "
            f"{summary.scoring_tasks} task(s) of up to {settings.IMPORT_BATCH_SIZE} resumes "
            f"(group {summary.scoring_group})."
        )
        if wait:
            self._wait_for_scoring(summary, no_progress=no_progress, timeout=timeout)

    def _wait_for_scoring(
        self, summary: ImportSummary, *, no_progress: bool, timeout: float | None
    ) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        progress = scoring_progress.resumes_scoring_progress(resume_ids=summary.resume_ids)
        if progress.pending:
            self.stdout.write("Waiting for the django-q2 workers (manage.py qcluster) to score…")
        bar = tqdm(
            total=progress.resumes_total,
            unit="resume",
            desc="scored",
            disable=no_progress,
            file=self.stderr._out,
        )
        while True:
            bar.update(progress.resumes_done - bar.n)
            if not progress.pending:
                break
            failures = scoring_progress.scoring_task_failures(group=summary.scoring_group)
            if failures:
                bar.close()
                raise CommandError(
                    f"{len(failures)} scoring task(s) failed; the resumes are imported and "
                    f"can be re-scored from the admin. " + " | ".join(failures[:3])
                )
            if deadline is not None and time.monotonic() > deadline:
                bar.close()
                raise CommandError(
                    f"{progress.resumes_done} of {progress.resumes_total} resumes scored after "
                    f"{timeout:g} s; the workers carry on in the background."
                )
            time.sleep(POLL_SECONDS)
            progress = scoring_progress.resumes_scoring_progress(resume_ids=summary.resume_ids)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{progress.resumes_done} resumes scored against {progress.open_jobs} open "
                f"job(s) by {progress.model_version or 'the live model'}."
            )
        )
