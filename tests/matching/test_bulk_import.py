"""Bulk import: text read by the command, scoring split into tasks that several django-q2
workers take in parallel, and `--wait` following them until every resume is scored."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Pair, Resume
from matching.scoring import activation as scoring_activation
from matching.scoring import progress as scoring_progress
from tests.qcluster import running_cluster, wait_for

PROFESSIONS = ["Python developer", "registered nurse", "accountant", "welder", "teacher"]


def write_resumes(folder: Path, n: int) -> list[Path]:
    """n different text resumes (different bytes and text, so none is a duplicate)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"resume-{i:03d}.txt"
        path.write_text(
            f"Candidate {i}. {PROFESSIONS[i % len(PROFESSIONS)]} with {i % 12 + 1} years of "
            f"experience; skills number {i}."
        )
        paths.append(path)
    return paths


def queued_scoring_tasks() -> list[dict]:
    """The scoring tasks waiting in the ORM broker, oldest first, as the workers read them."""
    from django_q.models import OrmQ

    tasks = [row.task for row in OrmQ.objects.order_by("pk")]
    return [t for t in tasks if t["func"] == "matching.tasks.score_resumes"]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_queues_scoring_in_tasks_of_import_batch_size(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_SYNC_TASKS = False
    settings.IMPORT_BATCH_SIZE = 3
    write_resumes(tmp_path, 7)
    with django_capture_on_commit_callbacks(execute=True):
        summary = intake_resumes.resumes_import_paths(paths=[tmp_path])
    tasks = queued_scoring_tasks()
    assert [len(t["args"][0]) for t in tasks] == [3, 3, 1]
    assert summary.scoring_tasks == 3
    # Every imported resume is in exactly one task, and the tasks share the import's group.
    assert sorted(pk for t in tasks for pk in t["args"][0]) == sorted(summary.resume_ids)
    assert {t["group"] for t in tasks} == {summary.scoring_group}
    # Nothing was scored in the importing process: the workers do it.
    assert not Pair.objects.exists()


@pytest.mark.django_db
def test_same_file_twice_and_a_bad_file_in_one_import_queue_each_new_resume_once(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_SYNC_TASKS = False
    settings.IMPORT_BATCH_SIZE = 2
    first = write_resumes(tmp_path / "a", 3)[0]
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "copy.txt").write_bytes(first.read_bytes())
    (tmp_path / "b" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    with django_capture_on_commit_callbacks(execute=True):
        summary = intake_resumes.resumes_import_paths(paths=[tmp_path])
    assert (len(summary.imported), len(summary.duplicates), len(summary.rejected)) == (3, 1, 1)
    queued = [pk for t in queued_scoring_tasks() for pk in t["args"][0]]
    assert sorted(queued) == sorted(summary.resume_ids)
    assert Resume.objects.filter(status=Resume.Status.EXTRACTED).count() == 3


@pytest.mark.django_db
def test_import_with_inline_tasks_scores_every_chunk(tmp_path, settings):
    settings.IMPORT_BATCH_SIZE = 4
    job = intake_jobs.job_create(title="Python developer", description="Python and Django")
    write_resumes(tmp_path, 10)
    output = run("import_resumes", str(tmp_path), "--no-progress", "--wait")
    assert "10 imported, 0 skipped as duplicate, 0 rejected." in output
    assert Pair.objects.filter(job=job, score__isnull=False).count() == 10
    progress = scoring_progress.resumes_scoring_progress(
        resume_ids=list(Resume.objects.values_list("pk", flat=True))
    )
    assert (progress.resumes_done, progress.resumes_total, progress.pending) == (10, 10, False)


@pytest.mark.django_db
def test_scoring_progress_of_an_import_counts_only_its_resumes_scored_by_the_live_model(
    settings,
):
    from tests.factories import JobFactory, PairFactory, ResumeFactory

    settings.MATCHING_SYNC_TASKS = False
    jobs = JobFactory.create_batch(2)
    mine = ResumeFactory.create_batch(3)
    other = ResumeFactory()
    model = scoring_activation.scoring_model_active()
    PairFactory(resume=mine[0], job=jobs[0], score=0.5, scoring_model=model)
    PairFactory(resume=mine[0], job=jobs[1], score=0.5, scoring_model=model)
    PairFactory(resume=mine[1], job=jobs[0], score=0.5, scoring_model=model)
    PairFactory(resume=other, job=jobs[0], score=0.5, scoring_model=model)
    progress = scoring_progress.resumes_scoring_progress(resume_ids=[r.pk for r in mine])
    assert (progress.resumes_done, progress.resumes_total) == (1, 3)
    assert (progress.pairs_done, progress.pairs_total) == (3, 6)
    assert progress.pending


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_workers_of_a_real_qcluster_score_an_import_split_in_tasks(tmp_path, settings):
    from django_q.models import Success

    settings.MATCHING_SYNC_TASKS = False
    settings.IMPORT_BATCH_SIZE = 2
    job = intake_jobs.job_create(title="Python developer", description="Python, Django and SQL")
    write_resumes(tmp_path, 6)
    with running_cluster({"Q_WORKERS": "2"}) as cluster:
        output = run("import_resumes", str(tmp_path), "--no-progress", "--wait", "--timeout", "240")
        group = output.split("(group ")[1].split(")")[0]
        # --wait ends when the scores are committed, inside each task; django-q2's
        # monitor records the task's success just after: wait for it before stopping.
        wait_for(
            lambda: Success.objects.filter(group=group).count() == 3,
            timeout=60,
            what="the cluster to record its three tasks",
            proc=cluster,
        )
    assert "3 task(s) of up to 2 resumes" in output
    assert "6 resumes scored against 1 open job(s) by pretrained." in output
    assert Pair.objects.filter(job=job, score__isnull=False).count() == 6


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_wait_stops_with_the_error_when_the_workers_cannot_score(tmp_path, settings):
    settings.MATCHING_SYNC_TASKS = False
    intake_jobs.job_create(title="Python developer", description="Python and Django")
    write_resumes(tmp_path, 2)
    # A worker whose model folder is missing: every scoring task fails.
    broken = {"PRETRAINED_MODEL_PATH": str(tmp_path / "no-such-model")}
    with running_cluster(broken), pytest.raises(CommandError, match="scoring task\\(s\\) failed"):
        run("import_resumes", str(tmp_path), "--no-progress", "--wait", "--timeout", "240")
    # The resumes stay imported, ready to be re-scored.
    assert Resume.objects.filter(status=Resume.Status.EXTRACTED).count() == 2
