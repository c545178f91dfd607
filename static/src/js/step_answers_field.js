/** @odoo-module **/
/**
 * The questions of a step form (service.step.form's line_ids), answered on one screen, inline:
 * a yes/no as two big buttons, a number, a text, a photo taken with the phone's camera, and a
 * signature drawn on Odoo's own signature pad (NameAndSignature, the pad of Odoo's signature
 * widget, in drawing mode) under the signer's name. Every control is touch-sized; what is
 * answered shows at once. The answers are the lines' fields: the server checks them on Confirm.
 */
import { Component } from "@odoo/owl";
import { NameAndSignature } from "@web/core/signature/name_and_signature";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class StepAnswersField extends Component {
    static template = "service_order.StepAnswersField";
    static components = { NameAndSignature };
    static props = { ...standardFieldProps };

    setup() {
        // one signature object per line, kept across renderings (the pad draws into it)
        this.signatures = {};
    }

    get lines() {
        return this.props.record.data[this.props.name].records;
    }

    signature(line) {
        if (!this.signatures[line.id]) {
            this.signatures[line.id] = { name: line.data.signed_by || "" };
        }
        return this.signatures[line.id];
    }

    pictureUrl(line) {
        return line.data.value_binary ? `data:image/png;base64,${line.data.value_binary}` : false;
    }

    setYesNo(line, value) {
        line.update({ value_yes_no: line.data.value_yes_no === value ? false : value });
    }

    onNumber(line, ev) {
        const value = ev.target.value.replace(",", ".");
        line.update({ value_number: value === "" ? 0 : parseFloat(value) || 0 });
    }

    onText(line, ev) {
        line.update({ value_text: ev.target.value });
    }

    async onPhoto(line, ev) {
        const file = ev.target.files[0];
        if (!file) {
            return;
        }
        const dataUrl = await getDataURLFromFile(file);
        line.update({ value_binary: dataUrl.split(",")[1] || false });
    }

    onSignedBy(line, ev) {
        this.signature(line).name = ev.target.value;
        line.update({ signed_by: ev.target.value });
    }

    onSigned(line) {
        const signature = this.signature(line);
        const image = signature.isSignatureEmpty ? false : signature.getSignatureImage();
        line.update({ value_binary: image ? image.split(",")[1] : false });
    }
}

registry.category("fields").add("service_step_answers", {
    component: StepAnswersField,
    supportedTypes: ["one2many"],
    relatedFields: [
        { name: "question_id", type: "many2one", relation: "service.step.question" },
        { name: "name", type: "char" },
        { name: "help", type: "char" },
        { name: "answer_type", type: "selection" },
        { name: "required", type: "boolean" },
        { name: "value_yes_no", type: "selection", readonly: false },
        { name: "value_text", type: "text", readonly: false },
        { name: "value_number", type: "float", readonly: false },
        { name: "value_binary", type: "binary", readonly: false },
        { name: "signed_by", type: "char", readonly: false },
    ],
});
