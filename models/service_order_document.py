import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from .common import selection_labels
from .pdf_overlay import stamp_pages


class ServiceOrderDocument(models.Model):
    """One immutable PDF version of a service order.

    Versions are made by the system only (approval, each confirmation, closing), through
    ``service.order._create_document_version``: the version number is reserved and the
    report's HTML is frozen at that moment; the PDF is made from that HTML at once, or by
    the job runner (the cron "Service Orders: issue pending document versions") for bulk
    work, and until then the version shows as pending. No group has write or unlink rights,
    and ``write``/``unlink`` refuse even the superuser, except the one move of a pending
    version to issued; so a version is kept as it was issued.
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
    state = fields.Selection([("pending", "Pending"), ("issued", "Issued")], default="issued", required=True,
                             readonly=True, help="Pending: the number is reserved and the content frozen; "
                                                 "the PDF is being made by the job runner.")
    # the report as it was when the version was reserved, until its PDF is made from it
    html = fields.Text("Frozen Report", readonly=True, groups="base.group_system")
    stamp = fields.Char(readonly=True, help="The line printed on every page: number, version, date.")
    attachment_id = fields.Many2one("ir.attachment", readonly=True, ondelete="restrict")
    checksum = fields.Char("SHA-256", readonly=True, size=64)
    file_size = fields.Integer(related="attachment_id.file_size")
    pdf = fields.Binary(related="attachment_id.datas", string="PDF")
    pdf_name = fields.Char(related="attachment_id.name", string="File Name")
    is_current = fields.Boolean(compute="_compute_is_current")
    kind_label = fields.Char(
        "Document", compute="_compute_kind_label",
        help="What the version is, as the customer reads it: the order (approved, or changed by a confirmation) "
             "or the completion report.")

    _sql_constraints = [
        ("order_version_uniq", "unique(order_id, version)", "A version number is used once per order."),
        ("issued_has_file", "CHECK(state = 'pending' OR (attachment_id IS NOT NULL AND checksum IS NOT NULL))",
         "An issued version has its file and checksum."),
    ]

    @api.depends("order_id.name", "version")
    def _compute_name(self):
        for doc in self:
            doc.name = f"{doc.order_id.name} v{doc.version}"

    @api.depends("reason", "version")
    def _compute_kind_label(self):
        for doc in self:
            if doc.reason == "completion":
                doc.kind_label = self.env._("Completion report (version %(version)s)", version=doc.version)
            elif doc.reason == "confirmation":
                doc.kind_label = self.env._("Order, version %(version)s (changed on site)", version=doc.version)
            else:
                doc.kind_label = self.env._("Order, version %(version)s (approved)", version=doc.version)

    @api.depends("order_id.current_document_id")
    def _compute_is_current(self):
        for doc in self:
            doc.is_current = doc.order_id.current_document_id == doc

    def _immutable_error(self):
        return UserError(self.env._(
            "Document versions and their PDF files are kept as issued: they cannot be modified "
            "or deleted. A change to the order makes a new version."))

    def write(self, vals):
        # name is a stored compute: its recomputation is not an edit; issuing a pending
        # version (its file made from its frozen HTML) is done by the system only, once
        issuing = self.env.su and vals.get("state") == "issued" and all(d.state == "pending" for d in self) \
            and set(vals) <= {"state", "attachment_id", "checksum", "html", "name"}
        if set(vals) - {"name"} and not issuing:
            raise self._immutable_error()
        return super().write(vals)

    def _issue(self):
        """Make the PDF of pending versions from their frozen HTML, stamp every page,
        store it with its checksum and post it to the chatter and the workspace (as the
        user who issued the version); a completion report then goes to the customer."""
        # sudo: versions are written by the system only; the frozen HTML is the system's
        for document in self.sudo().filtered(lambda d: d.state == "pending").sorted("version"):
            order = document.order_id.with_user(document.create_uid).sudo()
            lang_order = order.with_context(lang=order._report_lang())
            lang_env = lang_order.env
            # a completion report is rendered here, from the closed order (see
            # _create_document_version); the others were frozen when they were reserved
            html = document.html or lang_order._render_report_html(
                document.version, lang_order._version_date_label(document.create_date), [], document.reason)
            pdf = stamp_pages(order._html_to_pdf(html), document.stamp,
                              page_label=lang_env._("Page %(page)s / %(pages)s"))
            attachment = self.env["ir.attachment"].sudo().create({
                "name": f"{order.name.replace('/', '-')}-v{document.version}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": document.id,
            })
            document.write({"state": "issued", "attachment_id": attachment.id, "html": False,
                            "checksum": hashlib.sha256(pdf).hexdigest()})
            label = document.confirmation_id.display_name or selection_labels(self, "reason")[document.reason]
            body = self.env._("Document version %(version)s (%(reason)s) issued: %(file)s",
                              version=document.version, reason=label, file=attachment.name)
            author = document.create_uid.partner_id.id
            order.message_post(body=body, attachment_ids=attachment.ids, author_id=author)
            # the workspace hears of it through the job runner: a confirmation's request (and
            # the job issuing versions) never waits on the busy channel's row
            order._post_to_channel(body, attachment_ids=attachment.ids, defer=True)
            if document.reason == "completion":
                order._send_completion_report(document)
        return True

    @api.model
    def _issue_pending_versions(self, batch=20):
        """The job runner (cron, triggered when a version is reserved): issue the pending
        versions, oldest first, a batch per run; the cron commits between runs."""
        # sudo: the job runs as the system, for versions reserved by users' actions
        pending = self.sudo().search([("state", "=", "pending")], order="id")
        pending[:batch]._issue()
        self.env["ir.cron"]._notify_progress(done=min(batch, len(pending)), remaining=max(len(pending) - batch, 0))
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise self._immutable_error()

    def _verify_checksum(self):
        """True when every issued version's file still matches the checksum stored at issue."""
        return all(hashlib.sha256(doc.attachment_id.raw or b"").hexdigest() == doc.checksum
                   for doc in self.sudo() if doc.state == "issued")

    def action_download(self):
        """Download this version's PDF."""
        self.ensure_one()
        if self.state == "pending":
            raise UserError(self.env._("Version %(version)s is being made: try again in a moment.",
                                       version=self.version))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }
