from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .service_order_states import OPEN_STATES

# The field workers of the open orders: (order, user) for every field worker of an order that is
# draft, submitted, planned or in progress. Kept by PostgreSQL triggers on the field workers'
# table and on the order's state, in the statements that change them, so that it holds whatever
# writes them (the ORM, a bulk approval, an import, SQL) and costs no query.
OPEN_WORKERS_TABLE = "service_order_open_worker_rel"
FIELD_WORKERS_TABLE = "service_order_field_worker_rel"


def _open(state):
    return SQL("%s IN %s", state, OPEN_STATES)


class ServiceOrderOpenWorkersMixin(models.AbstractModel):
    """The Open filter, and a technician's open orders found from their own rows.

    A technician's record rule is being one of the order's field workers, and most of their
    orders are closed: at 100,000 orders the heaviest technician has about 5,000 orders, 700 of
    them open, among 14,000 open orders. With the field workers' table and the order's state,
    PostgreSQL can only read all the open orders (or all the technician's orders) to find those
    700. The field workers of the open orders, a table kept by the database, hold exactly the
    technician's open rows: their page reads those.
    """

    _name = "service.order.open.workers.mixin"
    _description = "Service Order: the Open filter, and the field workers of the open orders"

    is_open = fields.Boolean(
        "Open", compute="_compute_is_open", search="_search_is_open",
        help="Draft, submitted, planned or in progress (the Open filter).")

    @api.depends("state")
    def _compute_is_open(self):
        for order in self:
            order.is_open = order.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Open with = or != and True or False."))
        if (operator == "=") != value:
            return [("state", "not in", OPEN_STATES)]
        if self._is_plain_technician():
            # a technician sees only the orders they work on (service_order_rule_technician):
            # among them, the open ones are their rows of the open orders' field workers, which
            # the triggers write when the state and the field workers reach the database
            # (the state too: it lets PostgreSQL read the orders from the open orders' index)
            self.flush_model(["state", "field_worker_ids"])
            return [("state", "in", OPEN_STATES),
                    ("id", "in", SQL("(SELECT order_id FROM %s WHERE user_id = %s)",
                                     SQL.identifier(OPEN_WORKERS_TABLE), self.env.uid))]
        return [("state", "in", OPEN_STATES)]

    @api.model
    def _cron_sync_open_workers(self):
        """Scheduled action: the open orders' field workers set right from the orders (a row a
        concurrent SQL write left off, or one too many). Returns the number of rows changed."""
        self.flush_model(["state", "field_worker_ids"])
        open_rows = SQL("SELECT w.user_id, w.order_id FROM %s w JOIN %s o ON o.id = w.order_id WHERE %s",
                        SQL.identifier(FIELD_WORKERS_TABLE), SQL.identifier(self._table), _open(SQL("o.state")))
        self.env.cr.execute(SQL(
            """WITH expected AS (%(open_rows)s),
                    removed AS (DELETE FROM %(open)s t WHERE (t.user_id, t.order_id) NOT IN (SELECT * FROM expected)
                                RETURNING 1),
                    added AS (INSERT INTO %(open)s (user_id, order_id) SELECT * FROM expected
                              ON CONFLICT DO NOTHING RETURNING 1)
               SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added)""",
            open_rows=open_rows, open=SQL.identifier(OPEN_WORKERS_TABLE)))
        return self.env.cr.fetchone()[0]

    def init(self):
        super().init()
        if self._abstract:  # the table and the triggers are the order's (service.order inherits this)
            return
        cr = self.env.cr
        cr.execute(SQL("SELECT to_regclass(%s)", OPEN_WORKERS_TABLE))
        created = cr.fetchone()[0] is None
        cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS %(open)s (
                user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
                order_id integer NOT NULL REFERENCES %(orders)s (id) ON DELETE CASCADE,
                PRIMARY KEY (user_id, order_id));
            COMMENT ON TABLE %(open)s IS 'field workers of the open service orders (kept by triggers)';
            CREATE INDEX IF NOT EXISTS %(order_index)s ON %(open)s (order_id);
            -- a field worker added or removed: their row of an open order follows
            CREATE OR REPLACE FUNCTION service_order_open_worker_of_rel() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO %(open)s (user_id, order_id)
                    SELECT NEW.user_id, NEW.order_id FROM %(orders)s o WHERE o.id = NEW.order_id AND %(open_o)s
                    ON CONFLICT DO NOTHING;
                    RETURN NEW;
                END IF;
                DELETE FROM %(open)s WHERE user_id = OLD.user_id AND order_id = OLD.order_id;
                RETURN OLD;
            END $$;
            -- an order opened or closed: its field workers' rows come or go
            CREATE OR REPLACE FUNCTION service_order_open_worker_of_state() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF %(open_new)s THEN
                    INSERT INTO %(open)s (user_id, order_id)
                    SELECT w.user_id, w.order_id FROM %(workers)s w WHERE w.order_id = NEW.id
                    ON CONFLICT DO NOTHING;
                ELSE
                    DELETE FROM %(open)s WHERE order_id = NEW.id;
                END IF;
                RETURN NEW;
            END $$;
            CREATE OR REPLACE TRIGGER service_order_open_worker_rel_sync
                AFTER INSERT OR DELETE ON %(workers)s
                FOR EACH ROW EXECUTE FUNCTION service_order_open_worker_of_rel();
            CREATE OR REPLACE TRIGGER service_order_open_worker_state_sync
                AFTER UPDATE OF state ON %(orders)s
                FOR EACH ROW WHEN ((%(open_old)s) IS DISTINCT FROM (%(open_new)s))
                EXECUTE FUNCTION service_order_open_worker_of_state();
            """,
            open=SQL.identifier(OPEN_WORKERS_TABLE), orders=SQL.identifier(self._table),
            workers=SQL.identifier(FIELD_WORKERS_TABLE),
            order_index=SQL.identifier(f"{OPEN_WORKERS_TABLE}_order_id_idx"),
            open_o=_open(SQL("o.state")), open_new=_open(SQL("NEW.state")), open_old=_open(SQL("OLD.state"))))
        if created:  # the orders that were there before it (an update of the addon)
            cr.execute(SQL(
                "INSERT INTO %s (user_id, order_id) SELECT w.user_id, w.order_id FROM %s w "
                "JOIN %s o ON o.id = w.order_id WHERE %s",
                SQL.identifier(OPEN_WORKERS_TABLE), SQL.identifier(FIELD_WORKERS_TABLE),
                SQL.identifier(self._table), _open(SQL("o.state"))))
        # dropped with the addon, as the tables of its many2many fields (reflected, as theirs,
        # once the models are)
        self.pool.post_init(self.env["ir.model.relation"]._reflect_relation, self, OPEN_WORKERS_TABLE, self._module)
