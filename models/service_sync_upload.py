"""Photos and signatures sent by a technician's phone when it comes back online, one request
each with its own id (made on the phone), before the operations that use them: a second
delivery of the same id stores nothing more, so an upload cut off halfway is simply sent
again. The phone downscales a photo before keeping it (1600 px on the long side, JPEG); the
server refuses what is not a picture or is larger than MAX_UPLOAD_BYTES, and keeps that
refusal too, so that the operation using it is refused with the reason instead of waiting.

A stored photo is an attachment of the technician not yet linked to a record, as the web
client uploads one before its work item is saved: the operation "photo added" links it to
its work item (service.work.item.photo.mixin), a step form's answer copies it."""
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import mute_logger
from odoo.tools.mimetypes import guess_mimetype

from .common import TECHNICIAN_GROUP
from .service_sync_operation import ID_PATTERN, SyncDeferred, SyncRefusal

MAX_UPLOAD_BYTES = 10 * 1024 * 1024   # a phone photo as taken; downscaled ones are a tenth of it
PHOTO_LONG_SIDE = 1600                # what the phone downscales a photo to (static/src/day/images.js)
PURGE_DAYS = 14                       # an upload no operation used is forgotten after this


class ServiceSyncUpload(models.Model):
    _name = "service.sync.upload"
    _description = "Offline Photo Upload"
    _inherit = ["service.trail.mixin"]
    _trail_how = "the technician's phone, when it comes back online"
    _order = "id desc"

    uuid = fields.Char("Upload Id", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Technician", required=True, readonly=True, index=True,
                              ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    attachment_id = fields.Many2one("ir.attachment", readonly=True, ondelete="set null")
    name = fields.Char(readonly=True)
    mimetype = fields.Char(readonly=True)
    file_size = fields.Integer(readonly=True)
    state = fields.Selection([("stored", "Stored"), ("refused", "Refused")], required=True, readonly=True)
    refusal_reason = fields.Char(readonly=True)

    _sql_constraints = [("uuid_uniq", "unique(uuid)", "An upload is received once.")]

    @api.model
    def _receive(self, uuid, name, size, read):
        """Store the picture ``read()`` returns (``size`` bytes, as announced) under ``uuid``
        for the current technician, or keep why it is refused. A second delivery of ``uuid``
        returns the first one's row and reads nothing."""
        if not self.env.user.has_group(TECHNICIAN_GROUP) or self.env.su:
            raise AccessError(self.env._("Only technicians send photos from their day."))
        if not isinstance(uuid, str) or not ID_PATTERN.match(uuid):
            raise AccessError(self.env._("The upload's id is missing or malformed."))
        # sudo: whether the id was received already, by anyone (an id is unique)
        existing = self.sudo().search([("uuid", "=", uuid)], limit=1)
        if existing:
            if existing.user_id != self.env.user:
                raise AccessError(self.env._("This upload id was received from another user."))
            return existing
        name = (name or "photo.jpg")[:128]
        vals = {"uuid": uuid, "user_id": self.env.uid, "company_id": self.env.company.id, "name": name,
                "file_size": size or 0}
        if not size or size > MAX_UPLOAD_BYTES:
            megabytes = format((size or 0) / 1048576, ".1f")  # outside _(): the exporter skips f-strings
            return self._refuse(vals, self.env._(
                "%(name)s is %(size)s MB: a photo is at most %(max)s MB (the phone sends them at "
                "%(side)s px).", name=name, size=megabytes, max=MAX_UPLOAD_BYTES // 1048576, side=PHOTO_LONG_SIDE))
        raw = read()
        mimetype = guess_mimetype(raw, default="")
        if len(raw) != size or not mimetype.startswith("image/"):
            return self._refuse(dict(vals, file_size=len(raw)), self.env._(
                "%(name)s is not a picture (JPEG, PNG...).", name=name))
        try:
            with self.env.cr.savepoint():
                # as the technician: a picture not yet linked to a record, as the web client uploads it
                attachment = self.env["ir.attachment"].create({
                    "name": name, "raw": raw, "mimetype": mimetype, "res_model": "service.work.item", "res_id": 0})
                # sudo: the row is the sync's registry of uploads, written here only
                upload = self.sudo().create(dict(vals, state="stored", attachment_id=attachment.id,
                                                 mimetype=mimetype))
                with mute_logger("odoo.sql_db"):
                    upload.flush_recordset()
                return upload
        except psycopg2.errors.UniqueViolation:
            return self.browse()  # a concurrent delivery of the same upload: the phone sends it again

    def _refuse(self, vals, reason):
        try:
            with self.env.cr.savepoint():
                # sudo: the registry keeps the refusal, so that the operation using it says why
                upload = self.sudo().create(dict(vals, state="refused", refusal_reason=reason))
                with mute_logger("odoo.sql_db"):
                    upload.flush_recordset()
                return upload
        except psycopg2.errors.UniqueViolation:
            return self.browse()

    @api.model
    def _find(self, uuid):
        """The current user's stored upload ``uuid``, for an operation that uses it; raises
        SyncDeferred while it has not arrived, SyncRefusal when it was refused."""
        if not isinstance(uuid, str) or not ID_PATTERN.match(uuid):
            raise SyncRefusal(self.env._("The photo's id is missing or malformed."), "invalid", notify=False)
        upload = self.search([("uuid", "=", uuid), ("user_id", "=", self.env.uid)], limit=1)
        if not upload:
            raise SyncDeferred(self.env._("Waiting for a photo of this operation."))
        if upload.state == "refused":
            raise SyncRefusal(self.env._("The photo was refused: %(reason)s", reason=upload.refusal_reason))
        if not upload.attachment_id:
            raise SyncRefusal(self.env._("The photo is no longer kept: take it again."))
        return upload

    @api.model
    def _cron_purge(self):
        """Scheduled action: the pictures uploaded but never used by an operation (still not
        linked to a record) after PURGE_DAYS are deleted."""
        limit = fields.Datetime.now() - timedelta(days=PURGE_DAYS)
        # sudo: the job runner's cleaning of files nobody uses
        uploads = self.sudo().search([("create_date", "<", limit), ("attachment_id", "!=", False)])
        loose = uploads.attachment_id.filtered(lambda a: not a.res_id)
        loose.unlink()
        return True
