"""Model folders under MODELS_STORE_DIR: written whole or not at all. Where each folder
and file lives is matching.models_store's (the one layout); this module writes them.

A run writes into models_store/.incoming/run-<id>/ and renames it to
models_store/<version>/ only when every file is in place, so a crash, a kill or a
timeout can leave an incoming folder (removed when the run is marked failed) but
never a half-written version.

<version>/
  encoder/                  a sentence-transformers folder (loadable on its own)
  head.npz                  the scoring head (matching.scoring.heads.TrainedHead)
  training_metadata.json    format, data sources and counts, parameters, metrics, code
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from matching.encoding.registry import resolved_backend
from matching.models_store import (
    ENCODER_DIRNAME,
    METADATA_FILE,
    METADATA_FORMAT,
    incoming_dir,
    run_version_dirs,
    store_dir,
)


def start_incoming(run_id: int) -> Path:
    folder = incoming_dir(run_id)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def discard_incoming(run_id: int) -> None:
    shutil.rmtree(incoming_dir(run_id), ignore_errors=True)


def discard_unpublished(run_id: int, *, keep: Iterable[str]) -> list[str]:
    """Remove the run's incoming folder and its version folders not in `keep` (the
    versions that have a ScoringModel row). The rename to a version folder happens inside
    the transaction that creates the row: a worker killed between the rename and the
    commit leaves a complete folder that no row names and nothing would ever serve."""
    discard_incoming(run_id)
    published, removed = set(keep), []
    for folder in run_version_dirs(run_id):
        if folder.name not in published:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def link_encoder(source: Path, folder: Path) -> None:
    """The base encoder, unchanged (fast head): hard links where the filesystem allows,
    so a version costs no second copy of the weights; a copy otherwise."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, folder / ENCODER_DIRNAME, copy_function=link_or_copy)


def code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=settings.BASE_DIR,
        )
        if out.returncode == 0:
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resume-screening")
    except PackageNotFoundError:
        return "unknown"


def export_encoder(folder: Path, *, version: str, encoder_key: str) -> None:
    """With the onnx or openvino backend, a version with its own (fine-tuned) encoder is
    published with its export inside (encoder/onnx-int8/), so no worker pays the
    export on its first request. Usually already there: the run embedded its validation
    set with this encoder. A version that reuses its base's encoder needs nothing."""
    if resolved_backend() not in ("onnx", "openvino") or encoder_key != version:
        return
    from matching.encoding.onnx_backend import ensure_export
    from matching.encoding.windows import UnsupportedModel

    # An unsupported encoder is served by torch (matching.encoding.registry.build_encoder).
    with contextlib.suppress(UnsupportedModel):
        ensure_export(folder / ENCODER_DIRNAME)


def write_metadata(folder: Path, metadata: dict) -> None:
    payload = {"format_version": METADATA_FORMAT, "code_version": code_version(), **metadata}
    (folder / METADATA_FILE).write_text(json.dumps(payload, indent=2, default=str))


def publish(run_id: int, version: str) -> Path:
    """Rename the complete incoming folder to its version folder (atomic on one fs)."""
    final = store_dir() / version
    if final.exists():
        raise FileExistsError(f"{final} already exists.")
    os.replace(incoming_dir(run_id), final)
    return final
