import base64

from odoo import api, models

DOCUMENT_MODEL = "service.order.document"
# What may still be written on a document's attachment: the access token the portal
# download uses.
ALLOWED_KEYS = {"access_token"}


class IrAttachment(models.Model):
    """The file of a document version is kept as issued. Only the version's own method
    (service.order._create_document_version, under sudo) creates it and links it to its
    version; no user attaches another file to a version, changes one, or deletes one."""

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("res_model") == DOCUMENT_MODEL for vals in vals_list):
            raise self.env[DOCUMENT_MODEL]._immutable_error()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("res_model") == DOCUMENT_MODEL and not self.env.su:
            raise self.env[DOCUMENT_MODEL]._immutable_error()
        documents = self.filtered(lambda a: a.res_model == DOCUMENT_MODEL)
        if documents:
            linking = self.env.su and set(vals) == {"res_id"} and not any(documents.mapped("res_id"))
            moving = documents._is_same_file(vals)
            if not linking and not moving and set(vals) - ALLOWED_KEYS:
                raise self.env[DOCUMENT_MODEL]._immutable_error()
        return super().write(vals)

    def _is_same_file(self, vals):
        """True when ``vals`` only write the files' own bytes again, unchanged: what moving
        them between storages does (``force_storage`` after ``ir_attachment.location``
        changed writes ``raw`` and ``mimetype`` back). Any other byte is a change."""
        if not set(vals) <= {"raw", "datas", "mimetype"} or not ({"raw", "datas"} & set(vals)):
            return False
        raw = vals["raw"] if "raw" in vals else base64.b64decode(vals["datas"] or b"")
        if isinstance(raw, str):
            raw = raw.encode()
        checksum = self._compute_checksum(raw or b"")
        return all(attachment.checksum == checksum and vals.get("mimetype", attachment.mimetype) == attachment.mimetype
                   for attachment in self)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_service_order_document(self):
        if any(a.res_model == DOCUMENT_MODEL for a in self):
            raise self.env[DOCUMENT_MODEL]._immutable_error()
