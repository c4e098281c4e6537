"""Plain sentence-transformers on PyTorch (EMBEDDING_BACKEND=torch).

torch is imported only when an encoder is built, never at module import: django-q2 forks
workers from the process that imports the apps, and torch before fork deadlocks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matching.encoding.windows import WindowedEncoder, offline


class DocumentEncoder(WindowedEncoder):
    """Plain sentence-transformers on PyTorch (EMBEDDING_BACKEND=torch)."""

    backend = "torch"

    def __init__(self, path: Path, *, window: int, overlap: int, batch_size: int) -> None:
        offline()
        # Heavy ML, imported here: torch loaded before django-q2 forks its workers deadlocks them.
        from sentence_transformers import SentenceTransformer

        self.path = Path(path)
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.tokenizer = self.model.tokenizer
        self.model.max_seq_length = self._set_window(
            max_seq_length=self.model.max_seq_length, window=window, overlap=overlap
        )
        self.batch_size = batch_size
        dim = self.model.get_embedding_dimension()
        if dim is None:
            raise ValueError(f"{path}: the model does not state its embedding dimension.")
        self.dim = int(dim)

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
