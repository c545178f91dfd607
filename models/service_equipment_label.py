from odoo import models

from .ir_actions_report import UNREACHABLE_URL, strip_remote_resources

# The equipment's label: its own styles, its QR code embedded (a data URI): nothing to fetch.
LABEL_REPORTS = {"service_order.report_service_equipment_label"}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_report_url(self, layout=None):
        # as the order's report: wkhtmltopdf never waits on the server that is rendering it
        if self.report_name in LABEL_REPORTS:
            return UNREACHABLE_URL
        return super()._get_report_url(layout=layout)

    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, landscape=False,
                         specific_paperformat_args=None, set_viewport_size=False):
        # the label prints what users typed (the equipment's and the customer's names): nothing
        # it names is fetched
        if report_ref and self._get_report(report_ref).report_name in LABEL_REPORTS:
            bodies = [strip_remote_resources(body) for body in bodies]
            header = strip_remote_resources(header)
            footer = strip_remote_resources(footer)
        return super()._run_wkhtmltopdf(
            bodies, report_ref=report_ref, header=header, footer=footer, landscape=landscape,
            specific_paperformat_args=specific_paperformat_args, set_viewport_size=set_viewport_size)
