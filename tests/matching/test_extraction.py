"""Text extraction from real PDF, DOCX and text files, and every kind of bad file."""

from __future__ import annotations

import io

import pytest

from matching.errors import EXTRACTION_MESSAGES, ExtractionError
from matching.intake.extraction import extract_text
from matching.texts import normalize_text


def _code(name: str, data: bytes) -> str:
    with pytest.raises(ExtractionError) as info:
        extract_text(name, data)
    assert name in info.value.message
    return info.value.code


def test_pdf_text_is_extracted(pdf_bytes):
    text = extract_text("jane.pdf", pdf_bytes)
    assert "Senior Python developer" in text
    assert "Kubernetes" in text


def test_docx_paragraphs_and_tables_are_extracted(docx_bytes):
    text = extract_text("john.docx", docx_bytes)
    assert "Registered nurse" in text
    assert "Critical care | 8" in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_files_in_common_encodings_are_decoded(encoding):
    text = "Zoë Müller — Café manager, 5 years"
    assert extract_text("zoe.txt", text.encode(encoding)) == text


def test_markdown_is_read_as_text():
    assert extract_text("cv.md", b"# Jane\n\n* Python\n* Django") == "# Jane\n\n* Python\n* Django"


def test_type_is_taken_from_content_when_extension_lies(pdf_bytes):
    assert "Python" in extract_text("resume.txt", pdf_bytes)


def test_normalize_collapses_whitespace_and_control_characters():
    assert normalize_text("a\x00b \t c\r\n\n\n\nd\u00ad") == "a b c\n\nd"


def test_empty_file_is_rejected():
    assert _code("empty.pdf", b"") == "empty_file"


def test_truncated_pdf_is_rejected_as_corrupt(pdf_bytes):
    assert _code("cut.pdf", pdf_bytes[: len(pdf_bytes) // 3]) in {"corrupt_pdf", "no_text_pdf"}


def test_garbage_with_pdf_header_is_rejected_as_corrupt():
    junk = b"%PDF-1.7\n" + bytes(range(256)) * 20
    assert _code("junk.pdf", junk) in {"corrupt_pdf", "no_text_pdf"}


def test_encrypted_pdf_is_rejected(pdf_bytes):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    assert _code("locked.pdf", buf.getvalue()) == "encrypted_pdf"


def test_image_only_pdf_is_rejected_as_having_no_text(tmp_path):
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=100)
    assert _code("scan.pdf", bytes(pdf.output())) == "no_text_pdf"


def test_blank_pdf_is_rejected_as_having_no_text():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    assert _code("blank.pdf", bytes(pdf.output())) == "no_text_pdf"


def test_corrupt_docx_is_rejected():
    assert _code("broken.docx", b"PK\x03\x04" + b"\x00" * 100) == "corrupt_docx"


def test_zip_that_is_not_a_docx_is_rejected():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    assert _code("fake.docx", buf.getvalue()) == "corrupt_docx"


def test_unsupported_type_is_rejected():
    assert _code("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50) == "unsupported_type"


def test_binary_file_with_text_extension_is_undecodable():
    assert _code("weird.txt", b"\x00\x01\x02\x03binary\x00\xff") == "undecodable_text"


def test_oversized_file_is_rejected(settings):
    settings.RESUME_MAX_BYTES = 100
    assert _code("huge.txt", b"a" * 101) == "too_large"


def test_whitespace_only_text_is_rejected():
    assert _code("blank.txt", b"  \n\t \n") == "no_text"


def test_every_message_names_the_file():
    for template in EXTRACTION_MESSAGES.values():
        assert template.startswith("{name}:")
