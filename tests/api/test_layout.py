"""The API's layout (DESIGN.md): each app's endpoints live in the app, and matching, its
API included, never imports training; the shared API code imports neither app's API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Every module each .py file under `folder` imports, at any depth of the code."""
    out: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        out[str(path.relative_to(ROOT))] = names
    return out


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imported_modules(ROOT / folder).items()
        for name in sorted(names)
        if any(name == f or name.startswith(f"{f}.") for f in forbidden)
    ]


def test_matching_and_its_api_never_import_training():
    assert imported_modules(ROOT / "matching" / "api")  # the walk sees the API's files
    assert offenders("matching", ("training",)) == []


@pytest.mark.parametrize("forbidden", ["training", "matching.api", "training.api"])
def test_the_shared_api_code_depends_on_no_app_api(forbidden):
    assert offenders("resumeproject/api", (forbidden,)) == []
