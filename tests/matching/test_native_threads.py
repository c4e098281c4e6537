"""Process-wide settings of native libraries, read once when the library loads: every
entry point must set them before numpy is imported (resumeproject/__init__.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_TIMEOUT = "import os, numpy; print(os.environ['OPENBLAS_THREAD_TIMEOUT'])"


def _manage_py(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_TIMEOUT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("given", "expected"), [(None, "20"), ("7", "7")])
def test_openblas_threads_stop_spinning_soon_unless_the_deployer_says_otherwise(given, expected):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if given is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = given
    assert _manage_py(env) == expected
