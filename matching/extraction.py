"""Text from uploaded resume files: PDF (pdfminer.six), DOCX (python-docx), TXT/Markdown.

The file type is taken from the content where it can be (PDF and DOCX have signatures),
so a renamed file is still read correctly, and the extension only decides between text
flavours. Every failure is an ExtractionError with a message naming the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from django.conf import settings

from matching.errors import extraction_error

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_EXTENSIONS = {".pdf", ".docx", *TEXT_EXTENSIONS}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot != -1 else ""


def sniff_kind(name: str, data: bytes) -> str:
    """'pdf', 'docx' or 'text' from the bytes first, then the extension."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    ext = extension_of(name)
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext == ".pdf":
        return "pdf"
    if ext == ".docx":
        return "docx"
    raise extraction_error("unsupported_type", name=name, detail=f" ({ext or 'no extension'})")


def normalize_text(text: str) -> str:
    """One canonical form of extracted text: NFC, no control characters, tidy blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens split words in PDFs
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


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
    if kind == "pdf":
        raw = _pdf_text(name, data)
    elif kind == "docx":
        raw = _docx_text(name, data)
    else:
        raw = _decode_text(name, data)
    text = normalize_text(raw)
    if not text:
        code = "no_text_pdf" if kind == "pdf" else "no_text"
        raise extraction_error(code, name=name)
    return text


def _pdf_text(name: str, data: bytes) -> str:
    from pdfminer.high_level import extract_text as pdf_extract
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdf_extract(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise extraction_error("encrypted_pdf", name=name) from None
    except PDFSyntaxError as exc:
        raise extraction_error(
            "corrupt_pdf", name=name, detail=str(exc) or "syntax error"
        ) from None
    except Exception as exc:  # pdfminer raises many types on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise extraction_error("encrypted_pdf", name=name) from None
        raise extraction_error(
            "corrupt_pdf", name=name, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None


def _docx_text(name: str, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise extraction_error(
            "corrupt_docx", name=name, detail=str(exc)[:200] or "bad zip"
        ) from None
    except Exception as exc:  # lxml and zipfile errors on damaged parts
        raise extraction_error(
            "corrupt_docx", name=name, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from None
    parts = [p.text for p in document.paragraphs]
    # Resumes often put skills and dates in tables.
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            parts.append(" | ".join(cells))
    return "\n".join(parts)


def _decode_text(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise extraction_error("undecodable_text", name=name) from None
    if b"\x00" in data:
        # NUL bytes in a file without a UTF-16 BOM: a binary file with a text extension.
        raise extraction_error("undecodable_text", name=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise extraction_error("undecodable_text", name=name) from None
    # cp1252 maps almost every byte; a text full of control characters is binary.
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise extraction_error("undecodable_text", name=name)
    return text
