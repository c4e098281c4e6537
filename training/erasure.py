"""Training's copies of an erased resume, removed when matching erases it.

erase_training_copies receives matching.signals.resume_erased (connected when
TrainingConfig.ready imports this module): labeled examples with the resume's text go,
rows with its text are taken out of runs' uploaded files, and its vector is taken out of
the memory of every trained head.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.dispatch import receiver
from django.utils import timezone

from audit.services import Target, audit_record
from matching import models_store
from matching.errors import ModelUnavailable
from matching.models import ScoringModel
from matching.scoring import heads
from matching.signals import resume_erased
from matching.texts import resume_text_key
from training.models import LabeledExample, TrainingRun
from training.reporting import LOG_LINES


@receiver(resume_erased, dispatch_uid="training_erase_copies")
def erase_training_copies(
    sender: object,
    *,
    resume_id: int,
    text_sha256: str,
    text_key: str,
    vectors: dict[str, np.ndarray],
    actor: User | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Remove every copy of an erased resume that training keeps, and say what went.

    Copies are matched on the text with whitespace ignored (text_key). Labeled examples
    with its text go; rows with its text are taken out of runs' uploaded
    training and validation files (noted in the run's log); its vector is taken out of the
    memory of every trained head it is found in. What cannot be removed: what a model's
    weights learned from it (a fine-tuned encoder, a head's ridge coefficients).
    """
    # Labels stored before resume_text_key carry the plain text hash.
    examples = LabeledExample.objects.filter(resume_sha256__in={text_sha256, text_key}).delete()[0]
    files = training_files_erase_resume(text_key=text_key)
    memory, unchecked = trained_heads_erase_resume(vectors=vectors)
    removed: dict[str, Any] = {
        "labeled_examples": examples,
        "training_file_rows": files,
        "head_memory_rows": memory,
        "heads_not_checked": unchecked,
    }
    if examples or files or memory:
        audit_record(
            actor=actor,
            action="erased_training_copies",
            target=Target(type="matching.resume", id=str(resume_id), label=f"resume #{resume_id}"),
            details=removed,
        )
    return removed


def training_files_erase_resume(*, text_key: str) -> int:
    """Take the examples of one resume text out of every run's uploaded training and
    validation file; returns the rows removed. The file keeps its format (a list, or
    {"examples": [...]}); the run's log says how many rows went and when.

    Rows are matched on the text with whitespace ignored (matching.texts.resume_text_key),
    so a row that differs from the stored text only in spacing or line endings goes too.
    Every file is read: that hash is the only key, and these files are few
    (one or two per run) and small next to the time a run takes.
    """
    removed = 0
    runs = TrainingRun.objects.exclude(train_file="", validation_file="").only(
        "pk", "train_file", "validation_file", "log"
    )
    for run in runs:
        notes = []
        for field_name in ("train_file", "validation_file"):
            if not getattr(run, field_name):
                continue
            count, note = _file_erase_resume(run, field_name, text_key=text_key)
            removed += count
            if note:
                notes.append(note)
        if notes:
            line = f"{timezone.now():%Y-%m-%d %H:%M:%S} erasure of a resume: {'; '.join(notes)}"
            TrainingRun.objects.filter(pk=run.pk).update(
                log="\n".join([*run.log.splitlines(), line][-LOG_LINES:])
            )
    return removed


def _file_erase_resume(run: TrainingRun, field_name: str, *, text_key: str) -> tuple[int, str]:
    field_file = getattr(run, field_name)
    storage, name = field_file.storage, field_file.name
    if not storage.exists(name):
        return 0, ""
    with storage.open(name, "rb") as fh:
        raw = fh.read()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    rows = data["examples"] if isinstance(data, dict) else data
    if not isinstance(rows, list):
        # Files are checked when a run is queued; one that no longer parses cannot be
        # searched for the resume, so it cannot be kept either.
        storage.delete(name)
        TrainingRun.objects.filter(pk=run.pk).update(**{field_name: ""})
        return 0, f"{field_name} could not be read and was deleted"
    kept = [
        row
        for row in rows
        if not (isinstance(row, dict) and resume_text_key(str(row.get("resume", ""))) == text_key)
    ]
    if len(kept) == len(rows):
        return 0, ""
    out = {**data, "examples": kept} if isinstance(data, dict) else kept
    storage.delete(name)
    saved = storage.save(name, ContentFile(json.dumps(out, ensure_ascii=False).encode()))
    if saved != name:  # the storage chose another name: the run points at the new file
        TrainingRun.objects.filter(pk=run.pk).update(**{field_name: saved})
    count = len(rows) - len(kept)
    return count, f"{count} example(s) removed from {field_name}"


# Document vectors are stored as float32 twice (the cache and the head): a copy of one
# resume's vector matches to rounding.
MEMORY_MATCH_TOLERANCE = 1e-5


def trained_heads_erase_resume(
    *, vectors: dict[str, np.ndarray]
) -> tuple[dict[str, int], list[str]]:
    """Take one resume's pairs out of the memory of every trained head (matching.scoring.
    heads: the head remembers rated pairs' vectors and labels). Returns rows removed per
    version, and the versions that could not be checked because the resume was never
    embedded by their encoder (a fine-tuned encoder that never scored it)."""
    removed: dict[str, int] = {}
    unchecked: list[str] = []
    for model in ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM):
        folder = models_store.version_dir(model)
        if not models_store.head_path(folder).exists():
            continue
        # The resume's vectors by this encoder: of its evidence, masked or not (the head
        # remembers those its training read; matching.encoding.cache.resume_cache_key).
        own = [
            v
            for key, v in vectors.items()
            if key.split(models_store.VIEW_MARK, 1)[0] == model.encoder_key
        ]
        if not own:
            unchecked.append(model.version)
            continue
        try:
            head = heads.TrainedHead.load(folder)
        except ModelUnavailable:
            continue
        count = 0
        smaller = head
        for vector in own:
            smaller, found = smaller.without_resume(vector, tolerance=MEMORY_MATCH_TOLERANCE)
            count += found
        if not count:
            continue
        # TrainedHead.save writes beside the old file and renames it over it: a process
        # loading the head meanwhile reads the old one or the new one, never half of one.
        smaller.save(folder)
        # This process serves the smaller head from now on; others when they next load
        # the version (a restart or an activation).
        heads.forget(model.version)
        removed[model.version] = count
    return removed, unchecked
