from odoo import Command, api, fields, models

from .common import format_moment, wake_job_runner
from .service_order_states import CLOSED_STATES


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
    # the customer's language, which the order's documents speak (_report_lang): a column of
    # the order, where the partner's costs its row and the partners' company rule (2 queries)
    # at every version the order issues
    partner_lang = fields.Char("Customer Language", compute="_compute_partner_lang", store=True)

    @api.depends("document_ids")
    def _compute_document_count(self):
        counts = self._count_by_order("service.order.document")
        for order in self:
            order.document_count = counts.get(order, 0)

    @api.depends("partner_id.lang")
    def _compute_partner_lang(self):
        for order in self:
            order.partner_lang = order.partner_id.lang

    def _report_lang(self):
        """The language the order's documents speak: the customer's, as the report's t-lang."""
        self.ensure_one()
        return self.partner_lang or self.env.user.lang

    def _customer_tz(self):
        """The time zone the customer reads the order's times in (its PDFs, portal page, consent
        page and e-mails): the customer's, else the company's (its address, else its working hours)."""
        self.ensure_one()
        # sudo: time zones of the customer and the company, whoever renders the customer's page
        order = self.sudo()
        return order.partner_id.tz or order.company_id.partner_id.tz \
            or order.company_id.resource_calendar_id.tz or "UTC"

    def _format_for_customer(self, moment):
        """``moment`` as the customer reads it: their language's formats (no seconds), their time zone."""
        self.ensure_one()
        return format_moment(self.with_context(lang=self._report_lang()).env, moment, tz=self._customer_tz())

    def _render_report_html(self, version, date_label, changes, reason="approval"):
        """The order's report as HTML, as it is now: what the version freezes. Cheap (QWeb
        only); a ``completion`` version is the completion report (outcome, answers, work)."""
        self.ensure_one()
        report = self.env.ref("service_order.action_report_service_order")
        html, _type = report._render_qweb_html(report.report_name, self.ids, data={
            "version": version, "version_date_label": date_label, "changes": changes,
            "completion": reason == "completion"})
        return html.decode() if isinstance(html, bytes) else html

    def _html_to_pdf(self, html):
        """The PDF of a frozen report (wkhtmltopdf; about a second), before the pages are
        stamped. The report fetches nothing: see ir_actions_report._run_wkhtmltopdf."""
        report = self.env.ref("service_order.action_report_service_order")
        bodies, _ids, header, footer, paperformat_args = report._prepare_html(html, report_model=report.model)
        return report._run_wkhtmltopdf(bodies, report_ref=report.report_name, header=header, footer=footer,
                                       specific_paperformat_args=paperformat_args)

    def _version_date_label(self, moment):
        """The date a version prints (its stamp, its header): when it was reserved, in the
        language of the order's environment (the customer's, see _report_lang)."""
        return format_moment(self.env, moment, tz=self._customer_tz())

    def _create_document_version(self, reason, confirmation=None, changes=None, defer=False):
        """Reserve the next version of each order and freeze its report as it is now; make
        the PDF at once, or, with ``defer``, let the job runner make it off the request (the
        version shows as pending until then; its number and content are already fixed).

        The completion report of a closed order is rendered by the job runner too: what it
        prints (the outcome, the answers, the work, the time, the signature) no longer changes
        once the order is closed, so it is the same report, and the closing request does not
        spend its time in QWeb."""
        self._lock_for_numbering()  # one version number per order at a time (state mixin)
        Document = self.env["service.order.document"].sudo()  # sudo: versions are written by the system only
        documents = Document
        # the moment of the reservation: the versions' create_date, which the job reads back
        now = self.env.cr.now()
        for order in self:
            version = (order.sudo().current_document_id.version or 0) + 1
            # all of it in the customer's language: the report, its stamp, its date and the
            # labels of the changes (recorded in the language of whoever made them)
            order = order.with_context(lang=order._report_lang())
            date_label = order._version_date_label(now)
            if changes:
                labels = {key: label for key, label, _value in order._confirmation_snapshot()}
                changes = [dict(change, field_label=labels.get(change.get("field_name"), change["field_label"]))
                           for change in changes]
            document = Document.create({
                "order_id": order.id,
                "version": version,
                "reason": reason,
                "state": "pending",
                "confirmation_id": confirmation.id if confirmation else False,
                # given, as they would be computed: each would cost an update of the new row
                "company_id": order.company_id.id, "name": f"{order.name} v{version}",
                "html": False if defer and reason == "completion" and order.state in CLOSED_STATES
                else order._render_report_html(version, date_label, changes or [], reason),
                "stamp": order.env._("%(name)s · Version %(version)s · %(date)s",
                                     name=order.name, version=version, date=date_label),
            })
            order._write_workflow({"current_document_id": document.id})  # a workflow field, set here only
            documents |= document
        if defer:
            wake_job_runner(self.env, "service_order.ir_cron_issue_document_versions")
        else:
            documents._issue()
        return documents

    def _issued_document(self):
        """The last issued version (what the customer and Print get), or an empty recordset."""
        self.ensure_one()
        # sudo: the versions of an order the caller may read
        return self.sudo().document_ids.filtered(lambda d: d.state == "issued").sorted("version")[-1:]

    def _issued_documents(self):
        """Every issued version, newest first (the customer's page lists them by what they are)."""
        self.ensure_one()
        # sudo: the versions of an order the caller may read
        return self.sudo().document_ids.filtered(lambda d: d.state == "issued").sorted("version", reverse=True)

    def _issue_completion_report(self):
        """Closing issues the last version, the completion report, off the request: the job
        runner makes it, posts it and e-mails it to the customer (_send_completion_report)."""
        return self._create_document_version("completion", defer=True)

    def _send_completion_report(self, document):
        """E-mail the issued completion report to the customer, the PDF attached as issued."""
        self.ensure_one()
        if not self.partner_id.email:
            self.message_post(body=self.env._(
                "The completion report was not e-mailed: %(customer)s has no e-mail address.",
                customer=self.partner_id.display_name))
            return False
        template = self.env.ref("service_order.mail_template_service_order_completion")
        # the version's file goes out as it was issued: the mail links it, never copies it
        template.send_mail(self.id, email_layout_xmlid="mail.mail_notification_light", email_values={
            "attachment_ids": [Command.link(document.attachment_id.id)]})
        self.message_post(body=self.env._("Completion report %(file)s e-mailed to %(customer)s.",
                                          file=document.attachment_id.name, customer=self.partner_id.display_name))
        return True

    def action_view_documents(self):
        """List the order's document versions."""
        return self._open_related("service.order.document", self.env._("Documents of %(name)s", name=self.name),
                                  {"delete": False, "edit": False})
