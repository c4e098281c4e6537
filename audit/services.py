"""Writes of the audit log. Called by matching and training; imports neither."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from audit.context import current_user
from audit.models import AuditEvent


@dataclass(frozen=True)
class Target:
    """What an event is about, when there is no row to point at (it was just deleted)."""

    type: str
    id: str
    label: str = ""

    @classmethod
    def of(cls, instance: models.Model, *, label: str = "") -> Target:
        """A row as a target. The default label is the model's name and id, never str():
        a resume's str() is its file name, personal data the log must not keep."""
        meta = instance._meta
        return cls(
            type=meta.label_lower,
            id=str(instance.pk),
            label=label or f"{meta.verbose_name} #{instance.pk}",
        )


def audit_record(
    *,
    actor=None,
    action: str,
    target: models.Model | Target,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """One event. Without an actor, the signed-in user of the request being served (if
    any) is recorded, so services called from API views and admin actions that do not
    pass the user still say who; outside a request the actor is the system (null)."""
    if actor is None:
        actor = current_user()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if isinstance(target, models.Model):
        target = Target.of(target)
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        target_type=target.type[:100],
        target_id=target.id[:64],
        target_label=target.label[:200],
        details=details or {},
    )
