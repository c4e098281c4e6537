"""Production settings: one switch (DJANGO_ENV=production), secrets from the environment,
`manage.py check --deploy` clean, DEBUG off unless asked for.

Settings are read once per process, so each case runs Django in a subprocess with the
environment it describes.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables these tests set; anything the runner's environment has for them is dropped.
OWN = {
    "DJANGO_ENV",
    "DEBUG",
    "SECRET_KEY",
    "REQUIRE_SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    # Set by the browser tests for Playwright in this process; never in a deployment, and
    # check --deploy rightly refuses it (async.E001).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "ALLOWED_HOSTS": "resumes.example.com",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in OWN}
    base["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def strong_key() -> str:
    return secrets.token_urlsafe(64)


def settings_in(**env: str) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_the_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        SECRET_KEY=strong_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_development_defaults():
    """The check is not a formality: without DJANGO_ENV=production it finds issues."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0
    for issue in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert issue in result.stderr


def test_production_without_a_secret_key_fails_loudly():
    result = run(["manage.py", "check"], **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set in the environment" in result.stderr


def test_production_without_allowed_hosts_fails_loudly():
    result = run(["manage.py", "check"], DJANGO_ENV="production", SECRET_KEY=strong_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set in the environment" in result.stderr


def test_an_unknown_environment_name_fails_loudly():
    result = run(["manage.py", "check"], DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV must be development or production" in result.stderr


def test_production_turns_on_https_only_cookies_redirect_and_hsts_and_leaves_debug_off():
    values = settings_in(**PRODUCTION, SECRET_KEY=strong_key())
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_debug_is_on_only_when_asked_for():
    assert settings_in()["DEBUG"] is False
    assert settings_in(DEBUG="1")["DEBUG"] is True
    assert settings_in(**PRODUCTION, SECRET_KEY=strong_key(), DEBUG="1")["DEBUG"] is True


def test_the_proxy_header_is_read_from_the_environment():
    values = settings_in(
        **PRODUCTION,
        SECRET_KEY=strong_key(),
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    result = run(["manage.py", "check"], SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https" in result.stderr
