"""Builders of the hostile corpus: real broken, malicious and misnamed files, made in the
test run instead of committed, so each one says how it is built.

PDFs are written object by object (the format is text with byte offsets), so a test can
build what no PDF library would write: a page tree of thousands of pages, a stream that
inflates to gigabytes, a loop in the page tree. DOCX files start from a real python-docx
document and have their zip parts rewritten.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024


# --- PDF ---------------------------------------------------------------------------------


def pdf_from_objects(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF whose object i+1 is objects[i], with a correct xref table; object 1 is the
    catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, *, compressed: bool = False) -> bytes:
    """A stream object's body; `compressed` means `data` is already FlateDecode bytes."""
    flate = b" /Filter /FlateDecode" if compressed else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), flate, data)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(content_ref: int) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_ref
    )


def text_ops(line: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % line.encode("latin-1")


def pdf_with_pages(contents: list[bytes], *, compressed: bool = False) -> bytes:
    """One page per content stream, all in one flat page tree."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _FONT]
    kids = []
    for content in contents:
        page_number = len(objects) + 1
        objects.append(_page(page_number + 1))
        objects.append(pdf_stream(content, compressed=compressed))
        kids.append(b"%d 0 R" % page_number)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_from_objects(objects)


def many_pages_pdf(pages: int) -> bytes:
    return pdf_with_pages([text_ops(f"Page {n} of a very long file") for n in range(1, pages + 1)])


def deflate_repeated(chunk: bytes, times: int) -> bytes:
    """zlib data that inflates to chunk * times, built without ever holding the inflated
    bytes: one raw deflate block for the chunk (a full flush makes it independent of
    what came before), repeated, then the zlib checksum of the whole."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(chunk, checksum)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return b"\x78\xda" + block * times + final + struct.pack(">I", checksum)


def flate_bomb_pdf(inflated_mb: int) -> bytes:
    """One page whose content stream inflates to `inflated_mb` MB of blanks."""
    return pdf_with_pages([deflate_repeated(b" " * MB, inflated_mb)], compressed=True)


def busy_pdf(inflated_mb: int) -> bytes:
    """One page with millions of tiny text objects: little memory, much layout work."""
    line = b"BT /F1 1 Tf 10 10 Td (ab) Tj ET\n"
    chunk = line * (MB // len(line))
    return pdf_with_pages([deflate_repeated(chunk, inflated_mb)], compressed=True)


def page_tree_loop_pdf() -> bytes:
    """A page tree whose Pages node lists itself among its kids, next to a real page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 4 0 R 2 0 R] /Count 3 >>",
        _FONT,
        _page(5),
        pdf_stream(text_ops("Looped page tree, Python developer")),
    ]
    return pdf_from_objects(objects)


def xref_loop_pdf() -> bytes:
    """A trailer whose /Prev points back at its own xref table (an endless chain)."""
    pdf = pdf_with_pages([text_ops("Xref loop, Python developer")])
    xref = pdf.rindex(b"xref\n")
    return pdf.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % xref)


def corrupt_xref(pdf: bytes) -> bytes:
    """Every xref offset replaced by nonsense of the same width."""
    head, _, tail = pdf.rpartition(b"xref\n")
    lines = tail.split(b"\n")
    broken = [
        b"9999999999 00000 n " if line.endswith(b" n ") or line.endswith(b" n") else line
        for line in lines
    ]
    return head + b"xref\n" + b"\n".join(broken)


def encrypted_pdf(pdf: bytes, *, user_password: str, algorithm: str = "RC4-128") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- DOCX --------------------------------------------------------------------------------


def rewrite_zip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The same zip with some parts replaced and some added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in add.items():
            dst.writestr(name, blob)
    return out.getvalue()


def docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(body: bytes, *, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + b"<w:document "
        + W_NS
        + b"><w:body>"
        + body
        + b"</w:body></w:document>"
    )


def paragraph(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def docx_with_body(base: bytes, body: bytes, *, prolog: bytes = b"") -> bytes:
    return rewrite_zip(base, replace={"word/document.xml": document_xml(body, prolog=prolog)})


def docx_bomb(base: bytes, *, inflated_mb: int) -> bytes:
    """document.xml padded with whitespace to `inflated_mb` MB: a few hundred KB packed."""
    padding = b" " * (inflated_mb * MB)
    return docx_with_body(base, paragraph(b"Zip bomb") + padding)


def docx_with_many_parts(base: bytes, parts: int) -> bytes:
    return rewrite_zip(base, add={f"customXml/extra{i}.xml": b"<a/>" for i in range(parts)})


def patch_declared_size(data: bytes, member: str, size: int) -> bytes:
    """A zip whose headers claim `size` bytes for `member` though it inflates to more."""
    out = bytearray(data)
    name = member.encode()
    # Local file header: signature, ..., uncompressed size at offset 22, name at 30.
    local = out.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", out, local + 26)[0]
        if out[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    # Central directory header: uncompressed size at offset 24, name at 46.
    central = out.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", out, central + 24, size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def nested_xml_docx(base: bytes, depth: int) -> bytes:
    opening = b"<w:customXml w:element='x'>" * depth
    closing = b"</w:customXml>" * depth
    return docx_with_body(base, paragraph(b"Deep") + opening + paragraph(b"bottom") + closing)


def huge_xml_docx(base: bytes, paragraphs: int) -> bytes:
    """A well-formed document of `paragraphs` short paragraphs (megabytes of real XML)."""
    body = b"".join(paragraph(b"Line %d of an endless resume" % i) for i in range(paragraphs))
    return docx_with_body(base, body)


def xxe_docx(base: bytes, *, system_url: str) -> bytes:
    """document.xml declaring an external entity and using it in the text."""
    prolog = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "%s">]>\n' % system_url.encode()
    return docx_with_body(base, paragraph(b"Leaked: &xxe;"), prolog=prolog)


def billion_laughs_docx(base: bytes) -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    prolog = b"<!DOCTYPE w:document [" + entities + b"]>\n"
    return docx_with_body(base, paragraph(b"&lol9;"), prolog=prolog)


def docx_with_external_references(base: bytes, *, url: str) -> bytes:
    """An image and a template that live at `url`, as external relationships: Word would
    fetch them on opening; a reader of text must not."""
    rels_name = "word/_rels/document.xml.rels"
    rels = docx_part(base, rels_name)
    image = (
        b'<Relationship Id="rIdExternalImage" TargetMode="External" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="%s/photo.png"/>' % url.encode()
    )
    rels = rels.replace(b"</Relationships>", image + b"</Relationships>")
    settings_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdTemplate" TargetMode="External" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="%s/template.dotm"/></Relationships>' % url.encode()
    )
    body = paragraph(b"External references, Python developer") + (
        b'<w:p><w:r><w:pict><v:imagedata xmlns:v="urn:schemas-microsoft-com:vml" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'r:id="rIdExternalImage"/></w:pict></w:r></w:p>'
    )
    return rewrite_zip(
        base,
        replace={rels_name: rels, "word/document.xml": document_xml(body)},
        add={"word/_rels/settings.xml.rels": settings_rels},
    )
