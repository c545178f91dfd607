"""18.0.1.9.0 (the technician's day works without signal): the trail keeps when a step
happened and when it reached the server. Every status log, step answer and time log made
before was made online, in the request that recorded it: its new *Received* times are the
times it happened (migrations/18.0.1.9.0/post-migrate.py); the times it had stay (kept.py)."""

RECEIVED = (
    ("service_order_status_log", "received_date", "date"),
    ("service_step_answer", "received_date", "date"),
    ("service_time_log", "start_received_date", "date_start"),
    ("service_time_log", "stop_received_date", "date_stop"),
)


def before(cr):
    ids = {}
    for table, _received, happened in RECEIVED:
        cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                   (table, happened))
        if cr.fetchone():
            cr.execute(f'SELECT id FROM "{table}" WHERE "{happened}" IS NOT NULL')
            ids[f"{table}.{happened}"] = [row_id for row_id, in cr.fetchall()]
    return ids


def after(env, data):
    cr = env.cr
    for table, received, happened in RECEIVED:
        row_ids = (data or {}).get(f"{table}.{happened}") or []
        if not row_ids:
            continue
        cr.execute(f'SELECT id FROM "{table}" WHERE id IN %s '
                   f'AND "{received}" IS DISTINCT FROM "{happened}"', (tuple(row_ids),))
        wrong = [row_id for row_id, in cr.fetchall()]
        assert not wrong, f"{table}: {received} is not {happened} on rows made before the update: {wrong[:10]}"
    assert env["ir.model"]._get("service.sync.operation"), "the offline operations' model is missing"
