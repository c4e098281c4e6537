"""Who may see and act on training runs and model versions: one named check per operation.

The admin (training/admin.py, ScoringModelAdmin in matching/admin.py) and the REST API
(resumeproject/api/permissions.py) both ask these checks, so the two surfaces grant the same
operations from the same Django permissions. Staff status alone grants nothing here: every
reviewer who rates in the admin is staff. The "model managers" group holds all of these
permissions (training migration 0004); a superuser has them all.

The admin also needs staff status, as every admin page does; the API does not, so a program
can act through a non-staff account given the group. The management commands
(train_custom_model --activate, activate_model) ask nothing: shell access is an operator's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

MODEL_MANAGERS_GROUP = "model managers"
# What the group holds (training migrations 0004 and 0006 grant the same on migrate).
MODEL_MANAGER_PERMISSIONS = (
    "training.view_trainingrun",
    "training.add_trainingrun",
    "training.change_trainingrun",
    "matching.view_scoringmodel",
    "matching.change_scoringmodel",
    "matching.pause_scoring",
)


def model_managers_group() -> Group:
    """The "model managers" group with its permissions, made again where it is missing: a
    database flushed after migrate (a test's, or `manage.py flush`) has lost it."""
    group, _ = Group.objects.get_or_create(name=MODEL_MANAGERS_GROUP)
    query = Q()
    for perm in MODEL_MANAGER_PERMISSIONS:
        app_label, codename = perm.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(query))
    return group


@dataclass(frozen=True)
class Check:
    """Granted to an active, signed-in user who holds any of `perms`. `doing` completes the
    refusal message ("You may not {doing}")."""

    perms: tuple[str, ...]
    doing: str
    # The group that holds the permission, or None where only named people should.
    group: str | None = MODEL_MANAGERS_GROUP

    def __call__(self, user: Any) -> bool:
        if not (user and user.is_authenticated and user.is_active):
            return False
        return any(user.has_perm(perm) for perm in self.perms)

    @property
    def refusal(self) -> str:
        holders = (
            f'members of the "{self.group}" group have'
            if self.group
            else "an administrator grants to named people only"
        )
        return (
            f'You may not {self.doing}: it needs the permission "{self.perms[0]}", which {holders}.'
        )


# Django's own rule: whoever may change a kind of object may also see it.
can_view_runs = Check(
    ("training.view_trainingrun", "training.change_trainingrun"), "see training runs"
)
can_train = Check(("training.add_trainingrun",), "queue training runs")
can_cancel_run = Check(("training.change_trainingrun",), "cancel training runs")
can_view_models = Check(
    ("matching.view_scoringmodel", "matching.change_scoringmodel"), "see model versions"
)
# Activating, activating one that measured worse (force) and rolling back are one permission:
# each makes a version live.
can_activate_model = Check(
    ("matching.change_scoringmodel",), "activate model versions or roll back"
)

# Human oversight: stopping the automated scoring and starting it again is a lead's.
can_pause_scoring = Check(("matching.pause_scoring",), "pause or resume automated scoring")

# Self-identification (the fairness app): no group holds these, so that adding someone to
# "model managers" or giving a reviewer every view permission exposes none of it.
can_read_self_identification = Check(
    ("fairness.read_self_identification",),
    "read self-identification data or adverse-impact reports",
    group=None,
)
can_import_self_identification = Check(
    ("fairness.add_selfidentification",), "import self-identification data", group=None
)
