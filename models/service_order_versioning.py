import hashlib

from odoo import Command, api, fields, models
from odoo.tools import format_datetime

from .common import selection_labels
from .pdf_overlay import stamp_pages


class ServiceOrderVersioningMixin(models.AbstractModel):
    """The order's issued PDF versions: version 1 on approval, the next on each confirmation.
    Each is rendered, stamped on every page, stored with its checksum and posted."""

    _name = "service.order.versioning.mixin"
    _description = "Service Order: issued PDF versions"

    document_ids = fields.One2many("service.order.document", "order_id", string="Documents", readonly=True)
    document_count = fields.Integer(compute="_compute_document_count")
    current_document_id = fields.Many2one("service.order.document",
                                          readonly=True, copy=False, ondelete="restrict")
    current_version = fields.Integer(related="current_document_id.version", string="Version")

    @api.depends("document_ids")
    def _compute_document_count(self):
        counts = self._count_by_order("service.order.document")
        for order in self:
            order.document_count = counts.get(order, 0)

    def _report_lang(self):
        """The language the order's documents speak: the customer's, as the report's t-lang."""
        self.ensure_one()
        return self.partner_id.lang or self.env.user.lang

    def _render_order_pdf(self, version, date, changes, reason="approval"):
        """The order's report as PDF bytes, every page stamped with number, version, date and page x/y.
        All of it in the customer's language: the report, its stamp, its date and the labels
        of the changes (recorded in the language of whoever made them)."""
        self.ensure_one()
        order = self.with_context(lang=self._report_lang())
        date_label = format_datetime(order.env, date, dt_format="short")
        if changes:
            labels = {key: label for key, label, _value in order._confirmation_snapshot()}
            changes = [dict(change, field_label=labels.get(change.get("field_name"), change["field_label"]))
                       for change in changes]
        pdf = order._render_report_pdf(version, date_label, changes, reason)
        stamp = order.env._("%(name)s · Version %(version)s · %(date)s",
                            name=self.name, version=version, date=date_label)
        return stamp_pages(pdf, stamp, page_label=order.env._("Page %(page)s / %(pages)s"))

    def _render_report_pdf(self, version, date_label, changes, reason="approval"):
        """The QWeb report rendered by wkhtmltopdf, before the pages are stamped. A
        ``completion`` version is the completion report (outcome, answers, work done)."""
        report = self.env.ref("service_order.action_report_service_order")
        # force_report_rendering: a real PDF even under the test runner, which otherwise gets HTML
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.ids, data={"version": version, "version_date_label": date_label,
                                                "changes": changes, "completion": reason == "completion"})
        return pdf

    def _issue_completion_report(self):
        """Closing issues the last version, the completion report, posted to the chatter and
        the workspace and e-mailed to the customer with the PDF attached."""
        documents = self._create_document_version("completion")
        template = self.env.ref("service_order.mail_template_service_order_completion")
        for order, document in zip(self, documents, strict=True):
            if not order.partner_id.email:
                order.message_post(body=self.env._(
                    "The completion report was not e-mailed: %(customer)s has no e-mail address.",
                    customer=order.partner_id.display_name))
                continue
            # the version's file goes out as it was issued: the mail links it, never copies it
            template.send_mail(order.id, email_layout_xmlid="mail.mail_notification_light", email_values={
                "attachment_ids": [Command.link(document.sudo().attachment_id.id)]})
            order.message_post(body=self.env._("Completion report %(file)s e-mailed to %(customer)s.",
                                               file=document.sudo().attachment_id.name,
                                               customer=order.partner_id.display_name))
        return documents

    def _create_document_version(self, reason, confirmation=None, changes=None):
        """Render and store the next PDF version of each order; post it to chatter and channel."""
        Document = self.env["service.order.document"].sudo()  # sudo: versions are written by the system only
        documents = Document
        for order in self:
            version = (order.sudo().current_document_id.version or 0) + 1
            now = fields.Datetime.now()
            pdf = order._render_order_pdf(version, now, changes or [], reason)
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
                              reason=selection_labels(Document, "reason")[reason]
                              if not confirmation else confirmation.display_name)
            order.message_post(body=body, attachment_ids=attachment.ids)
            order._post_to_channel(body, attachment_ids=attachment.ids)
            documents |= document
        return documents

    def action_view_documents(self):
        """List the order's document versions."""
        return self._open_related("service.order.document", self.env._("Documents of %(name)s", name=self.name),
                                  {"delete": False, "edit": False})
