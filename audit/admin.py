"""The audit log in the admin: read-only for everyone, superusers included (a log that
can be edited or pruned from the admin proves nothing). Viewing needs the permission
"Can view audit event" (superusers have it)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "who", "action", "target_type", "target_id", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_id", "target_label"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    fields = readonly_fields = [
        "at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "details",
    ]
    show_full_result_count = False

    @admin.display(description="Who", ordering="actor_name")
    def who(self, obj: AuditEvent) -> str:
        return obj.actor_name or "system"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
