from odoo import Command
from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    """Settings save nothing they do not show."""

    def test_saving_the_settings_keeps_the_pricelists(self):
        """Finding: with a pricelist active while Odoo's pricelist feature was off (the demo's
        contract pricelist), opening the settings warned that every active pricelist would be
        archived, and saving them archived the estimates' pricelist."""
        group = self.env.ref("product.group_product_pricelist")
        employees = self.env.ref("base.group_user")
        employees.write({"implied_ids": [Command.unlink(group.id)]})
        pricelist = self.env["product.pricelist"].create({"name": "Service contract (test)"})
        Settings = self.env["res.config.settings"]
        self.assertFalse(Settings.default_get(["group_product_pricelist"])["group_product_pricelist"])
        # what the update (and the demo) do on such a database
        self.assertTrue(Settings._service_enable_pricelists_in_use())
        self.assertFalse(Settings._service_enable_pricelists_in_use(), "once is enough")
        settings = Form(Settings)
        self.assertTrue(settings.group_product_pricelist, "the settings show the pricelists as they are used")
        settings.service_min_photos = 1
        settings.save().execute()
        self.assertTrue(pricelist.active, "saving the settings archived no pricelist")
        self.assertEqual(self.env.company.service_min_photos, 1)
