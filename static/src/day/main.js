/** @odoo-module */
// Boots the technician's day page (controllers/service_day.py renders it with its data in
// odoo.__day__). Mounted once the whole bundle ran: its templates come last in it.
import { App } from "@odoo/owl";
import { getTemplate } from "@web/core/templates";

import { DayApp } from "./day_app";

function whenReady() {
    return new Promise((resolve) => {
        if (document.readyState === "loading") {
            document.addEventListener("DOMContentLoaded", resolve, { once: true });
        } else {
            setTimeout(resolve);
        }
    });
}

(async () => {
    await whenReady();
    const config = window.odoo && window.odoo.__day__;
    if (!config) {
        return;
    }
    const app = new App(DayApp, { getTemplate, env: {}, props: { config }, dev: false, name: "My Day" });
    await app.mount(document.body);
})();
