from odoo import api, models

DOCUMENT_MODEL = "service.order.document"
# What may still be written on a document's attachment: linking it to its version once,
# and the access token the portal download uses.
ALLOWED_KEYS = {"access_token"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        documents = self.filtered(lambda a: a.res_model == DOCUMENT_MODEL)
        if documents:
            linking = set(vals) == {"res_id"} and not any(documents.mapped("res_id"))
            if not linking and set(vals) - ALLOWED_KEYS:
                raise self.env["service.order.document"]._immutable_error()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_service_order_document(self):
        if any(a.res_model == DOCUMENT_MODEL for a in self):
            raise self.env["service.order.document"]._immutable_error()
