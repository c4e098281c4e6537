"""Text from uploaded resume files: PDF (pdfminer.six), DOCX (python-docx), TXT/Markdown.

The file type is taken from the content where it can be (PDF and DOCX have signatures),
so a renamed file is still read correctly, and the extension only decides between text
flavours. Every failure is an ExtractionError with a message naming the file.

Uploaded files are hostile input (docs/reliability.md, "Hostile and broken input"):
- PDF and DOCX are parsed in a child process with a wall-clock timeout, a CPU limit and
  an address-space limit (EXTRACTION_*). pdfminer has no limit of its own on how far a
  stream decompresses or how long a damaged file keeps it busy; the child takes the
  blow, the web or worker process that asked only gets an error. The child is a fresh
  interpreter (fork + exec), never a bare fork: the parent may hold torch's threads.
- A DOCX's parts' declared sizes and count are checked before anything is unpacked
  (zipfile never unpacks past a part's declared size), and a part with a DTD is refused:
  python-docx already parses with resolve_entities=False and lxml never goes to the
  network, but Word never writes a DTD, so one is a sign of an attack, not a resume.
- PDFs are read up to EXTRACTION_MAX_PAGES pages and every text is cut at
  EXTRACTION_MAX_CHARS characters: a safe result for a huge but harmless file.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

from matching.errors import EXTRACTION_MESSAGES, ExtractionError, extraction_error
from matching.intake.readers import Limits, extract_binary, human_size
from matching.texts import CONTROL, normalize_text

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_EXTENSIONS = {".pdf", ".docx", *TEXT_EXTENSIONS}


# PDF readers accept the header anywhere in the first kilobyte, and so does pdfminer.
_PDF_HEADER_WINDOW = 1024
# Content seen in files that are named .pdf or .docx but are something else.
_FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Word .doc (Office 97-2003) file"),
    (b"{\\rtf", "an RTF document"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

_ROOT = Path(__file__).resolve().parents[2]
# -I: the child ignores PYTHON* variables, the user's site-packages and its current
# folder; it imports from exactly the parent's sys.path, handed over as an argument, so
# it finds what the parent finds however the deployment set its paths.
_CHILD_CODE = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    "from matching.intake.child import main; main()"
)
logger = logging.getLogger(__name__)


def limits_from_settings() -> Limits:
    """What one extraction may cost, from settings; passed whole to the child."""
    return Limits(
        max_pages=settings.EXTRACTION_MAX_PAGES,
        max_chars=settings.EXTRACTION_MAX_CHARS,
        docx_max_bytes=settings.DOCX_MAX_UNCOMPRESSED_BYTES,
        docx_max_parts=settings.DOCX_MAX_PARTS,
        timeout_s=settings.EXTRACTION_TIMEOUT_S,
        memory_mb=settings.EXTRACTION_MAX_MEMORY_MB,
    )


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot != -1 else ""


def _foreign_content(data: bytes) -> str:
    for signature, what in _FOREIGN_SIGNATURES:
        if data.startswith(signature):
            return what
    return ""


def sniff_kind(name: str, data: bytes) -> str:
    """'pdf', 'docx' or 'text' from the bytes first, then the extension."""
    ext = extension_of(name)
    if data.startswith(b"%PDF-"):
        return "pdf"
    # Junk before the header happens (mail gateways); only trusted in a file named .pdf,
    # so a text resume that quotes "%PDF-" stays a text.
    if ext == ".pdf" and b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext in (".pdf", ".docx"):
        # Telling "this is a PNG, not a PDF" beats "the PDF is damaged".
        foreign = _foreign_content(data)
        raise extraction_error(
            "type_mismatch",
            name=name,
            ext=ext,
            expected=ext[1:].upper(),
            detail=f" (its content is {foreign})" if foreign else "",
        )
    raise extraction_error("unsupported_type", name=name, detail=f" ({ext or 'no extension'})")


def extract_text(name: str, data: bytes) -> str:
    """The normalised text of a resume file, or ExtractionError saying why not."""
    if not data:
        raise extraction_error("empty_file", name=name)

    limit = settings.RESUME_MAX_BYTES
    if len(data) > limit:
        raise extraction_error(
            "too_large", name=name, detail=human_size(len(data)), limit=human_size(limit)
        )
    kind = sniff_kind(name, data)
    limits = limits_from_settings()
    if kind == "text":
        raw = _decode_text(name, data)
    elif settings.EXTRACTION_SANDBOX:
        raw = _extract_in_child(kind, name, data, limits)
    else:
        raw = extract_binary(kind, name, data, limits)
    text = _cut(normalize_text(raw[: limits.raw_chars]), limits.max_chars)
    if not text:
        code = "no_text_pdf" if kind == "pdf" else "no_text"
        raise extraction_error(code, name=name)
    return text


def _cut(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    text = text[:max_chars]
    # Cutting at the last space keeps the final word whole when there is one nearby.
    space = text.rfind(" ", max_chars - 100)
    return text[:space].rstrip() if space > 0 else text


# --- the child process ---------------------------------------------------------------------


def _extract_in_child(kind: str, name: str, data: bytes, limits: Limits) -> str:
    """extract_binary in a fresh interpreter with a time, CPU and memory limit."""
    request = json.dumps({"kind": kind, "name": name, "limits": asdict(limits)})
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD_CODE, json.dumps([str(_ROOT), *sys.path]), request],
            input=data,
            capture_output=True,
            timeout=limits.timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise extraction_error(
            "extraction_timeout", name=name, limit=f"{limits.timeout_s} seconds"
        ) from None
    except OSError as exc:
        raise extraction_error(
            "extraction_unavailable", name=name, detail=exc.strerror or str(exc)
        ) from None
    memory = f"{limits.memory_mb} MB"
    if proc.returncode == 0:
        try:
            answer = json.loads(proc.stdout)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            answer = {}
        if isinstance(answer.get("text"), str):
            return answer["text"]
        code = answer.get("code")
        if code == "extraction_memory":
            raise extraction_error(code, name=name, limit=memory)
        if code in EXTRACTION_MESSAGES and isinstance(answer.get("message"), str):
            raise ExtractionError(answer["message"], code=code)
        raise extraction_error("extraction_crashed", name=name, detail="no answer")
    if proc.returncode == -signal.SIGXCPU:
        raise extraction_error(
            "extraction_timeout", name=name, limit=f"{limits.timeout_s} seconds of CPU"
        )
    # SIGKILL is the kernel's out-of-memory killer; a MemoryError outside the reader
    # (while importing or answering) ends the child with a traceback.
    if proc.returncode == -signal.SIGKILL or b"MemoryError" in proc.stderr[-2000:]:
        raise extraction_error("extraction_memory", name=name, limit=memory)
    detail = (
        f"signal {signal.Signals(-proc.returncode).name}"
        if proc.returncode < 0 and -proc.returncode in signal.valid_signals()
        else f"exit status {proc.returncode}"
    )
    # The user sees "damaged"; whoever runs the server needs the child's last words (an
    # import error after a broken deployment reads the same to the user).
    logger.warning(
        "Text extraction of %s stopped (%s): %s",
        name,
        detail,
        proc.stderr[-1000:].decode("utf-8", "replace"),
    )
    raise extraction_error("extraction_crashed", name=name, detail=detail)


# --- text files ----------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when the bytes look like mostly-ASCII UTF-16, else ''."""
    half = len(data) // 2
    if half < 2 or len(data) % 2:
        return ""
    even_zeros, odd_zeros = data[0::2].count(0), data[1::2].count(0)
    if odd_zeros >= 0.9 * half and even_zeros <= 0.1 * half:
        return "utf-16-le"
    if even_zeros >= 0.9 * half and odd_zeros <= 0.1 * half:
        return "utf-16-be"
    return ""


def _decode_text(name: str, data: bytes) -> str:
    has_bom = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    encoding = "utf-16" if has_bom else _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise extraction_error("undecodable_text", name=name) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise extraction_error("undecodable_text", name=name) from None
    # A stray NUL or two in a text is dirt (normalisation blanks it); a text full of
    # control characters is a binary file with a text extension.
    if len(CONTROL.findall(text)) > max(2, len(text) // 100):
        raise extraction_error("undecodable_text", name=name)
    return text
