"""Generate the demo resume files in demo/resumes/ from demo/resumes_src/*.md.

Run from the repository root:

    .venv/bin/python demo/build_demo_files.py

Every resume is written once, as Markdown, in demo/resumes_src/. This script
renders each one to the format listed in FORMATS (PDF with fpdf2, DOCX with
python-docx, or plain .txt / .md), so the demo exercises every extractor the
product supports. All people, companies and contact details are fictitious.

The source Markdown uses a small subset:

    # Name                      candidate name (first line)
    plain lines before "##"     headline and contact lines
    ## Section                  section heading
    ### Role, Employer          sub-heading (a job or a degree)
    *dates*                     a line in italics (dates, places)
    - item                      bullet
    | a | b |                   table row (first row is the header; "|---|" rows are skipped)
    anything else               paragraph

Output is deterministic (fixed document dates) so re-running the script does not
produce spurious diffs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "resumes_src"
OUT_DIR = HERE / "resumes"

# source stem -> output file name. The extension decides the renderer.
FORMATS: dict[str, str] = {
    "okafor_daniel": "daniel_okafor_backend_python.pdf",
    "delgado_rosa": "rosa_delgado_rn_icu.pdf",
    "lindqvist_hannah": "hannah_lindqvist_marketing.pdf",
    "caldwell_ethan": "ethan_caldwell_mechanical_engineer.pdf",
    "sharma_anika": "anika_sharma_data_scientist_nlp.docx",
    "nowak_tomasz": "tomasz_nowak_devops.docx",
    "bell_marcus": "marcus_bell_accountant.docx",
    "marchetti_sofia": "sofia_marchetti_ux_designer.docx",
    "tran_meilin": "meilin_tran_junior_java.txt",
    "reyes_jamal": "jamal_reyes_sales.txt",
    "whitfield_grace": "grace_whitfield_frontend_react.md",
    "natarajan_priya": "priya_natarajan_hr_generalist.md",
}

FIXED_DATE = dt.datetime(2024, 5, 1, 9, 0, 0, tzinfo=dt.UTC)
MAX_BYTES = 100 * 1024


@dataclass
class Block:
    kind: str  # name | header | h2 | h3 | meta | bullet | table | para
    text: str = ""
    rows: list[list[str]] | None = None


def parse(md: str) -> list[Block]:
    blocks: list[Block] = []
    table: list[list[str]] | None = None
    for raw in md.splitlines():
        line = raw.rstrip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells):
                continue
            if table is None:
                table = []
                blocks.append(Block("table", rows=table))
            table.append(cells)
            continue
        table = None
        if not line.strip():
            continue
        if line.startswith("# "):
            blocks.append(Block("name", line[2:].strip()))
        elif line.startswith("### "):
            blocks.append(Block("h3", line[4:].strip()))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("*") and line.endswith("*") and len(line) > 2:
            blocks.append(Block("meta", line.strip("*").strip()))
        elif not any(b.kind == "h2" for b in blocks):
            blocks.append(Block("header", line.strip()))
        else:
            blocks.append(Block("para", line.strip()))
    return blocks


def plain_text(blocks: list[Block]) -> str:
    """Plain-text rendering, used for .txt output and for word counts."""
    out: list[str] = []
    for b in blocks:
        if b.kind == "name":
            out.append(b.text.upper())
        elif b.kind == "header":
            out.append(b.text)
        elif b.kind == "h2":
            out.extend(["", b.text.upper()])
        elif b.kind == "h3":
            out.extend(["", b.text])
        elif b.kind == "bullet":
            out.append(f"- {b.text}")
        elif b.kind == "table":
            rows = b.rows or []
            for row in rows[1:]:
                out.append(f"{row[0]}: {', '.join(c for c in row[1:] if c)}")
        else:
            out.append(b.text)
    return "\n".join(out).strip() + "\n"


# ---------------------------------------------------------------- PDF (fpdf2)
def render_pdf(blocks: list[Block], path: Path) -> None:
    from fpdf import FPDF

    for b in blocks:  # core fonts are latin-1 only; fail loudly rather than print "?"
        for text in [b.text, *(c for r in (b.rows or []) for c in r)]:
            text.encode("latin-1")

    name = next(b.text for b in blocks if b.kind == "name")
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(f"Resume - {name}")
    pdf.set_author(name)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    w = pdf.epw

    def para(text: str, size: float = 10, style: str = "", h: float = 5, indent: float = 0) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(w - indent, h, text, align="L", new_x="LMARGIN", new_y="NEXT")

    for b in blocks:
        if b.kind == "name":
            para(b.text, size=20, style="B", h=9)
        elif b.kind == "header":
            para(b.text, size=10.5, h=5.5)
        elif b.kind == "h2":
            pdf.ln(3)
            para(b.text.upper(), size=11.5, style="B", h=6.5)
            y = pdf.get_y()
            pdf.set_draw_color(120, 120, 120)
            pdf.line(pdf.l_margin, y, pdf.l_margin + w, y)
            pdf.ln(1.5)
        elif b.kind == "h3":
            pdf.ln(1)
            para(b.text, size=10.5, style="B", h=5.5)
        elif b.kind == "meta":
            para(b.text, size=9.5, style="I", h=5)
        elif b.kind == "bullet":
            # one multi_cell per bullet keeps the item a single text block for extractors
            para(f"-  {b.text}", indent=3)
        elif b.kind == "table":
            for row in (b.rows or [])[1:]:
                pdf.set_font("Helvetica", "B", 10)
                label = f"{row[0]}: "
                pdf.set_x(pdf.l_margin)
                pdf.cell(pdf.get_string_width(label) + 1, 5, label)
                pdf.set_font("Helvetica", "", 10)
                values = ", ".join(c for c in row[1:] if c)
                pdf.multi_cell(0, 5, values, align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            para(b.text)
            pdf.ln(1)
    pdf.output(str(path))


# ------------------------------------------------------------ DOCX (python-docx)
def render_docx(blocks: list[Block], path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    name = next(b.text for b in blocks if b.kind == "name")
    props = doc.core_properties
    props.author = name
    props.title = f"Resume - {name}"
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_modified_by = name
    props.revision = 1

    for b in blocks:
        if b.kind == "name":
            doc.add_heading(b.text, level=0)
        elif b.kind == "header":
            doc.add_paragraph(b.text)
        elif b.kind == "h2":
            doc.add_heading(b.text, level=1)
        elif b.kind == "h3":
            p = doc.add_paragraph()
            p.add_run(b.text).bold = True
            p.paragraph_format.space_after = Pt(0)
        elif b.kind == "meta":
            p = doc.add_paragraph()
            p.add_run(b.text).italic = True
        elif b.kind == "bullet":
            doc.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "table":
            rows = b.rows or []
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j in range(ncols):
                    cell = table.cell(i, j)
                    cell.text = row[j] if j < len(row) else ""
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            doc.add_paragraph()
        else:
            doc.add_paragraph(b.text)
    buf = io.BytesIO()
    doc.save(buf)
    _write_stable_zip(buf.getvalue(), path)


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip (DOCX) with fixed entry timestamps so output is reproducible."""
    stamp = FIXED_DATE.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))


# ------------------------------------------------------------------------ main
def main() -> int:
    OUT_DIR.mkdir(exist_ok=True)
    sources = sorted(SRC_DIR.glob("*.md"))
    missing = set(FORMATS) - {p.stem for p in sources}
    if missing:
        print(f"missing sources: {sorted(missing)}", file=sys.stderr)
        return 1
    for src in sources:
        if src.stem not in FORMATS:
            print(f"skipping {src.name}: not listed in FORMATS", file=sys.stderr)
            continue
        md = src.read_text(encoding="utf-8")
        blocks = parse(md)
        out = OUT_DIR / FORMATS[src.stem]
        ext = out.suffix.lower()
        if ext == ".pdf":
            render_pdf(blocks, out)
        elif ext == ".docx":
            render_docx(blocks, out)
        elif ext == ".txt":
            out.write_text(plain_text(blocks), encoding="utf-8")
        elif ext == ".md":
            out.write_text(md.strip() + "\n", encoding="utf-8")
        else:
            raise ValueError(f"unsupported output type: {out.name}")
        words = len(plain_text(blocks).split())
        size = out.stat().st_size
        flag = "" if 250 <= words <= 700 and size < MAX_BYTES else "  <-- check"
        print(f"{out.name:45s} {words:4d} words {size:7d} bytes{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
