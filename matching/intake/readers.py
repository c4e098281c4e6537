"""The readers of PDF (pdfminer.six) and DOCX (python-docx) files, and what one reading may
cost (Limits).

Imported by the extraction child (matching.intake.child), which never loads Django: this
module imports only matching.errors besides the readers' libraries.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from docx.opc.exceptions import PackageNotFoundError
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError

from matching.errors import extraction_error


@dataclass(frozen=True)
class Limits:
    """What one extraction may cost; from settings, passed whole to the child."""

    max_pages: int
    max_chars: int
    docx_max_bytes: int
    docx_max_parts: int
    timeout_s: int
    memory_mb: int

    @property
    def raw_chars(self) -> int:
        # Normalisation only shrinks text (whitespace runs, blank lines), so four times
        # the budget before it is enough to fill the budget after it.
        return 4 * self.max_chars


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def extract_binary(kind: str, name: str, data: bytes, limits: Limits) -> str:
    if kind == "pdf":
        return pdf_text(name, data, limits)
    return docx_text(name, data, limits)


def pdf_text(name: str, data: bytes, limits: Limits) -> str:
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


def docx_text(name: str, data: bytes, limits: Limits) -> str:
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
