"""What an update must keep: the orders and their trail row by row, and every issued PDF
version with its file. ``snapshot`` reads a database (any version of the addon: plain SQL on a
DB-API cursor, no Odoo code), ``compare`` reads the updated one and lists what differs.

A later version that adds a table to the trail adds it to ``KEPT``; one that removes or
renames a column of a table below says so in ``MAY_CHANGE`` (with why) and checks, in its
checks file (``checks/<version>.py``), where the data went.
"""
import hashlib
import json
import os
from decimal import Decimal

# The tables whose rows an update keeps, as they were. Rows added by the update (new demo
# data, the smoke test) are not compared; a table a source does not have yet is skipped.
KEPT = (
    "service_order", "service_order_field_worker_rel", "service_order_line",
    "service_order_document", "service_confirmation", "service_confirmation_change",
    "service_order_status_log", "service_time_log", "service_order_assignment",
    "service_step_answer", "service_consent_request", "service_consent_request_item_rel",
    "service_work_item", "service_work_item_part", "service_fallout",
)
# What is counted in the report (the list): label -> table.
COUNTED = {
    "orders": "service_order", "versions": "service_order_document",
    "confirmations": "service_confirmation", "status logs": "service_order_status_log",
    "time logs": "service_time_log", "step answers": "service_step_answer",
}
# Columns of a kept table that an update may rewrite, and why. The trail (versions,
# confirmations and their changes, status logs, time logs, assignments, step answers, consent
# requests) is kept whole: not even its write_date moves.
BOOKKEEPING = {"write_date", "write_uid"}  # the ORM's, when an update recomputes a stored field
MAY_CHANGE = {
    # 2026-11-22's closing checklist became completion step answers (18.0.1.1.0, checked in
    # checks/18.0.1.1.0.py): the columns go once their values are answers
    # and 18.0.1.2.0 clears the customers' links staff could read (checks/18.0.1.2.0.py)
    "service_order": BOOKKEEPING | {"check_work_done", "check_site_clean", "check_customer_informed",
                                    "access_token"},
    "service_order_line": BOOKKEEPING,
    "service_work_item": BOOKKEEPING,
    "service_work_item_part": BOOKKEEPING,
    "service_fallout": BOOKKEEPING,
}


def _rows(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
               "AND table_schema = current_schema() ORDER BY column_name", (table,))
    columns = [name for name, in cr.fetchall()]
    if not columns:
        return None
    cr.execute('SELECT {} FROM "{}"'.format(", ".join(f'"{c}"' for c in columns), table))
    rows = {}
    for values in cr.fetchall():
        # numbers as floats: Odoo's cursor reads NUMERIC as float, a plain psycopg2 one as Decimal
        values = [json.dumps(float(v) if isinstance(v, Decimal) else v, sort_keys=True, default=str)
                  for v in values]
        record = dict(zip(columns, values, strict=True))
        rows[record["id"] if "id" in record else "|".join(values)] = record
    return rows


def _file_sha(cr, filestore, attachment_id):
    cr.execute("SELECT store_fname, db_datas FROM ir_attachment WHERE id = %s", (attachment_id,))
    found = cr.fetchone()
    if not found:
        return None
    store_fname, db_datas = found
    if store_fname:
        path = os.path.join(filestore, store_fname)
        if not os.path.exists(path):
            return None
        with open(path, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()
    return hashlib.sha256(bytes(db_datas or b"")).hexdigest()


def documents(cr, filestore):
    """Every version: its row's key data and the SHA-256 of its attachment's file now."""
    cr.execute("SELECT id, order_id, version, checksum, attachment_id FROM service_order_document ORDER BY id")
    return {str(doc_id): {"order_id": order_id, "version": version, "checksum": checksum,
                          "attachment_id": attachment_id,
                          "file_sha": attachment_id and _file_sha(cr, filestore, attachment_id)}
            for doc_id, order_id, version, checksum, attachment_id in cr.fetchall()}


def snapshot(cr, filestore):
    tables = {}
    for table in KEPT:
        rows = _rows(cr, table)
        if rows is not None:
            tables[table] = rows
    return {"tables": tables, "documents": documents(cr, filestore),
            "counts": {label: len(tables.get(table, {})) for label, table in COUNTED.items()}}


def compare(before, cr, filestore):
    """(problems, counts after of the rows that were there before) for the updated database."""
    problems = []
    kept_counts = {}
    for table, old_rows in before["tables"].items():
        new_rows = _rows(cr, table)
        if new_rows is None:
            problems.append(f"{table}: the table is gone ({len(old_rows)} rows)")
            continue
        kept = [key for key in old_rows if key in new_rows]
        kept_counts[table] = len(kept)
        missing = [key for key in old_rows if key not in new_rows]
        if missing:
            problems.append(f"{table}: {len(missing)} of {len(old_rows)} rows lost (ids {', '.join(missing[:10])})")
        may_change = MAY_CHANGE.get(table, set())
        for key in kept:
            old, new = old_rows[key], new_rows[key]
            for column in sorted(set(old) - may_change):
                if column not in new:
                    problems.append(f"{table}: column {column} is gone")
                elif old[column] != new[column]:
                    problems.append(f"{table} {key}: {column} was {old[column]}, is {new[column]}")
    # a column lost is reported once per table, not once per row
    problems = list(dict.fromkeys(problems))
    for doc_id, old in before["documents"].items():
        if old["file_sha"] != old["checksum"]:
            problems.append(f"version {doc_id}: its file did not match its checksum before the update")
    for doc_id, new in documents(cr, filestore).items():
        old = before["documents"].get(doc_id)
        if old is None:
            continue
        if new["file_sha"] != old["checksum"]:
            problems.append(f"version {doc_id} (order {new['order_id']}, v{new['version']}): its file no "
                            f"longer matches the checksum issued ({new['file_sha']} != {old['checksum']})")
    counts = {label: kept_counts.get(table, 0) for label, table in COUNTED.items()}
    for label, count in counts.items():
        if count != before["counts"][label]:
            problems.append(f"{label}: {before['counts'][label]} before the update, {count} of them after")
    return problems, counts


if __name__ == "__main__":
    # python kept.py DB FILESTORE OUT.json: the snapshot of a database before its update
    import importlib
    import sys

    import psycopg2

    db, filestore, out = sys.argv[1:]
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cursor:
        data = snapshot(cursor, filestore)
        checks = importlib.import_module("checks").run_before(cursor)  # checks/ beside this file
    data["checks"] = checks
    with open(out, "w") as file:
        json.dump(data, file)
    print(", ".join(f"{count} {label}" for label, count in data["counts"].items()))
