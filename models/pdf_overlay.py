"""Stamp every page of a PDF with a line of text and its page number.

Debian's wkhtmltopdf is built without patched Qt, so the report's own header and footer
are not printed; what must stand on every page goes on afterwards as a reportlab overlay
merged page by page, which works with any wkhtmltopdf build.
"""
import io

from PyPDF2 import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas


def _overlay_page(width, height, text, page_text):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setFillColor(Color(0.25, 0.25, 0.25))
    pdf.setFont("Helvetica", 8)
    margin = 28
    pdf.drawString(margin, height - 18, text)
    pdf.drawRightString(width - margin, height - 18, page_text)
    pdf.setStrokeColor(Color(0.8, 0.8, 0.8))
    pdf.line(margin, 22, width - margin, 22)
    pdf.drawString(margin, 12, text)
    pdf.drawRightString(width - margin, 12, page_text)
    pdf.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def stamp_pages(pdf_bytes, text, page_label="Page %(page)s / %(pages)s"):
    """Return ``pdf_bytes`` with ``text`` and "page x/y" at the top and bottom of each page."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    writer = PdfWriter()
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        page.merge_page(_overlay_page(float(box.width), float(box.height), text,
                                      page_label % {"page": number, "pages": total}))
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
