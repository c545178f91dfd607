from datetime import datetime

from freezegun import freeze_time

from odoo import Command

from .work_item_common import WorkItemCase

# Brussels is UTC+2 in May and June 2026: 08:00 there is 06:00 UTC.
TZ = "Europe/Brussels"


def utc(*args):
    """A naive UTC datetime, as Odoo stores them."""
    return datetime(*args)


class DispatchCase(WorkItemCase):
    """The company works Monday to Friday, 8:00-12:00 and 13:00-17:00 in Brussels; the
    technicians live in Brussels too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Brussels office hours (test)", "tz": TZ,
            "attendance_ids": [Command.clear()] + [
                Command.create({"name": f"{day} {period}", "dayofweek": str(day), "hour_from": start,
                                "hour_to": end, "day_period": period})
                for day in range(5) for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))],
        })
        cls.company.resource_calendar_id = cls.calendar
        # the targets of the demo data, if any, do not apply to these tests' orders
        cls.env["service.sla.policy"].sudo().search([]).active = False
        (cls.technician | cls.technician_2 | cls.dispatcher | cls.supervisor).write({"tz": TZ})

    @classmethod
    def _submit_at(cls, when, **vals):
        """A draft order submitted at ``when`` (naive UTC): its service level clock starts then."""
        order = cls._create_order(**vals)
        with freeze_time(when):
            cls._submit(order)
        return order

    @classmethod
    def _policy(cls, name, response=0, resolution=0, **vals):
        return cls.env["service.sla.policy"].with_user(cls.supervisor).create({
            "name": name, "response_hours": response, "resolution_hours": resolution, **vals})
