"""The production examples in docs/deploy/ stop the way docs/reliability.md says: the
supervisor signals the worker alone (or its group) and waits longer than the worker's
own grace period, so the worker's bound acts first."""

from __future__ import annotations

import configparser

import yaml
from django.conf import settings

from tests.qcluster import ROOT

DEPLOY = ROOT / "docs" / "deploy"


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(DEPLOY / name)
    return parser["Service"]


def test_the_systemd_units_signal_the_main_process_and_outwait_the_grace_period():
    worker = _unit("resumes-worker@.service")
    assert worker["ExecStart"].endswith("manage.py worker")
    assert worker["KillMode"] == "mixed"  # not control-group: that signals every process
    assert int(worker["TimeoutStopSec"]) > settings.CLUSTER_STOP_GRACE_S
    assert _unit("resumes-web.service")["KillMode"] == "mixed"


def test_the_compose_workers_get_longer_to_stop_than_their_grace_period():
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    command = services["worker"]["command"]
    assert command[:3] == ["python", "manage.py", "worker"]
    grace = float(command[command.index("--grace") + 1])
    assert int(services["worker"]["stop_grace_period"].rstrip("s")) > grace
    assert services["worker"]["deploy"]["replicas"] == 2
    assert {"db", "redis", "web", "migrate"} <= set(services)


def test_the_procfile_runs_the_worker_command():
    lines = dict(
        line.split(": ", 1)
        for line in (DEPLOY / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert lines["worker"] == "python manage.py worker"
    assert lines["web"].startswith("gunicorn resumeproject.wsgi")
