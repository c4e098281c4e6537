"""Process-wide settings of native libraries, read once when the library loads: every
entry point must set them before numpy is imported (resumeproject/__init__.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_TIMEOUT = (
    "import os, numpy, resumeproject; "
    "print(os.environ['OPENBLAS_THREAD_TIMEOUT'], resumeproject.NUMPY_LOADED_FIRST)"
)


def _manage_py(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ("shell", "-c", PRINT_TIMEOUT))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env(**given: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return {**env, **given}


def test_the_project_sets_openblas_waiting_before_numpy_loads():
    done = _manage_py(_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "20 False"


def test_a_deployers_own_value_wins():
    done = _manage_py(_env(OPENBLAS_THREAD_TIMEOUT="7"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "7 False"


@pytest.mark.parametrize("value", ["3", "31", "soon"])
def test_a_value_openblas_cannot_use_stops_start_up(value):
    done = _manage_py(_env(OPENBLAS_THREAD_TIMEOUT=value), "check")
    assert done.returncode != 0
    assert "OPENBLAS_THREAD_TIMEOUT" in done.stderr
