"""The embedding cache: vectors per (text hash, encoder), read and filled in bulk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from django.conf import settings

from matching.encoder import PRETRAINED_KEY, DocumentVectors, get_encoder, pretrained_model_path
from matching.models import Embedding, ScoringModel


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encoder_path(encoder_key: str) -> Path:
    """The folder of an encoder: the bundled model, or a fine-tuned one in models_store."""
    if encoder_key == PRETRAINED_KEY:
        return pretrained_model_path()
    return Path(settings.MODELS_STORE_DIR) / encoder_key / "encoder"


def encoder_for(model: ScoringModel):
    return get_encoder(encoder_path(model.encoder_key))


def _from_row(row: Embedding) -> DocumentVectors:
    dim = row.dim
    return DocumentVectors(
        vector=np.frombuffer(bytes(row.vector), dtype=np.float32),
        chunk_vectors=np.frombuffer(bytes(row.chunk_vectors), dtype=np.float32).reshape(-1, dim),
        chunk_spans=[tuple(s) for s in row.chunk_spans],
    )


def cached_vectors(*, hashes: Iterable[str], encoder_key: str) -> dict[str, DocumentVectors]:
    rows = Embedding.objects.filter(encoder_key=encoder_key, text_sha256__in=set(hashes))
    return {row.text_sha256: _from_row(row) for row in rows.iterator(chunk_size=2000)}


def ensure_vectors(*, texts: dict[str, str], encoder_key: str) -> dict[str, DocumentVectors]:
    """Vectors of every text (keyed by its hash), embedding only those not yet cached."""
    found = cached_vectors(hashes=texts.keys(), encoder_key=encoder_key)
    missing = [h for h in texts if h not in found]
    if missing:
        encoder = get_encoder(encoder_path(encoder_key))
        encoded = encoder.encode_documents([texts[h] for h in missing])
        rows = [
            Embedding(
                text_sha256=h,
                encoder_key=encoder_key,
                dim=v.vector.shape[0],
                vector=v.vector.astype(np.float32).tobytes(),
                chunk_vectors=v.chunk_vectors.astype(np.float32).tobytes(),
                chunk_spans=[list(s) for s in v.chunk_spans],
            )
            for h, v in zip(missing, encoded, strict=True)
        ]
        # Another worker may have embedded the same text meanwhile: both results are equal.
        Embedding.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        found.update(zip(missing, encoded, strict=True))
    return found


def encode_uncached(*, texts: dict[str, str], encoder_key: str) -> dict[str, DocumentVectors]:
    """Vectors of texts without reading or writing the cache (texts nobody wants kept)."""
    encoder = get_encoder(encoder_path(encoder_key))
    return dict(zip(texts.keys(), encoder.encode_documents(list(texts.values())), strict=True))
