from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the default size is API_PAGE_SIZE, the largest API_MAX_PAGE_SIZE."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    @property
    def page_start(self) -> int:
        """The 1-based position of the current page's first row (ranks continue across pages)."""
        return self.page.start_index()
