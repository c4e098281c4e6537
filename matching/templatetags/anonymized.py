"""{{ resume|resume_name:anonymized }}: a resume's file name, or "Candidate #<id>"."""

from __future__ import annotations

from django import template

from matching.privacy import selectors as privacy_selectors

register = template.Library()


@register.filter
def resume_name(resume, anonymized: bool) -> str:
    return privacy_selectors.resume_label(resume=resume, anonymized=bool(anonymized))
