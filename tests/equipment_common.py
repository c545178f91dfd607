from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .work_item_common import WorkItemCase

# labour 60.00/h, parts at their list price (vessel 74.00, pipe 10.00), no tax: the figures
# of the estimates below
LABOUR_PRICE, VESSEL_PRICE, PIPE_PRICE = 60.0, 74.0, 10.0


class EquipmentCase(WorkItemCase):
    """Equipment at two customers: ``boiler`` (out of warranty) and ``heat_pump`` (under
    warranty for a year) at the customer, ``other_boiler`` at another customer; labour sold per
    hour by the order type; a portal user of each customer; a preventive plan template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        hour = env.ref("uom.product_uom_hour")
        cls.labour = env["product.product"].create({
            "name": "Labour (test)", "type": "service", "uom_id": hour.id, "uom_po_id": hour.id,
            "list_price": LABOUR_PRICE, "invoice_policy": "delivery", "taxes_id": [Command.clear()]})
        cls.part_vessel.write({"list_price": VESSEL_PRICE, "taxes_id": [Command.clear()]})
        cls.part_pipe.write({"list_price": PIPE_PRICE, "taxes_id": [Command.clear()]})
        cls.order_type.labour_product_id = cls.labour
        # list prices, whatever pricelist the database proposes by default
        cls.pricelist = env["product.pricelist"].create({"name": "List prices (test)",
                                                         "currency_id": cls.company.currency_id.id})
        cls.customer.property_product_pricelist = cls.pricelist
        cls.boiler_model = env["product.product"].create({"name": "Boiler BX-24 (test)", "type": "consu"})
        today = fields.Date.context_today(env["service.equipment"])
        Equipment = env["service.equipment"].with_user(cls.dispatcher)
        cls.boiler = Equipment.create({
            "name": "Boiler cellar", "partner_id": cls.customer.id, "location_id": cls.site.id,
            "product_id": cls.boiler_model.id, "serial_number": "BX24-0001",
            "install_date": today - timedelta(days=2000), "warranty_end_date": today - timedelta(days=270)})
        cls.heat_pump = Equipment.create({
            "name": "Heat pump roof", "partner_id": cls.customer.id, "serial_number": "HP-0042",
            "install_date": today - timedelta(days=100), "warranty_end_date": today + timedelta(days=365)})
        cls.other_customer = env["res.partner"].create({
            "name": "Other Customer SA", "is_company": True, "email": "other@example.com",
            "street": "Meir 1", "zip": "2000", "city": "Antwerpen"})
        cls.other_boiler = Equipment.create({
            "name": "Other boiler", "partner_id": cls.other_customer.id, "serial_number": "BX24-0002"})
        cls.portal_user = new_test_user(env, login="so_eq_portal", password="so_eq_portal_pw1",
                                        groups="base.group_portal", name="Marie Client")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(env, login="so_eq_other", password="so_eq_other_pw1",
                                              groups="base.group_portal", name="Otto Other")
        cls.other_portal_user.partner_id.parent_id = cls.other_customer

    @classmethod
    def _plan(cls, **vals):
        """A monthly plan of the boiler with a template of two tasks (1.5 h with a vessel; 0.5 h)."""
        return cls.env["service.plan"].with_user(cls.dispatcher).create({
            "name": "Boiler yearly service", "partner_id": cls.customer.id, "location_id": cls.site.id,
            "equipment_ids": [Command.set(cls.boiler.ids)], "order_type_id": cls.order_type.id,
            "repeat_interval": 1, "repeat_unit": "month", "lead_days": 14, "visit_hour": 9.0,
            "task_ids": [
                Command.create({"name": "Service the burner", "description": "Clean, measure CO.",
                                "estimated_hours": 1.5,
                                "part_ids": [Command.create({"product_id": cls.part_vessel.id, "quantity": 1})]}),
                Command.create({"name": "Check the safety valve", "estimated_hours": 0.5}),
            ],
            **vals,
        })

    @classmethod
    def _days(cls, count):
        """A day from today where the plans' visits take place (their dispatcher's time zone)."""
        zone = cls.dispatcher.tz or cls.company.partner_id.tz or "UTC"
        return fields.Date.context_today(cls.env["service.plan"].with_context(tz=zone)) + timedelta(days=count)
