"""Fixtures of the REST API tests; each says what it is for."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from tests.api.helpers import token_client


@pytest.fixture
def anon() -> APIClient:
    """A client that sends no credentials."""
    return APIClient()


@pytest.fixture
def api(reviewer) -> APIClient:
    """The staff reviewer (superuser) authenticated by API token: may do everything."""
    return token_client(reviewer)


@pytest.fixture
def wsgi_app():
    """The project's real WSGI application, for clients other than Django's (werkzeug,
    schemathesis), inside the test's transaction.

    Django closes the database connection when a request finishes; its own test client
    switches that off for the request, and so does this fixture, or the first request
    would end the test's transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# --- training and models -------------------------------------------------------------------


@pytest.fixture
def viewer(django_user_model):
    """Not staff, with only the permissions to see training runs and model versions: reads
    them through the API, changes nothing."""
    user = django_user_model.objects.create_user(username="vic", password="pw-vic-2026")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="view_trainingrun"),
        Permission.objects.get(content_type__app_label="matching", codename="view_scoringmodel"),
    )
    return user


@pytest.fixture
def viewer_api(viewer) -> APIClient:
    return token_client(viewer)


@pytest.fixture
def queue_only(settings):
    """Background work is queued as in production (after the commit, which never comes in
    a test's transaction) instead of running inline: a run stays `queued`."""
    settings.MATCHING_SYNC_TASKS = False
