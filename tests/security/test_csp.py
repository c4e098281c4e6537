"""The Content-Security-Policy header, and no inline script in the project's templates
(tests/security/test_csp_browser.py checks the pages in a real browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# onclick="...", href="javascript:...": inline script the policy blocks, nonce or not.
INLINE_HANDLER = re.compile(r"<[^>]*(\son[a-z]+\s*=|javascript:)[^>]*>", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/", "/api/docs/"])
def test_pages_carry_a_policy_that_allows_scripts_only_from_the_site(client, reviewer, path):
    client.force_login(reviewer)
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_without_a_nonce_or_an_inline_handler():
    """A script in a template is a static file (src=), data (type=application/json), or
    carries the request's nonce; anything else the browser would refuse to run."""
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        for tag in SCRIPT_TAG.findall(template.read_text()):
            if "src=" in tag or "application/json" in tag or "csp_nonce" in tag:
                continue
            offenders.append(f"{template.relative_to(ROOT)}: {tag}")
        offenders += [
            f"{template.relative_to(ROOT)}: {m.group(0)}"
            for m in INLINE_HANDLER.finditer(template.read_text())
        ]
    assert offenders == []
