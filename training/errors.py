"""The errors of the training app.

The first three are user-facing: their message is shown to people and their `code` is
stable (resumeproject.errors.UserError; the API maps every UserError once, in
resumeproject.api.errors). RunCancelled is internal: a progress report raises it when the
run was cancelled meanwhile, and training.runs ends the run quietly.
"""

from __future__ import annotations

from resumeproject.errors import UserError


class DatasetError(UserError, ValueError):
    """A training or validation file that cannot be read, or data a run refuses to train
    on; the message says where (file, row and field) and why."""

    code = "invalid"
    status = 400


class RunRefused(UserError, ValueError):
    """A run asked for with parameters it cannot run with (unknown mode, epochs < 1)."""

    code = "invalid"
    status = 400


class InvalidTransition(UserError):
    """A run asked to change to a status its current one does not lead to (e.g. cancelling
    a finished run)."""

    code = "run_finished"
    status = 409


class RunCancelled(Exception):
    pass
