"""Each user sees and revokes their own API token (/accounts/token/, linked from the top
bar), and a password change revokes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db


def api_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def member(member):
    """The plain reviewer (tests/conftest.py), with an API token."""
    Token.objects.create(user=member)
    return member


def test_the_top_bar_links_to_the_token_page(client, member):
    client.force_login(member)
    assert 'href="/accounts/token/"' in client.get("/").content.decode()


def test_a_user_sees_their_own_token_and_no_one_elses(client, member, reviewer):
    other = Token.objects.create(user=reviewer)
    client.force_login(member)
    page = client.get("/accounts/token/").content.decode()
    assert Token.objects.get(user=member).key in page
    assert other.key not in page


def test_revoking_on_the_page_makes_the_api_refuse_the_token(client, member):
    key = Token.objects.get(user=member).key
    assert api_with(key).get("/api/v1/jobs/").status_code == 200
    client.force_login(member)

    response = client.post("/accounts/token/", {"action": "revoke"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=member).exists()
    assert_error(api_with(key).get("/api/v1/jobs/"), 401, "authentication_failed")
    assert "You have no API token" in client.get("/accounts/token/").content.decode()


def test_a_user_creates_a_token_on_the_page_that_the_api_accepts(client, member):
    Token.objects.filter(user=member).delete()
    client.force_login(member)
    assert client.post("/accounts/token/", {"action": "create"}).status_code == 302
    key = Token.objects.get(user=member).key
    assert key in client.get("/accounts/token/").content.decode()
    assert api_with(key).get("/api/v1/jobs/").status_code == 200


def test_the_token_page_refuses_an_unknown_action(client, member):
    client.force_login(member)
    assert client.post("/accounts/token/", {"action": "delete-all"}).status_code == 400
    assert Token.objects.filter(user=member).exists()


def test_the_token_page_needs_a_login(client):
    response = client.get("/accounts/token/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_change_revokes_the_token(member):
    key = Token.objects.get(user=member).key
    member.set_password("a-new-password-2026")
    member.save()
    assert not Token.objects.filter(user=member).exists()
    assert_error(api_with(key).get("/api/v1/jobs/"), 401, "authentication_failed")


def test_changing_ones_own_password_in_the_admin_revokes_the_token(client, reviewer):
    Token.objects.create(user=reviewer)
    client.force_login(reviewer)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "pw-rita-2026",
            "new_password1": "a-new-password-2026",
            "new_password2": "a-new-password-2026",
        },
    )
    assert response.status_code == 302, response.content
    assert not Token.objects.filter(user=reviewer).exists()


def test_an_admin_setting_a_users_password_revokes_that_users_token(client, reviewer, member):
    client.force_login(reviewer)
    response = client.post(
        f"/admin/auth/user/{member.pk}/password/",
        {"password1": "a-new-password-2026", "password2": "a-new-password-2026"},
    )
    assert response.status_code == 302, response.content
    assert not Token.objects.filter(user=member).exists()


def test_a_password_hash_upgraded_at_login_keeps_the_token(client, member):
    """Django re-hashes an old-format password at login: the password is the same, so
    programs keep working."""
    weak = PBKDF2PasswordHasher()
    weak.iterations = 1000
    member.password = weak.encode("pw-mo-2026", weak.salt())
    member.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"username": "mo", "password": "pw-mo-2026"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.password.startswith("pbkdf2_sha256$1000$")  # upgraded
    assert Token.objects.filter(user=member).exists()
