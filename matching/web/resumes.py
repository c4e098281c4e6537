"""Pages: a resume with its best jobs, and its uploaded file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from matching import bands
from matching.intake import rates
from matching.models import Resume
from matching.privacy import selectors as privacy_selectors
from matching.privacy.anonymize import ORIGINAL_FILE_HIDDEN
from matching.review import visibility as review_visibility
from matching.scoring import selectors as scoring_selectors
from matching.web.display import percent

BEST_JOBS_SHOWN = 20
REJECTED_FILE_WITHHELD = (
    "This upload was rejected, and its original is kept only for people with the "
    'permission "Can download the original of a rejected upload".'
)


@login_required
def resume_detail(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume = get_object_or_404(Resume.objects.defer("term_ids", "term_counts"), pk=resume_id)
    best = list(
        review_visibility.pairs_for_viewer(
            scoring_selectors.resume_best_jobs(resume=resume), user=request.user
        )[:BEST_JOBS_SHOWN]
    )
    jobs = [
        {
            "pair": pair,
            "score_pct": percent(pair.score),
            "rating_pct": percent(pair.rating_mean) if pair.ratings_visible else None,
            "ratings_hidden": pair.rating_count > 0 and not pair.ratings_visible,
            "level": bands.css_level(pair.score),
        }
        for pair in best
    ]
    anonymized = privacy_selectors.reviewer_anonymizes(user=request.user)
    profile = privacy_selectors.resume_display_profile(
        profile=resume.profile, anonymized=anonymized
    )
    return render(
        request,
        "matching/resume_detail.html",
        {
            "resume": resume,
            "shown_text": privacy_selectors.resume_display_text(
                text=resume.text, anonymized=anonymized
            ),
            "best_jobs": jobs,
            "profile": profile,
            "work_places": privacy_selectors.resume_work_places(profile=profile),
            "asks": rates.rate_shown((profile or {}).get("work_terms")),
            "has_file": bool(resume.file) and resume.error_code != "too_large",
            "file_withheld": not resume.file_downloadable_by(request.user),
        },
    )


@login_required
def resume_file(request: HttpRequest, resume_id: int) -> FileResponse:
    """The uploaded file, only through this login-protected view (no public media URL)."""
    resume = get_object_or_404(
        Resume.objects.only("pk", "file", "original_name", "error_code", "status"), pk=resume_id
    )
    if not resume.file or not resume.file.storage.exists(resume.file.name):
        raise Http404("The file of this resume is not stored.")
    if not resume.file_downloadable_by(request.user):
        raise PermissionDenied(REJECTED_FILE_WITHHELD)
    if privacy_selectors.reviewer_anonymizes(user=request.user):
        # The file shows what the anonymized view masks, and cannot be masked itself.
        raise PermissionDenied(ORIGINAL_FILE_HIDDEN)
    return FileResponse(resume.file.open("rb"), as_attachment=True, filename=resume.original_name)
