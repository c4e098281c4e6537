"""The ONNX Runtime int8 backend of the encoder (EMBEDDING_BACKEND=onnx).

The transformer of a sentence-transformers folder is exported to ONNX with torch.onnx
and quantized to int8 with onnxruntime's quantize_dynamic; pooling and normalisation
follow the folder's own modules (modules.json, the Pooling config) and run in numpy.
On the 2-core machine this embeds about twice as fast as PyTorch, with vectors within
0.99 cosine of PyTorch's (docs/benchmarks.md, "Embedding backend").

Where an export lives:
- a folder inside MODELS_STORE_DIR (a trained version, a run's incoming folder) keeps
  it inside itself, in `onnx-int8/`: it moves with the run's rename to its version and
  goes when the version folder is deleted;
- any other folder (the bundled model in site-packages, PRETRAINED_MODEL_PATH) is never
  written to: its export goes to MODELS_STORE_DIR/.onnx/<name>-<fingerprint>/, a cache
  that may be deleted at any time.

An export is written to a temporary folder and renamed into place when complete, so no
reader sees half an export; when two processes export at once the first rename wins and
the other discards its copy. The manifest names the fingerprint (a hash of the source
folder's files) and the format: a stale or foreign export is replaced, never used.

torch, transformers and onnxruntime are imported inside the functions that need them
(django-q2 forks workers from a parent that must not have loaded torch).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from matching import models_store
from matching.encoding.onnx_export import (
    FORMAT_VERSION,
    MANIFEST_FILE,
    MODEL_FILE,
    OPSET,
    export_model,
    pool,
)
from matching.encoding.windows import WindowedEncoder, offline

logger = logging.getLogger(__name__)

# A temporary folder older than this was left by a killed export and may be removed.
STALE_TEMP_S = 3600


# --- where exports live -------------------------------------------------------------------


def _hashed_files(source: Path) -> list[Path]:
    """The files that make up the model: everything but our own exports."""
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        export = models_store.EXPORT_DIRNAME
        if rel.parts[0] == export or rel.parts[0].startswith(f".{export}"):
            continue
        if path.is_file():
            files.append(path)
    return files


def fingerprint(source: Path) -> str:
    """A hash of the folder's files (names and contents) and of the export format."""
    digest = hashlib.sha256(f"format={FORMAT_VERSION};opset={OPSET}".encode())
    for path in _hashed_files(source):
        digest.update(str(path.relative_to(source)).encode() + b"\0")
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def export_dir(source: Path, *, print_: str | None = None) -> Path:
    """Where the export of a model folder lives (see the module docstring)."""
    return models_store.onnx_export_dir(source, lambda: print_ or fingerprint(source))


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        return None
    if not (folder / MODEL_FILE).is_file():
        return None
    return manifest


def ensure_export(source: Path | str) -> tuple[Path, dict]:
    """The export of a model folder, made now if missing or stale; (folder, manifest)."""
    source = Path(source)
    print_ = fingerprint(source)
    target = export_dir(source, print_=print_)
    manifest = read_manifest(target)
    if manifest is not None and manifest.get("fingerprint") == print_:
        return target, manifest

    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    # mkdtemp makes it private; the web and the workers may run as different users.
    temp.chmod(0o755)
    try:
        started = time.perf_counter()
        manifest = export_model(source, temp, fingerprint=print_)
        logger.info("exported %s to ONNX int8 in %.1fs", source, time.perf_counter() - started)
        for _ in range(3):
            try:
                os.rename(temp, target)
                return target, manifest
            except OSError:
                # Another process renamed its export first (use it), or a stale one is in
                # the way: move that aside whole, so no reader sees it half deleted.
                theirs = read_manifest(target)
                if theirs is not None and theirs.get("fingerprint") == print_:
                    return target, theirs
                aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
                with contextlib.suppress(FileNotFoundError):
                    os.replace(target, aside / "old")
                shutil.rmtree(aside, ignore_errors=True)
        raise OSError(f"Could not put the ONNX export of {source} in place at {target}.")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@dataclass(frozen=True)
class ExportResult:
    source: Path
    folder: Path
    created: bool  # False: a current export was already there
    seconds: float


def encoder_export_onnx(*, path: Path) -> ExportResult:
    """Export a model folder now unless a current export exists (manage.py export_onnx)."""
    started = time.perf_counter()
    existing = read_manifest(export_dir(path))
    folder, manifest = ensure_export(path)
    created = existing is None or existing.get("fingerprint") != manifest["fingerprint"]
    return ExportResult(path, folder, created, round(time.perf_counter() - started, 2))


def _remove_stale_temps(target: Path) -> None:
    cutoff = time.time() - STALE_TEMP_S
    for temp in target.parent.glob(f".{target.name}.tmp-*"):
        try:
            if temp.stat().st_mtime < cutoff:
                shutil.rmtree(temp, ignore_errors=True)
        except FileNotFoundError:
            pass


# --- inference ----------------------------------------------------------------------------


def default_threads() -> int:
    if settings.EMBEDDING_ONNX_THREADS:
        return int(settings.EMBEDDING_ONNX_THREADS)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def session_options(threads: int | None = None) -> Any:
    """ONNX Runtime's options for a graph of this process: one graph at a time, its
    parallelism from `threads` intra-op threads (default_threads() when None)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # After a run, ONNX Runtime's threads spin waiting for the next one by default. They
    # then take the cores from what runs next: numpy's products in the same pass, another
    # graph (the memory kernel after the encoder), twice as slow on two cores
    # (docs/benchmarks.md). Threads that sleep when done cost each run a wake-up instead.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class OnnxEncoder(WindowedEncoder):
    """The encoder's interface on ONNX Runtime: same windows, vectors within 0.99 cosine."""

    backend = "onnx"

    def __init__(
        self,
        path: Path,
        *,
        window: int,
        overlap: int,
        batch_size: int,
        threads: int | None = None,
    ) -> None:
        offline()
        # Heavy native libraries, imported here: the parent django-q2 forks from stays light.
        from transformers import AutoTokenizer

        self.path = Path(path)
        self.export_path, self.manifest = ensure_export(self.path)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
        self.max_length = self._set_window(
            max_seq_length=self.manifest["max_seq_length"], window=window, overlap=overlap
        )
        self.batch_size = batch_size
        self.dim = int(self.manifest["dim"])
        self.pooling = self.manifest["pooling"]
        self._start(threads or default_threads())

    def _start(self, threads: int) -> None:
        """Load the export's int8 graph; sets input_names."""
        import onnxruntime

        self.session = onnxruntime.InferenceSession(
            str(self.export_path / MODEL_FILE),
            session_options(threads),
            providers=["CPUExecutionProvider"],
        )
        # The optimizer may drop an input the graph does not read.
        self.input_names = [i.name for i in self.session.get_inputs()]

    def _hidden(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        """The transformer's last hidden state of a tokenized batch."""
        out: np.ndarray = self.session.run(None, feeds)[0]
        return out

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            out[start : start + self.batch_size] = self._embed(
                texts[start : start + self.batch_size]
            )
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.manifest["do_lower_case"]:
            texts = [t.lower() for t in texts]
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        feeds = {n: batch[n].astype(np.int64) for n in self.input_names}
        return pool(self._hidden(feeds), batch["attention_mask"], self.pooling)
