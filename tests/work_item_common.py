import base64

from odoo.tests import Form

from .common import ServiceOrderCase

# a 1x1 PNG, the smallest photo there is
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


class WorkItemCase(ServiceOrderCase):
    """Orders with the technician on site, products for parts, and the approval options."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part_vessel = cls.env["product.product"].create({"name": "Expansion vessel (test)", "type": "consu"})
        cls.part_pipe = cls.env["product.product"].create({"name": "Copper pipe (test)", "type": "consu"})
        cls.fallout_type = cls.env.ref("service_order.fallout_type_parts")
        cls.set_options()

    @classmethod
    def set_options(cls, dispatcher=False, consent=False, repair=False, photos=0, company=None):
        (company or cls.company).write({
            "service_item_dispatcher_approval": dispatcher,
            "service_item_customer_consent": consent,
            "service_repair_dispatcher_approval": repair,
            "service_min_photos": photos,
        })

    @classmethod
    def _on_site_order(cls, workers=None, **vals):
        """A planned order whose technician went on the way and arrived: in progress, on site."""
        if workers is None and not vals:
            pooled = cls._pooled("on_site")
            if pooled:
                return pooled
        order = cls._planned_order(workers=workers, **vals)
        tech = order.field_worker_ids[:1]
        order.with_user(tech).action_depart()
        order.with_user(tech).action_arrive()
        cls._flush_tracking()
        return order

    @classmethod
    def _create_item(cls, order, user=None, **vals):
        item = cls.env["service.work.item"].with_user(user or cls.technician).create({
            "order_id": order.id,
            "complaint": "Cold room does not cool",
            "diagnosis": "Compressor relay burnt; expansion vessel split.",
            "estimated_hours": 1.5,
            "part_ids": [(0, 0, {"product_id": cls.part_vessel.id, "quantity": 1}),
                         (0, 0, {"product_id": cls.part_pipe.id, "quantity": 2.5})],
            **vals,
        })
        cls._flush_tracking()
        return item.with_user(user or cls.technician)

    def _item_form(self, order, user=None):
        return Form(self.env["service.work.item"].with_user(user or self.technician).with_context(
            default_order_id=order.id))

    def _add_photos(self, item, count=1, user=None):
        user = user or self.technician
        attachments = self.env["ir.attachment"].with_user(user).create([{
            "name": f"photo-{index}.png", "raw": PNG, "mimetype": "image/png",
            "res_model": "service.work.item", "res_id": 0,
        } for index in range(count)])
        item.with_user(user).write({"photo_ids": [(4, a.id) for a in attachments]})
        return attachments

    def _activities(self, record, xmlid):
        activity_type = self.env.ref(xmlid)
        return record.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _done_activity_messages(self, record, xmlid):
        return self.env["mail.message"].sudo().search([
            ("model", "=", record._name), ("res_id", "=", record.id),
            ("mail_activity_type_id", "=", self.env.ref(xmlid).id)])

    @classmethod
    def _consent_mails(cls, order):
        """The consent e-mails queued for the order's customer (they belong to no record)."""
        cls.env.flush_all()
        return cls.env["mail.mail"].sudo().search([
            ("model", "=", False), ("recipient_ids", "in", order.partner_id.ids),
            ("body_html", "ilike", "/service_order/consent/"), ("subject", "ilike", order.name)])
