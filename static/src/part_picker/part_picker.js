/** @odoo-module **/
/**
 * Add a part used, from the van, in three taps on a phone: search (or scan its barcode with the
 * phone's camera, Odoo's own barcode dialog), quantity, done. The van's quantity on hand shows
 * beside each product; a tracked product asks for its serial numbers (or lot) among those the
 * van holds. The server decides the van and what the addition becomes
 * (service.work.item.stock.mixin: get_part_picker, action_add_part); each opening of the dialog
 * carries one key, so a second tap on Done, or a replay, adds nothing twice.
 */
import { Component, onMounted, onWillStart, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { uuid } from "@web/views/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/** A quantity as people write it: 5, 2.5 (no trailing zeros). */
export function formatQuantity(value) {
    return String(Math.round((value || 0) * 1000) / 1000);
}

export class PartPickerDialog extends Component {
    static template = "service_order.PartPickerDialog";
    static components = { Dialog };
    static props = { close: Function, workItemId: Number, onAdded: Function };

    setup() {
        this.orm = useService("orm");
        this.title = _t("Add a part");
        this.canScan = isBarcodeScannerSupported();
        this.key = uuid();
        this.searchRef = useRef("search");
        this.state = useState({
            search: "",
            van: "",
            mode: false,
            products: [],
            loaded: false,
            selected: null,
            quantity: 1,
            lotIds: [],
            saving: false,
        });
        this.debouncedLoad = useDebounced(() => this.load(), 250);
        onWillStart(() => this.load());
        onMounted(() => this.searchRef.el?.focus());
    }

    formatQuantity(value) {
        return formatQuantity(value);
    }

    async load() {
        const data = await this.orm.call("service.work.item", "get_part_picker", [[this.props.workItemId]], {
            search: this.state.search,
        });
        Object.assign(this.state, { van: data.van, mode: data.mode, products: data.products, loaded: true });
    }

    onInput(ev) {
        this.state.search = ev.target.value;
        this.debouncedLoad();
    }

    async onScan() {
        const barcode = await scanBarcode(this.env);
        if (!barcode) {
            return;
        }
        this.state.search = barcode;
        await this.load();
        if (this.state.products.length === 1) {
            this.select(this.state.products[0]);
        }
    }

    select(product) {
        Object.assign(this.state, { selected: product, quantity: 1, lotIds: [] });
    }

    back() {
        this.state.selected = null;
    }

    get isSerial() {
        return this.state.selected?.tracking === "serial";
    }

    get quantity() {
        return this.isSerial && this.state.lotIds.length ? this.state.lotIds.length : this.state.quantity;
    }

    step(delta) {
        this.state.quantity = Math.max(1, (Number(this.state.quantity) || 0) + delta);
    }

    onQuantity(ev) {
        this.state.quantity = Number(ev.target.value);
    }

    toggleLot(lot) {
        const chosen = this.state.lotIds.includes(lot.id);
        if (this.state.selected.tracking === "lot") {
            this.state.lotIds = chosen ? [] : [lot.id];
        } else {
            this.state.lotIds = chosen
                ? this.state.lotIds.filter((id) => id !== lot.id)
                : [...this.state.lotIds, lot.id];
        }
    }

    async done() {
        if (!this.state.selected || this.state.saving) {
            return;
        }
        this.state.saving = true;
        try {
            await this.orm.call("service.work.item", "action_add_part", [[this.props.workItemId], this.state.selected.id], {
                quantity: this.quantity,
                lot_ids: this.state.lotIds,
                key: this.key,
            });
            await this.props.onAdded();
            this.props.close();
        } finally {
            this.state.saving = false;
        }
    }
}

/** The work item's "Add a part" button (a view widget): saves the item, opens the dialog. */
export class PartPickerButton extends Component {
    static template = "service_order.PartPickerButton";
    static props = { ...standardWidgetProps };

    setup() {
        this.dialog = useService("dialog");
    }

    async open() {
        const record = this.props.record;
        if (record.isDirty && !(await record.save())) {
            return;
        }
        this.dialog.add(PartPickerDialog, {
            workItemId: record.resId,
            onAdded: () => record.load(),
        });
    }
}

registry.category("view_widgets").add("service_part_picker", { component: PartPickerButton });
