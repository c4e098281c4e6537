"""The audit app's scheduled task (audit migration 0006 schedules it daily)."""

from __future__ import annotations

from audit.services import audit_purge_expired


def purge_expired_audit_events() -> int:
    return audit_purge_expired()
