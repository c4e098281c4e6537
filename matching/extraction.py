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

import io
import json
import logging
import re
import signal
import subprocess
import sys
import unicodedata
import warnings
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from matching.errors import EXTRACTION_MESSAGES, ExtractionError, extraction_error

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_EXTENSIONS = {".pdf", ".docx", *TEXT_EXTENSIONS}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates come out of broken PDF font maps and JSON escapes; no database or
# UTF-8 encoder accepts them.
_SURROGATES = re.compile("[\ud800-\udfff]")

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

_ROOT = Path(__file__).resolve().parent.parent
# -I: the child ignores PYTHON* variables, the user's site-packages and its current
# folder; it imports from exactly the parent's sys.path, handed over as an argument, so
# it finds what the parent finds however the deployment set its paths.
_CHILD_CODE = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    "from matching.extraction import child_main; child_main()"
)
logger = logging.getLogger(__name__)


def _settings() -> Any:
    # Imported on the caller's side only: the extraction child never loads Django, which
    # saves a third of its start-up (docs/reliability.md).
    from django.conf import settings

    return settings


@dataclass(frozen=True)
class Limits:
    """What one extraction may cost; from settings, passed whole to the child."""

    max_pages: int
    max_chars: int
    docx_max_bytes: int
    docx_max_parts: int
    timeout_s: int
    memory_mb: int

    @classmethod
    def from_settings(cls) -> Limits:
        settings = _settings()
        return cls(
            max_pages=settings.EXTRACTION_MAX_PAGES,
            max_chars=settings.EXTRACTION_MAX_CHARS,
            docx_max_bytes=settings.DOCX_MAX_UNCOMPRESSED_BYTES,
            docx_max_parts=settings.DOCX_MAX_PARTS,
            timeout_s=settings.EXTRACTION_TIMEOUT_S,
            memory_mb=settings.EXTRACTION_MAX_MEMORY_MB,
        )

    @property
    def raw_chars(self) -> int:
        # Normalisation only shrinks text (whitespace runs, blank lines), so four times
        # the budget before it is enough to fill the budget after it.
        return 4 * self.max_chars


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


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


def normalize_text(text: str) -> str:
    """One canonical form of extracted text: NFC, no control characters, tidy blank lines.

    Idempotent: normalising twice gives the same text (and so the same text hash).
    """
    text = _SURROGATES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens split words in PDFs
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    # Last, so characters brought together by the removals above are composed too.
    return unicodedata.normalize("NFC", text).strip()


def extract_text(name: str, data: bytes) -> str:
    """The normalised text of a resume file, or ExtractionError saying why not."""
    if not data:
        raise extraction_error("empty_file", name=name)
    settings = _settings()
    limit = settings.RESUME_MAX_BYTES
    if len(data) > limit:
        raise extraction_error(
            "too_large", name=name, detail=human_size(len(data)), limit=human_size(limit)
        )
    kind = sniff_kind(name, data)
    limits = Limits.from_settings()
    if kind == "text":
        raw = _decode_text(name, data)
    elif settings.EXTRACTION_SANDBOX:
        raw = _extract_in_child(kind, name, data, limits)
    else:
        raw = _extract_binary(kind, name, data, limits)
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


def _extract_binary(kind: str, name: str, data: bytes, limits: Limits) -> str:
    if kind == "pdf":
        return _pdf_text(name, data, limits)
    return _docx_text(name, data, limits)


# --- the child process ---------------------------------------------------------------------


def _extract_in_child(kind: str, name: str, data: bytes, limits: Limits) -> str:
    """_extract_binary in a fresh interpreter with a time, CPU and memory limit."""
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


def child_main() -> None:
    """The child's side of _extract_in_child: limits first, then read, answer in JSON."""
    request = json.loads(sys.argv[2])
    limits = Limits(**request["limits"])
    _limit_resources(limits)
    # pdfminer logs a warning per damaged object: a hostile file would flood stderr.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    data = sys.stdin.buffer.read()
    try:
        text = _extract_binary(request["kind"], request["name"], data, limits)
        answer: dict = {"text": text[: limits.raw_chars]}
    except ExtractionError as exc:
        answer = {"code": exc.code, "message": exc.message}
    except MemoryError:
        answer = {"code": "extraction_memory"}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def _limit_resources(limits: Limits) -> None:
    import resource  # POSIX only: elsewhere run with EXTRACTION_SANDBOX=0

    def cap(kind: int, value: int) -> None:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, hard if kind == resource.RLIMIT_CPU else value))

    cap(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    # SIGXCPU at the soft limit: a busy loop ends even if the parent's timer is late.
    cap(resource.RLIMIT_CPU, limits.timeout_s)
    cap(resource.RLIMIT_CORE, 0)
    # The reader has no business writing files.
    cap(resource.RLIMIT_FSIZE, 0)


# --- the readers ---------------------------------------------------------------------------


def _pdf_text(name: str, data: bytes, limits: Limits) -> str:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError

    out = io.StringIO()
    try:
        manager = PDFResourceManager()
        device = TextConverter(manager, out, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(io.BytesIO(data), maxpages=limits.max_pages):
            interpreter.process_page(page)
            if out.tell() >= limits.raw_chars:
                break
        device.close()
        return out.getvalue()
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise extraction_error("encrypted_pdf", name=name) from None
    except PDFSyntaxError as exc:
        raise extraction_error(
            "corrupt_pdf", name=name, detail=str(exc)[:200] or "syntax error"
        ) from None
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise extraction_error("encrypted_pdf", name=name) from None
        raise extraction_error(
            "corrupt_pdf", name=name, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None


_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _docx_check_archive(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb or a part with a DTD before python-docx unpacks anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > limits.docx_max_parts:
                raise extraction_error(
                    "docx_too_many_parts",
                    name=name,
                    detail=f"{len(parts):,}",
                    limit=f"{limits.docx_max_parts:,}",
                )
            unpacked = sum(part.file_size for part in parts)
            if unpacked > limits.docx_max_bytes:
                raise extraction_error(
                    "docx_too_large",
                    name=name,
                    detail=human_size(unpacked),
                    limit=human_size(limits.docx_max_bytes),
                )
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    # zipfile stops at the declared size, checked above.
                    blob = archive.read(part)
                    if any(marker in blob for marker in _DTD_MARKERS):
                        raise extraction_error("docx_dtd", name=name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise extraction_error(
            "corrupt_docx", name=name, detail=str(exc)[:200] or "bad zip"
        ) from None
    except (OSError, ValueError, RuntimeError) as exc:  # zlib errors, encrypted members
        raise extraction_error(
            "corrupt_docx", name=name, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None


def _docx_text(name: str, data: bytes, limits: Limits) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _docx_check_archive(name, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        # Resumes often put skills and dates in tables.
        for table in document.tables:
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if cell.text not in cells:  # merged cells repeat their text
                        cells.append(cell.text)
                parts.append(" | ".join(cells))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise extraction_error(
            "corrupt_docx", name=name, detail=str(exc)[:200] or "bad zip"
        ) from None
    except MemoryError:
        raise
    except Exception as exc:  # lxml and zipfile errors on damaged parts
        raise extraction_error(
            "corrupt_docx", name=name, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None
    return "\n".join(parts)


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
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise extraction_error("undecodable_text", name=name)
    return text
