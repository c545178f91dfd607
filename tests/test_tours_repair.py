from datetime import timedelta

from werkzeug.urls import url_parse

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from .common import next_slot, share_browser_cache
from .test_tours import TECHNICIAN_LOGIN
from .work_item_common import WorkItemCase

FALLOUT = "service_order.mail_act_fallout"
CONSENT = "service_order.mail_act_work_item_consent"


class RepairTourCase(HttpCase, WorkItemCase):
    """Browser tours of the repair board; each tour checks what the user sees at each step,
    the test then checks the records. Orders are brought to the needed state with the model
    methods, as the users would in the UI; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        share_browser_cache(cls)

    @classmethod
    def _make_on_site_order(cls, workers=None, **vals):
        """An order approved, planned for ``workers``, whose first worker went on the way and
        arrived: in progress, technician on site. Made with the model methods, as in the UI."""
        workers = workers or cls.technician
        order = cls.env["service.order"].with_user(cls.dispatcher).create({
            "partner_id": cls.customer.id,
            "location_id": cls.site.id,
            "order_type_id": cls.order_type.id,
            "description": "<p>Cold room at 9 °C instead of 3 °C.</p>",
            "supervisor_id": cls.supervisor.id,
            # assigned in the draft: version 1 prints the workers
            "field_worker_ids": [Command.set(workers.ids)], "lead_technician_id": workers[0].id,
            **next_slot(), **vals,
        })
        order._do_submit()
        order.with_user(cls.supervisor)._do_approve()
        order.with_user(workers[0]).action_depart()
        order.with_user(workers[0]).action_arrive()
        return order.with_user(cls.env.user)


@tagged("post_install", "-at_install")
class TestToursRepairPhone(RepairTourCase):
    """The technician on site and the customer deciding through the signed consent link,
    both on a phone."""

    # a phone in portrait (about an iPhone 12 to 14), with touch events
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_phone = cls.env["res.partner"].create({
            "name": "Bakery Tour Customer", "is_company": True, "street": "Grand-Place 1",
            "zip": "1000", "city": "Bruxelles", "country_id": cls.env.ref("base.be").id,
            "email": "bakery@example.com",
        })
        site = cls.env["res.partner"].create({
            "name": "Bakehouse", "type": "other", "parent_id": cls.customer_phone.id,
            "street": "Grand-Place 3", "zip": "1000", "city": "Bruxelles",
        })

        # 1. the technician's order: in progress, technician on site, no work item yet
        cls.order_phone = cls._make_on_site_order(partner_id=cls.customer_phone.id, location_id=site.id)

        # 2. an order whose two work items wait for the customer's consent
        cls.set_options(consent=True)
        cls.order_consent = cls._make_on_site_order(workers=cls.technician_2)
        items = cls.env["service.work.item"].with_user(cls.technician_2).create([{
            "order_id": cls.order_consent.id,
            "complaint": "Replace the compressor relay",
            "diagnosis": "The relay contacts are burnt.",
            "estimated_hours": 1.25,
            "part_ids": [Command.create({"product_id": cls.part_vessel.id, "quantity": 1}),
                         Command.create({"product_id": cls.part_pipe.id, "quantity": 2.5})],
        }, {
            "order_id": cls.order_consent.id,
            "complaint": "Replace the door seal",
            "diagnosis": "The seal is torn at the hinge side.",
            "estimated_hours": 0.5,
        }])
        items.action_submit()
        cls.consent_items = items.with_user(cls.env.user)
        cls.consent_request, token = cls.env["service.consent.request"]._create_request(
            cls.order_consent, cls.consent_items)
        cls.consent_url = cls.consent_request._get_consent_url(token)
        cls.set_options()

    def test_technician_phone_work_item_workflow_a(self):
        self.set_options(photos=1)  # the photo is required: Submit Repair fails without it
        self.assertEqual((self.order_phone.state, self.order_phone.technician_status), ("in_progress", "on_site"))
        self.start_tour(TECHNICIAN_LOGIN, "service_order_repair_technician_phone")

        item = self.order_phone.work_item_ids
        self.assertEqual(len(item), 1, "one work item created from the phone")
        self.assertRecordValues(item, [{
            "complaint": "Boiler in safety lockout",
            "diagnosis": "Pressure at 0.4 bar: the expansion vessel is split.",
            "estimated_hours": 1.5,
            "user_id": self.technician.id,
            "state": "done",
            "photo_count": 1,
            "customer_decision": False,
            "waiting_for": False,
        }])
        self.assertTrue(item.submitted_date)
        self.assertEqual([(p.product_id, p.quantity) for p in item.part_ids], [(self.part_vessel, 2.0)])
        photo = item.photo_ids
        self.assertRecordValues(photo, [{
            "name": "boiler-photo.png", "mimetype": "image/png",
            "res_model": "service.work.item", "res_id": item.id, "create_uid": self.technician.id,
        }])
        self.assertTrue(photo.raw.startswith(b"\x89PNG"), "the uploaded file is the PNG the tour sent")
        self.assertFalse(item.sudo().activity_ids, "workflow A: nobody waits, no activity")
        self.assertFalse(self.order_phone.waiting_for)
        self.assertEqual(self.order_phone.state, "in_progress")

    def test_customer_accepts_work_items_through_consent_link(self):
        self.assertEqual(self.consent_items.mapped("state"), ["waiting_customer"] * 2)
        url = url_parse(self.consent_url)
        self.assertEqual(url.path.rsplit("/", 1)[0], "/service_order/consent")
        # not logged in: the signed link is the customer's only credential
        self.start_tour(url.path, "service_order_repair_customer_consent", login=None)

        self.env.invalidate_all()
        relay, seal = self.consent_items
        for item in relay | seal:
            self.assertEqual(item.state, "approved", "accepted: the technician may start the repair")
            self.assertEqual(item.customer_decision, "accepted")
            self.assertEqual(item.customer_decision_ip, "127.0.0.1")
            self.assertAlmostEqual(item.customer_decision_date, fields.Datetime.now(), delta=timedelta(minutes=5))
            self.assertEqual(item.sudo().consent_request_id, self.consent_request)
            self.assertFalse(self._activities(item, CONSENT), "nobody waits for the customer any more")
        self.assertRecordValues(self.consent_request, [{"state": "used", "used_ip": "127.0.0.1"}])
        self.assertFalse(self.order_consent.waiting_for)
        self.assertIn("Accepted by the customer", self._chatter(relay))


@tagged("post_install", "-at_install")
class TestToursRepairDesktop(RepairTourCase):
    """The dispatcher at the office, handling a fallout reported from the field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 3. an order whose work item, in repair, is held by an open fallout
        cls.order_fallout = cls._make_on_site_order()
        item = cls.env["service.work.item"].with_user(cls.technician).create({
            "order_id": cls.order_fallout.id,
            "complaint": "Replace the drain pipe",
            "diagnosis": "The drain pipe is cracked.",
            "estimated_hours": 2,
        })
        item.action_submit()
        item.action_start_repair()
        cls.fallout_item = item.with_user(cls.env.user)
        cls.env["service.fallout.report"].with_user(cls.technician).create({
            "order_id": cls.order_fallout.id,
            "work_item_id": item.id,
            "type_id": cls.fallout_type.id,
            "description": "Only 1 m of pipe left in the van",
        }).action_confirm()
        cls.fallout = cls.order_fallout.fallout_ids

    def test_dispatcher_reassigns_and_resolves_fallout(self):
        self.assertEqual(self.fallout.state, "open")
        self.assertEqual(self.fallout.user_id, self.dispatcher, "the order's dispatcher handles it first")
        self.assertEqual(self.fallout_item.state, "on_hold")
        self.start_tour("/web/login", "service_order_repair_dispatcher_fallout")

        self.env.invalidate_all()
        self.assertRecordValues(self.fallout, [{
            "user_id": self.technician_2.id,
            "state": "resolved",
            "resolution": "3 m of pipe brought from the warehouse",
            "resolved_by_id": self.dispatcher.id,
        }])
        self.assertTrue(self.fallout.resolved_date)
        # the reassignment moved the activity to the new assignee; resolving marked it done
        self.assertFalse(self._activities(self.fallout, FALLOUT), "a resolved fallout has no open activity")
        done = self._done_activity_messages(self.fallout, FALLOUT)
        self.assertEqual(len(done), 1)
        done_text = " ".join(html2plaintext(done.body).split())
        self.assertIn("originally assigned to So Tech Two", done_text,
                      "the activity followed the reassignment before it was done")
        self.assertIn("Resolved: 3 m of pipe brought from the warehouse", done_text)
        chatter = self._chatter(self.fallout)
        self.assertIn("Reassigned from So Dispatcher to So Tech Two by So Dispatcher. Bring the pipe", chatter)
        self.assertIn("resolved by So Dispatcher", chatter)
        self.assertEqual(self.fallout_item.state, "in_repair", "the work item is back to work where it left off")
        self.assertFalse(self.fallout_item.hold_previous_state)
        self.assertEqual(self.order_fallout.open_fallout_count, 0)
