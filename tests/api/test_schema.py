"""The OpenAPI schema (no warnings, behind login) and the interactive docs, served offline."""

from __future__ import annotations

import os

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.api.helpers import assert_error
from tests.browser import chromium, log_in

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the browser test makes while the browser is open.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SWAGGER_FILES = ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]


def test_the_schema_generates_and_validates_without_any_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3.")
    assert "/api/v1/jobs/{id}/ranking/" in text
    for path in [
        "/api/v1/feedback/",
        "/api/v1/training/runs/",
        "/api/v1/training/runs/{id}/",
        "/api/v1/training/runs/{id}/cancel/",
        "/api/v1/training/suggestion/",
        "/api/v1/models/",
        "/api/v1/models/{version}/",
        "/api/v1/models/{version}/activate/",
        "/api/v1/models/rollback/",
    ]:
        assert f"  {path}:" in text, path


@pytest.mark.django_db
def test_the_schema_needs_credentials(anon, api):
    assert_error(anon.get("/api/schema/"), 401, "not_authenticated")
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Resume Screening API"
    assert "/api/v1/score/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    yaml = api.get("/api/schema/", {"format": "yaml"})
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi: 3.")


@pytest.mark.django_db
def test_the_docs_send_anonymous_visitors_to_the_login_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/docs/")


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_ui_from_local_static_files(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in SWAGGER_FILES:
        assert f"/static/drf_spectacular_sidecar/swagger-ui-dist/{name}" in html
        found = finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}")
        assert found and os.path.getsize(found) > 10_000
    assert "cdn." not in html and "https://" not in html
    # Its start-up script comes from the same URL (?script), not inline (the CSP).
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()  # no call to validator.swagger.io


@pytest.mark.browser
def test_swagger_ui_renders_and_calls_the_api_with_no_outside_request(
    transactional_db, live_server, reviewer, tmp_path
):
    """Chromium with every request outside the live server blocked: the docs still render
    every operation and "Try it out" calls the API with the session."""
    from playwright.sync_api import expect

    from tests.factories import JobFactory

    JobFactory(title="Data engineer")
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", only_local)
        log_in(page, f"{live_server.url}/api/docs/")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Resume Screening API")
        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible()
        assert operations.count() >= 16

        jobs = page.locator("#operations-jobs-jobs_list")
        jobs.locator(".opblock-summary").click()
        jobs.locator("button.try-out__btn").click()
        jobs.locator("button.execute").click()
        expect(jobs.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
            "200"
        )
        expect(jobs.locator(".live-responses-table")).to_contain_text("Data engineer")
        page.screenshot(path=str(tmp_path / "api-docs.png"), full_page=False)
    assert outside == []
