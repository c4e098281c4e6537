"""The audit log in the admin: read-only for everyone, superusers included (a log that
can be edited or pruned from the admin proves nothing; events past AUDIT_RETENTION_DAYS
are dropped by the daily schedule alone). Viewing, and the JSON-lines export beside the
list, need the permission "Can view audit event" (superusers have it)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, path

from audit.models import AuditEvent
from audit.services import audit_json_lines


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
    change_list_template = "admin/audit/auditevent/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export.jsonl",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Every event of the period (?since=, ?until=, dates inclusive) as JSON lines."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            since, until = (
                dt.date.fromisoformat(request.GET[k]) if request.GET.get(k) else None
                for k in ("since", "until")
            )
        except ValueError:
            return HttpResponse(
                "since and until are dates like 2026-12-31.", status=400, content_type="text/plain"
            )
        response = StreamingHttpResponse(
            audit_json_lines(since=since, until=until), content_type="application/x-ndjson"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-log.jsonl"'
        return response

    @admin.display(description="Who", ordering="actor_name")
    def who(self, obj: AuditEvent) -> str:
        return obj.actor_name or "system"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
