"""The state of the background work, for an operator or a monitoring check: exits 1 when
someone must act (training.health.system_health says what)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from training.health import system_health


class Command(BaseCommand):
    help = (
        "Queue, clusters, scoring left or failed, dead training runs and the live model; "
        "exits 1 when something needs an operator."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print it as JSON.")

    def handle(self, *args, **options) -> None:
        health = system_health()
        if options["json"]:
            self.stdout.write(json.dumps(health.to_json(), indent=2))
        else:
            lines = [
                f"live model:            {health.live_model or '(none)'}",
                f"queued tasks:          {health.queued_tasks}",
                f"clusters (last min):   {', '.join(health.clusters) or 'none reported'}",
                f"last task finished:    {health.last_task_finished or 'never'}",
                f"resumes waiting:       {health.resumes_waiting} ({health.resumes_lost} lost, "
                f"{health.resumes_given_up} given up)",
                f"scoring failed (24 h): {health.scoring_failed}",
                f"stale training runs:   {health.stale_training_runs or 'none'}",
            ]
            if health.scoring_paused:
                lines.append(f"automated scoring:     PAUSED {health.scoring_paused}")
            lines += [f"PROBLEM: {p}" for p in health.problems] or ["OK"]
            self.stdout.write("\n".join(lines))
        if not health.ok:
            raise SystemExit(1)
