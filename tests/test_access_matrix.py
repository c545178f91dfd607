import base64
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from . import access_matrix
from .common import LOG_DAY
from .work_item_common import PNG, WorkItemCase

REFUSED = (AccessError, MissingError, UserError, ValidationError)


@tagged("post_install", "-at_install")
class TestAccessMatrix(WorkItemCase):
    """Every model x role x read/create/write/unlink of tests/access_matrix.py, acted as that
    role on an approved order under way, and the protected fields per role. Each cell runs
    in a savepoint that is rolled back, so the cells do not see each other."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="so_matrix_portal", groups="base.group_portal",
                                        name="Matrix Portal")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.billing = new_test_user(
            cls.env, login="so_matrix_billing", name="Matrix Billing",
            groups="base.group_user,service_order.group_service_order_dispatcher,account.group_account_invoice")
        cls.users = {
            "tech_on": cls.technician, "tech_off": cls.technician_2, "dispatcher": cls.dispatcher,
            "supervisor": cls.supervisor, "billing": cls.billing, "portal": cls.portal_user,
            "public": cls.env.ref("base.public_user"),
        }
        noon = fields.Datetime.now().replace(hour=12, minute=0, second=0)  # today in any time zone
        cls.equipment = cls.env["service.equipment"].with_user(cls.dispatcher).create({
            "name": "Cold room unit", "partner_id": cls.customer.id, "serial_number": "CR-MATRIX"})
        plan = cls.env["service.plan"].with_user(cls.dispatcher).create({
            "name": "Cold room service", "partner_id": cls.customer.id, "order_type_id": cls.order_type.id,
            "equipment_ids": [Command.set(cls.equipment.ids)], "start_date": noon.date() + timedelta(days=300),
            "task_ids": [Command.create({"name": "Clean the condenser", "estimated_hours": 1})]})
        order = cls._on_site_order(line_ids=[Command.create({"product_id": cls.part_pipe.id, "quantity": 2})],
                                   scheduled_start=noon, scheduled_end=noon + timedelta(hours=2),
                                   equipment_id=cls.equipment.id)
        # the confirmation's material makes the order's sale order (service.order.sale.mixin)
        order.with_user(cls.dispatcher)._do_confirm(
            "Extra vessel", lines=[{"product_id": cls.part_vessel.id, "quantity": 1}])
        item = cls._create_item(order)
        fallout = cls.env["service.fallout"].with_user(cls.technician).create({
            "order_id": order.id, "type_id": cls.fallout_type.id, "description": "Gas valve seized"})
        time_log = cls.env["service.time.log"].with_user(cls.dispatcher).create({
            "order_id": order.id, "user_id": cls.technician.id,
            "date_start": LOG_DAY.replace(hour=8), "date_stop": LOG_DAY.replace(hour=9)})
        consent_request, _token = cls.env["service.consent.request"]._create_request(order, item)
        # the technician's route of the day of the order (its stop)
        route = cls.env["service.route"].with_user(cls.dispatcher)._get_routes(
            cls.technician, noon.date())
        confirmation = order.confirmation_ids
        # what the technician's phone sent when it came back online: a note and a photo
        phone = f"matrix-phone-u{cls.technician.id}"
        cls.env["service.sync.operation"].with_user(cls.technician)._sync_batch(phone, [{
            "uuid": "matrix-operation-1", "sequence": 1, "kind": "note", "order_id": order.id,
            "base": {"version": order.current_version}, "payload": {"body": "Gate code 1234"}}])
        upload = cls.env["service.sync.upload"].with_user(cls.technician)._receive(
            "matrix-upload-1", "photo.png", len(PNG), lambda: PNG)
        cls.order = order
        cls.records = {
            "service.order": order,
            "service.order.line": order.line_ids.filtered(lambda line: not line.confirmation_id),
            "service.confirmation": confirmation,
            "service.confirmation.change": confirmation.change_ids[:1],
            "service.order.document": order.current_document_id,
            "service.order.status.log": order.status_log_ids[:1],
            "service.work.item": item,
            "service.work.item.part": item.part_ids[:1],
            "service.fallout": fallout,
            "service.time.log": time_log,
            "service.consent.request": consent_request,
            "service.route": route,
            "service.route.stop": route.stop_ids,
            "sale.order": order.sudo().sale_order_id.sudo(False),
            "service.sync.operation": cls.env["service.sync.operation"].search([("uuid", "=", "matrix-operation-1")]),
            "service.sync.upload": upload.sudo(False),
            "service.equipment": cls.equipment,
            "service.equipment.history": cls.equipment.history_ids.filtered(lambda row: row.kind == "order"),
            "service.plan": plan,
            "service.plan.task": plan.task_ids,
        }
        attachment = order.current_document_id.sudo().attachment_id
        cls.create_vals = {
            "service.order": cls._order_vals(),
            "service.order.line": {"order_id": order.id, "product_id": cls.part_pipe.id, "quantity": 1},
            "service.confirmation": {"order_id": order.id, "sequence": 90, "reason": "forged"},
            "service.confirmation.change": {"confirmation_id": confirmation.id, "field_name": "x",
                                            "field_label": "X", "new_value": "forged"},
            "service.order.document": {"order_id": order.id, "version": 90, "reason": "approval",
                                       "attachment_id": attachment.id, "checksum": "0" * 64},
            "service.order.status.log": {"order_id": order.id, "status": "done",
                                         "user_id": cls.technician.id},
            "service.work.item": {"order_id": order.id, "complaint": "Door seal", "diagnosis": "Torn"},
            "service.work.item.part": {"work_item_id": item.id, "product_id": cls.part_pipe.id, "quantity": 1},
            "service.fallout": {"order_id": order.id, "type_id": cls.fallout_type.id, "description": "Stuck"},
            "service.time.log": {"order_id": order.id, "user_id": cls.technician.id,
                                 "date_start": LOG_DAY + timedelta(days=1, hours=8),
                                 "date_stop": LOG_DAY + timedelta(days=1, hours=9)},
            "service.consent.request": {"order_id": order.id, "partner_id": cls.customer.id,
                                        "token_hash": "forged", "expires_at": datetime(2030, 1, 1)},
            "service.route": {"user_id": cls.technician.id, "date": datetime(2030, 1, 1).date(),
                              "company_id": cls.company.id},
            "service.route.stop": {"route_id": route.id, "order_id": order.id, "sequence": 2},
            "sale.order": {"partner_id": cls.customer.id},
            "service.sync.operation": {"uuid": "forged-operation", "user_id": cls.technician.id, "device": "forged",
                                       "sequence": 9, "kind": "note", "company_id": cls.company.id,
                                       "state": "applied"},
            "service.sync.upload": {"uuid": "forged-upload", "user_id": cls.technician.id,
                                    "company_id": cls.company.id, "state": "stored"},
            "service.equipment": {"name": "Ice machine", "partner_id": cls.customer.id},
            "service.equipment.history": {"equipment_id": cls.equipment.id, "kind": "order", "name": "forged"},
            "service.plan": {"name": "Ice machine service", "partner_id": cls.customer.id,
                             "order_type_id": cls.order_type.id},
            "service.plan.task": {"plan_id": plan.id, "name": "Descale", "estimated_hours": 0.5},
        }
        cls.write_vals = {
            "service.order": {"priority": "2"},
            "service.order.line": {"quantity": 5},
            "service.confirmation": {"reason": "rewritten"},
            "service.confirmation.change": {"new_value": "rewritten"},
            "service.order.document": {"checksum": "0" * 64},
            "service.order.status.log": {"note": "rewritten"},
            "service.work.item": {"diagnosis": "Rewritten diagnosis"},
            "service.work.item.part": {"quantity": 3},
            "service.fallout": {"description": "Rewritten"},
            "service.time.log": {"date_stop": LOG_DAY.replace(hour=18)},
            "service.consent.request": {"state": "pending"},
            "service.route": {"start_partner_id": cls.customer.id},
            "service.route.stop": {"sequence": 7},
            "sale.order": {"client_order_ref": "PO 42"},
            "service.sync.operation": {"refusal_reason": "rewritten"},
            "service.sync.upload": {"name": "rewritten.png"},
            "service.equipment": {"notes": "<p>Rewritten</p>"},
            "service.equipment.history": {"name": "rewritten"},
            "service.plan": {"lead_days": 7},
            "service.plan.task": {"estimated_hours": 2},
        }
        cls._build_wizard_rows(order, item, fallout)
        for model, record in cls.records.items():
            assert len(record) == 1, model

    @classmethod
    def _build_wizard_rows(cls, order, item, fallout):
        """A row of every wizard, made by the least-privileged role who uses it
        (access_matrix.WIZARDS), with what each role would create and write."""
        question = cls.env["service.step.question"].create({
            "order_type_id": cls.order_type.id, "step": "pause", "name": "Why the pause", "answer_type": "text"})
        noon = fields.Datetime.now().replace(hour=12, minute=0, second=0)
        vals = {
            "service.order.submit": {"order_id": order.id, "supervisor_id": cls.supervisor.id},
            "service.order.review": {"order_id": order.id, "decision": "reject", "reason": "Not now"},
            "service.order.worker.add": {"order_id": order.id, "user_ids": [Command.set(cls.technician.ids)],
                                         "scheduled_start": noon, "scheduled_end": noon + timedelta(hours=1)},
            "service.order.workspace.invite": {"order_id": order.id, "partner_ids": [Command.set(cls.site.ids)]},
            "service.order.close": {"order_id": order.id, "outcome": "not_done", "reason": "No access"},
            "service.order.decline": {"order_id": order.id, "reason": "Alarm code 4711, key under the mat"},
            "service.step.form": {"order_id": order.id, "step": "pause", "line_ids": [
                Command.create({"question_id": question.id, "value_text": "Waiting for the part"})]},
            "service.confirmation.create": {"order_id": order.id, "reason": "Extra pipe"},
            "service.work.item.skip": {"work_item_ids": [Command.set(item.ids)], "reason": "Agreed by phone"},
            "service.work.item.refuse": {"work_item_ids": [Command.set(item.ids)], "reason": "Too dear"},
            "service.fallout.report": {"order_id": order.id, "type_id": cls.fallout_type.id,
                                       "description": "Valve seized"},
            "service.fallout.assign": {"fallout_ids": [Command.set(fallout.ids)], "user_id": cls.technician.id},
            "service.fallout.resolve": {"fallout_ids": [Command.set(fallout.ids)], "resolution": "Freed it"},
            "service.route.plan": {"date": noon.date(), "optimise": False},
            "service.consent.onsite": {"order_id": order.id, "signed_by": "Marie Client"},
            "service.order.replan": {"order_id": order.id, "lead_technician_id": cls.technician.id,
                                     "scheduled_start": noon, "scheduled_end": noon + timedelta(hours=3),
                                     "reason": "Moved by phone"},
            "service.order.reassign": {"from_user_id": cls.technician.id, "to_user_id": cls.technician_2.id,
                                       "date": noon.date(), "reason": "Tom is ill"},
            "service.order.prepare.work": {"order_id": order.id, "plan_id": cls.records["service.plan"].id},
        }
        writes = {
            "service.order.submit": {"supervisor_id": cls.supervisor.id},
            "service.order.review": {"reason": "rewritten"},
            "service.order.worker.add": {"vehicle_id": cls.vehicle.id},
            "service.order.workspace.invite": {"partner_ids": [Command.set(cls.customer.ids)]},
            "service.order.close": {"reason": "rewritten"},
            "service.order.decline": {"reason": "rewritten"},
            "service.step.form": {"reason": "rewritten"},
            "service.step.form.line": {"value_text": "rewritten"},
            "service.confirmation.create": {"reason": "rewritten"},
            "service.confirmation.create.line": {"quantity": 3},
            "service.work.item.skip": {"reason": "rewritten"},
            "service.work.item.refuse": {"reason": "rewritten"},
            "service.fallout.report": {"description": "rewritten"},
            "service.fallout.assign": {"note": "rewritten"},
            "service.fallout.resolve": {"resolution": "rewritten"},
            "service.route.plan": {"optimise": True},
            "service.consent.onsite": {"signed_by": "rewritten"},
            "service.order.replan": {"reason": "rewritten"},
            "service.order.reassign": {"reason": "rewritten"},
            "service.order.prepare.work": {"task_ids": [Command.set(cls.records["service.plan"].task_ids.ids)]},
        }
        owners = {role: cls.users[role] for role in set(access_matrix.WIZARD_OWNERS.values())}
        for model, values in vals.items():
            cls.records[model] = cls.env[model].with_user(owners[access_matrix.WIZARD_OWNERS[model]]).create(
                dict(values)).sudo(False)
        # the lines of the owner's wizards: made with them (step form) or added to them
        step_form = cls.records["service.step.form"]
        cls.records["service.step.form.line"] = step_form.line_ids
        assert step_form.line_ids.question_id == question
        confirmation_wizard = cls.records["service.confirmation.create"]
        cls.records["service.confirmation.create.line"] = cls.env["service.confirmation.create.line"].with_user(
            cls.technician).create({"wizard_id": confirmation_wizard.id, "product_id": cls.part_pipe.id,
                                    "quantity": 2})
        vals["service.step.form.line"] = {"form_id": step_form.id, "question_id": question.id,
                                          "value_text": "forged"}
        vals["service.confirmation.create.line"] = {"wizard_id": confirmation_wizard.id,
                                                    "product_id": cls.part_vessel.id, "quantity": 1}
        cls.create_vals.update(vals)
        cls.write_vals.update(writes)

    def _attempt(self, model, role, operation):
        """True when ``role`` could do ``operation`` on the model's record; rolled back."""
        record = self.records[model].with_user(self.users[role])
        with closing(self.env.cr.savepoint()):
            try:
                if operation == "read":
                    record.read(["display_name"])
                elif operation == "create":
                    record.browse().create(dict(self.create_vals[model]))
                elif operation == "write":
                    record.write(dict(self.write_vals[model]))
                else:
                    record.unlink()
                self.env.flush_all()
                return True
            except REFUSED:
                return False
            finally:
                self.env.invalidate_all()

    def test_matrix(self):
        results = {}
        for model in access_matrix.MATRIX:
            for role in access_matrix.ROLES:
                for operation in access_matrix.OPERATIONS:
                    expected = access_matrix.allowed(model, role, operation)
                    with self.subTest(model=model, role=role, operation=operation):
                        results[model, role, operation] = self._attempt(model, role, operation)
                        self.assertEqual(results[model, role, operation], expected,
                                         f"{role} {operation} {model}: expected "
                                         f"{'allowed' if expected else 'refused'}")
        self.assertEqual(len(results), len(access_matrix.MATRIX) * len(access_matrix.ROLES) * 4)

    # protected fields -----------------------------------------------------------
    @contextmanager
    def _refused(self):
        try:
            yield
        except REFUSED:
            return
        self.fail("not refused")

    def _forged_value(self, record, name):
        """A plausible value for field ``name`` of ``record``, different from its own."""
        field = record._fields[name]
        if field.type == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", record.sudo()[name].id)], limit=1)
            return other.id
        if field.type == "many2many":
            return [Command.set(self.technician_2.ids)]
        if field.type == "one2many":
            return [Command.create({"product_id": self.part_pipe.id, "quantity": 7})]
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in reversed(keys) if key != record.sudo()[name])
        if field.type == "datetime":
            return fields.Datetime.now()
        if field.type == "boolean":
            return not record.sudo()[name]
        if field.type == "binary":
            return base64.b64encode(PNG)
        if field.type == "html":
            return "<p>Forged</p>"
        return "forged"

    def _assert_refused_write(self, model, role, names):
        record = self.records[model.split()[0]]
        for name in names:
            with self.subTest(model=model, role=role, field=name):
                before = record.sudo()[name]
                with closing(self.env.cr.savepoint()), self._refused():
                    record.with_user(self.users[role]).write({name: self._forged_value(record, name)})
                    self.env.flush_all()
                self.env.invalidate_all()
                self.assertEqual(record.sudo()[name], before)

    def test_protected_fields_refused_to_every_role_that_writes(self):
        for model, names in access_matrix.PROTECTED.items():
            writers = [role for role in access_matrix.ROLES
                       if role in ("tech_on", "dispatcher", "supervisor", "billing")]
            for role in writers:
                self._assert_refused_write(model, role, names)

    def test_protected_fields_refused_at_creation(self):
        cases = {
            "service.order": ("dispatcher", ["technician_status", "approved_by_id", "approved_date",
                                             "access_token", "current_document_id", "channel_id",
                                             "closed_by_id", "customer_signed_by", "name"]),
            "service.work.item": ("tech_on", ["user_id", "approved_by_id", "customer_decision",
                                              "customer_decision_ip", "consent_skip_reason", "prepared"]),
            "service.fallout": ("tech_on", ["resolution", "resolved_by_id", "reported_by_id", "name",
                                            "resolved_date", "reported_date", "escalated_date"]),
        }
        for model, (role, names) in cases.items():
            record = self.records[model]
            for name in names:
                with self.subTest(model=model, field=name):
                    vals = dict(self.create_vals[model], **{name: self._forged_value(record, name)})
                    count = self.env[model].sudo().search_count([])
                    with closing(self.env.cr.savepoint()), self._refused():
                        self.env[model].with_user(self.users[role]).create(vals)
                    self.assertEqual(self.env[model].sudo().search_count([]), count)

    def test_every_wizard_is_in_the_matrix_and_keeps_its_rows_to_its_creator(self):
        """A new wizard (transient model) of the addon must be added to the matrix, with its
        rule: the test fails until it is."""
        ours = {name for name, model in self.env.registry.items()
                if model._transient and model._original_module == "service_order"}
        self.assertEqual(ours, set(access_matrix.WIZARDS), "tests/access_matrix.py WIZARDS: every wizard")
        rules = self.env["ir.rule"].sudo().search([("model_id.model", "in", list(ours))])
        for model in ours:
            with self.subTest(model=model):
                own = rules.filtered(lambda rule, model=model: rule.model_id.model == model)
                self.assertTrue(own and all(rule["global"] and "create_uid" in rule.domain_force for rule in own),
                                f"{model}: a global rule keeps its rows to their creator")

    def test_readme_table_is_the_matrix(self):
        readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
        self.assertIn(access_matrix.markdown(), readme,
                      "README's 'who can do what' table: paste access_matrix.markdown()")
