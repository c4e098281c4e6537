"""Writes of the audit log. Called by matching and training; imports neither."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

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


def audit_purge_expired(*, days: int | None = None, now: datetime | None = None) -> int:
    """Drop events older than AUDIT_RETENTION_DAYS (never fewer than 183: the setting is
    refused below that) and record that it did, with the cutoff and the count: the log's
    one deletion, done by the daily schedule (audit.tasks), never from the admin."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    floor = settings.AUDIT_RETENTION_MIN_DAYS
    if days < floor:
        raise ValueError(f"Audit events are kept at least {floor} days, not {days}.")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        dropped, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        if dropped:
            audit_record(
                actor=None,
                action="audit_purged",
                target=Target("audit.auditevent", "", "audit log"),
                details={"before": cutoff.isoformat(), "events": dropped, "days": days},
            )
    return dropped


def audit_json_lines(*, since: date | None = None, until: date | None = None) -> Iterator[str]:
    """The events of a period (dates inclusive), oldest first, one JSON object per line:
    the export an auditor or a regulator reads (docs/responsible.md)."""
    events = AuditEvent.objects.order_by("at", "pk")
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    for event in events.iterator(chunk_size=2000):
        yield (
            json.dumps(
                {
                    "id": event.pk,
                    "at": event.at.isoformat(),
                    "actor": event.actor_name or None,
                    "action": event.action,
                    "target_type": event.target_type,
                    "target_id": event.target_id,
                    "target_label": event.target_label,
                    "details": event.details,
                },
                ensure_ascii=False,
                sort_keys=True,
            )
            + "\n"
        )
