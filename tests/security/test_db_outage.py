"""The database drops out while the site serves: a clean 503, and the next request works.

PostgreSQL: the serving connection is ended with pg_terminate_backend from a second
connection, between requests (a persistent connection killed while idle) and in the middle
of a request (between two of its queries, through Django's execute_wrapper). SQLite: the
file is held by another writer (a long write by the qcluster) past the lock timeout.

The test client serves requests on the test's own connection, so killing that connection
is killing the serving one. These tests run outside a transaction (transaction=True).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from matching.models import Rating
from matching.review import ratings as review_ratings
from resumeproject.middleware import MESSAGE
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """End a backend from a second connection, and wait until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


def assert_page_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert MESSAGE in body


def assert_api_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json() == {
        "error": {"status": 503, "code": "database_unavailable", "message": MESSAGE, "fields": {}}
    }


@pytest.fixture
def signed_in(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_requests_answers_503_then_the_next_request_works(
    signed_in, caplog
):
    assert signed_in.get(reverse("matching:job_list")).status_code == 200
    pid = backend_pid()
    terminate(pid)
    with caplog.at_level(logging.ERROR, logger="resumeproject.database"):
        assert_page_503(signed_in.get(reverse("matching:job_list")))
    assert "Database unavailable while serving GET /" in caplog.text
    assert signed_in.get(reverse("matching:job_list")).status_code == 200
    assert backend_pid() != pid


def kill_at_query(number: int, *, pid: int, seen: list[str]):
    """An execute_wrapper that ends the backend just before the request's Nth query."""

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if len(seen) == number:
            terminate(pid)
        return execute(sql, params, many, context)

    return wrapper


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_in_the_middle_of_a_page_answers_503_then_recovers(signed_in):
    JobFactory()
    seen: list[str] = []
    with connection.execute_wrapper(kill_at_query(3, pid=backend_pid(), seen=seen)):
        assert_page_503(signed_in.get(reverse("matching:job_list")))
    assert len(seen) == 3  # two queries answered, the third met the dead connection
    assert signed_in.get(reverse("matching:job_list")).status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_api_write_cut_mid_transaction_answers_503_keeps_nothing_and_the_retry_works(
    reviewer,
):
    resume, job = ResumeFactory(), JobFactory()
    api = token_client(reviewer)
    body = {"resume": resume.pk, "job": job.pk, "score": 0.8}
    seen: list[str] = []

    def kill_before_the_insert(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "matching_rating"') and not seen:
            seen.append(sql)
            terminate(backend_pid_of_request)
        return execute(sql, params, many, context)

    backend_pid_of_request = backend_pid()
    with connection.execute_wrapper(kill_before_the_insert):
        assert_api_503(api.post("/api/v1/ratings/", body, format="json"))
    assert seen
    assert Rating.objects.count() == 0
    assert api.post("/api/v1/ratings/", body, format="json").status_code == 201
    assert Rating.objects.count() == 1


@pytest.fixture
def short_sqlite_lock_timeout() -> Iterator[None]:
    """The lock wait of SQLite (30 s in settings) cut to a fifth of a second, so the test
    does not wait half a minute for the timeout it provokes."""
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    connection.close()
    options["timeout"] = 0.2
    try:
        yield
    finally:
        connection.close()
        options["timeout"] = before


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_file_locked_by_another_writer_answers_503_then_the_next_request_works(
    reviewer, short_sqlite_lock_timeout
):
    resume, job = ResumeFactory(), JobFactory()
    pair = review_ratings.pair_get_or_create(resume=resume, job=job)
    client = Client()
    client.force_login(reviewer)
    url = reverse("matching:review_rate", args=[pair.pk])
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a long write elsewhere holds the file
        assert_page_503(client.post(url, {"stars": "4"}))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert Rating.objects.count() == 0
    assert client.post(url, {"stars": "4"}).status_code == 302
    assert Rating.objects.get().score == 0.75
