/** @odoo-module **/
/**
 * The consent link a dispatcher copies (service.order.action_copy_consent_link): shown once, in
 * a dialog with Odoo's copy button, never stored in the database (which keeps its hash).
 */
import { Component } from "@odoo/owl";
import { CopyButton } from "@web/core/copy_button/copy_button";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

export class CopyLinkDialog extends Component {
    static template = "service_order.CopyLinkDialog";
    static components = { Dialog, CopyButton };
    static props = ["url", "expires", "customer", "title", "close"];

    get copiedText() {
        return _t("Copied");
    }
}

function copyLinkAction(env, action) {
    const { url, expires, customer } = action.params;
    env.services.dialog.add(CopyLinkDialog, { url, expires, customer, title: action.name || "" });
}

registry.category("actions").add("service_order_copy_link", copyLinkAction);
