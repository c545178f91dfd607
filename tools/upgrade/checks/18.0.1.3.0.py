"""18.0.1.3.0 (plain Odoo inside): the open orders' field workers' table, its triggers and
PL/pgSQL functions, the fallout ageing's database view and the hourly check are gone."""


def after(env, data):
    cr = env.cr
    cr.execute("SELECT relname FROM pg_class WHERE relname IN ('service_order_open_worker_rel', "
               "'service_fallout_age_report') AND relkind IN ('r', 'v')")
    assert not cr.fetchall(), "the open orders' field workers' table or the ageing view is still there"
    cr.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'service\\_order\\_open\\_worker%%'")
    assert not cr.fetchall(), "a function of the open orders' field workers is still there"
    cr.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'service\\_order\\_open\\_worker%%'")
    assert not cr.fetchall(), "a trigger of the open orders' field workers is still there"
    assert not env.ref("service_order.ir_cron_open_workers", raise_if_not_found=False), \
        "the hourly check of the open orders' field workers is still there"
