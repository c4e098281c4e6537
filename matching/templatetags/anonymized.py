"""{{ resume|resume_name:anonymized }}: a resume's file name, or "Candidate #<id>"."""

from __future__ import annotations

from django import template

from matching import selectors

register = template.Library()


@register.filter
def resume_name(resume, anonymized: bool) -> str:
    return selectors.resume_label(resume=resume, anonymized=bool(anonymized))
