from odoo import api, models


class ReportServiceEquipmentLabel(models.AbstractModel):
    """The values of the equipment's label: its QR code carries the equipment's token, so the
    label is printed by dispatchers only, whoever asks for the report (a print route, RPC)."""

    _name = "report.service_order.report_service_equipment_label"
    _description = "Equipment Label"

    @api.model
    def _get_report_values(self, docids, data=None):
        equipment = self.env["service.equipment"].browse(docids)
        equipment._check_is_dispatcher(self.env._("print equipment labels"))
        equipment.check_access("read")
        return {"doc_ids": docids, "doc_model": "service.equipment", "docs": equipment}
