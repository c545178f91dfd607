"""Generate the web client's asset bundles once, before the tests (run by tools/test.sh
through ``odoo shell``). Every browser tour runs in a transaction that is rolled back, so
bundles generated during a tour are thrown away and compiled again by the next one; made
and committed here, they are found by every tour. Nothing else is written."""
BUNDLES = ("web.assets_web", "web.assets_tests", "web.assets_frontend", "web.assets_frontend_minimal")

for name in BUNDLES:
    for rtl in (False,):
        bundle = env["ir.qweb"]._get_asset_bundle(name, css=True, js=True, rtl=rtl)  # noqa: F821 (odoo shell)
        bundle.js()
        bundle.css()
env.cr.commit()  # noqa: F821 (odoo shell)
print("assets ready:", ", ".join(BUNDLES))
