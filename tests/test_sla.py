from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .dispatch_common import DispatchCase, utc

SLA_ALERT = "service_order.mail_act_sla_at_risk"
# Friday 8 May 2026, 15:00 in Brussels: two working hours left in the week.
FRIDAY_3PM = utc(2026, 5, 8, 13)


@tagged("post_install", "-at_install")
class TestSla(DispatchCase):
    """Service level targets in the company's working hours (Monday to Friday, 8-12 and
    13-17 in Brussels): deadlines, on track / at risk / late, met or missed, the alert."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repair_policy = cls._policy("Repair (test)", response=4, resolution=8, order_type_id=cls.order_type.id,
                                        sequence=5)
        cls.other_type = cls.env["service.order.type"].create({"name": "Inspection (test)"})

    # deadlines -----------------------------------------------------------------
    def test_deadlines_run_in_working_hours_across_the_weekend(self):
        order = self._submit_at(FRIDAY_3PM)
        self.assertEqual(order.sla_policy_id, self.repair_policy)
        # 2 hours on Friday, then Monday from 8:00 (Brussels, UTC+2)
        self.assertEqual(order.sla_response_risk_date, utc(2026, 5, 11, 7), "3 h: Monday 9:00")
        self.assertEqual(order.sla_response_deadline, utc(2026, 5, 11, 8), "4 h: Monday 10:00")
        self.assertEqual(order.sla_resolution_risk_date, utc(2026, 5, 11, 10), "6 h: Monday 12:00")
        self.assertEqual(order.sla_resolution_deadline, utc(2026, 5, 11, 13), "8 h: Monday 15:00, after lunch")

    def test_a_request_out_of_hours_starts_the_clock_at_the_next_opening(self):
        evening = self._submit_at(utc(2026, 5, 12, 18))  # Tuesday 20:00
        self.assertEqual(evening.sla_response_deadline, utc(2026, 5, 13, 10), "Wednesday 12:00")
        self.assertEqual(evening.sla_resolution_deadline, utc(2026, 5, 13, 15), "Wednesday 17:00")
        saturday = self._submit_at(utc(2026, 5, 9, 8))  # Saturday 10:00
        self.assertEqual(saturday.sla_response_deadline, utc(2026, 5, 11, 10), "Monday 12:00")

    def test_public_holidays_of_the_calendar_do_not_count(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Bank holiday (test)", "calendar_id": self.calendar.id,
            "date_from": utc(2026, 5, 10, 22), "date_to": utc(2026, 5, 11, 21, 59, 59)})
        order = self._submit_at(FRIDAY_3PM)
        self.assertEqual(order.sla_response_deadline, utc(2026, 5, 12, 8), "Tuesday 10:00: Monday is off")

    def test_first_matching_target_applies_and_a_policy_calendar_wins(self):
        round_the_clock = self.env["resource.calendar"].create({
            "name": "24/7 (test)", "tz": "Europe/Brussels",
            "attendance_ids": [(5, 0, 0)] + [(0, 0, {"name": f"d{d}", "dayofweek": str(d), "hour_from": 0,
                                                     "hour_to": 24, "day_period": "morning"}) for d in range(7)]})
        self._policy("Emergency (test)", response=2, resolution=6, priority="3", sequence=1,
                     resource_calendar_id=round_the_clock.id)
        emergency = self._submit_at(FRIDAY_3PM, priority="3")
        self.assertEqual(emergency.sla_policy_id.name, "Emergency (test)")
        self.assertEqual(emergency.sla_response_deadline, utc(2026, 5, 8, 15), "2 h round the clock")
        self.assertEqual(emergency.sla_resolution_deadline, utc(2026, 5, 8, 19))
        other = self._submit_at(FRIDAY_3PM, order_type_id=self.other_type.id)
        self.assertFalse(other.sla_policy_id, "no target for this type")
        self.assertFalse(other.sla_resolution_deadline)
        self.assertEqual(other.sla_status, "none")
        draft = self._create_order()
        self.assertFalse(draft.sla_policy_id, "the clock starts at the submission")

    def test_the_most_specific_target_wins_whatever_its_place_in_the_list(self):
        """Finding: a new type + priority target was ignored because a generic one came first."""
        generic = self._policy("Every order (test)", response=16, resolution=40, sequence=1)
        specific = self._policy("Urgent repair (test)", response=1, resolution=4, sequence=99,
                                order_type_id=self.order_type.id, priority="2")
        urgent_repair = self._submit_at(FRIDAY_3PM, priority="2")
        self.assertEqual(urgent_repair.sla_policy_id, specific)
        self.assertEqual(self._submit_at(FRIDAY_3PM).sla_policy_id, self.repair_policy, "the type's target next")
        self.assertEqual(self._submit_at(FRIDAY_3PM, order_type_id=self.other_type.id).sla_policy_id, generic)
        # the list shows the targets in the order they are tried, what each applies to, and its open orders
        Policy = self.env["service.sla.policy"].with_user(self.supervisor)
        listed = Policy.search([("id", "in", (generic | specific | self.repair_policy).ids)])
        self.assertEqual(listed, specific | self.repair_policy | generic)
        self.assertEqual(listed.mapped("scope"), ["Repair (test) · Urgent", "Repair (test) · every priority",
                                                  "Every type · every priority"])
        self.assertEqual(specific.with_user(self.supervisor).open_order_count, 1)

    def test_raising_the_priority_recomputes_from_the_same_start(self):
        self._policy("Urgent (test)", response=1, resolution=2, priority="2", sequence=1)
        order = self._submit_at(FRIDAY_3PM)
        order.with_user(self.dispatcher).write({"priority": "2"})
        self.assertEqual(order.sla_policy_id.name, "Urgent (test)")
        self.assertEqual(order.sla_resolution_deadline, utc(2026, 5, 8, 15), "Friday 17:00")

    # status now, and what the search filters find -----------------------------------
    def _status(self, order, when):
        with freeze_time(when):
            order.invalidate_recordset(["sla_status", "sla_reason", "sla_due_date"])
            Order = self.env["service.order"].with_user(self.dispatcher)
            found = {status for status in ("on_track", "at_risk", "late", "met", "missed", "none")
                     if order in Order.search([("id", "=", order.id), ("sla_status", "=", status)])}
            self.assertEqual(found, {order.sla_status}, "the search filter finds what the order shows")
            return order.sla_status, order.sla_reason

    def test_on_track_at_risk_late_then_met(self):
        order = self._submit_at(FRIDAY_3PM, **self._booking())
        self._approve(order)
        self.assertEqual(self._status(order, utc(2026, 5, 8, 14))[0], "on_track")
        status, reason = self._status(order, utc(2026, 5, 11, 7, 30))
        self.assertEqual(status, "at_risk")
        self.assertIn("At risk: on site by", reason)
        status, reason = self._status(order, utc(2026, 5, 11, 8, 30))
        self.assertEqual(status, "late")
        self.assertIn("Late: on site was due", reason)
        self.assertIn("30 min ago", reason)
        with freeze_time(utc(2026, 5, 11, 7, 45)):
            order.with_user(self.technician).action_depart()
            order.with_user(self.technician).action_arrive()
        self.assertEqual(order.sla_responded_date, utc(2026, 5, 11, 7, 45))
        self.assertEqual(order.sla_response_result, "met")
        self.assertEqual(self._status(order, utc(2026, 5, 11, 9))[0], "on_track", "only the resolution runs")
        self.assertEqual(self._status(order, utc(2026, 5, 11, 10, 30))[0], "at_risk")
        with freeze_time(utc(2026, 5, 11, 12)):
            order.with_user(self.technician)._do_close("completed")
        self.assertEqual((order.sla_resolution_result, order.sla_result, order.sla_met_percent), ("met", "met", 100.0))
        self.assertEqual(self._status(order, utc(2026, 6, 1))[0], "met", "kept on the closed order")

    def test_missed_targets_are_kept_on_the_closed_order(self):
        late = self._planned_order()
        late.sudo().submitted_date = FRIDAY_3PM  # the request came in on Friday
        with freeze_time(utc(2026, 5, 12, 8)):
            late.with_user(self.dispatcher)._do_close("completed")
        self.assertEqual((late.sla_response_result, late.sla_resolution_result), ("missed", "missed"))
        self.assertEqual((late.sla_result, late.sla_met_percent), ("missed", 0.0))
        self.assertIn("Missed: response, resolution", late.sla_reason)
        with self.assertRaisesRegex(UserError, "stays the one its service level was judged by"):
            late.with_user(self.dispatcher).write({"priority": "3"})
        self.assertEqual((late.priority, late.sla_result), ("0", "missed"))
        not_done = self._planned_order()
        not_done.with_user(self.dispatcher)._do_close("not_done", reason="No access to the roof")
        self.assertEqual(not_done.sla_result, "missed", "the service was not delivered")
        cancelled = self._planned_order()
        cancelled.with_user(self.dispatcher)._do_cancel("Customer sold the building")
        self.assertEqual((cancelled.sla_result, cancelled.sla_status), (False, "none"))

    def test_met_rate_by_type_and_priority(self):
        for priority, late in (("0", False), ("0", True), ("2", False)):
            order = self._planned_order(priority=priority)
            if late:
                order.sudo().submitted_date = FRIDAY_3PM
            order.with_user(self.dispatcher)._do_close("completed")
        Order = self.env["service.order"].with_user(self.dispatcher)
        rates = {(otype.name, priority): rate for otype, priority, rate in Order._read_group(
            [("sla_result", "!=", False), ("order_type_id", "=", self.order_type.id)],
            ["order_type_id", "priority"], ["sla_met_percent:avg"])}
        self.assertEqual(rates, {("Repair (test)", "0"): 50.0, ("Repair (test)", "2"): 100.0})

    # the dispatcher's alert -------------------------------------------------------------
    def test_the_dispatcher_gets_one_alert_per_order_ever(self):
        order = self._submit_at(FRIDAY_3PM)
        on_track = self._submit_at(utc(2026, 5, 11, 6))
        Order = self.env["service.order"]
        with freeze_time(utc(2026, 5, 8, 14)):
            Order._cron_alert_sla_at_risk()
        self.assertFalse(self._activities(order, SLA_ALERT), "on track: no alert")
        with freeze_time(utc(2026, 5, 11, 7, 30)):
            Order._cron_alert_sla_at_risk()
            Order._cron_alert_sla_at_risk()
        alert = self._activities(order, SLA_ALERT)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.dispatcher)
        self.assertIn("on site by", str(alert.note))
        self.assertEqual(order.sla_alert_date, utc(2026, 5, 11, 7, 30))
        self.assertFalse(self._activities(on_track, SLA_ALERT))
        with freeze_time(utc(2026, 5, 11, 14)):  # now late
            Order._cron_alert_sla_at_risk()
        self.assertEqual(self._activities(order, SLA_ALERT), alert, "late: still the one alert")
        alert.with_user(self.dispatcher).action_feedback(feedback="Called the customer")
        with freeze_time(utc(2026, 5, 12, 14)):
            Order._cron_alert_sla_at_risk()
        self.assertFalse(self._activities(order, SLA_ALERT), "never a second alert for the order")
        self.assertEqual(len(self._done_activity_messages(order, SLA_ALERT)), 1)

    def test_only_the_scheduled_action_or_a_dispatcher_alerts(self):
        order = self._submit_at(FRIDAY_3PM, field_worker_ids=[(6, 0, self.technician.ids)])
        self._approve(order)
        with freeze_time(utc(2026, 5, 11, 7, 30)), self.assertRaises(AccessError):
            order.with_user(self.technician)._alert_sla_at_risk()
        self.assertFalse(order.sla_alert_date)

    # trust and bad input --------------------------------------------------------------
    def test_deadlines_and_results_are_never_written_by_hand(self):
        order = self._submit_at(FRIDAY_3PM)
        for field in ("sla_resolution_deadline", "sla_alert_date", "sla_responded_date"):
            with self.assertRaises(AccessError):
                order.with_user(self.dispatcher).write({field: utc(2030, 1, 1)})
        for field, value in (("sla_result", "met"), ("sla_policy_id", self.repair_policy.id)):
            with self.assertRaises(AccessError):
                order.with_user(self.supervisor).write({field: value})
        self.assertEqual(order.sla_resolution_deadline, utc(2026, 5, 11, 13))
        with self.assertRaisesRegex(UserError, "with = or in"):
            self.env["service.order"].search([("sla_status", "!=", "late")])

    def test_a_target_is_a_sensible_number_of_working_hours(self):
        for vals, message in (
            ({"response_hours": -1, "resolution_hours": 8}, "from 0 to 1000"),
            ({"response_hours": 0, "resolution_hours": 0}, "give a response time, a resolution time"),
            ({"response_hours": 9, "resolution_hours": 8}, "cannot exceed the resolution time"),
            ({"resolution_hours": 8, "at_risk_percent": 100}, "from 1 to 99"),
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                self._policy("Bad (test)", **vals)
        with self.assertRaises(AccessError):
            self.env["service.sla.policy"].with_user(self.dispatcher).create(
                {"name": "Dispatcher's own (test)", "resolution_hours": 8})
