"""Signals matching sends for other apps; matching never imports them (training listens).

resume_erased: a resume is being erased (deleted by a person, the API or retention).
Sent inside the deletion's transaction, before the resume's rows go, only when no other
resume has the same text (the copies belong to that one too). Keyword arguments:

- resume_id: int
- text_sha256: str, the hash that keys the resume's text everywhere (matching.texts.text_hash)
- text_key: str, the hash of the text with whitespace ignored (matching.texts.resume_text_key),
  which copies kept outside matching are matched on
- vectors: dict[str, numpy.ndarray], the resume's document vector per encoder key, as
  cached in Embedding, so copies held as vectors (a trained head's memory) can be found
- actor: the user erasing it, or None for the system

A receiver removes its copies and returns a dict of what it removed (JSON-able); the
counts go into the audit log. A receiver that raises stops the erasure: the deletion is
rolled back and the caller sees the error, so nobody is told a candidate is gone while a
copy remains.
"""

from __future__ import annotations

from django.dispatch import Signal

resume_erased = Signal()
