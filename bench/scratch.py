"""What the benches that train on gulp-dev share: Django on a scratch SQLite database and
a scratch model store (never the project's), and gulp-dev read as training examples.

Call `setup(prefix)` before importing anything of the project's apps.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GULP = ROOT.parent / "shared" / "datasets" / "gulp-dev.json"


def setup(prefix: str) -> None:
    """Django with its database and model store in a new temporary folder: fine-tuned
    encoders and the live model the bench reads go there, migrated by the bench."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resumeproject.settings")
    os.environ["MODELS_STORE_DIR"] = tempfile.mkdtemp(prefix=prefix)
    os.environ["SQLITE_PATH"] = os.path.join(os.environ["MODELS_STORE_DIR"], "bench.sqlite3")
    os.environ["DATABASE_URL"] = ""

    import django

    django.setup()


def gulp_examples(path: Path = GULP) -> list:
    """gulp-dev's graded pairs as training examples (training.datasets.Example)."""
    from training.datasets import Example

    return [
        Example(resume=d["resume"], job=d["job_description"], score=d["score"])
        for d in json.loads(path.read_text())
    ]


def pretrained():
    """The pre-trained model as an unsaved ScoringModel, for scorer_for."""
    from matching.models import ScoringModel
    from matching.models_store import PRETRAINED_KEY

    return ScoringModel(version="pretrained", kind="pretrained", encoder_key=PRETRAINED_KEY)
