import hashlib
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .pdf_overlay import stamp_pages


class ServiceOrderDocument(models.Model):
    """One immutable PDF version of a service order.

    Versions are made by the system only (approval, each confirmation), through
    ``service.order._create_document_version``; no group has write or unlink rights, and
    ``write``/``unlink`` refuse even the superuser, so a version is kept as it was issued.
    """

    _name = "service.order.document"
    _description = "Service Order Document Version"
    _order = "order_id, version desc"
    _rec_name = "name"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="restrict",
                               readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    version = fields.Integer(required=True, readonly=True)
    name = fields.Char(compute="_compute_name", store=True)
    reason = fields.Selection(
        [("approval", "Approval"), ("confirmation", "Confirmation")], required=True, readonly=True)
    confirmation_id = fields.Many2one("service.confirmation", readonly=True, ondelete="restrict")
    attachment_id = fields.Many2one("ir.attachment", required=True, readonly=True, ondelete="restrict")
    checksum = fields.Char("SHA-256", required=True, readonly=True, size=64)
    file_size = fields.Integer(related="attachment_id.file_size")
    pdf = fields.Binary(related="attachment_id.datas", string="PDF")
    pdf_name = fields.Char(related="attachment_id.name", string="File Name")
    is_current = fields.Boolean(compute="_compute_is_current")

    _sql_constraints = [
        ("order_version_uniq", "unique(order_id, version)", "A version number is used once per order."),
    ]

    @api.depends("order_id.name", "version")
    def _compute_name(self):
        for doc in self:
            doc.name = f"{doc.order_id.name} v{doc.version}"

    @api.depends("order_id.current_document_id")
    def _compute_is_current(self):
        for doc in self:
            doc.is_current = doc.order_id.current_document_id == doc

    def _immutable_error(self):
        return UserError(self.env._(
            "Document versions and their PDF files are kept as issued: they cannot be modified "
            "or deleted. A change to the order makes a new version."))

    def write(self, vals):
        # name is a stored compute: its recomputation is not an edit
        if set(vals) - {"name"}:
            raise self._immutable_error()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise self._immutable_error()

    def verify_checksum(self):
        """True when every version's file still matches the checksum stored at issue."""
        return all(hashlib.sha256(doc.attachment_id.raw or b"").hexdigest() == doc.checksum
                   for doc in self.sudo())

    def action_download(self):
        """Download this version's PDF."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }


class ServiceOrder(models.Model):
    _inherit = "service.order"

    document_ids = fields.One2many("service.order.document", "order_id", string="Documents", readonly=True)
    document_count = fields.Integer(compute="_compute_document_count")
    current_document_id = fields.Many2one("service.order.document", string="Current Document",
                                          readonly=True, copy=False, ondelete="restrict")
    current_version = fields.Integer(related="current_document_id.version", string="Version")

    @api.depends("document_ids")
    def _compute_document_count(self):
        counts = dict(self.env["service.order.document"]._read_group(
            [("order_id", "in", self.ids)], ["order_id"], ["__count"]))
        for order in self:
            order.document_count = counts.get(order, 0)

    def _render_order_pdf(self, version, date, changes):
        """The order's report as PDF bytes, every page stamped with number, version, date and page x/y."""
        self.ensure_one()
        date_label = format_datetime(self.env, date, dt_format="short")
        pdf = self._render_report_pdf(version, date_label, changes)
        stamp = self.env._("%(name)s · Version %(version)s · %(date)s",
                           name=self.name, version=version, date=date_label)
        return stamp_pages(pdf, stamp, page_label=self.env._("Page %(page)s / %(pages)s"))

    def _render_report_pdf(self, version, date_label, changes):
        """The QWeb report rendered by wkhtmltopdf, before the pages are stamped."""
        report = self.env.ref("service_order.action_report_service_order")
        # force_report_rendering: a real PDF even under the test runner, which otherwise gets HTML
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.ids, data={"version": version, "version_date_label": date_label,
                                                "changes": changes})
        return pdf

    def _create_document_version(self, reason, confirmation=None, changes=None):
        """Render and store the next PDF version of each order; post it to chatter and channel."""
        Document = self.env["service.order.document"].sudo()  # sudo: versions are written by the system only
        documents = Document
        for order in self:
            version = (order.sudo().current_document_id.version or 0) + 1
            now = fields.Datetime.now()
            pdf = order._render_order_pdf(version, now, changes or [])
            attachment = self.env["ir.attachment"].sudo().create({
                "name": f"{order.name.replace('/', '-')}-v{version}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": "service.order.document",
                "res_id": 0,
            })
            document = Document.create({
                "order_id": order.id,
                "version": version,
                "reason": reason,
                "confirmation_id": confirmation.id if confirmation else False,
                "attachment_id": attachment.id,
                "checksum": hashlib.sha256(pdf).hexdigest(),
            })
            attachment.write({"res_id": document.id})
            # sudo: the current version is a workflow field, set here only
            order.sudo().write({"current_document_id": document.id})
            body = self.env._("Document version %(version)s (%(reason)s) issued: %(file)s",
                              version=version, file=attachment.name,
                              reason=dict(Document._fields["reason"].selection)[reason]
                              if not confirmation else confirmation.display_name)
            order.message_post(body=body, attachment_ids=attachment.ids)
            order._post_to_channel(body, attachment_ids=attachment.ids)
            documents |= document
        return documents

    def action_view_documents(self):
        """List the order's document versions."""
        return self._open_related("service.order.document", self.env._("Documents of %(name)s", name=self.name), {"delete": False, "edit": False})
