from odoo.tests import tagged

from .test_tours_repair import RepairTourCase


@tagged("post_install", "-at_install")
class TestToursVanPhone(RepairTourCase):
    """The technician on a phone adds a part from their van in three taps and completes the item."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part_pipe.is_storable = True
        cls.van = cls.vehicle.service_location_id
        cls.technician.service_vehicle_id = cls.vehicle
        cls.env["stock.quant"]._update_available_quantity(cls.part_pipe, cls.van, 10)
        customer = cls.env["res.partner"].create({
            "name": "Van Tour Customer", "is_company": True, "street": "Rue Haute 5", "zip": "1000",
            "city": "Bruxelles", "country_id": cls.env.ref("base.be").id})
        cls.order_van = cls._make_on_site_order(partner_id=customer.id, location_id=customer.id)
        cls.item = cls.env["service.work.item"].with_user(cls.technician).create({
            "order_id": cls.order_van.id, "complaint": "Leaking heating pipe",
            "diagnosis": "The pipe under the boiler is cracked.", "estimated_hours": 1})

    def _on_hand(self):
        return self.env["stock.quant"]._get_available_quantity(self.part_pipe, self.van, allow_negative=True)

    def test_technician_adds_a_part_from_the_van_in_three_taps(self):
        self.assertEqual(self._on_hand(), 10.0)
        self.start_tour("/odoo/action-service_order.service_order_action_my", "service_order_van_part_phone",
                        login=self.technician.login)
        self.env.invalidate_all()
        self.assertEqual(self.item.state, "done")
        self.assertEqual([(p.product_id, p.quantity) for p in self.item.part_ids], [(self.part_pipe, 1.0)])
        self.assertEqual(self._on_hand(), 9.0, "the part left the van")
        move = self.env["stock.move"].search([("service_part_id", "=", self.item.part_ids.id)])
        self.assertRecordValues(move, [{"state": "done", "location_id": self.van.id, "quantity": 1.0}])
