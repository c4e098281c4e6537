"""Issue 15's switch to the new layout: delete the old modules, rewrite every importer.

    python tools/relayout.py --tables   # recompute NAME_MOVES from the tree, write it below
    python tools/relayout.py --dry-run  # say what would change
    python tools/relayout.py            # do it (idempotent: a second run changes nothing)

What it rewrites, in matching/, training/, resumeproject/, audit/, tests/, bench/, demo/ (and
dotted names in docs/ and README.md); migrations are history and are never touched:
- `from OLD import a, b as c` -> one `from NEW import ...` per target module (NAME_MOVES),
  renamed where RENAMES says so (the uses of the name in the file too);
- `from PKG import oldmod [as alias]` + `alias.name` -> `NEWALIAS.name`, with the imports
  of the new modules (MODULE_ALIAS) in place of the old one;
- `job_text(X)` / `services.job_text(X)` -> `X.embedded_text` (the Job property);
- dotted strings ("matching.vectors.get_encoder", "matching.extraction._CHILD_CODE"): by
  NAME_MOVES first, then whole-module paths (MODULE_PATHS);
- matching/admin/__init__.py becomes the imports of its split modules.
Then it `git rm`s the old modules. What it cannot do is printed for hands (HAND_EDITS).
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "pre15"  # the tag of the tree before issue 15

# Old modules that go entirely.
DELETED = {
    "matching.services": "matching/services.py",
    "matching.selectors": "matching/selectors.py",
    "matching.encoder": "matching/encoder.py",
    "matching.onnx_backend": "matching/onnx_backend.py",
    "matching.vectors": "matching/vectors.py",
    "matching.extraction": "matching/extraction.py",
    "matching.anonymize": "matching/anonymize.py",
    "matching.lexical": "matching/lexical.py",
    "matching.skills": "matching/skills.py",
    "matching.heads": "matching/heads.py",
    "matching.agreement": "matching/agreement.py",
    "matching.highlight": "matching/highlight.py",
    "matching.views": "matching/views.py",
    "matching.review_views": "matching/review_views.py",
    "matching.forms": "matching/forms.py",
    "training.services": "training/services.py",
    "training.signals": "training/signals.py",
}
# Kept modules that gave some of their names away (those no longer defined in them).
PARTIAL = {
    "matching.tasks": "matching/tasks.py",
    "matching.admin": "matching/admin/__init__.py",
    "matching.api.serializers.rankings": "matching/api/serializers/rankings.py",
    "training.tasks": "training/tasks.py",
    "training.store": "training/store.py",
    "training.datasets": "training/datasets.py",
    "training.metrics": "training/metrics.py",
    "training.plots": "training/plots.py",
}
OLD = {**DELETED, **PARTIAL}

ADMIN_INIT = '''"""The matching admin: each module registers its ModelAdmins when imported
(autodiscover imports this package)."""

from matching.admin import documents, models, ratings, review  # noqa: F401
'''

# (old module, old name) -> new name, where the name changes with the move.
RENAMES: dict[tuple[str, str], str] = {
    ("matching.services", "_pair_target"): "pair_target",
    ("matching.selectors", "_shown_span"): "shown_span",
    ("training.services", "_heartbeat"): "heartbeat",
    ("training.services", "_discard_run_folders"): "discard_run_folders",
    ("training.services", "_transition"): "transition",
    ("matching.heads", "model_folder"): "version_dir",
    ("matching.extraction", "child_main"): "main",
    ("matching.extraction", "_limit_resources"): "limit_resources",
    ("matching.extraction", "_pdf_text"): "pdf_text",
    ("matching.extraction", "_docx_text"): "docx_text",
    ("matching.extraction", "_extract_binary"): "extract_binary",
    ("matching.extraction", "_CONTROL"): "CONTROL",
    ("matching.anonymize", "_find"): "find",
    ("matching.views", "score_level"): "css_level",
    ("matching.tasks", "_enqueue"): "enqueue",
    ("matching.vectors", "_MASKED"): "MASKED_SUFFIX",
    ("training.services", "_learning_curve"): "learning_curve",
    ("training.services", "_load_examples"): "run_examples",
}

# Where a name defined in several new modules goes (the plan's target).
PREFER: dict[tuple[str, str], str] = {
    ("matching.encoder", "PRETRAINED_KEY"): "matching.models_store",
    ("matching.encoder", "pretrained_model_path"): "matching.models_store",
    ("matching.views", "score_level"): "matching.bands",
    ("matching.extraction", "_CONTROL"): "matching.texts",
    ("matching.heads", "ModelUnavailable"): "matching.errors",
    ("matching.services", "ActivationRefused"): "matching.errors",
    ("matching.services", "RatingRefused"): "matching.errors",
    ("matching.services", "SettleRefused"): "matching.errors",
    ("matching.services", "resume_text_key"): "matching.texts",
    ("matching.selectors", "job_ranking"): "matching.scoring.selectors",
    ("matching.views", "job_ranking"): "matching.web.ranking",
    ("matching.selectors", "scoring_progress"): "matching.scoring.progress",
    ("matching.review_views", "scoring_progress"): "matching.review.views",
    ("matching.selectors", "LEAD_PERMISSIONS"): "matching.review.visibility",
    ("matching.encoder", "_lock"): "matching.encoding.registry",
    ("matching.heads", "_lock"): "matching.scoring.heads",
    ("matching.extraction", "child_main"): "matching.intake.child",
    ("matching.anonymize", "_DATE"): "matching.privacy.detectors",
    ("matching.anonymize", "_EMAIL"): "matching.privacy.detectors",
    ("matching.anonymize", "_MONTHS"): "matching.privacy.detectors",
    ("matching.anonymize", "_PHONE"): "matching.privacy.detectors",
    ("matching.skills", "SKILLS"): "matching.scoring.skills",
    ("matching.vectors", "_MASKED"): "matching.models_store",
    ("training.services", "_learning_curve"): "training.steps",
    ("training.services", "_load_examples"): "training.datasets",
}
# Names an old module imported and others took from it (monkeypatch targets included).
IMPORTED_MOVES = {
    ("matching.vectors", "get_encoder"): "matching.encoding.cache",
    ("matching.vectors", "DocumentVectors"): "matching.encoding.windows",
    ("matching.vectors", "PRETRAINED_KEY"): "matching.models_store",
    # training.store keeps these until its owner removes them; importers read models_store.
    **{
        ("training.store", name): "matching.models_store"
        for name in (
            "store_dir",
            "incoming_dir",
            "incoming_key",
            "new_version",
            "METADATA_FILE",
            "METADATA_FORMAT",
            "read_metadata",
        )
    },
}
# Names nobody imports from another module, defined in many (never moved by name).
IGNORED = {"logger"}

# Names that are gone, and what replaces them (for the report; job_text calls are rewritten).
REMOVED = {
    ("matching.services", "job_text"): "Job.embedded_text",
    ("matching.vectors", "encoder_for"): "(dead code)",
    ("matching.lexical", "tfidf_cosine"): "(dead code)",
    ("matching.selectors", "BAND_POOR"): "matching.bands.POOR_BELOW",
    ("matching.selectors", "BAND_GOOD"): "matching.bands.GOOD_FROM",
    ("matching.selectors", "CONFLICT_SPREAD"): "matching.bands.CONFLICT_SPREAD",
    ("training.datasets", "GOOD"): "matching.bands.GOOD_FROM",
    ("training.datasets", "POOR"): "matching.bands.POOR_BELOW",
    ("training.metrics", "bands"): "matching.bands.band_index",
    ("matching.extraction", "_settings"): "django.conf.settings",
    ("matching.onnx_backend", "_store"): "matching.models_store.store_dir",
    ("training.services", "_transition"): "TrainingRun.transition",
}

# How a module object is imported when `alias.name` uses are rewritten.
MODULE_ALIAS = {
    "matching.intake.resumes": "intake_resumes",
    "matching.intake.jobs": "intake_jobs",
    "matching.intake.erasure": "intake_erasure",
    "matching.intake.extraction": "extraction",
    "matching.intake.readers": "readers",
    "matching.intake.terms": "terms",
    "matching.scoring.activation": "scoring_activation",
    "matching.scoring.services": "scoring_services",
    "matching.scoring.inputs": "scoring_inputs",
    "matching.scoring.selectors": "scoring_selectors",
    "matching.scoring.explain": "scoring_explain",
    "matching.scoring.progress": "scoring_progress",
    "matching.scoring.lexical": "lexical",
    "matching.scoring.heads": "heads",
    "matching.scoring.skills": "skills",
    "matching.review.ratings": "review_ratings",
    "matching.review.services": "review_services",
    "matching.review.selectors": "review_selectors",
    "matching.review.visibility": "review_visibility",
    "matching.review.agreement": "review_agreement",
    "matching.privacy.selectors": "privacy_selectors",
    "matching.privacy.services": "privacy_services",
    "matching.privacy.anonymize": "anonymize",
    "matching.encoding.cache": "encoding_cache",
    "matching.encoding.registry": "encoding_registry",
    "matching.encoding.onnx_backend": "onnx_backend",
    "matching.encoding.onnx_export": "onnx_export",
    "matching.models_store": "models_store",
    "matching.queue": "queue",
    "matching.bands": "bands",
    "matching.texts": "texts",
    "matching.errors": "matching_errors",
    "training.runs": "training_runs",
    "training.labels": "training_labels",
    "training.erasure": "training_erasure",
    "training.steps": "training_steps",
    "training.reporting": "reporting",
    "training.errors": "training_errors",
    "training.queue": "training_queue",
}

# Whole-module moves, for dotted strings whose name is not in NAME_MOVES (a module
# attribute such as "matching.extraction.sys.executable", docs that name a module).
MODULE_PATHS = {
    "matching.services": "matching.intake.resumes",
    "matching.selectors": "matching.scoring.selectors",
    "matching.encoder": "matching.encoding.registry",
    "matching.onnx_backend": "matching.encoding.onnx_backend",
    "matching.vectors": "matching.encoding.cache",
    "matching.extraction": "matching.intake.extraction",
    "matching.anonymize": "matching.privacy.anonymize",
    "matching.lexical": "matching.scoring.lexical",
    "matching.skills": "matching.scoring.skills",
    "matching.heads": "matching.scoring.heads",
    "matching.agreement": "matching.review.agreement",
    "matching.highlight": "matching.review.highlight",
    "matching.views": "matching.web.ranking",
    "matching.review_views": "matching.review.views",
    "matching.forms": "matching.review.forms",
    "training.services": "training.runs",
    "training.signals": "training.labels",
}

# The plan's hand edits (5.1) that are plain text: (file, old, new), applied before the rest.
FIXUPS = [
    (
        "tests/training/test_services.py",
        'monkeypatch.setattr(services, "examples_features"',
        'monkeypatch.setattr(training_steps, "examples_features"',
    ),
    ("tests/training/test_services.py", "services._transition(", "TrainingRun.transition("),
    (
        "tests/security/test_retention.py",
        'PURGE = "matching.services.resumes_purge_expired"',
        'PURGE = "matching.tasks.purge_expired_resumes"',
    ),
]

HAND_EDITS = """\
Left for hands (plan 5.1): matching/urls.py and templatetags (B), settings.py comments,
file paths in docs/*.md (matching/services.py and the like).
"""

# --- generated by --tables: (old module, name) -> "new.module" or "new.module:new_name"
NAME_MOVES: dict[tuple[str, str], str] = {
    ("matching.admin", "AnonymizedViewMixin"): "matching.admin.common",
    ("matching.admin", "EmbeddingAdmin"): "matching.admin.models",
    ("matching.admin", "HIDDEN_UNTIL_RATED"): "matching.admin.ratings",
    ("matching.admin", "JobAdmin"): "matching.admin.documents",
    ("matching.admin", "LargeTablePaginator"): "matching.admin.common",
    ("matching.admin", "NarrowListMedia"): "matching.admin.common",
    ("matching.admin", "PairAdmin"): "matching.admin.ratings",
    ("matching.admin", "PairConflictAdmin"): "matching.admin.review",
    ("matching.admin", "RatedFilter"): "matching.admin.ratings",
    ("matching.admin", "RatingAdmin"): "matching.admin.ratings",
    ("matching.admin", "RatingInline"): "matching.admin.ratings",
    ("matching.admin", "ResumeAdmin"): "matching.admin.documents",
    ("matching.admin", "ReviewerPreferenceAdmin"): "matching.admin.review",
    ("matching.admin", "ScoringModelAdmin"): "matching.admin.models",
    ("matching.admin", "SettledFilter"): "matching.admin.review",
    ("matching.admin", "_Labelled"): "matching.admin.common",
    ("matching.admin", "pct"): "matching.admin.common",
    ("matching.agreement", "krippendorff_alpha_interval"): "matching.review.agreement",
    ("matching.anonymize", "ADDRESS"): "matching.privacy.detectors",
    ("matching.anonymize", "BIRTH"): "matching.privacy.detectors",
    ("matching.anonymize", "CONTACT_LINES"): "matching.privacy.detectors",
    ("matching.anonymize", "EMAIL"): "matching.privacy.detectors",
    ("matching.anonymize", "Masked"): "matching.privacy.anonymize",
    ("matching.anonymize", "MaskedSpan"): "matching.privacy.anonymize",
    ("matching.anonymize", "NAME"): "matching.privacy.detectors",
    ("matching.anonymize", "ORIGINAL_FILE_HIDDEN"): "matching.privacy.anonymize",
    ("matching.anonymize", "PHONE"): "matching.privacy.detectors",
    ("matching.anonymize", "PHOTO"): "matching.privacy.detectors",
    ("matching.anonymize", "TOKENS"): "matching.privacy.anonymize",
    ("matching.anonymize", "URL"): "matching.privacy.detectors",
    ("matching.anonymize", "_ADDRESS_LABEL"): "matching.privacy.detectors",
    ("matching.anonymize", "_ADDRESS_TAIL"): "matching.privacy.detectors",
    ("matching.anonymize", "_ANY_URL"): "matching.privacy.detectors",
    ("matching.anonymize", "_BARE_DOMAIN"): "matching.privacy.detectors",
    ("matching.anonymize", "_BIRTH"): "matching.privacy.detectors",
    ("matching.anonymize", "_CREDENTIALS"): "matching.privacy.detectors",
    ("matching.anonymize", "_DATE"): "matching.privacy.detectors",
    ("matching.anonymize", "_DATE_INSIDE"): "matching.privacy.detectors",
    ("matching.anonymize", "_DOCUMENT_TITLES"): "matching.privacy.detectors",
    ("matching.anonymize", "_EMAIL"): "matching.privacy.detectors",
    ("matching.anonymize", "_MONTHS"): "matching.privacy.detectors",
    ("matching.anonymize", "_NAME_LABEL"): "matching.privacy.detectors",
    ("matching.anonymize", "_NAME_WORD"): "matching.privacy.detectors",
    ("matching.anonymize", "_NOT_NAME"): "matching.privacy.detectors",
    ("matching.anonymize", "_PARTICLES"): "matching.privacy.detectors",
    ("matching.anonymize", "_PHONE"): "matching.privacy.detectors",
    ("matching.anonymize", "_PHONE_LABEL"): "matching.privacy.detectors",
    ("matching.anonymize", "_PHOTO_LINE"): "matching.privacy.detectors",
    ("matching.anonymize", "_PHOTO_MARKUP"): "matching.privacy.detectors",
    ("matching.anonymize", "_PRIORITY"): "matching.privacy.anonymize",
    ("matching.anonymize", "_PROFILE_URL"): "matching.privacy.detectors",
    ("matching.anonymize", "_STREET"): "matching.privacy.detectors",
    ("matching.anonymize", "_STREET_DE"): "matching.privacy.detectors",
    ("matching.anonymize", "_STREET_DE_TAIL"): "matching.privacy.detectors",
    ("matching.anonymize", "_STREET_SUFFIX"): "matching.privacy.detectors",
    ("matching.anonymize", "_URL_LABEL"): "matching.privacy.detectors",
    ("matching.anonymize", "_YEAR"): "matching.privacy.detectors",
    ("matching.anonymize", "_ZIP"): "matching.privacy.detectors",
    ("matching.anonymize", "_contact_end"): "matching.privacy.detectors",
    ("matching.anonymize", "_find"): "matching.privacy.detectors:find",
    ("matching.anonymize", "_is_phone"): "matching.privacy.detectors",
    ("matching.anonymize", "_map"): "matching.privacy.anonymize",
    ("matching.anonymize", "_name_from_line"): "matching.privacy.detectors",
    ("matching.anonymize", "_name_words"): "matching.privacy.detectors",
    ("matching.anonymize", "_resolve"): "matching.privacy.anonymize",
    ("matching.anonymize", "_split_name_line"): "matching.privacy.detectors",
    ("matching.anonymize", "anonymize"): "matching.privacy.anonymize",
    ("matching.anonymize", "anonymous_label"): "matching.privacy.anonymize",
    ("matching.encoder", "BACKENDS"): "matching.encoding.registry",
    ("matching.encoder", "DocumentEncoder"): "matching.encoding.torch_backend",
    ("matching.encoder", "DocumentVectors"): "matching.encoding.windows",
    ("matching.encoder", "PRETRAINED_KEY"): "matching.models_store",
    ("matching.encoder", "WindowedEncoder"): "matching.encoding.windows",
    ("matching.encoder", "_encoders"): "matching.encoding.registry",
    ("matching.encoder", "_lock"): "matching.encoding.registry",
    ("matching.encoder", "build_encoder"): "matching.encoding.registry",
    ("matching.encoder", "check_backend"): "matching.encoding.registry",
    ("matching.encoder", "get_encoder"): "matching.encoding.registry",
    ("matching.encoder", "offline"): "matching.encoding.windows",
    ("matching.encoder", "pretrained_model_path"): "matching.models_store",
    ("matching.encoder", "unit"): "matching.encoding.windows",
    ("matching.extraction", "Limits"): "matching.intake.readers",
    ("matching.extraction", "SUPPORTED_EXTENSIONS"): "matching.intake.extraction",
    ("matching.extraction", "TEXT_EXTENSIONS"): "matching.intake.extraction",
    ("matching.extraction", "_CHILD_CODE"): "matching.intake.extraction",
    ("matching.extraction", "_CONTROL"): "matching.texts:CONTROL",
    ("matching.extraction", "_DTD_MARKERS"): "matching.intake.readers",
    ("matching.extraction", "_FOREIGN_SIGNATURES"): "matching.intake.extraction",
    ("matching.extraction", "_PDF_HEADER_WINDOW"): "matching.intake.extraction",
    ("matching.extraction", "_ROOT"): "matching.intake.extraction",
    ("matching.extraction", "_SURROGATES"): "matching.texts",
    ("matching.extraction", "_cut"): "matching.intake.extraction",
    ("matching.extraction", "_decode_text"): "matching.intake.extraction",
    ("matching.extraction", "_docx_check_archive"): "matching.intake.readers",
    ("matching.extraction", "_docx_text"): "matching.intake.readers:docx_text",
    ("matching.extraction", "_extract_binary"): "matching.intake.readers:extract_binary",
    ("matching.extraction", "_extract_in_child"): "matching.intake.extraction",
    ("matching.extraction", "_foreign_content"): "matching.intake.extraction",
    ("matching.extraction", "_limit_resources"): "matching.intake.child:limit_resources",
    ("matching.extraction", "_pdf_text"): "matching.intake.readers:pdf_text",
    ("matching.extraction", "_utf16_without_bom"): "matching.intake.extraction",
    ("matching.extraction", "child_main"): "matching.intake.child:main",
    ("matching.extraction", "extension_of"): "matching.intake.extraction",
    ("matching.extraction", "extract_text"): "matching.intake.extraction",
    ("matching.extraction", "human_size"): "matching.intake.readers",
    ("matching.extraction", "normalize_text"): "matching.texts",
    ("matching.extraction", "sniff_kind"): "matching.intake.extraction",
    ("matching.forms", "JobAdminForm"): "matching.admin.forms",
    ("matching.forms", "MultipleFileField"): "matching.admin.forms",
    ("matching.forms", "MultipleFileInput"): "matching.admin.forms",
    ("matching.forms", "QueueRatingForm"): "matching.review.forms",
    ("matching.forms", "RankingFilterForm"): "matching.web.forms",
    ("matching.forms", "RatingAdminForm"): "matching.review.forms",
    ("matching.forms", "ResumeUploadForm"): "matching.admin.forms",
    ("matching.forms", "STAR_CHOICES"): "matching.review.forms",
    ("matching.forms", "SettleForm"): "matching.review.forms",
    ("matching.forms", "StarsOrScore"): "matching.review.forms",
    ("matching.heads", "HEAD_FILE"): "matching.models_store",
    ("matching.heads", "HEAD_FORMAT"): "matching.scoring.heads",
    ("matching.heads", "KNOT_SCORES"): "matching.scoring.heads",
    ("matching.heads", "MEMORY_CUTOFF"): "matching.scoring.heads",
    ("matching.heads", "MEMORY_PRIOR"): "matching.scoring.heads",
    ("matching.heads", "ModelUnavailable"): "matching.errors",
    ("matching.heads", "ROW_BLOCK"): "matching.scoring.heads",
    ("matching.heads", "Scorer"): "matching.scoring.heads",
    ("matching.heads", "TrainedHead"): "matching.scoring.heads",
    ("matching.heads", "_heads"): "matching.scoring.heads",
    ("matching.heads", "_lock"): "matching.scoring.heads",
    ("matching.heads", "_pretrained"): "matching.scoring.heads",
    ("matching.heads", "design_matrix"): "matching.scoring.heads",
    ("matching.heads", "forget"): "matching.scoring.heads",
    ("matching.heads", "linear_part"): "matching.scoring.heads",
    ("matching.heads", "model_folder"): "matching.models_store:version_dir",
    ("matching.heads", "scorer_for"): "matching.scoring.heads",
    ("matching.highlight", "Piece"): "matching.review.highlight",
    ("matching.highlight", "Segment"): "matching.review.highlight",
    ("matching.highlight", "_pieces"): "matching.review.highlight",
    ("matching.highlight", "highlight"): "matching.review.highlight",
    ("matching.highlight", "requirement_words"): "matching.review.highlight",
    ("matching.lexical", "N_FEATURES"): "matching.intake.terms",
    ("matching.lexical", "STOPWORDS"): "matching.intake.terms",
    ("matching.lexical", "TOKEN"): "matching.intake.terms",
    ("matching.lexical", "TermVector"): "matching.intake.terms",
    ("matching.lexical", "_LIST_COMMA"): "matching.texts",
    ("matching.lexical", "_MUST_HEAD"): "matching.texts",
    ("matching.lexical", "_NICE_HEAD"): "matching.texts",
    ("matching.lexical", "_STEMMER"): "matching.intake.terms",
    ("matching.lexical", "_STOPWORD_TEXT"): "matching.intake.terms",
    ("matching.lexical", "coverage"): "matching.scoring.lexical",
    ("matching.lexical", "idf_from"): "matching.scoring.lexical",
    ("matching.lexical", "requirement_terms"): "matching.scoring.lexical",
    ("matching.lexical", "requirements_from_text"): "matching.texts",
    ("matching.lexical", "split_requirements"): "matching.texts",
    ("matching.lexical", "stack"): "matching.scoring.lexical",
    ("matching.lexical", "stem"): "matching.intake.terms",
    ("matching.lexical", "term_id"): "matching.intake.terms",
    ("matching.lexical", "term_vector"): "matching.intake.terms",
    ("matching.lexical", "terms"): "matching.intake.terms",
    ("matching.lexical", "tfidf_rows"): "matching.scoring.lexical",
    ("matching.lexical", "tokenize"): "matching.intake.terms",
    ("matching.onnx_backend", "CACHE_DIRNAME"): "matching.models_store",
    ("matching.onnx_backend", "CHECK_TEXTS"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "EXPORT_DIRNAME"): "matching.models_store",
    ("matching.onnx_backend", "ExportResult"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "FORMAT_VERSION"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "MANIFEST_FILE"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "MIN_COSINE"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "MODEL_FILE"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "OPSET"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "OnnxEncoder"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "POOLING_MODES"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "STALE_TEMP_S"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "UnsupportedModel"): "matching.encoding.windows",
    ("matching.onnx_backend", "_check_against_torch"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "_feed_forward_down_projections"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "_fuse"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "_hashed_files"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "_module_kind"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "_quiet_root_logger"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "_remove_stale_temps"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "default_threads"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "encoder_export_onnx"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "ensure_export"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "export_dir"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "export_model"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "fingerprint"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "pool"): "matching.encoding.onnx_export",
    ("matching.onnx_backend", "read_manifest"): "matching.encoding.onnx_backend",
    ("matching.onnx_backend", "read_pipeline"): "matching.encoding.onnx_export",
    ("matching.review_views", "ANONYMIZE_CHOICES"): "matching.review.views",
    ("matching.review_views", "JustRated"): "matching.review.views",
    ("matching.review_views", "RatingView"): "matching.review.views",
    ("matching.review_views", "STAR_LABELS"): "matching.review.views",
    ("matching.review_views", "_UNUSED_RESUME_COLUMNS"): "matching.review.views",
    ("matching.review_views", "_just_rated"): "matching.review.views",
    ("matching.review_views", "_pairs"): "matching.review.views",
    ("matching.review_views", "_rating_view"): "matching.review.views",
    ("matching.review_views", "_screen"): "matching.review.views",
    ("matching.review_views", "anonymize_toggle"): "matching.review.views",
    ("matching.review_views", "review_next"): "matching.review.views",
    ("matching.review_views", "review_pair"): "matching.review.views",
    ("matching.review_views", "review_rate"): "matching.review.views",
    ("matching.review_views", "review_skip"): "matching.review.views",
    ("matching.review_views", "scoring_progress"): "matching.review.views",
    ("matching.review_views", "stars_of"): "matching.review.views",
    ("matching.selectors", "AgreementReport"): "matching.review.agreement",
    ("matching.selectors", "AgreementRow"): "matching.review.agreement",
    ("matching.selectors", "Explanation"): "matching.scoring.explain",
    ("matching.selectors", "JobScoringProgress"): "matching.scoring.progress",
    ("matching.selectors", "LEAD_PERMISSIONS"): "matching.review.visibility",
    ("matching.selectors", "ScoringProgress"): "matching.scoring.progress",
    ("matching.selectors", "_IDS_PER_QUERY"): "matching.scoring.progress",
    ("matching.selectors", "_idf_cache"): "matching.scoring.inputs",
    ("matching.selectors", "_idf_lock"): "matching.scoring.inputs",
    ("matching.selectors", "_shown_span"): "matching.privacy.selectors:shown_span",
    ("matching.selectors", "best_passages"): "matching.scoring.explain",
    ("matching.selectors", "conflicting"): "matching.review.selectors",
    ("matching.selectors", "corpus_idf"): "matching.scoring.inputs",
    ("matching.selectors", "explain_pairs"): "matching.scoring.explain",
    ("matching.selectors", "job_ranking"): "matching.scoring.selectors",
    ("matching.selectors", "job_scoring_progress"): "matching.scoring.progress",
    ("matching.selectors", "jobs_with_scoring_progress"): "matching.scoring.progress",
    ("matching.selectors", "open_job_count"): "matching.scoring.progress",
    ("matching.selectors", "pair_other_ratings"): "matching.review.selectors",
    ("matching.selectors", "pair_passage_spans"): "matching.scoring.explain",
    ("matching.selectors", "pairs_conflicting"): "matching.review.selectors",
    ("matching.selectors", "pairs_disagreeing"): "matching.review.visibility",
    ("matching.selectors", "pairs_for_viewer"): "matching.review.visibility",
    ("matching.selectors", "passage_spans"): "matching.scoring.explain",
    ("matching.selectors", "ratings_for_viewer"): "matching.review.visibility",
    ("matching.selectors", "ratings_visible"): "matching.review.visibility",
    ("matching.selectors", "requirement_met"): "matching.scoring.explain",
    ("matching.selectors", "resume_batch"): "matching.scoring.inputs",
    ("matching.selectors", "resume_best_jobs"): "matching.scoring.selectors",
    ("matching.selectors", "resume_display_text"): "matching.privacy.selectors",
    ("matching.selectors", "resume_label"): "matching.privacy.selectors",
    ("matching.selectors", "resumes_scoring_progress"): "matching.scoring.progress",
    ("matching.selectors", "resumes_with_scoring_progress"): "matching.scoring.progress",
    ("matching.selectors", "review_queue"): "matching.review.selectors",
    ("matching.selectors", "reviewer_agreement"): "matching.review.agreement",
    ("matching.selectors", "reviewer_anonymizes"): "matching.privacy.selectors",
    ("matching.selectors", "reviewer_preference"): "matching.privacy.selectors",
    ("matching.selectors", "reviewer_rating"): "matching.review.selectors",
    ("matching.selectors", "scoring_progress"): "matching.scoring.progress",
    ("matching.selectors", "scoring_task_failures"): "matching.scoring.progress",
    ("matching.selectors", "sees_every_rating"): "matching.review.visibility",
    ("matching.services", "ACTIVATION_LOCK_TRIES"): "matching.scoring.activation",
    ("matching.services", "ActivationRefused"): "matching.errors",
    ("matching.services", "ImportSummary"): "matching.intake.resumes",
    ("matching.services", "JOB_LONG_TEXTS"): "matching.intake.jobs",
    ("matching.services", "MIN_LOCAL_IDF_DOCS"): "matching.scoring.inputs",
    ("matching.services", "PRETRAINED_VERSION"): "matching.scoring.activation",
    ("matching.services", "PairInputs"): "matching.scoring.inputs",
    ("matching.services", "PurgeResult"): "matching.intake.erasure",
    ("matching.services", "RatingRefused"): "matching.errors",
    ("matching.services", "SCORING_BATCH"): "matching.scoring.services",
    ("matching.services", "SettleRefused"): "matching.errors",
    ("matching.services", "SubmittedRating"): "matching.review.ratings",
    ("matching.services", "TextPair"): "matching.scoring.inputs",
    ("matching.services", "UploadResult"): "matching.intake.resumes",
    ("matching.services", "_audit_activation"): "matching.scoring.activation",
    ("matching.services", "_audit_rating"): "matching.review.ratings",
    ("matching.services", "_check_changeable"): "matching.review.ratings",
    ("matching.services", "_check_score"): "matching.review.ratings",
    ("matching.services", "_has_signature"): "matching.intake.resumes",
    ("matching.services", "_job_texts_check"): "matching.intake.jobs",
    ("matching.services", "_pair_target"): "matching.review.ratings:pair_target",
    ("matching.services", "_rating_state"): "matching.review.ratings",
    ("matching.services", "_resume_save_new"): "matching.intake.resumes",
    ("matching.services", "_schedule_job"): "matching.intake.jobs",
    ("matching.services", "_set_text"): "matching.intake.resumes",
    ("matching.services", "_store_scores"): "matching.scoring.services",
    ("matching.services", "collect_resume_files"): "matching.intake.resumes",
    ("matching.services", "job_create"): "matching.intake.jobs",
    ("matching.services", "job_input"): "matching.scoring.inputs",
    ("matching.services", "job_input_from_text"): "matching.scoring.inputs",
    ("matching.services", "job_text_errors"): "matching.intake.jobs",
    ("matching.services", "job_update"): "matching.intake.jobs",
    ("matching.services", "pair_get_or_create"): "matching.review.ratings",
    ("matching.services", "pair_refresh_rating_stats"): "matching.review.ratings",
    ("matching.services", "pair_settle"): "matching.review.services",
    ("matching.services", "pair_skip"): "matching.review.services",
    ("matching.services", "pair_unsettle"): "matching.review.services",
    ("matching.services", "pairs_rescore"): "matching.scoring.services",
    ("matching.services", "pairs_score"): "matching.scoring.services",
    ("matching.services", "rating_create"): "matching.review.ratings",
    ("matching.services", "rating_submit"): "matching.review.ratings",
    ("matching.services", "rating_update"): "matching.review.ratings",
    ("matching.services", "ratings_delete"): "matching.review.ratings",
    ("matching.services", "resume_create"): "matching.intake.resumes",
    ("matching.services", "resume_create_oversized"): "matching.intake.resumes",
    ("matching.services", "resume_delete"): "matching.intake.erasure",
    ("matching.services", "resume_text_key"): "matching.texts",
    ("matching.services", "resumes_import_paths"): "matching.intake.resumes",
    ("matching.services", "resumes_purge_expired"): "matching.intake.erasure",
    ("matching.services", "resumes_upload"): "matching.intake.resumes",
    ("matching.services", "reviewer_preference_set"): "matching.privacy.services",
    ("matching.services", "scoring_model_activate"): "matching.scoring.activation",
    ("matching.services", "scoring_model_active"): "matching.scoring.activation",
    ("matching.services", "texts_features"): "matching.scoring.inputs",
    ("matching.services", "texts_score"): "matching.scoring.services",
    ("matching.skills", "SKILLS"): "matching.scoring.skills",
    ("matching.skills", "SKILL_PHRASES"): "matching.scoring.skills",
    ("matching.skills", "_contains"): "matching.scoring.skills",
    ("matching.skills", "skills_in"): "matching.scoring.skills",
    ("matching.tasks", "SCORING_GROUP"): "matching.queue",
    ("matching.tasks", "_enqueue"): "matching.queue:enqueue",
    ("matching.tasks", "enqueue_rescore_all"): "matching.queue",
    ("matching.tasks", "enqueue_score_job"): "matching.queue",
    ("matching.tasks", "enqueue_score_resumes"): "matching.queue",
    ("matching.vectors", "ANONYMIZER_VERSION"): "matching.encoding.cache",
    ("matching.vectors", "DocumentVectors"): "matching.encoding.windows",
    ("matching.vectors", "PRETRAINED_KEY"): "matching.models_store",
    ("matching.vectors", "_MASKED"): "matching.models_store:MASKED_SUFFIX",
    ("matching.vectors", "_from_row"): "matching.encoding.cache",
    ("matching.vectors", "cached_vectors"): "matching.encoding.cache",
    ("matching.vectors", "encode_uncached"): "matching.encoding.cache",
    ("matching.vectors", "encoder_path"): "matching.models_store",
    ("matching.vectors", "ensure_vectors"): "matching.encoding.cache",
    ("matching.vectors", "get_encoder"): "matching.encoding.cache",
    ("matching.vectors", "resume_cache_key"): "matching.encoding.cache",
    ("matching.vectors", "scored_text"): "matching.encoding.cache",
    ("matching.vectors", "text_hash"): "matching.texts",
    ("matching.views", "BEST_JOBS_SHOWN"): "matching.web.resumes",
    ("matching.views", "EXPORT_BATCH"): "matching.web.export",
    ("matching.views", "EXPORT_HEADER"): "matching.web.export",
    ("matching.views", "RankingRow"): "matching.web.ranking",
    ("matching.views", "_Echo"): "matching.web.export",
    ("matching.views", "_batches"): "matching.web.export",
    ("matching.views", "_cell"): "matching.web.export",
    ("matching.views", "_export_rows"): "matching.web.export",
    ("matching.views", "_filtered_ranking"): "matching.web.ranking:filtered_ranking",
    ("matching.views", "_not_a_requirement"): "matching.web.ranking",
    ("matching.views", "_open_jobs"): "matching.web.ranking",
    ("matching.views", "_ranking_page"): "matching.web.ranking",
    ("matching.views", "job_export"): "matching.web.export",
    ("matching.views", "job_list"): "matching.web.ranking",
    ("matching.views", "job_ranking"): "matching.web.ranking",
    ("matching.views", "percent"): "matching.web.display",
    ("matching.views", "resume_detail"): "matching.web.resumes",
    ("matching.views", "resume_file"): "matching.web.resumes",
    ("matching.views", "score_level"): "matching.bands:css_level",
    ("training.datasets", "DatasetError"): "training.errors",
    ("training.plots", "ACCENT"): "training.svg",
    ("training.plots", "BOTTOM"): "training.svg",
    ("training.plots", "Box"): "training.svg",
    ("training.plots", "COLOURS"): "training.svg",
    ("training.plots", "FONT"): "training.svg",
    ("training.plots", "HEIGHT"): "training.svg",
    ("training.plots", "LEFT"): "training.svg",
    ("training.plots", "RIGHT"): "training.svg",
    ("training.plots", "TOP"): "training.svg",
    ("training.plots", "WIDTH"): "training.svg",
    ("training.plots", "_DOT"): "training.svg:DOT",
    ("training.plots", "_LabelPlacer"): "training.svg:LabelPlacer",
    ("training.plots", "_NARROW"): "training.svg:NARROW",
    ("training.plots", "_Number"): "training.svg:Number",
    ("training.plots", "_WIDE"): "training.svg:WIDE",
    ("training.plots", "_html"): "training.svg:html",
    ("training.plots", "_html_join"): "training.svg:html_join",
    ("training.plots", "_legend"): "training.svg:legend",
    ("training.plots", "_line_points"): "training.svg:line_points",
    ("training.plots", "_model_legend"): "training.svg:model_legend",
    ("training.plots", "_overlap"): "training.svg:overlap",
    ("training.plots", "_plot_x"): "training.svg:plot_x",
    ("training.plots", "_plot_y"): "training.svg:plot_y",
    ("training.plots", "_svg"): "training.svg:svg",
    ("training.plots", "_text_box"): "training.svg:text_box",
    ("training.plots", "_text_width"): "training.svg:text_width",
    ("training.plots", "_x_title"): "training.svg:x_title",
    ("training.plots", "_y_axis"): "training.svg:y_axis",
    ("training.services", "InvalidTransition"): "training.errors",
    ("training.services", "LOG_LINES"): "training.reporting",
    ("training.services", "Listener"): "training.reporting",
    ("training.services", "MEMORY_MATCH_TOLERANCE"): "training.erasure",
    ("training.services", "RunCancelled"): "training.errors",
    ("training.services", "RunReporter"): "training.reporting",
    ("training.services", "_discard_run_folders"): "training.runs:discard_run_folders",
    ("training.services", "_execute"): "training.runs:execute",
    ("training.services", "_file_erase_resume"): "training.erasure",
    ("training.services", "_heartbeat"): "training.reporting:heartbeat",
    ("training.services", "_learning_curve"): "training.steps:learning_curve",
    ("training.services", "_load_examples"): "training.datasets:run_examples",
    ("training.services", "_scores"): "training.steps:scores",
    ("training.services", "examples_features"): "training.steps",
    ("training.services", "examples_import"): "training.labels",
    ("training.services", "feedback_collect"): "training.labels",
    ("training.services", "runs_fail_stale"): "training.runs",
    ("training.services", "trained_heads_erase_resume"): "training.erasure",
    ("training.services", "training_files_erase_resume"): "training.erasure",
    ("training.services", "training_run_cancel"): "training.runs",
    ("training.services", "training_run_create"): "training.runs",
    ("training.services", "training_run_execute"): "training.runs",
    ("training.signals", "erase_training_copies"): "training.erasure",
    ("training.signals", "label_saved"): "training.labels",
    ("training.signals", "queue_if_suggested"): "training.labels",
    ("training.store", "METADATA_FILE"): "matching.models_store",
    ("training.store", "METADATA_FORMAT"): "matching.models_store",
    ("training.store", "incoming_dir"): "matching.models_store",
    ("training.store", "incoming_key"): "matching.models_store",
    ("training.store", "new_version"): "matching.models_store",
    ("training.store", "read_metadata"): "matching.models_store",
    ("training.store", "store_dir"): "matching.models_store",
    ("training.tasks", "enqueue_training_run"): "training.queue",
}
# --- end of generated tables ------------------------------------------------------------


def module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        names.add(n.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def base_source(rel: str) -> str:
    out = subprocess.run(
        ["git", "show", f"{BASE}:{rel}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return out.stdout if out.returncode == 0 else (ROOT / rel).read_text()


def new_modules() -> dict[str, set[str]]:
    """Top-level names of every module that survives the switch."""
    found = {}
    for folder in ("matching", "training"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if "/migrations/" in rel or rel in DELETED.values():
                continue
            if rel == PARTIAL["matching.admin"]:
                continue  # becomes ADMIN_INIT
            found[module_of(path)] = top_level_names(path.read_text())
    return found


def compute_tables() -> tuple[dict[tuple[str, str], str], list[str]]:
    modules = new_modules()
    moves: dict[tuple[str, str], str] = {}
    problems = []
    for old, rel in OLD.items():
        names = top_level_names(base_source(rel))
        kept = modules.get(old, set()) if old in PARTIAL else set()
        for name in sorted(names - kept):
            key = (old, name)
            if key in REMOVED or name in IGNORED:
                continue
            wanted = RENAMES.get(key, name)
            suffix = "" if wanted == name else f":{wanted}"
            if key in PREFER:
                moves[key] = PREFER[key] + suffix
                continue
            definers = sorted(m for m, defined in modules.items() if wanted in defined and m != old)
            if not definers and name.startswith("_"):
                # A name that crosses modules becomes public (plan 1.0).
                wanted, suffix = name.lstrip("_"), f":{name.lstrip('_')}"
                definers = sorted(m for m, d in modules.items() if wanted in d and m != old)
            if len(definers) == 1:
                moves[key] = definers[0] + suffix
            elif not definers:
                problems.append(f"{old}.{name}: defined in no new module")
            else:
                problems.append(f"{old}.{name}: defined in {', '.join(definers)}")
    moves.update(IMPORTED_MOVES)
    return moves, problems


def write_tables() -> None:
    moves, problems = compute_tables()
    me = Path(__file__)
    text = me.read_text()
    start = text.index("NAME_MOVES: dict[tuple[str, str], str] = ")
    end = text.index("# --- end of generated tables")
    rows = "".join(f"    {key!r}: {value!r},\n" for key, value in sorted(moves.items()))
    table = "NAME_MOVES: dict[tuple[str, str], str] = {\n" + rows + "}\n"
    me.write_text(text[:start] + table + text[end:])
    print(f"{len(moves)} moves written.")
    for p in problems:
        print("  unresolved:", p)


# --- rewriting ---------------------------------------------------------------------------


def alias_of(module: str, taken: frozenset[str] = frozenset()) -> str:
    """The local name of a module object; "<package>_<name>" when the file already uses
    the short one for something else (a parameter named `terms`, a list named `texts`)."""
    alias = MODULE_ALIAS.get(module) or module.rsplit(".", 1)[-1]
    if alias in taken:
        alias = "_".join(module.split(".")[-2:])
    return alias


def alias_import(module: str, taken: frozenset[str] = frozenset()) -> str:
    package, name = module.rsplit(".", 1)
    alias = alias_of(module, taken)
    return f"from {package} import {name}" + ("" if alias == name else f" as {alias}")


def names_in(tree: ast.AST) -> set[str]:
    """Every name the file binds or reads (variables, parameters, functions, imports)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
    return names


def moved(old: str, name: str) -> tuple[str, str] | None:
    """(new module, new name) of a moved name, or None when it stays or is unknown."""
    target = NAME_MOVES.get((old, name))
    if target is None:
        return None
    module, _, new_name = target.partition(":")
    return module, new_name or name


class FileRewrite:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text()
        self.report: list[str] = []
        self.taken: frozenset[str] = frozenset()

    def run(self) -> str:
        text = self.text
        rel = str(self.path.relative_to(ROOT))
        for name, old, new in FIXUPS:
            if name == rel:
                text = text.replace(old, new)
        if "import" in text:
            text = self.rewrite_imports(text)
        text = self.rewrite_job_text(text)
        text = self.rewrite_dotted(text)
        return text

    # `from x import y` statements, and the uses of module objects they bring in
    def rewrite_imports(self, text: str) -> str:
        tree = ast.parse(text)
        lines = text.split("\n")
        module_aliases: dict[str, str] = {}  # local name -> old module
        renames: dict[str, str] = {}
        edits: list[tuple[int, int, list[str]]] = []
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0]
        # Which local names are old module objects (needed before building statements).
        for node in nodes:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if full in OLD:
                    module_aliases[a.asname or a.name] = full
        uses = self.module_uses(text, module_aliases)
        self.taken = frozenset(names_in(tree) - set(module_aliases))
        for node in sorted(nodes, key=lambda n: n.lineno):
            mod = node.module or ""
            groups: dict[str, list[str]] = defaultdict(list)
            extra: list[str] = []
            changed = False
            for a in node.names:
                full = f"{mod}.{a.name}"
                if full in OLD:
                    changed = True
                    local = a.asname or a.name
                    for new_module in sorted(uses.get(local, set())):
                        extra.append(alias_import(new_module, self.taken))
                    if full in PARTIAL:
                        groups[mod].append(self.alias_text(a))
                    continue
                if mod in OLD:
                    target = moved(mod, a.name)
                    if (mod, a.name) in REMOVED:
                        changed = True
                        continue
                    if target is None:
                        if mod in DELETED:
                            self.report.append(f"{mod}.{a.name}: not in NAME_MOVES")
                        groups[mod].append(self.alias_text(a))
                        continue
                    changed = True
                    new_module, new_name = target
                    if a.asname:
                        groups[new_module].append(f"{new_name} as {a.asname}")
                    else:
                        groups[new_module].append(new_name)
                        if new_name != a.name:
                            renames[a.name] = new_name
                else:
                    groups[mod].append(self.alias_text(a))
            if not changed:
                continue
            indent = " " * node.col_offset
            last = lines[node.end_lineno - 1]
            comment = ""
            if "#" in last:
                comment = "  " + last[last.index("#") :].strip()
            new_lines = [
                f"{indent}from {m} import {', '.join(dict.fromkeys(names))}{comment}"
                for m, names in groups.items()
            ]
            new_lines += [f"{indent}{line}{comment}" for line in dict.fromkeys(extra)]
            if not new_lines:
                new_lines = [f"{indent}pass"] if self.only_statement(tree, node) else []
            edits.append((node.lineno, node.end_lineno, new_lines))
        for start, end, new_lines in sorted(edits, reverse=True):
            lines[start - 1 : end] = new_lines
        text = "\n".join(lines)
        text = self.rewrite_module_uses(text, module_aliases)
        for old_name, new_name in renames.items():
            text = re.sub(rf"(?<![\w.]){re.escape(old_name)}\b", new_name, text)
        return text

    @staticmethod
    def only_statement(tree: ast.AST, node: ast.stmt) -> bool:
        for parent in ast.walk(tree):
            for field in ("body", "orelse", "finalbody"):
                body = getattr(parent, field, None)
                if isinstance(body, list) and node in body and len(body) == 1:
                    return True
        return False

    @staticmethod
    def alias_text(a: ast.alias) -> str:
        return a.name + (f" as {a.asname}" if a.asname else "")

    def module_uses(self, text: str, module_aliases: dict[str, str]) -> dict[str, set[str]]:
        """For each local module alias, the new modules its `alias.name` uses go to."""
        uses: dict[str, set[str]] = defaultdict(set)
        for local, old in module_aliases.items():
            for m in re.finditer(rf"(?<![\w.]){re.escape(local)}\.(\w+)", text):
                target = moved(old, m.group(1))
                if target is not None:
                    uses[local].add(target[0])
                elif old in DELETED and (old, m.group(1)) not in REMOVED:
                    self.report.append(f"{local}.{m.group(1)} ({old}): not in NAME_MOVES")
        return uses

    def rewrite_module_uses(self, text: str, module_aliases: dict[str, str]) -> str:
        if not module_aliases:
            return text
        pattern = re.compile(rf"(?<![\w.])({'|'.join(map(re.escape, module_aliases))})\.(\w+)")

        def replace(m: re.Match) -> str:
            old = module_aliases[m.group(1)]
            target = moved(old, m.group(2))
            if target is None:
                return m.group(0)
            new_module, new_name = target
            return f"{alias_of(new_module, self.taken)}.{new_name}"

        out = []
        for line in text.split("\n"):
            stripped = line.lstrip()
            if stripped.startswith(("from ", "import ")):
                out.append(line)
            else:
                out.append(pattern.sub(replace, line))
        return "\n".join(out)

    @staticmethod
    def rewrite_job_text(text: str) -> str:
        return re.sub(r"(?<![\w.])(?:\w+\.)?job_text\(([\w.\[\]]+)\)", r"\1.embedded_text", text)

    @staticmethod
    def rewrite_dotted(text: str) -> str:
        return rewrite_dotted(text)


DOTTED = re.compile(
    r"(?<![\w/])("
    + "|".join(re.escape(m) for m in sorted(OLD, key=len, reverse=True))
    + r")\.(\w+)"
)


def rewrite_dotted(text: str) -> str:
    def replace(m: re.Match) -> str:
        old, name = m.group(1), m.group(2)
        target = moved(old, name)
        if target is not None:
            return f"{target[0]}.{target[1]}"
        if old in DELETED and old in MODULE_PATHS:
            return f"{MODULE_PATHS[old]}.{name}"
        return m.group(0)

    out = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        # Import statements were rewritten by the ast pass; "from matching.x import" stays.
        if stripped.startswith(("from ", "import ")):
            out.append(line)
        else:
            out.append(DOTTED.sub(replace, line))
    return "\n".join(out)


def python_files() -> list[Path]:
    files = []
    for folder in ("matching", "training", "resumeproject", "audit", "tests", "bench", "demo"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if "/migrations/" in rel or rel in DELETED.values():
                continue
            files.append(path)
    files += [p for p in sorted(ROOT.glob("*.py"))]
    return files


def doc_files() -> list[Path]:
    return [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", action="store_true", help="recompute NAME_MOVES")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    if args.tables:
        write_tables()
        return 0
    if not NAME_MOVES:
        print("NAME_MOVES is empty: run --tables first.")
        return 1
    changed = []
    report: list[str] = []
    for path in python_files():
        if path.resolve() == Path(__file__).resolve():
            continue
        rewrite = FileRewrite(path)
        try:
            text = rewrite.run()
        except SyntaxError as exc:
            report.append(f"{path}: {exc}")
            continue
        report += [f"{path.relative_to(ROOT)}: {line}" for line in rewrite.report]
        if text != rewrite.text:
            changed.append(path)
            if not args.dry_run:
                path.write_text(text)
    for path in doc_files():
        if not path.exists():
            continue
        text = path.read_text()
        new = rewrite_dotted(text)
        if new != text:
            changed.append(path)
            if not args.dry_run:
                path.write_text(new)
    admin = ROOT / PARTIAL["matching.admin"]
    if admin.read_text() != ADMIN_INIT:
        changed.append(admin)
        if not args.dry_run:
            admin.write_text(ADMIN_INIT)
    gone = [rel for rel in DELETED.values() if (ROOT / rel).exists()]
    if gone and not args.dry_run:
        subprocess.run(["git", "rm", "-q", *gone], cwd=ROOT, check=True)
    print(f"{len(changed)} files rewritten, {len(gone)} old modules removed.")
    for path in changed:
        print("  ", path.relative_to(ROOT))
    for line in dict.fromkeys(report):
        print("  left for hands:", line)
    print(HAND_EDITS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
