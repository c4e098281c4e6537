"""Errors a user can meet, defined once; tests assert these codes and messages."""

from __future__ import annotations

from resumeproject.errors import UserError


class MatchingError(UserError):
    """A problem with user input, with a message fit to show to that user."""

    code = "error"


class ActivationRefused(UserError):
    """The candidate measured worse than the model it would replace."""

    code = "activation_refused"
    status = 409


class ModelUnavailable(UserError):
    """A model's folder is missing or written by an incompatible version."""

    code = "model_unavailable"
    status = 409


class ScoringPaused(UserError):
    """A lead paused automated scoring; nothing is scored until it is resumed."""

    code = "scoring_paused"
    status = 409


class RatingRefused(UserError, PermissionError):
    """A reviewer changing or deleting another reviewer's rating without the permission."""

    code = "not_your_rating"
    status = 403


class SettleRefused(UserError, ValueError):
    """A settled score outside 0..1."""


class CorrectionRefused(UserError, ValueError):
    """A verdict correction of a requirement the pair's job does not have (or not yet
    judged)."""

    code = "unknown_requirement"


class ExtractionError(MatchingError):
    """Why no text could be taken from an uploaded file."""


# code -> message template; {name} is the file's name, {detail} an optional detail.
EXTRACTION_MESSAGES: dict[str, str] = {
    "empty_file": "{name}: the file is empty.",
    "too_large": "{name}: the file is {detail}, larger than the limit of {limit}.",
    "unsupported_type": (
        "{name}: unsupported file type{detail}. Upload PDF, DOCX, TXT or Markdown files."
    ),
    "corrupt_pdf": "{name}: the PDF is damaged and cannot be read ({detail}).",
    "encrypted_pdf": "{name}: the PDF is password-protected; upload an unprotected copy.",
    "no_text_pdf": (
        "{name}: the PDF has no text layer (a scan or image-only PDF); "
        "upload a text PDF or run OCR first."
    ),
    "corrupt_docx": "{name}: the DOCX file is damaged and cannot be read ({detail}).",
    "undecodable_text": (
        "{name}: the text is not in a recognised encoding (UTF-8, UTF-16 or Windows-1252)."
    ),
    "no_text": "{name}: no text was found in the file.",
    # Hostile or broken files (docs/reliability.md, "Hostile and broken input").
    "type_mismatch": (
        "{name}: the file is named {ext} but is not a {expected} file{detail}. "
        "Save it as PDF, DOCX or plain text and upload that."
    ),
    "docx_too_large": (
        "{name}: the DOCX unpacks to {detail}, more than the limit of {limit}; "
        "it is damaged or a zip bomb."
    ),
    "docx_too_many_parts": (
        "{name}: the DOCX holds {detail} parts, more than the limit of {limit}; "
        "it is damaged or a zip bomb."
    ),
    "docx_dtd": (
        "{name}: the DOCX contains an XML document type declaration (DTD), which Word "
        "never writes; it was refused for safety."
    ),
    "extraction_timeout": (
        "{name}: reading the file took longer than {limit} and was stopped; "
        "the file is damaged or built to overload the reader."
    ),
    "extraction_memory": (
        "{name}: reading the file needed more than {limit} of memory and was stopped; "
        "the file is damaged or built to overload the reader (a compression bomb)."
    ),
    "extraction_crashed": "{name}: the reader stopped on this file ({detail}); it is damaged.",
    "extraction_unavailable": (
        "{name}: the file could not be read now: the reader did not start ({detail}). "
        "Upload it again later."
    ),
}


def extraction_error(
    code: str, *, name: str, detail: str = "", limit: str = "", **fields: str
) -> ExtractionError:
    message = EXTRACTION_MESSAGES[code].format(name=name, detail=detail, limit=limit, **fields)
    return ExtractionError(message, code=code)


# A job's long texts are held to the limit of a resume's text (EXTRACTION_MAX_CHARS).
JOB_TEXT_TOO_LONG = (
    "The {label} is {length:,} characters long, more than the limit of {limit:,} "
    "(the same as for a resume's text). Shorten it."
)
