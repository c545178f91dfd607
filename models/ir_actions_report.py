import re

import lxml.html
from lxml import etree

from odoo import models
from odoo.tools.pdf import merge_pdf

# The order report carries its own styles (reports/service_order_templates.xml) and needs
# nothing from the web server. Without a server to reach, wkhtmltopdf never waits on the
# Odoo process that is rendering the PDF: at install time (no server), under the test
# runner (a server in the same process, busy with the request that renders), and behind a
# proxy where the public URL is not reachable from the server itself. Port 9 (discard) on
# the loopback refuses at once.
OFFLINE_REPORTS = {"service_order.report_service_order"}
UNREACHABLE_URL = "http://127.0.0.1:9"

# Elements that make wkhtmltopdf fetch or run something; none has a place in the report.
FETCHING_TAGS = ("script", "link", "iframe", "frame", "object", "embed", "video", "audio",
                 "source", "track", "base", "svg", "math", "form", "input")
# Attributes that point wkhtmltopdf somewhere; only embedded images (data URIs) are kept.
URL_ATTRIBUTES = ("src", "srcset", "href", "background", "poster", "data", "action",
                  "formaction", "xlink:href", "lowsrc", "dynsrc", "longdesc", "cite")
CSS_FETCH = re.compile(r"url\s*\(|@import|expression\s*\(|image-set\s*\(", re.IGNORECASE)


def _is_embedded_image(value):
    return value.strip().lower().startswith("data:image/")


def strip_remote_resources(html):
    """``html`` with everything that would make the PDF engine fetch a resource removed.

    Kept: the markup, styles that load nothing, and images embedded as data URIs (the
    report embeds its images: signature, photos, logo). Removed: scripts, stylesheets,
    frames, objects, media, refresh meta tags, every ``src``/``href``/... that is not an
    embedded image (links included: their text stays), and any CSS that could load a URL."""
    if not html:
        return html
    root = lxml.html.document_fromstring(html)
    for element in root.xpath("|".join(f"//{tag}" for tag in FETCHING_TAGS) + "|//meta[@http-equiv]"):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            value = element.attrib[name]
            lowered = name.lower()
            if lowered in URL_ATTRIBUTES or lowered.endswith(":href"):
                if not (lowered == "src" and element.tag == "img" and _is_embedded_image(value)):
                    del element.attrib[name]
            elif lowered == "style" and CSS_FETCH.search(value):
                del element.attrib[name]
            elif lowered.startswith("on"):
                del element.attrib[name]
        if element.tag == "style" and element.text and CSS_FETCH.search(element.text):
            element.text = CSS_FETCH.sub("removed(", element.text)
    doctype = "<!DOCTYPE html>" if html.lstrip()[:9].lower() == "<!doctype" else ""
    return doctype + etree.tostring(root, encoding="unicode", method="html")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_report_url(self, layout=None):
        if self.report_name in OFFLINE_REPORTS:
            return UNREACHABLE_URL
        return super()._get_report_url(layout=layout)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Print on an order gives its current issued version, as issued (the stored file,
        # checksum intact), never a new rendering of an order that may have changed since.
        # The addon's own rendering of a new version asks for a real one
        # (force_report_rendering); a draft, with no version yet, is rendered as a preview.
        report = self._get_report(report_ref)
        if report.report_name in OFFLINE_REPORTS and res_ids and not self.env.context.get("force_report_rendering"):
            orders = self.env["service.order"].browse(res_ids)
            orders.check_access("read")
            documents = [order._issued_document() for order in orders]
            if all(documents):
                for document in documents:
                    document.check_access("read")
                # sudo: the files of the versions the user may read (checked just above)
                files = [document.sudo().attachment_id.raw for document in documents]
                return (files[0] if len(files) == 1 else merge_pdf(files)), "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, landscape=False,
                         specific_paperformat_args=None, set_viewport_size=False):
        # The report prints what users typed (descriptions are HTML): an <img> or a CSS url()
        # pointing at an internal address would make the server's PDF engine request it.
        # Everything it could fetch is removed before wkhtmltopdf sees the page.
        if report_ref and self._get_report(report_ref).report_name in OFFLINE_REPORTS:
            bodies = [strip_remote_resources(body) for body in bodies]
            header = strip_remote_resources(header)
            footer = strip_remote_resources(footer)
        return super()._run_wkhtmltopdf(
            bodies, report_ref=report_ref, header=header, footer=footer, landscape=landscape,
            specific_paperformat_args=specific_paperformat_args, set_viewport_size=set_viewport_size)
