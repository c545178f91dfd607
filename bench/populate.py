"""Populate a bench database with N service orders and N OCA fieldservice orders.

Called by bench/compare.sh on a database where service_order and fieldservice are installed
(no demo data). The people, customers, locations, stages and targets are made through the
ORM; the orders themselves with one INSERT ... SELECT over generate_series per table, so that
100,000 of each take seconds, not hours. The rows are what the ORM would have written for
orders at every step of their life: states and technician statuses that agree, field workers
with their assignments, schedules spread over two years (the open ones around today),
service level deadlines, approval activities, status logs; on the fieldservice side stages,
workers, schedules and activities in the same proportions.

Usage: populate.py CONF DB N
(``populate(env, n)`` is what tests/test_bench_populate.py runs on a small N, without
fieldservice: its side is made only where it is installed.)
"""
import json
import sys
import time
import uuid

import odoo
from odoo import Command, api
from odoo.tools import SQL

N_TECHNICIANS = 40
OURS, THEIRS = "SRV/B/%", "FO%"  # the numbers of the bench's orders
PASSWORD = "bench"
N_CUSTOMERS = 2000
OPEN_SHARE = 0.15  # of the orders: today's and the coming weeks' (at 100,000: three months ahead)
CITIES = [("Brussel", "1000", 50.85, 4.35), ("Gent", "9000", 51.05, 3.72), ("Antwerpen", "2000", 51.22, 4.40),
          ("Liège", "4000", 50.63, 5.57), ("Leuven", "3000", 50.88, 4.70), ("Namur", "5000", 50.47, 4.87)]



def users(env, prefix, count, groups):
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    return Users.create([{
        "name": f"{prefix.title()} {i:02d}", "login": f"bench_{prefix}_{i:02d}",
        "email": f"{prefix}{i:02d}@bench.example.com",
        "tz": "Europe/Brussels", "groups_id": [Command.set([env.ref(g).id for g in groups])],
    } for i in range(count)])


def with_fieldservice(env):
    return "fsm.order" in env


def master_data(env, n_technicians, n_customers):
    """People, customers and their fieldservice twins (persons, locations), stages, a target."""
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
    env = env(context=dict(env.context, **quiet))
    fsm = with_fieldservice(env)
    technicians = users(env, "technician", n_technicians, ["service_order.group_service_order_technician"]
                        + ["fieldservice.group_fsm_user_own"] * fsm)
    dispatchers = users(env, "dispatcher", 4, ["service_order.group_service_order_dispatcher"]
                        + ["fieldservice.group_fsm_dispatcher"] * fsm)
    supervisors = users(env, "supervisor", 2, ["service_order.group_service_order_supervisor"]
                        + ["fieldservice.group_fsm_manager"] * fsm)
    belgium = env.ref("base.be")
    customers = env["res.partner"].create([{
        "name": f"Customer {i:04d}", "is_company": True, "street": f"Rue de la Station {i % 200 + 1}",
        "zip": CITIES[i % len(CITIES)][1], "city": CITIES[i % len(CITIES)][0], "country_id": belgium.id,
        "phone": f"+32 2 555 {i:04d}", "email": f"customer{i:04d}@bench.example.com",
        "partner_latitude": CITIES[i % len(CITIES)][2] + (i % 97) / 1000,
        "partner_longitude": CITIES[i % len(CITIES)][3] + (i % 89) / 1000,
    } for i in range(n_customers)])
    persons = locations = stages = None
    if fsm:
        persons = env["fsm.person"].create([{"partner_id": user.partner_id.id} for user in technicians])
        locations = env["fsm.location"].create([{"partner_id": c.id, "owner_id": c.id} for c in customers])
        stages = {"new": env.ref("fieldservice.fsm_stage_new"), "completed": env.ref("fieldservice.fsm_stage_completed"),
                  "cancelled": env.ref("fieldservice.fsm_stage_cancelled")}
        for seq, key, name in ((20, "scheduled", "Scheduled"), (30, "assigned", "Assigned"),
                               (40, "en_route", "En Route"), (50, "started", "Started")):
            stages[key] = env["fsm.stage"].create({"name": name, "sequence": seq, "stage_type": "order"})
    # one password for every bench user ("bench", for bench/load.py), hashed once: hashing it per
    # user takes a third of a second each
    env.cr.execute(SQL("UPDATE res_users SET password = %s WHERE id IN %s",
                       env["res.users"]._crypt_context().hash(PASSWORD),
                       tuple((technicians | dispatchers | supervisors).ids)))
    policy = env["service.sla.policy"].create({"name": "Standard", "sequence": 99, "response_hours": 16,
                                               "resolution_hours": 40})
    return technicians, dispatchers, supervisors, customers, persons, locations, stages, policy


def populate(env, n, n_technicians=N_TECHNICIANS, n_customers=N_CUSTOMERS, analyze=True):
    """``n`` service orders (and ``n`` fieldservice orders where it is installed), with
    ``n_technicians`` technicians and ``n_customers`` customers, then the planner's statistics
    (``analyze``). Returns (technicians, dispatchers)."""
    technicians, dispatchers, supervisors, customers, persons, locations, stages, policy = master_data(
        env, n_technicians, n_customers)
    per_day = 4 * n_technicians  # orders a day
    cr = env.cr
    todo = env.ref("mail.mail_activity_data_todo")
    approval = env.ref("service_order.mail_act_service_order_approval")
    techs, custs = technicians.ids, customers.ids
    # The orders lie on a timeline: per_day a day (four slots of two hours for each technician,
    # so a technician is double-booked only where a second worker joins), the last OPEN_SHARE
    # of them today and in the coming weeks, the others in the past. h: a hash for the rest.
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_series ON COMMIT DROP AS
        SELECT i, mod(i * 7919, 100003) AS h, mod(i, %(per_day)s) AS slot,
               (i / %(per_day)s) - %(past_days)s AS day,
               (%(techs)s::int[])[1 + mod(i, %(nt)s)] AS w1,
               (%(techs)s::int[])[1 + mod(i + 1, %(nt)s)] AS w2,
               (%(custs)s::int[])[1 + mod(i * 31, %(nc)s)] AS c
          FROM generate_series(1, %(n)s) AS i""", techs=techs, nt=len(techs), custs=custs, nc=len(custs), n=n,
        per_day=per_day, past_days=int(n * (1 - OPEN_SHARE)) // per_day))
    cr.execute(SQL("""
        CREATE TEMP TABLE bench_so ON COMMIT DROP AS
        SELECT s.*, date_trunc('day', now() AT TIME ZONE 'UTC')
                    + make_interval(days => day, hours => 6 + 2 * (slot / %(nt)s)) AS start,
               CASE WHEN day < 0 THEN (CASE WHEN mod(h, 100) < 85 THEN 'completed' WHEN mod(h, 100) < 90
                                            THEN 'not_done' WHEN mod(h, 100) < 97 THEN 'cancelled' ELSE 'rejected' END)
                    WHEN day = 0 THEN (ARRAY['completed', 'in_progress', 'planned', 'planned'])[1 + slot / %(nt)s]
                    ELSE (CASE WHEN mod(h, 100) < 75 THEN 'planned' WHEN mod(h, 100) < 85 THEN 'submitted'
                               WHEN mod(h, 100) < 95 THEN 'draft' ELSE 'cancelled' END) END AS state,
               CASE WHEN day < 0 THEN (CASE WHEN mod(h, 100) < 90 THEN 'completed' ELSE 'cancelled' END)
                    WHEN day = 0 THEN (ARRAY['completed', 'started', 'en_route', 'assigned'])[1 + slot / %(nt)s]
                    ELSE (CASE WHEN mod(h, 100) < 75 THEN 'scheduled' WHEN mod(h, 100) < 85 THEN 'assigned'
                               ELSE 'new' END) END AS stage
          FROM bench_series s""", nt=len(techs)))
    cr.execute(SQL("""
        INSERT INTO service_order (
            name, company_id, partner_id, location_id, order_type_id, priority, description, requested_by_id,
            dispatcher_id, supervisor_id, scheduled_start, scheduled_end, lead_technician_id, state,
            technician_status, acceptance, submitted_date, approved_date, approved_by_id, closed_date, closed_by_id,
            close_reason, cancel_reason, cancel_type, reject_reason, color,
            sla_policy_id, sla_response_deadline, sla_response_risk_date, sla_resolution_deadline,
            sla_resolution_risk_date, sla_responded_date, sla_response_result, sla_resolution_result, sla_result,
            sla_met_percent, partner_name, location_address, partner_lang, lead_technician_name,
            field_worker_count, double_booked, create_uid, write_uid, create_date, write_date)
        SELECT 'SRV/B/' || lpad(i::text, 6, '0'), %(company)s, c, c, 1 + mod(h, 4),
               CASE WHEN mod(h, 50) = 0 THEN '3' WHEN mod(h, 12) = 0 THEN '2' WHEN mod(h, 5) = 0 THEN '1' ELSE '0' END,
               '<p>Bench order ' || i || ': the boiler of the ground floor loses pressure.</p>',
               %(disp)s, %(disp)s, %(sup)s, start, start + make_interval(hours => 1 + mod(h, 2)),
               CASE WHEN state = 'draft' AND mod(h, 2) = 0 THEN NULL ELSE w1 END, state,
               CASE state WHEN 'in_progress' THEN (ARRAY['en_route', 'on_site', 'working', 'break'])[1 + mod(h, 4)]
                          WHEN 'completed' THEN 'done' WHEN 'not_done' THEN 'on_site'
                          WHEN 'cancelled' THEN 'cancelled' ELSE 'planned' END,
               CASE WHEN state = 'draft' AND mod(h, 2) = 0 THEN NULL
                    WHEN state IN ('draft', 'submitted', 'rejected') OR (state = 'planned' AND mod(h, 10) >= 7)
                    THEN 'pending' ELSE 'accepted' END,
               CASE WHEN state = 'draft' THEN NULL ELSE start - interval '3 days' END,
               CASE WHEN state IN ('draft', 'submitted', 'rejected') THEN NULL ELSE start - interval '2 days' END,
               CASE WHEN state IN ('draft', 'submitted', 'rejected') THEN NULL ELSE %(sup)s END,
               CASE WHEN state IN ('completed', 'not_done', 'cancelled') THEN start + interval '3 hours' END,
               CASE WHEN state IN ('completed', 'not_done', 'cancelled') THEN %(disp)s END,
               CASE WHEN state = 'not_done' THEN 'No access to the boiler room.' END,
               CASE WHEN state = 'cancelled' THEN 'The customer cancelled.' END,
               CASE WHEN state = 'cancelled' THEN 'cancel' END,
               CASE WHEN state = 'rejected' THEN 'Outside our service area.' END, 0,
               CASE WHEN state != 'draft' THEN %(policy)s END,
               CASE WHEN state != 'draft' THEN start - interval '1 day' END,
               CASE WHEN state != 'draft' THEN start - interval '1 day 12 hours' END,
               CASE WHEN state != 'draft' THEN start + interval '2 days' END,
               CASE WHEN state != 'draft' THEN start + interval '1 day' END,
               CASE WHEN state IN ('in_progress', 'completed', 'not_done') THEN start + interval '20 minutes' END,
               CASE WHEN state IN ('completed', 'not_done') THEN (CASE WHEN mod(h, 5) = 0 THEN 'missed' ELSE 'met' END) END,
               CASE WHEN state IN ('completed', 'not_done') THEN (CASE WHEN mod(h, 5) = 0 THEN 'missed' ELSE 'met' END) END,
               CASE WHEN state IN ('completed', 'not_done') THEN (CASE WHEN mod(h, 5) = 0 THEN 'missed' ELSE 'met' END) END,
               CASE WHEN state IN ('completed', 'not_done') THEN (CASE WHEN mod(h, 5) = 0 THEN 0 ELSE 100 END) ELSE 0 END,
               (%(names)s::jsonb) ->> c::text, (%(addresses)s::jsonb) ->> c::text, (%(langs)s::jsonb) ->> c::text,
               CASE WHEN state = 'draft' AND mod(h, 2) = 0 THEN NULL ELSE (%(tech_names)s::jsonb) ->> w1::text END,
               CASE WHEN state = 'draft' AND mod(h, 2) = 0 THEN 0 WHEN mod(i, 10) = 0 THEN 2 ELSE 1 END, false,
               %(disp)s, %(disp)s, start - interval '4 days', start - interval '1 day'
          FROM bench_so ORDER BY i""",
        company=env.company.id, disp=dispatchers[0].id, sup=supervisors[0].id, policy=policy.id,
        names=json.dumps({c.id: c.complete_name for c in customers}),
        addresses=json.dumps({c.id: ", ".join(line.strip(" ,") for line in c._display_address(without_company=True)
                                              .split("\n") if line.strip(" ,")) for c in customers}),
        langs=json.dumps({c.id: c.lang for c in customers}),
        tech_names=json.dumps({t.id: t.name for t in technicians})))
    # the orders' ids follow i (one insert, ordered): map them once
    cr.execute(SQL("CREATE TEMP TABLE bench_ids ON COMMIT DROP AS "
                   "SELECT id, row_number() OVER (ORDER BY id) AS i FROM service_order WHERE name LIKE %s", OURS))
    # the customer's link of each approved order, made at its approval (_give_customer_links)
    cr.execute(SQL("SELECT id FROM service_order WHERE name LIKE %s AND approved_date IS NOT NULL", OURS))
    approved = [row[0] for row in cr.fetchall()]
    cr.execute(SQL("UPDATE service_order o SET access_token = t.token FROM unnest(%s::int[], %s::varchar[]) "
                   "AS t(id, token) WHERE o.id = t.id", approved, [str(uuid.uuid4()) for _id in approved]))
    cr.execute(SQL("""
        INSERT INTO service_order_field_worker_rel (order_id, user_id)
        SELECT o.id, w FROM bench_so s JOIN bench_ids o USING (i),
               LATERAL (SELECT s.w1 AS w UNION SELECT s.w2 WHERE mod(s.i, 10) = 0) AS workers
         WHERE NOT (s.state = 'draft' AND mod(s.h, 2) = 0)"""))
    cr.execute(SQL("""
        INSERT INTO service_order_assignment (order_id, company_id, user_id, state, date, create_uid, write_uid,
                                              create_date, write_date)
        SELECT r.order_id, o.company_id, r.user_id, o.acceptance, CASE WHEN o.acceptance = 'accepted'
               THEN o.approved_date + interval '1 hour' END, %(su)s, %(su)s, o.create_date, o.write_date
          FROM service_order_field_worker_rel r JOIN service_order o ON o.id = r.order_id
         WHERE o.name LIKE %(ours)s""", su=odoo.SUPERUSER_ID, ours=OURS))
    cr.execute(SQL("""
        INSERT INTO service_order_status_log (order_id, company_id, status, user_id, date, create_uid, write_uid,
                                              create_date, write_date)
        SELECT o.id, o.company_id, o.technician_status, o.lead_technician_id, o.scheduled_start + interval '1 hour',
               %(su)s, %(su)s, o.scheduled_start, o.scheduled_start
          FROM service_order o
         WHERE o.name LIKE %(ours)s AND o.state IN ('in_progress', 'completed', 'not_done')""",
        su=odoo.SUPERUSER_ID, ours=OURS))
    activities(env, "service.order", approval, supervisors[0], todo, dispatchers[0],
               SQL("SELECT id, name, state = 'submitted' FROM service_order WHERE name LIKE %s "
                   "AND (state = 'submitted' OR (state IN ('draft', 'planned', 'in_progress') "
                   "AND mod(mod(id::bigint * 2654435761, 4294967291), 11) = 0))", OURS))

    # the double bookings the timeline makes (where a second worker joins): the stored flag, as
    # the order's writes keep it
    env["service.order"].invalidate_model()
    env["service.order"]._cron_refresh_double_booked()
    if with_fieldservice(env):
        st = {key: stage.id for key, stage in stages.items()}
        cr.execute(SQL("""
            INSERT INTO fsm_order (
                name, stage_id, priority, team_id, location_id, company_id, person_id, request_early, request_late,
                scheduled_date_start, scheduled_duration, scheduled_date_end, date_start, date_end, description,
                "current_date", color, sequence, create_uid, write_uid, create_date, write_date)
            SELECT 'FO' || lpad(i::text, 6, '0'),
                   (%(stages)s::jsonb ->> stage)::int,
                   CASE WHEN mod(h, 50) = 0 THEN '3' WHEN mod(h, 12) = 0 THEN '2' WHEN mod(h, 5) = 0 THEN '1' ELSE '0' END,
                   %(team)s, (%(locs)s::int[])[1 + mod(i * 31, %(nl)s)], %(company)s,
                   CASE WHEN stage = 'new' AND mod(h, 2) = 0 THEN NULL ELSE (%(persons)s::int[])[1 + mod(i, %(np)s)] END,
                   start - interval '3 days', start + interval '2 days',
                   start, 1 + mod(h, 2), start + make_interval(hours => 1 + mod(h, 2)),
                   CASE WHEN stage IN ('completed', 'started', 'en_route') THEN start END,
                   CASE WHEN state IN ('completed', 'not_done') THEN start + interval '3 hours' END,
                   '<p>Bench order ' || i || ': the boiler of the ground floor loses pressure.</p>',
                   start - interval '4 days', 0, 10, %(disp)s, %(disp)s, start - interval '4 days', start - interval '1 day'
              FROM bench_so ORDER BY i""",
            team=env.ref("fieldservice.fsm_team_default").id, locs=locations.ids, nl=len(locations),
            persons=persons.ids, np=len(persons), company=env.company.id, disp=dispatchers[0].id,
            stages=json.dumps(st)))
        cr.execute(SQL("""
            INSERT INTO fsm_order_fsm_person_rel (fsm_order_id, fsm_person_id)
            SELECT id, person_id FROM fsm_order WHERE name LIKE %s AND person_id IS NOT NULL""", THEIRS))
        activities(env, "fsm.order", todo, dispatchers[0], todo, dispatchers[0],
                   SQL("SELECT id, name, false FROM fsm_order WHERE name LIKE %s AND mod(id, 100) < 13 "
                       "AND stage_id NOT IN %s", THEIRS, (st["completed"], st["cancelled"])))
    # the sequences continue after the bench's numbers
    env["ir.sequence"].search([("code", "in", ("service.order", "fsm.order"))]).write({"number_next": n + 1})
    env.invalidate_all()
    if analyze:
        cr.execute(SQL("ANALYZE"))
    return technicians, dispatchers


def activities(env, model, first_type, first_user, other_type, other_user, rows_sql):
    """Activities on the rows of ``rows_sql`` (id, name, first?): the approval of a submitted
    order for the supervisor, a to-do for the dispatcher on some open orders."""
    env.cr.execute(SQL("""
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, user_id,
                                   date_deadline, summary, automated, active, create_uid, write_uid,
                                   create_date, write_date)
        SELECT %(model_id)s, %(model)s, t.id, t.name, CASE WHEN t.first THEN %(t1)s ELSE %(t2)s END,
               CASE WHEN t.first THEN %(u1)s ELSE %(u2)s END,
               (now() AT TIME ZONE 'UTC')::date + (mod(t.id, 7)) - 3, 'Bench follow-up', false, true,
               %(u2)s, %(u2)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM (%(rows)s) AS t (id, name, first)""",
        model_id=env["ir.model"]._get_id(model), model=model, t1=first_type.id, t2=other_type.id,
        u1=first_user.id, u2=other_user.id, rows=rows_sql))


def main(conf, db, n):
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if env["res.users"].search_count([("login", "=", "bench_dispatcher_00")]):
            raise SystemExit(f"{db} is already populated")
        populate(env, n)
        cr.execute(SQL("SELECT count(*) FROM service_order"))
        ours = cr.fetchone()[0]
        cr.execute(SQL("SELECT count(*) FROM fsm_order"))
        theirs = cr.fetchone()[0]
    print(f"[bench] {db}: {ours} service orders and {theirs} fieldservice orders in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
