"""18.0.1.8.0: dispatch at the speed of a phone call (issue 24).

- Planned means booked: an approved order that was Planned without a lead technician or a start
  (its technician status still Planned: the work has not started) now waits To Plan, where the
  dispatcher plans it (a confirmation, the next version). Its state moves with a note in its
  chatter; its issued versions, confirmations and status logs are not touched (the chatter's
  tracking of the state is not rewritten either: the note says why the state changed).
- Who approved: the orders submitted before were approved (or wait to be) by a supervisor; their
  approval level says so. The new order types' policy is "supervisor approval" (as before).
"""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _unbooked_planned_to_plan(env):
    env.cr.execute("""
        UPDATE service_order SET state = 'to_plan'
         WHERE state = 'planned' AND technician_status = 'planned'
           AND (lead_technician_id IS NULL OR scheduled_start IS NULL)
     RETURNING id""")
    ids = [row[0] for row in env.cr.fetchall()]
    orders = env["service.order"].browse(ids)
    for order in orders:
        order.message_post(body=env._(
            "After the update: planned means booked. This order has no lead technician or no start: it "
            "waits To Plan, where a dispatcher plans it."), subtype_xmlid="mail.mt_note")
    _logger.info("service_order: %s planned orders without a lead technician or a start moved to To Plan", len(ids))


def _approval_levels(env):
    env.cr.execute("""
        UPDATE service_order SET approval_level = 'supervisor'
         WHERE approval_level IS NULL AND submitted_date IS NOT NULL""")
    _logger.info("service_order: %s submitted orders marked as approved by a supervisor", env.cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _unbooked_planned_to_plan(env)
    _approval_levels(env)
    env.invalidate_all()
