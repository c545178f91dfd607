"""Stamp every page of a PDF with a line of text and its page number.

Debian's wkhtmltopdf is built without patched Qt, so the report's own header and footer
are not printed; what must stand on every page goes on afterwards as a reportlab overlay
merged page by page, which works with any wkhtmltopdf build. The PDF library is reached
through ``odoo.tools.pdf``, which covers the PyPDF2/pypdf versions Odoo supports (the same
calls as Odoo's own ``add_banner``).
"""
import io
import warnings

from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from odoo.tools.pdf import PdfFileReader, PdfFileWriter


def _overlay(sizes, text, page_label):
    """One overlay page per page size in ``sizes``: ``text`` and "page x/y", top and bottom."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, start=1):
        pdf.setPageSize((width, height))
        pdf.setFillColor(Color(0.25, 0.25, 0.25))
        pdf.setFont("Helvetica", 8)
        margin = 28
        page_text = page_label % {"page": number, "pages": total}
        pdf.drawString(margin, height - 18, text)
        pdf.drawRightString(width - margin, height - 18, page_text)
        pdf.setStrokeColor(Color(0.8, 0.8, 0.8))
        pdf.line(margin, 22, width - margin, 22)
        pdf.drawString(margin, 12, text)
        pdf.drawRightString(width - margin, 12, page_text)
        pdf.showPage()
    pdf.save()
    return PdfFileReader(io.BytesIO(buffer.getvalue()), overwriteWarnings=False)


def stamp_pages(pdf_bytes, text, page_label="Page %(page)s / %(pages)s"):
    """Return ``pdf_bytes`` with ``text`` and "page x/y" at the top and bottom of each page."""
    # the calls every supported version knows (PyPDF2 2.x only warns that they are old)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return _stamp_pages(pdf_bytes, text, page_label)


def _stamp_pages(pdf_bytes, text, page_label):
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False, overwriteWarnings=False)
    pages = [reader.getPage(index) for index in range(reader.getNumPages())]
    sizes = [(float(abs(page.mediaBox.getWidth())), float(abs(page.mediaBox.getHeight()))) for page in pages]
    overlay = _overlay(sizes, text, page_label)
    writer = PdfFileWriter()
    for index, page in enumerate(pages):
        page.mergePage(overlay.getPage(index))
        writer.addPage(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
