import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError


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
        [("approval", "Approval"), ("confirmation", "Confirmation"), ("completion", "Completion report")],
        required=True, readonly=True)
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

    def _verify_checksum(self):
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
