"""Self-identification in the admin: only for people with the dedicated read permission
(Django's default view permission is not created for this model), never inlined into the
resume's page; opening the list or a row is audited."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from audit.services import Target, audit_record
from fairness.models import SelfIdentification
from resumeproject import access

_LIST = Target("fairness.selfidentification", "", "self-identification list")


@admin.register(SelfIdentification)
class SelfIdentificationAdmin(admin.ModelAdmin):
    list_display = ("resume_id", "sex", "race_ethnicity", "age_band", "source", "imported_at")
    list_filter = ("sex", "race_ethnicity", "source")
    readonly_fields = ("resume", "source", "imported_at", "imported_by")
    fields = (
        "resume",
        "sex",
        "race_ethnicity",
        "age_band",
        "disability",
        "veteran",
        "source",
        "imported_at",
        "imported_by",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_read_self_identification(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return access.can_read_self_identification(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_view_permission(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # imported (command, API), not typed in

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_record(actor=request.user, action="self_id_read", target=_LIST)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and request.method == "GET":
            audit_record(
                actor=request.user,
                action="self_id_read",
                target=Target(
                    "fairness.selfidentification", object_id, f"self-identification #{object_id}"
                ),
            )
        return response
