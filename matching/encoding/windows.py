"""What both encoder backends share: the windows of a long text and its document vectors.

Long texts are split into overlapping windows of word pieces (the model reads 256), each
window is embedded, and the document vector is the normalised mean of the window
vectors. Window spans are kept so explanations can quote the passages that match.
Both backends (torch_backend, onnx_backend) subclass WindowedEncoder, so their spans are
identical.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


class UnsupportedModel(Exception):
    """The folder has modules the export does not reproduce; torch serves it instead."""


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


def unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)
