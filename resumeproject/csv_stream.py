"""CSV downloads streamed as rows are read, for every export of the site."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a stream."""

    def write(self, value: str) -> str:
        return value


def csv_download(rows: Iterable[Sequence[object]], filename: str) -> StreamingHttpResponse:
    """`rows` as a CSV attachment named `filename`, written while they are read."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
