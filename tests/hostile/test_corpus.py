"""The hostile corpus: every broken, malicious or misnamed file gets a clear error naming
it, or a bounded text, and the process that asked stays small and alive.

Time and memory are bounded by the product, not by the test: PDF and DOCX files are read
in a child process with EXTRACTION_TIMEOUT_S and EXTRACTION_MAX_MEMORY_MB, so the cases
that would hang or exhaust memory assert the error code those limits produce. The memory
of this (the parent) process is measured with tracemalloc, which is exact, not timed.
"""

from __future__ import annotations

import io
import random
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

import docx
import pytest

from matching.errors import ExtractionError
from matching.intake.extraction import extract_text
from tests.conftest import make_pdf
from tests.hostile import corpus

# Python allocations of the process that calls extract_text, at most. A PDF bomb
# inflating to 2 GB, read in this process, would need a thousand times more.
PARENT_PEAK_BYTES = 48 * 1024 * 1024

Build = Callable[[bytes, bytes], bytes]  # (a real PDF, a real DOCX) -> the file


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    build: Build
    error: str = ""  # the ExtractionError code expected, or "" for a text
    says: str = ""  # in the error message, or in the text
    not_in_text: str = ""
    max_chars: int | None = None  # a bound on the text's length
    settings: dict = field(default_factory=dict)


def _latin1(_pdf: bytes, _docx: bytes) -> bytes:
    return "Zoë Müller, café manager, Ørsted".encode("latin-1")


def _utf16_docx(_pdf: bytes, docx_bytes: bytes) -> bytes:
    xml = corpus.document_xml(
        corpus.paragraph(b"UTF-16 DTD"), prolog=b'<!DOCTYPE w:document [<!ENTITY a "b">]>\n'
    )
    utf16 = xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return corpus.rewrite_zip(docx_bytes, replace={"word/document.xml": utf16})


def _legacy_doc(_pdf: bytes, _docx: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def _zip_not_docx(_pdf: bytes, _docx: bytes) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("notes.txt", "a zip, not a Word document")
    return buf.getvalue()


def _random_bytes(_pdf: bytes, _docx: bytes) -> bytes:
    return random.Random(7).randbytes(64 * 1024)


def _lone_surrogate_utf16(_pdf: bytes, _docx: bytes) -> bytes:
    return b"\xff\xfe" + "Jane ".encode("utf-16-le") + b"\x00\xd8" + "Doe".encode("utf-16-le")


CASES = [
    # --- PDF: damaged ---
    Case("truncated-pdf", "cut.pdf", lambda p, d: p[: len(p) // 2], "corrupt_pdf", "PSEOF"),
    Case("pdf-header-only", "stub.pdf", lambda p, d: p[:200], "corrupt_pdf"),
    # pdfminer rebuilds a broken xref table by scanning the objects: the text survives.
    Case("corrupt-xref", "xref.pdf", lambda p, d: corpus.corrupt_xref(p), says="Senior Python"),
    Case("xref-prev-loop", "prev.pdf", lambda p, d: corpus.xref_loop_pdf(), "corrupt_pdf"),
    Case("page-tree-loop", "loop.pdf", lambda p, d: corpus.page_tree_loop_pdf(), says="Looped"),
    # --- PDF: encrypted ---
    Case(
        "encrypted-user-password",
        "locked.pdf",
        lambda p, d: corpus.encrypted_pdf(p, user_password="secret"),
        "encrypted_pdf",
        "password-protected",
    ),
    Case(
        "encrypted-aes256-user-password",
        "locked-aes.pdf",
        lambda p, d: corpus.encrypted_pdf(p, user_password="secret", algorithm="AES-256"),
        "encrypted_pdf",
    ),
    # Only an owner password: every reader opens it, and so does the product.
    Case(
        "encrypted-owner-password-only",
        "owner.pdf",
        lambda p, d: corpus.encrypted_pdf(p, user_password=""),
        says="Senior Python",
    ),
    Case(
        "encrypted-aes256-owner-password-only",
        "owner-aes.pdf",
        lambda p, d: corpus.encrypted_pdf(p, user_password="", algorithm="AES-256"),
        says="Senior Python",
    ),
    # --- PDF: bombs and endless work ---
    Case(
        "flate-bomb-2gb",
        "bomb.pdf",
        lambda p, d: corpus.flate_bomb_pdf(2048),
        "extraction_memory",
        "more than 1024 MB",
    ),
    Case(
        "flate-bomb-300mb-under-a-256mb-limit",
        "bomb300.pdf",
        lambda p, d: corpus.flate_bomb_pdf(300),
        "extraction_memory",
        "more than 256 MB",
        settings={"EXTRACTION_MAX_MEMORY_MB": 256},
    ),
    Case(
        "endless-layout-work",
        "busy.pdf",
        lambda p, d: corpus.busy_pdf(20),
        "extraction_timeout",
        "longer than 2 seconds",
        settings={"EXTRACTION_TIMEOUT_S": 2},
    ),
    Case(
        "five-thousand-pages",
        "long.pdf",
        lambda p, d: corpus.many_pages_pdf(5000),
        says="Page 50 of",
        not_in_text="Page 51 of",
    ),
    Case(
        "pages-beyond-the-character-budget",
        "long-text.pdf",
        lambda p, d: corpus.many_pages_pdf(5000),
        says="Page 1 of",
        max_chars=1000,
        settings={"EXTRACTION_MAX_PAGES": 5000, "EXTRACTION_MAX_CHARS": 1000},
    ),
    # --- DOCX: bombs ---
    Case(
        "docx-zip-bomb",
        "bomb.docx",
        lambda p, d: corpus.docx_bomb(d, inflated_mb=200),
        "docx_too_large",
        "zip bomb",
    ),
    Case(
        "docx-five-thousand-parts",
        "parts.docx",
        lambda p, d: corpus.docx_with_many_parts(d, 5000),
        "docx_too_many_parts",
        "5,017 parts",
    ),
    # Headers claim 1000 bytes; zipfile stops there and the checksum gives the lie away.
    Case(
        "docx-lying-part-size",
        "liar.docx",
        lambda p, d: corpus.patch_declared_size(
            corpus.docx_bomb(d, inflated_mb=50), "word/document.xml", 1000
        ),
        "corrupt_docx",
        "Bad CRC-32",
    ),
    Case(
        "docx-deeply-nested-xml",
        "deep.docx",
        lambda p, d: corpus.nested_xml_docx(d, 100_000),
        "corrupt_docx",
        "Excessive depth",
    ),
    Case(
        "docx-huge-xml-within-limits",
        "huge.docx",
        lambda p, d: corpus.huge_xml_docx(d, 50_000),
        says="Line 0 of an endless resume",
        not_in_text="Line 49999",
        max_chars=100_000,
    ),
    # --- DOCX: XML attacks ---
    Case(
        "docx-xxe-local-file",
        "xxe.docx",
        lambda p, d: corpus.xxe_docx(d, system_url="file:///etc/passwd"),
        "docx_dtd",
        "refused for safety",
    ),
    Case("docx-billion-laughs", "lol.docx", lambda p, d: corpus.billion_laughs_docx(d), "docx_dtd"),
    Case("docx-dtd-in-utf16-xml", "utf16.docx", _utf16_docx, "docx_dtd"),
    # --- names that lie ---
    Case("pdf-named-docx", "cv.docx", lambda p, d: p, says="Senior Python"),
    Case("docx-named-pdf", "cv.pdf", lambda p, d: d, says="Registered nurse"),
    Case("pdf-named-txt", "cv.txt", lambda p, d: p, says="Senior Python"),
    Case("pdf-after-junk", "junk.pdf", lambda p, d: b"\r\n\r\njunk\n" + p, says="Senior Python"),
    Case(
        "png-named-pdf",
        "photo.pdf",
        lambda p, d: b"\x89PNG\r\n\x1a\n" + b"\x00" * 500,
        "type_mismatch",
        "named .pdf but is not a PDF file (its content is a PNG image)",
    ),
    Case(
        "exe-named-pdf",
        "setup.pdf",
        lambda p, d: b"MZ\x90\x00" + b"\x00" * 500,
        "type_mismatch",
        "a Windows program",
    ),
    Case(
        "text-named-pdf",
        "notes.pdf",
        lambda p, d: b"Jane Doe, Python developer",
        "type_mismatch",
        "not a PDF file.",
    ),
    Case("legacy-doc-named-docx", "old.docx", _legacy_doc, "type_mismatch", "legacy Word .doc"),
    Case("zip-named-pdf", "archive.pdf", _zip_not_docx, "corrupt_docx"),
    Case("png-named-png", "photo.png", lambda p, d: b"\x89PNG\r\n\x1a\n", "unsupported_type"),
    # --- empty and oversized ---
    Case("empty-pdf", "empty.pdf", lambda p, d: b"", "empty_file"),
    Case("empty-docx", "empty.docx", lambda p, d: b"", "empty_file"),
    Case("empty-txt", "empty.txt", lambda p, d: b"", "empty_file"),
    Case("only-newlines", "blank.txt", lambda p, d: b"\n" * 1_000_000, "no_text"),
    Case(
        "one-byte-over-the-limit",
        "big.txt",
        lambda p, d: b"a" * 1001,
        "too_large",
        "larger than the limit of 1000 bytes",
        settings={"RESUME_MAX_BYTES": 1000},
    ),
    # --- text encodings ---
    Case("latin-1", "latin1.txt", _latin1, says="Zoë Müller, café manager, Ørsted"),
    Case(
        "cp1252",
        "cp1252.txt",
        lambda p, d: "“Quoted” 5€ \u2013 ok".encode("cp1252"),
        says="“Quoted”",
    ),
    Case("utf-16-le-bom", "le.txt", lambda p, d: "Zoë Müller".encode("utf-16"), says="Zoë Müller"),
    Case(
        "utf-16-be-bom",
        "be.txt",
        lambda p, d: b"\xfe\xff" + "Zoë Müller".encode("utf-16-be"),
        says="Zoë Müller",
    ),
    Case(
        "utf-16-le-without-bom",
        "le-nobom.txt",
        lambda p, d: "Zoë Müller, nurse".encode("utf-16-le"),
        says="Zoë Müller, nurse",
    ),
    Case(
        "utf-16-be-without-bom",
        "be-nobom.txt",
        lambda p, d: "Zoë Müller, nurse".encode("utf-16-be"),
        says="Zoë Müller, nurse",
    ),
    Case("utf-16-lone-surrogate", "sur.txt", _lone_surrogate_utf16, "undecodable_text"),
    Case("random-bytes", "noise.txt", _random_bytes, "undecodable_text"),
    Case(
        "stray-nul-bytes",
        "nul.txt",
        lambda p, d: b"Jane\x00Doe, Python\x00developer " + b"with Django and Postgres. " * 20,
        says="Jane Doe, Python developer",
        not_in_text="\x00",
    ),
    Case("mostly-nul-bytes", "nuls.txt", lambda p, d: b"a\x00\x00\x00" * 500, "undecodable_text"),
    Case(
        "five-mb-line-of-words",
        "line.txt",
        lambda p, d: b"python " * (5 * corpus.MB // 7),
        says="python python",
        max_chars=100_000,
    ),
    Case(
        "five-mb-single-token",
        "token.txt",
        lambda p, d: b"a" * (5 * corpus.MB),
        says="aaaa",
        max_chars=100_000,
    ),
]


def _extract_measured(name: str, data: bytes) -> tuple[str | ExtractionError, int]:
    tracemalloc.start()
    try:
        outcome: str | ExtractionError = extract_text(name, data)
    except ExtractionError as exc:
        outcome = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, peak


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file_gets_a_clear_error_or_a_bounded_text(
    case: Case, pdf_bytes, docx_bytes, settings
):
    for key, value in case.settings.items():
        setattr(settings, key, value)
    data = case.build(pdf_bytes, docx_bytes)

    outcome, peak = _extract_measured(case.name, data)

    if case.error:
        assert isinstance(outcome, ExtractionError), f"expected {case.error}, got text"
        assert outcome.code == case.error, outcome.message
        assert outcome.message.startswith(f"{case.name}: ")
        assert case.says in outcome.message
    else:
        assert isinstance(outcome, str), getattr(outcome, "message", "")
        assert case.says in outcome
        if case.not_in_text:
            assert case.not_in_text not in outcome
        assert len(outcome) <= (case.max_chars or settings.EXTRACTION_MAX_CHARS)
    assert peak < PARENT_PEAK_BYTES


def test_a_docx_pointing_at_the_network_is_read_without_fetching_anything(docx_bytes, listener):
    data = corpus.docx_with_external_references(docx_bytes, url=listener.url)
    assert extract_text("linked.docx", data) == "External references, Python developer"
    assert listener.requests == []


def test_an_external_entity_on_the_network_is_refused_and_never_fetched(docx_bytes, listener):
    data = corpus.xxe_docx(docx_bytes, system_url=f"{listener.url}/evil.dtd")
    with pytest.raises(ExtractionError) as info:
        extract_text("xxe.docx", data)
    assert info.value.code == "docx_dtd"
    assert listener.requests == []


def test_python_docx_alone_would_not_expand_entities_either(docx_bytes, listener, tmp_path):
    # The DTD refusal is a second wall: the parser python-docx uses leaves entities
    # unresolved and never goes to the network. If a library update changes that, this
    # test says the refusal has become the only wall.
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret salary list")
    for url in (secret.as_uri(), f"{listener.url}/evil"):
        document = docx.Document(io.BytesIO(corpus.xxe_docx(docx_bytes, system_url=url)))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "top secret" not in text
        assert "fetched from the network" not in text
    assert listener.requests == []


def test_limits_hold_without_the_child_process_too(docx_bytes, settings):
    # EXTRACTION_SANDBOX off (a platform that cannot start one): page, character and
    # DOCX limits are checked in process all the same.
    settings.EXTRACTION_SANDBOX = False
    settings.EXTRACTION_MAX_CHARS = 1000
    text = extract_text("long.pdf", corpus.many_pages_pdf(200))
    assert text.startswith("Page 1 of") and len(text) <= 1000
    with pytest.raises(ExtractionError) as info:
        extract_text("bomb.docx", corpus.docx_bomb(docx_bytes, inflated_mb=200))
    assert info.value.code == "docx_too_large"


def test_the_caller_reads_good_files_after_the_reader_was_killed(settings):
    with pytest.raises(ExtractionError) as info:
        extract_text("bomb.pdf", corpus.flate_bomb_pdf(2048))
    assert info.value.code == "extraction_memory"
    settings.EXTRACTION_TIMEOUT_S = 2
    with pytest.raises(ExtractionError) as info:
        extract_text("busy.pdf", corpus.busy_pdf(20))
    assert info.value.code == "extraction_timeout"
    assert "Kubernetes" in extract_text("good.pdf", make_pdf("Kubernetes operator"))


def test_a_reader_that_cannot_start_is_reported_not_blamed_on_the_file(pdf_bytes, monkeypatch):
    monkeypatch.setattr("matching.intake.extraction.sys.executable", "/nonexistent/python")
    with pytest.raises(ExtractionError) as info:
        extract_text("jane.pdf", pdf_bytes)
    assert info.value.code == "extraction_unavailable"
    assert "Upload it again later" in info.value.message


def test_a_reader_that_dies_is_reported_as_damaged_and_logged_for_the_operator(
    pdf_bytes, monkeypatch, caplog
):
    # The reader's program replaced by one that dies as a crashing parser would.
    monkeypatch.setattr(
        "matching.intake.extraction._CHILD_CODE",
        "import os, sys; sys.stderr.write('parser fault'); sys.stderr.flush(); "
        "os.kill(os.getpid(), 11)",
    )
    with pytest.raises(ExtractionError) as info:
        extract_text("jane.pdf", pdf_bytes)
    assert info.value.code == "extraction_crashed"
    assert info.value.message == (
        "jane.pdf: the reader stopped on this file (signal SIGSEGV); it is damaged."
    )
    assert "parser fault" in caplog.text
