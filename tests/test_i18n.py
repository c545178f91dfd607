from odoo.exceptions import AccessError, UserError

from .common import ServiceOrderCase


class TestTranslations(ServiceOrderCase):
    """The addon speaks French and Dutch (i18n/fr.po, i18n/nl.po): a user switched to French
    sees French labels and messages; the report speaks the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # once for the class: the languages and the addon's terms (views, fields, selections,
        # report); messages of the code are read from the same files when first asked for
        for code in ("fr_FR", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["service_order"], ["fr_FR", "nl_BE"], overwrite=True)
        cls.technician.lang = "fr_FR"
        cls.dispatcher.lang = "fr_FR"
        cls.customer_fr = cls.env["res.partner"].create({
            "name": "Boulangerie Dupont", "lang": "fr_FR", "email": "dupont@example.com",
            "street": "Rue Haute 4", "zip": "1000", "city": "Bruxelles", "country_id": cls.env.ref("base.be").id,
        })
        cls.customer_nl = cls.env["res.partner"].create({
            "name": "Bakkerij Peeters", "lang": "nl_BE", "email": "peeters@example.com",
            "street": "Meir 10", "zip": "2000", "city": "Antwerpen", "country_id": cls.env.ref("base.be").id,
        })

    def _as(self, user):
        """``user``'s environment as the web client makes it: the user's language and time zone."""
        return self.env(user=user, context=dict(self.env.context, **user.with_user(user).context_get()))

    def test_form_view_in_french(self):
        env = self._as(self.dispatcher)
        self.assertEqual(env.lang, "fr_FR")
        views = env["service.order"].get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        fields = views["models"]["service.order"]["fields"]
        self.assertEqual(fields["partner_id"]["string"], "Client")
        self.assertEqual(fields["field_worker_ids"]["string"], "Intervenants")
        self.assertIn("Ordre d'intervention", env["ir.model"]._get("service.order").name)
        self.assertIn('string="Soumettre"', arch)
        self.assertNotIn('string="Submit"', arch)
        states = dict(env["service.order"]._fields["state"]._description_selection(env))
        self.assertEqual(states["draft"], "Brouillon")
        self.assertEqual(states["in_progress"], "En cours")

    def test_refusal_message_in_french(self):
        order = self._planned_order()
        with self.assertRaises(AccessError) as refused:
            order.with_env(self._as(self.technician)).write({"priority": "1", "description": "<p>Autre</p>"})
        message = str(refused.exception)
        self.assertIn("Les techniciens modifient un ordre d'intervention", message)
        self.assertIn("Description, Priorité", message)  # the field labels too
        with self.assertRaises(UserError) as refused:
            order.with_env(self._as(self.dispatcher))._do_revise()
        self.assertIn("Seuls les ordres d'intervention rejetés peuvent être révisés", str(refused.exception))
        self.assertIn(order.name, str(refused.exception))

    def test_report_in_the_customers_language(self):
        """Printed by an English-speaking supervisor, the report speaks the customer's language."""
        self.supervisor.lang = "en_US"
        report = self.env["ir.actions.report"].with_user(self.supervisor)
        for customer, says, not_says in (
                (self.customer_fr, ["Client et lieu", "Planification", "Matériel et prestations"], "Customer and location"),
                (self.customer_nl, ["Klant en locatie", "Planning", "Materialen en diensten"], "Customer and location"),
                (self.customer, ["Customer and location", "Planning"], "Client et lieu")):
            order = self._create_order(partner_id=customer.id, location_id=customer.id)
            html = report._render_qweb_html("service_order.report_service_order", order.ids, data={
                "version": 1, "version_date_label": "", "changes": [], "completion": False})[0].decode()
            for text in says:
                self.assertIn(text, html, customer.name)
            self.assertNotIn(not_says, html, customer.name)

    def test_the_order_keeps_its_customers_language(self):
        """The language of the documents is kept on the order (no partner read per version),
        and follows the customer's language and a change of customer."""
        order = self._create_order(partner_id=self.customer_fr.id, location_id=self.customer_fr.id)
        self.assertEqual((order.partner_lang, order._report_lang()), ("fr_FR", "fr_FR"))
        self.customer_fr.lang = "nl_BE"
        self.assertEqual(order._report_lang(), "nl_BE")
        order.with_user(self.dispatcher).write({"partner_id": self.customer.id, "location_id": self.customer.id})
        self.assertEqual(order._report_lang(), self.customer.lang or "en_US")
        self.env.flush_all()
        self.env.cr.execute("SELECT partner_lang FROM service_order WHERE id = %s", [order.id])
        self.assertEqual(self.env.cr.fetchone()[0], self.customer.lang, "stored")

    def test_version_stamped_in_the_customers_language(self):
        """The pages of an issued version are stamped in the customer's language too."""
        order = self._planned_order(partner_id=self.customer_nl.id, location_id=self.customer_nl.id)
        text = self._pdf_text(order.current_document_id)
        self.assertIn(f"{order.name} · Versie 1", text)
        self.assertIn("Pagina 1 / 1", text)
