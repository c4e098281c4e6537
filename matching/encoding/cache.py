"""The embedding cache: vectors per (text hash, encoder), read and filled in bulk.

get_encoder is looked up as this module's own global, so tests replace the encoder with
monkeypatch.setattr("matching.encoding.cache.get_encoder", ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import numpy as np
from django.db import transaction
from django.db.models import Q

from matching.encoding.registry import get_encoder
from matching.encoding.windows import DocumentVectors
from matching.models import Embedding, Resume
from matching.models_store import SENTENCES_VIEW, VIEW_MARK, encoder_path

# Bump when matching.intake.sections.evidence_text keeps other parts of a resume, or the
# personal details it blanks (matching.privacy.detectors) are found differently: resume
# vectors cached under the old key are then never read again, and resumes are embedded
# afresh on their next scoring. 2: names and contact details blanked.
EVIDENCE_VERSION = 2


def resume_cache_key(encoder_key: str) -> str:
    """The Embedding.encoder_key under which resume vectors are cached.

    The vectors are those of matching.intake.sections.evidence_text, kept under
    (text_sha256 of the resume's own text, "<encoder>#evidence-v<N>"): one key, one
    embedded text. Resume.text_sha256 stays the
    hash of the resume's own text, which erasure and training copies match on, and the
    lookup needs no text, so ranking stays one query over cached vectors. Jobs are
    embedded whole under the plain key.
    """
    return f"{encoder_key}{VIEW_MARK}evidence-v{EVIDENCE_VERSION}"


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


def cached_vectors_keyed(
    wanted: Mapping[str, Iterable[str]],
) -> dict[tuple[str, str], DocumentVectors]:
    """Cached vectors under several encoder keys (a job's and its resumes') in one query:
    {(encoder_key, text hash): vectors}."""
    match = Q(pk__in=[])
    for key, hashes in wanted.items():
        match |= Q(encoder_key=key, text_sha256__in=set(hashes))
    rows = Embedding.objects.filter(match).iterator(chunk_size=2000)
    return {(row.encoder_key, row.text_sha256): _from_row(row) for row in rows}


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


# --- a resume's sentence vectors, kept for judging -----------------------------------------
# The verdicts (matching.scoring.evidence) read one vector per sentence of a resume. A job
# opened or edited later is judged against every resume, so the vectors are kept: reading
# them back costs a fraction of embedding them again. One row per resume text, under
# "<encoder>#sentences-<digest of the sentences>": rules that cut a resume into other
# sentences give another key, and the row is replaced, never read for the wrong
# sentences. Keyed by the resume text's hash, so erasure removes it with the rest.


def sentences_key(encoder_key: str, sentences: Iterable[str]) -> str:
    digest = hashlib.sha256("\x1f".join(sentences).encode()).hexdigest()[:16]
    return f"{encoder_key}{SENTENCES_VIEW}{digest}"


def stored_sentence_vectors(
    *, hashes: Iterable[str], encoder_key: str
) -> dict[tuple[str, str], np.ndarray]:
    """{(text hash, sentences_key): float32[n_sentences, dim]} of the texts given."""
    rows = Embedding.objects.filter(
        text_sha256__in=set(hashes), encoder_key__startswith=f"{encoder_key}{SENTENCES_VIEW}"
    ).only("text_sha256", "encoder_key", "dim", "chunk_vectors")
    return {
        (row.text_sha256, row.encoder_key): np.frombuffer(
            bytes(row.chunk_vectors), dtype=np.float32
        ).reshape(-1, row.dim)
        for row in rows.iterator(chunk_size=500)
    }


def store_sentence_vectors(rows: Iterable[tuple[str, str, np.ndarray]], *, encoder_key: str) -> int:
    """Keep (text hash, sentences_key, vectors) rows of `encoder_key`, replacing a text's
    row under an older sentences_key; returns the rows written."""
    new = [
        Embedding(
            text_sha256=text_sha,
            encoder_key=key,
            dim=vectors.shape[1],
            vector=_unit(vectors.mean(axis=0)).tobytes(),
            chunk_vectors=np.ascontiguousarray(vectors, dtype=np.float32).tobytes(),
        )
        for text_sha, key, vectors in rows
        if len(vectors)
    ]
    if not new:
        return 0
    with transaction.atomic():
        # A resume erased while its sentences were embedded keeps none of them.
        kept = set(
            Resume.objects.filter(text_sha256__in={row.text_sha256 for row in new}).values_list(
                "text_sha256", flat=True
            )
        )
        new = [row for row in new if row.text_sha256 in kept]
        _replace_sentence_rows(new, encoder_key=encoder_key)
    return len(new)


def _replace_sentence_rows(new: list[Embedding], *, encoder_key: str) -> None:
    stale = Embedding.objects.filter(
        text_sha256__in={row.text_sha256 for row in new},
        encoder_key__startswith=f"{encoder_key}{SENTENCES_VIEW}",
    ).exclude(encoder_key__in={row.encoder_key for row in new})
    stale.delete()
    # Another worker may have kept the same sentences meanwhile: both are equal.
    Embedding.objects.bulk_create(new, ignore_conflicts=True, batch_size=200)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm if norm else v).astype(np.float32)
