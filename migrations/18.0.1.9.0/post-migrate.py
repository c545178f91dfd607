"""18.0.1.9.0: the trail keeps two times, when a step happened and when it reached the server
(the technician's day works offline). Every row made before this version was made online, in
the request that recorded it: it reached the server when it happened. The new columns of
those rows get that same time; no existing value changes."""
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    for table, received, happened in (
        ("service_order_status_log", "received_date", "date"),
        ("service_step_answer", "received_date", "date"),
        ("service_time_log", "start_received_date", "date_start"),
        ("service_time_log", "stop_received_date", "date_stop"),
    ):
        cr.execute(SQL("UPDATE %(table)s SET %(received)s = %(happened)s WHERE %(received)s IS NULL",
                       table=SQL.identifier(table), received=SQL.identifier(received),
                       happened=SQL.identifier(happened)))
