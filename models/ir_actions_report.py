from odoo import models

# The order report carries its own styles (reports/service_order_templates.xml) and needs
# nothing from the web server. Without a server to reach, wkhtmltopdf never waits on the
# Odoo process that is rendering the PDF: at install time (no server), under the test
# runner (a server in the same process, busy with the request that renders), and behind a
# proxy where the public URL is not reachable from the server itself. Port 9 (discard) on
# the loopback refuses at once.
OFFLINE_REPORTS = {"service_order.report_service_order"}
UNREACHABLE_URL = "http://127.0.0.1:9"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_report_url(self, layout=None):
        if self.report_name in OFFLINE_REPORTS:
            return UNREACHABLE_URL
        return super()._get_report_url(layout=layout)
