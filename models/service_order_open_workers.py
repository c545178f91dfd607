from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, Query

from .service_order_states import OPEN_STATES

# The field workers of the open orders: (user, order) for every field worker of an order that is
# draft, submitted, planned or in progress, with the order's sort columns (the default order,
# priority desc, scheduled_start, id desc). Kept by PostgreSQL triggers on the field workers'
# table and on the order's state and sort columns, in the statements that change them, so that it
# holds whatever writes them (the ORM, a bulk approval, an import, SQL) and costs no query.
OPEN_WORKERS_TABLE = "service_order_open_worker_rel"
FIELD_WORKERS_TABLE = "service_order_field_worker_rel"
SORT_COLUMNS = ("priority", "scheduled_start")  # with the order's id: its _order
OPEN_FIELDS = ["state", "field_worker_ids", *SORT_COLUMNS]  # what the table is made of


def _open(state):
    return SQL("%s IN %s", state, OPEN_STATES)


def _conjuncts(domain):
    """The terms of a normalized domain that it ANDs at its top level (leaves and sub-domains)."""
    def term(i):  # (end of the term starting at i, its conjuncts)
        if domain[i] == expression.AND_OPERATOR:
            end, left = term(i + 1)
            end, right = term(end)
            return end, left + right
        if domain[i] == expression.OR_OPERATOR:
            end, _left = term(i + 1)
            return term(end)[0], [None]
        if domain[i] == expression.NOT_OPERATOR:
            return term(i + 1)[0], [None]
        return i + 1, [domain[i]]
    return term(0)[1] if domain else []


def _order_terms(order):
    """("priority", "desc"), ... of an order by clause, directions made explicit."""
    terms = []
    for item in (order or "").split(","):
        words = item.lower().split()
        if not words:
            continue
        terms.append((words[0], words[1] if len(words) > 1 else "asc", *words[2:]))
    return terms


class ServiceOrderOpenWorkersMixin(models.AbstractModel):
    """The Open filter, and a technician's open orders found from their own rows.

    A technician's record rule is being one of the order's field workers, and most of their
    orders are closed: at 100,000 orders the heaviest technician has about 5,000 orders, 700 of
    them open, among 14,000 open orders. With the field workers' table and the order's state,
    PostgreSQL can only read all the open orders (or all the technician's orders) to find those
    700. The field workers of the open orders, a table kept by the database, hold exactly the
    technician's open rows: their page reads those.

    A page of those orders in the default order walks the technician's rows in that order, on
    the table's own index, and stops at the page's end (``_search``): PostgreSQL would otherwise
    read and sort every open order of the technician for each page.
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
            self.flush_model(OPEN_FIELDS)
            return [("state", "in", OPEN_STATES),
                    ("id", "in", SQL("(SELECT order_id FROM %s WHERE user_id = %s)",
                                     SQL.identifier(OPEN_WORKERS_TABLE), self.env.uid))]
        return [("state", "in", OPEN_STATES)]

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not (limit and order and self._walks_own_open_orders(domain, order)):
            return super()._search(domain, offset=offset, limit=limit, order=order)
        # A technician's page of their open orders (the Open filter), in the default order:
        # their rows of the open orders' field workers, walked on the table's index in that
        # order, each order tested against the whole search (the domain and the record rules:
        # the query super() builds, for that one order), until the page is full. The orders
        # found are the search's, as the rows hold every open order of the technician and the
        # search keeps only open ones; their order is the default order, whose columns the
        # rows copy (the triggers, after the flush that the Open filter's search makes).
        query = super()._search(domain)
        if query.is_empty():
            return query
        table = SQL.identifier(self._table)
        query.add_where(SQL("%s = walk.order_id", SQL.identifier(self._table, "id")))
        page = SQL(
            "(SELECT %(table)s.* FROM %(open)s walk CROSS JOIN LATERAL (%(order)s OFFSET 0) AS %(table)s"
            " WHERE walk.user_id = %(uid)s"
            " ORDER BY walk.priority DESC, walk.scheduled_start, walk.order_id DESC"
            " LIMIT %(limit)s OFFSET %(offset)s)",
            table=table, open=SQL.identifier(OPEN_WORKERS_TABLE), order=query.select(SQL("%s.*", table)),
            uid=self.env.uid, limit=limit, offset=offset or 0)
        walked = Query(self.env, self._table, page)
        walked.order = self._order_to_sql(self._order, walked)
        return walked

    def _walks_own_open_orders(self, domain, order):
        """Whether a search is a plain technician's own open orders (the Open filter ANDed at
        the top of the domain) in the default order."""
        if _order_terms(order) != _order_terms(self._order) or not self._is_plain_technician():
            return False
        leaves = _conjuncts(expression.normalize_domain(domain))
        return any(isinstance(leaf, (list, tuple)) and tuple(leaf) in (("is_open", "=", True), ("is_open", "!=", False))
                   for leaf in leaves)

    @api.model
    def _cron_sync_open_workers(self):
        """Scheduled action: the open orders' field workers set right from the orders (a row a
        concurrent SQL write left off, one too many, or sort columns behind the order's).
        Returns the number of rows changed."""
        self.flush_model(OPEN_FIELDS)
        # three statements' work in one: the rows to remove, to add and to update are apart
        # (a row is removed when its pair is not expected, updated when it is)
        self.env.cr.execute(SQL(
            """WITH expected AS (%(open_rows)s),
                    removed AS (DELETE FROM %(open)s t WHERE (t.user_id, t.order_id) NOT IN
                                    (SELECT user_id, order_id FROM expected)
                                RETURNING 1),
                    added AS (INSERT INTO %(open)s (user_id, order_id, priority, scheduled_start)
                              SELECT * FROM expected ON CONFLICT DO NOTHING RETURNING 1),
                    updated AS (UPDATE %(open)s t SET priority = e.priority, scheduled_start = e.scheduled_start
                                  FROM expected e
                                 WHERE e.user_id = t.user_id AND e.order_id = t.order_id
                                   AND (e.priority, e.scheduled_start) IS DISTINCT FROM (t.priority, t.scheduled_start)
                                RETURNING 1)
               SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added) + (SELECT count(*) FROM updated)""",
            open_rows=self._open_rows_sql(), open=SQL.identifier(OPEN_WORKERS_TABLE)))
        return self.env.cr.fetchone()[0]

    def _open_rows_sql(self):
        """What the table holds, from the orders: (user_id, order_id, priority, scheduled_start)."""
        return SQL(
            "SELECT w.user_id, w.order_id, o.priority, o.scheduled_start FROM %s w JOIN %s o ON o.id = w.order_id"
            " WHERE %s", SQL.identifier(FIELD_WORKERS_TABLE), SQL.identifier(self._table), _open(SQL("o.state")))

    def init(self):
        super().init()
        if self._abstract:  # the table and the triggers are the order's (service.order inherits this)
            return
        cr = self.env.cr
        cr.execute(SQL("SELECT count(*) FROM information_schema.columns WHERE table_name = %s AND column_name IN %s",
                       OPEN_WORKERS_TABLE, SORT_COLUMNS))
        created = cr.fetchone()[0] != len(SORT_COLUMNS)
        if created:  # not there, or of an older shape: made again
            cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(OPEN_WORKERS_TABLE)))
        cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS %(open)s (
                user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
                order_id integer NOT NULL REFERENCES %(orders)s (id) ON DELETE CASCADE,
                priority varchar,
                scheduled_start timestamp,
                PRIMARY KEY (user_id, order_id));
            COMMENT ON TABLE %(open)s IS 'field workers of the open service orders, with their sort columns (kept by triggers)';
            CREATE INDEX IF NOT EXISTS %(order_index)s ON %(open)s (order_id);
            -- a technician's open orders in the default order (priority desc, scheduled_start, id desc)
            CREATE INDEX IF NOT EXISTS %(sort_index)s ON %(open)s (user_id, priority DESC, scheduled_start, order_id DESC);
            -- a field worker added or removed: their row of an open order follows
            CREATE OR REPLACE FUNCTION service_order_open_worker_of_rel() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO %(open)s (user_id, order_id, priority, scheduled_start)
                    SELECT NEW.user_id, NEW.order_id, o.priority, o.scheduled_start
                      FROM %(orders)s o WHERE o.id = NEW.order_id AND %(open_o)s
                    ON CONFLICT DO NOTHING;
                    RETURN NEW;
                END IF;
                DELETE FROM %(open)s WHERE user_id = OLD.user_id AND order_id = OLD.order_id;
                RETURN OLD;
            END $$;
            -- an order opened or closed: its field workers' rows come or go; an open order
            -- moved in the sort (priority, schedule): its rows follow
            DROP FUNCTION IF EXISTS service_order_open_worker_of_state() CASCADE;
            CREATE OR REPLACE FUNCTION service_order_open_worker_of_order() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF %(open_new)s THEN
                    INSERT INTO %(open)s (user_id, order_id, priority, scheduled_start)
                    SELECT w.user_id, w.order_id, NEW.priority, NEW.scheduled_start FROM %(workers)s w
                     WHERE w.order_id = NEW.id
                    ON CONFLICT (user_id, order_id) DO UPDATE
                       SET priority = EXCLUDED.priority, scheduled_start = EXCLUDED.scheduled_start;
                ELSE
                    DELETE FROM %(open)s WHERE order_id = NEW.id;
                END IF;
                RETURN NEW;
            END $$;
            CREATE OR REPLACE TRIGGER service_order_open_worker_rel_sync
                AFTER INSERT OR DELETE ON %(workers)s
                FOR EACH ROW EXECUTE FUNCTION service_order_open_worker_of_rel();
            CREATE OR REPLACE TRIGGER service_order_open_worker_state_sync
                AFTER UPDATE OF state, priority, scheduled_start ON %(orders)s
                FOR EACH ROW WHEN ((%(open_old)s) IS DISTINCT FROM (%(open_new)s)
                                   OR ((%(open_new)s) AND (OLD.priority, OLD.scheduled_start)
                                       IS DISTINCT FROM (NEW.priority, NEW.scheduled_start)))
                EXECUTE FUNCTION service_order_open_worker_of_order();
            """,
            open=SQL.identifier(OPEN_WORKERS_TABLE), orders=SQL.identifier(self._table),
            workers=SQL.identifier(FIELD_WORKERS_TABLE),
            order_index=SQL.identifier(f"{OPEN_WORKERS_TABLE}_order_id_idx"),
            sort_index=SQL.identifier(f"{OPEN_WORKERS_TABLE}_sort_idx"),
            open_o=_open(SQL("o.state")), open_new=_open(SQL("NEW.state")), open_old=_open(SQL("OLD.state"))))
        if created:  # the orders that were there before it (an install on orders, an update)
            cr.execute(SQL("INSERT INTO %s (user_id, order_id, priority, scheduled_start) %s",
                           SQL.identifier(OPEN_WORKERS_TABLE), self._open_rows_sql()))
        # dropped with the addon, as the tables of its many2many fields (reflected, as theirs,
        # once the models are)
        self.pool.post_init(self.env["ir.model.relation"]._reflect_relation, self, OPEN_WORKERS_TABLE, self._module)
