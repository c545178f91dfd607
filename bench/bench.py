"""Speed and memory figures of the addon's hot paths; prints them, asserts nothing.

Run with bench/bench.sh (it sets up, creates the database service_order_bench once and
calls this file). Everything the benchmark writes is rolled back at the end.
"""
import resource
import statistics
import sys
import time

import odoo
from odoo import Command, api

CONF, DB = sys.argv[1], sys.argv[2]
N_ORDERS = int(sys.argv[3]) if len(sys.argv) > 3 else 2000

odoo.tools.config.parse_config(["-c", CONF, "-d", DB, "--log-level=warn"])
registry = odoo.modules.registry.Registry(DB)


def timed(fn, repeat=1):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def line(label, samples, unit="ms"):
    scale = 1000 if unit == "ms" else 1
    print(f"{label:<58} median {statistics.median(samples) * scale:8.1f} {unit}"
          f"   max {max(samples) * scale:8.1f} {unit}   n={len(samples)}")


with registry.cursor() as cr:
    env = api.Environment(cr, odoo.SUPERUSER_ID, {})
    group = env.ref("service_order.group_service_order_technician")
    tech = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Tech", "login": "bench_tech", "email": "tech@bench.example.com", "groups_id": [Command.set([group.id])]})
    dispatcher = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Dispatcher", "login": "bench_dispatcher", "email": "disp@bench.example.com",
        "groups_id": [Command.set([env.ref("service_order.group_service_order_dispatcher").id])]})
    customer = env["res.partner"].create({"name": "Bench Customer", "city": "Gent",
                                          "partner_latitude": 51.05, "partner_longitude": 3.72})
    otype = env["service.order.type"].search([], limit=1)
    Order = env["service.order"].with_user(dispatcher)

    start = time.perf_counter()
    orders = Order.create([{
        "partner_id": customer.id, "location_id": customer.id, "order_type_id": otype.id,
        "description": f"<p>Bench order {i}</p>", "supervisor_id": env.ref("base.user_admin").id,
        # the five approved below have the technician from the draft on (after approval,
        # workers change only through a confirmation)
        "field_worker_ids": [Command.set(tech.ids)] if i % 10 == 0 or i < 5 else [],
    } for i in range(N_ORDERS)])
    env.flush_all()
    created = time.perf_counter() - start
    print(f"{'create ' + str(N_ORDERS) + ' orders (one call)':<58} total  {created * 1000:8.1f} ms"
          f"   per order {created / N_ORDERS * 1000:.2f} ms")

    line("submit one order (activity for the supervisor)",
         [timed(lambda o=o: o._do_submit())[0] for o in orders[:50]])
    env.flush_all()

    admin_orders = orders[:50].with_user(env.ref("base.user_admin"))
    line("approve one order (channel + version 1 PDF)",
         [timed(lambda o=o: (o._do_approve(), env.flush_all()))[0] for o in admin_orders[:5]])

    spec = {"name": {}, "state": {}, "priority": {}, "partner_id": {"fields": {"display_name": {}}},
            "location_address": {}, "scheduled_start": {}, "technician_status": {},
            "field_worker_ids": {"fields": {"display_name": {}}}, "activity_ids": {"fields": {}}}
    for user, label in ((dispatcher, "dispatcher"), (tech, "technician")):
        orders = env["service.order"].with_user(user)
        line(f"kanban page of 80 orders as {label} ({orders.search_count([])} visible)",
             timed(lambda o=orders: (env.invalidate_all(), o.web_search_read([], spec, limit=80)), repeat=10))
        line(f"read_group by state as {label}",
             timed(lambda o=orders: (env.invalidate_all(), o.web_read_group([], ["state"], ["state"])), repeat=10))

    as_tech = admin_orders[:5].with_user(tech)
    line("technician status change (depart/arrive/start)",
         [timed(lambda o=o, m=m: getattr(o, m)())[0]
          for o in as_tech for m in ("action_depart", "action_arrive", "action_start_work")])

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<58} {rss:8.1f} MB")
    cr.rollback()
