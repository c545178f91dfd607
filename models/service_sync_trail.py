"""Both times of the trail: when a step happened (the rows' own dates, the phone's time for a
tap made offline) and when it reached the server (``received``). Online the two are the same
moment; offline they may be hours apart. The received times are set here, on creation, for
every row; no role writes them (the rows are the trail: service.trail.mixin)."""
from odoo import api, fields, models


class ServiceOrderStatusLog(models.Model):
    _inherit = "service.order.status.log"

    received_date = fields.Datetime(
        "Received", readonly=True, copy=False,
        help="When the change reached the server. The Date is when it happened: the phone's time for a "
             "step made offline and sent when the network came back.")

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("received_date", now)
        return super().create(vals_list)


class ServiceStepAnswer(models.Model):
    _inherit = "service.step.answer"

    received_date = fields.Datetime(
        "Received", readonly=True, copy=False,
        help="When the answer reached the server (the Date is when it was given).")

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("received_date", now)
        return super().create(vals_list)


class ServiceTimeLog(models.Model):
    _inherit = "service.time.log"

    start_received_date = fields.Datetime(
        "Clock In Received", readonly=True, copy=False,
        help="When the clock-in reached the server (the Clock In is when it happened).")
    stop_received_date = fields.Datetime(
        "Clock Out Received", readonly=True, copy=False,
        help="When the clock-out reached the server (the Clock Out is when it happened).")

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals["start_received_date"] = now
            vals["stop_received_date"] = now if vals.get("date_stop") else False
        return super().create(vals_list)

    def write(self, vals):
        # a role writes the clock in and out only (service.time.log.write refuses the rest)
        result = super().write(vals)
        if vals.get("date_stop"):
            # sudo: the audit time of the clock-out just written, after the write's own checks
            self.sudo().write({"stop_received_date": fields.Datetime.now()})
        return result
