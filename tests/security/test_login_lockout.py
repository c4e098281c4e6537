"""Logins are limited per client address on every path (site, admin, API token), and
X-Forwarded-For counts only as far as TRUSTED_PROXY_COUNT proxies vouch for it.

Before django-axes, 40 wrong passwords and then the right one were all accepted, and the
token endpoint's throttle keyed on the whole X-Forwarded-For header, so any client reset
it by writing a new one.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

LIMIT = 3
RIGHT = "pw-rita-2026"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    """A small failure limit; throttle counters from other tests forgotten."""
    settings.AXES_FAILURE_LIMIT = LIMIT
    cache.clear()
    yield
    cache.clear()


def one_proxy(settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def site_login(client, password: str, **headers):
    return client.post(
        "/accounts/login/", {"username": "rita", "password": password}, headers=headers
    )


def admin_login(client, password: str, **headers):
    return client.post(
        "/admin/login/?next=/admin/", {"username": "rita", "password": password}, headers=headers
    )


def token_login(client, password: str, **headers):
    body = json.dumps({"username": "rita", "password": password})
    return client.post(
        "/api/v1/auth/token/", body, content_type="application/json", headers=headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login", [site_login, admin_login], ids=["site", "admin"])
def test_a_page_login_locks_out_after_the_failure_limit_and_refuses_the_right_password(
    client, reviewer, login
):
    for _ in range(LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins from your address" in locked.content.decode()
    assert "Login locked" in locked.content.decode()  # the site's page, not a bare text
    assert int(locked["Retry-After"]) == 30 * 60

    refused = login(client, RIGHT)
    assert refused.status_code == 429
    assert not signed_in(client)


def test_the_token_endpoint_locks_out_with_the_api_error_body(reviewer):
    client = APIClient()
    for _ in range(LIMIT - 1):
        assert_error(token_login(client, "wrong"), 400, "invalid")
    error = assert_error(token_login(client, "wrong"), 429, "locked_out")
    assert "Too many failed logins from your address" in error["message"]
    assert error["retry_after"] == 30 * 60

    refused = token_login(client, RIGHT)
    assert_error(refused, 429, "locked_out")
    assert "token" not in refused.json()


def test_failures_on_one_path_count_on_the_others(client, reviewer):
    """One count per address: guessing on the token endpoint locks the site login too."""
    for _ in range(LIMIT):
        token_login(APIClient(), "wrong")
    assert site_login(client, RIGHT).status_code == 429
    assert admin_login(client, RIGHT).status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize(
    "login", [site_login, admin_login, token_login], ids=["site", "admin", "token"]
)
def test_a_spoofed_x_forwarded_for_does_not_reset_the_count_without_trusted_proxies(
    client, reviewer, login
):
    for i in range(LIMIT):
        login(client, "wrong", x_forwarded_for=f"198.51.100.{i}")
    response = login(client, RIGHT, x_forwarded_for="203.0.113.99")
    assert response.status_code == 429
    assert not signed_in(client)


def test_with_one_trusted_proxy_the_address_it_appended_is_the_one_locked_out(
    client, reviewer, settings
):
    one_proxy(settings)
    # The client writes its own X-Forwarded-For; the proxy appends the real address.
    for i in range(LIMIT):
        site_login(client, "wrong", x_forwarded_for=f"10.0.0.{i}, 203.0.113.7")
    assert site_login(client, RIGHT, x_forwarded_for="10.9.9.9, 203.0.113.7").status_code == 429
    assert not signed_in(client)

    # Another client behind the same proxy is not locked out.
    other = site_login(client, RIGHT, x_forwarded_for="203.0.113.7, 198.51.100.20")
    assert other.status_code == 302
    assert signed_in(client)


def test_the_token_throttle_counts_the_connection_address_not_x_forwarded_for(
    reviewer, monkeypatch
):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/minute")
    client = APIClient()
    for i in range(2):
        assert token_login(client, RIGHT, x_forwarded_for=f"198.51.100.{i}").status_code == 200
    assert_error(token_login(client, RIGHT, x_forwarded_for="198.51.100.77"), 429, "throttled")


def test_with_one_trusted_proxy_the_token_throttle_counts_each_client_apart(
    reviewer, monkeypatch, settings
):
    one_proxy(settings)
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth", "2/minute")
    client = APIClient()
    for _ in range(2):
        assert token_login(client, RIGHT, x_forwarded_for="6.6.6.6, 203.0.113.7").status_code == 200
    assert_error(
        token_login(client, RIGHT, x_forwarded_for="7.7.7.7, 203.0.113.7"), 429, "throttled"
    )
    assert token_login(client, RIGHT, x_forwarded_for="203.0.113.8").status_code == 200


def test_the_failure_limit_and_cool_off_come_from_the_environment(monkeypatch):
    import importlib
    from datetime import timedelta

    import resumeproject.settings as project_settings

    monkeypatch.setenv("AXES_FAILURE_LIMIT", "7")
    monkeypatch.setenv("AXES_COOLOFF_TIME", "45")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.AXES_FAILURE_LIMIT == 7
        assert timedelta(minutes=45) == reloaded.AXES_COOLOFF_TIME
        assert reloaded.REST_FRAMEWORK["NUM_PROXIES"] == 2
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
