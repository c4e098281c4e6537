"""What every admin module of matching shares: the list paginator, percents, the
anonymized view of resumes."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.db import connections
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import format_html

from matching.models import Resume
from matching.privacy import selectors as privacy_selectors


class NarrowListMedia:
    """Lists whose long names wrap, so their key columns fit a 1366 px screen."""

    css = {"all": ["matching/admin_lists.css"]}


class LargeTablePaginator(Paginator):
    """Exact counts, except for the whole of a big table on PostgreSQL, where COUNT(*)
    reads every row: there the planner's estimate (pg_class.reltuples, kept by autovacuum)
    stands in once it passes ESTIMATE_ABOVE rows. A filtered list (a search, a filter, the
    blind-rating rule) is always counted: an estimate there is a made-up number."""

    ESTIMATE_ABOVE = 50_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > self.ESTIMATE_ABOVE:
                    return int(row[0])
        return super().count


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class _Labelled:
    """An object shown under another name: the admin templates read its attributes."""

    def __init__(self, obj, label: str) -> None:
        self._obj, self._label = obj, label

    def __getattr__(self, name: str):
        return getattr(self._obj, name)

    def __str__(self) -> str:
        return self._label


class AnonymizedViewMixin:
    """The admin follows the same anonymized-view choice as the pages (the reviewer's own,
    else ANONYMIZE_REVIEWS): file names become "Candidate #<id>" and the resume text is
    masked. Admins who need the original switch their own view off."""

    # Column or field -> what replaces it in the anonymized view.
    anonymized_swaps: dict[str, str] = {}

    def _swap(self, request: HttpRequest, names):
        if not privacy_selectors.reviewer_anonymizes(user=request.user):
            return names
        return [self.anonymized_swaps.get(n, n) for n in names]

    def get_list_display(self, request):
        return self._swap(request, super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._swap(request, super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return self._swap(request, super().get_fields(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page's title and breadcrumb name the object by str(), which carries the
        file name: in the anonymized view they show the candidate's number instead."""
        if privacy_selectors.reviewer_anonymizes(user=request.user):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                label = self.anonymized_str(obj)
                extra_context = {
                    **(extra_context or {}),
                    "subtitle": label,
                    "original": _Labelled(obj, label),
                }
        return super().change_view(request, object_id, form_url, extra_context)

    def anonymized_str(self, obj) -> str:
        if isinstance(obj, Resume):
            return privacy_selectors.resume_label(resume=obj, anonymized=True)
        return f"{privacy_selectors.resume_label(resume=obj.resume, anonymized=True)} x {obj.job}"

    @admin.display(description="Resume")
    def resume_anonymized(self, obj) -> str:
        return privacy_selectors.resume_label(resume=obj.resume, anonymized=True)

    @admin.display(description="Original name")
    def name_anonymized(self, obj: Resume) -> str:
        return privacy_selectors.resume_label(resume=obj, anonymized=True)

    @admin.display(description="Text (anonymized)")
    def text_anonymized(self, obj: Resume) -> str:
        text = privacy_selectors.resume_display_text(text=obj.text, anonymized=True)
        return format_html('<div style="white-space: pre-wrap">{}</div>', text)
