"""The layout's rules (docs/architecture.md): the import contracts in pyproject.toml hold,
and no app imports another app's private names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("matching", "training", "audit", "resumeproject")
DJANGO_PUBLIC = {"_meta", "_default_manager", "_base_manager"}  # public despite the underscore


def _lint_imports() -> str | None:
    here = Path(sys.executable).parent / "lint-imports"
    return str(here) if here.exists() else shutil.which("lint-imports")


@pytest.mark.skipif(_lint_imports() is None, reason="import-linter is not installed (dev extras)")
def test_the_import_contracts_hold():
    done = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _private_uses(path: Path, app: str) -> list[str]:
    """`from <other app>.x import _y`, and `mod._y` on a module imported from another app."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    foreign_modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            other = node.module.split(".")[0]
            if other in APPS and other != app:
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path}:{node.lineno} imports {node.module}.{alias.name}")
                    else:
                        foreign_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS and alias.name.split(".")[0] != app:
                    foreign_modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in DJANGO_PUBLIC
            and isinstance(node.value, ast.Name)
            and node.value.id in foreign_modules
        ):
            found.append(f"{path}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_app_imports_another_apps_private_names():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += _private_uses(path, app)
    assert found == []
