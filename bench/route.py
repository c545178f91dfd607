"""Figures of the day routes; prints them, asserts nothing.

Run with bench/route.sh (it sets up, creates the database service_order_route_bench with the
demo data once, and calls this file). Everything written here is rolled back at the end.

1. The demo day: each technician's route in the order of the schedule, then optimised
   ("Optimise route", as the demo dispatcher).
2. A route of 30 stops: the time to order it (nearest neighbour + 2-opt + or-opt, in
   memory), and the time of the whole button on 30 real orders (read, order, write, post).
3. How close to the best order the heuristic comes, against trying every order, on small days.
"""
import io
import itertools
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from unittest.mock import patch

from reportlab.pdfgen import canvas

import odoo
from odoo import Command, api

CONF, DB = sys.argv[1], sys.argv[2]
odoo.tools.config.parse_config(["-c", CONF, "-d", DB, "--log-level=warn"])
registry = odoo.modules.registry.Registry(DB)

from odoo.addons.service_order.models import route_planning as rp  # noqa: E402

BRUSSELS = (50.8466, 4.3628)


def stand_in_report_pdf(order, version, date_label, changes):
    """A one-page PDF instead of wkhtmltopdf's (a second each), for the approvals of the
    bench's orders: the PDFs are not what is measured."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(40, 780, f"{order.name} version {version} (bench)")
    pdf.save()
    return buffer.getvalue()


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, max(samples) * 1000


with registry.cursor() as cr:
    env = api.Environment(cr, odoo.SUPERUSER_ID, {})
    dispatcher = env.ref("service_order.user_dispatcher", raise_if_not_found=False)
    if not dispatcher:
        raise SystemExit(f"{DB} has no demo data: bench/route.sh makes a database with it")

    # 1. the demo day --------------------------------------------------------------------
    routes = env["service.route"].search([("stop_ids", "!=", False)], order="date desc, user_id")
    day = routes[:1].date
    print(f"Demo day {day}: routes from each technician's start address, as the crow flies")
    total_before = total_after = 0.0
    for route in routes.filtered(lambda r: r.date == day).with_user(dispatcher):
        before = route.scheduled_length_km
        route._do_optimise()
        after = route.length_km
        total_before += before
        total_after += after
        print(f"  {route.user_id.name:<16} {route.stop_count} stops   by schedule {before:6.1f} km"
              f"   optimised {after:6.1f} km   saved {before - after:5.1f} km ({(before - after) / before:4.0%})")
    print(f"  {'all':<16}           by schedule {total_before:6.1f} km   optimised {total_after:6.1f} km"
          f"   saved {total_before - total_after:5.1f} km")

    # 2. thirty stops --------------------------------------------------------------------
    rng = random.Random(30)
    stops = [(BRUSSELS[0] + rng.uniform(-0.08, 0.08), BRUSSELS[1] + rng.uniform(-0.12, 0.12)) for _ in range(30)]
    start = (50.87, 4.40)
    median, worst = timed(lambda: rp.optimise_order(start, stops), 20)
    order = rp.optimise_order(start, stops)
    matrix = rp.distance_matrix([start, *stops])
    greedy = rp.path_length(matrix, rp.nearest_neighbour(matrix, 0, range(1, 31)))
    print(f"\n30 stops in Brussels: given order {rp.route_length_km(start, stops):.1f} km, nearest neighbour "
          f"{greedy:.1f} km, optimised {rp.route_length_km(start, [stops[i] for i in order]):.1f} km")
    print(f"  ordering 30 stops (in memory)        median {median:7.1f} ms   max {worst:7.1f} ms   n=20")

    # the whole button on 30 real orders of one technician (the PDFs of the approvals are
    # stubbed: they are not what is measured here)
    technician = env.ref("service_order.user_technician")
    company = env.company
    partners = env["res.partner"].create([{"name": f"Bench stop {i}", "partner_latitude": lat,
                                           "partner_longitude": lon} for i, (lat, lon) in enumerate(stops)])
    bench_day = (datetime.now() + timedelta(days=400)).replace(hour=6, minute=0, second=0, microsecond=0)
    stub = patch.object(type(env["service.order"]), "_html_to_pdf", stand_in_report_pdf)
    with stub:
        orders = env["service.order"].with_user(dispatcher).create([{
            "partner_id": p.id, "location_id": p.id, "order_type_id": env.ref("service_order.service_order_type_repair").id,
            "description": "<p>Bench</p>", "supervisor_id": env.ref("service_order.user_supervisor").id,
            "field_worker_ids": [Command.set(technician.ids)], "lead_technician_id": technician.id,
            "scheduled_start": bench_day + timedelta(minutes=15 * i),
            "scheduled_end": bench_day + timedelta(minutes=15 * i + 10),
        } for i, p in enumerate(partners)])
        orders._do_submit()
        orders.with_user(env.ref("service_order.user_supervisor"))._do_approve()
    route = env["service.route"].with_user(dispatcher)._get_routes(technician, bench_day.date(), company)
    samples = []
    for _ in range(5):
        for stop in route.stop_ids.sudo():  # back to the order of the schedule
            stop.sequence = stop.order_id.scheduled_start.minute + 60 * stop.order_id.scheduled_start.hour
        env.flush_all()
        env.invalidate_all()
        begin = time.perf_counter()
        route._do_optimise()
        env.flush_all()
        samples.append(time.perf_counter() - begin)
    print(f"  Optimise route on 30 real orders     median {statistics.median(samples) * 1000:7.1f} ms"
          f"   max {max(samples) * 1000:7.1f} ms   n=5   ({route.scheduled_length_km:.1f} -> {route.length_km:.1f} km)")

    # 3. against the best order ------------------------------------------------------------
    rng = random.Random(7)
    gaps = []
    for _ in range(300):
        count = rng.randint(3, 8)
        points = [(50.8 + rng.random() / 10, 4.3 + rng.random() / 7) for _ in range(count + 1)]
        best = min(rp.route_length_km(points[0], [points[1:][i] for i in perm])
                   for perm in itertools.permutations(range(count)))
        found = rp.route_length_km(points[0], [points[1:][i] for i in rp.optimise_order(points[0], points[1:])])
        gaps.append(found / best - 1)
    print(f"\n300 random days of 3 to 8 stops against every possible order: best order found in "
          f"{sum(g < 1e-9 for g in gaps)}, mean excess {statistics.mean(gaps):.2%}, worst {max(gaps):.1%}")
    cr.rollback()
