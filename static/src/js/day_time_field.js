/** @odoo-module **/
/**
 * The time window of a job as My Day shows it, in the viewer's time zone and language (the
 * zone and formats of every other date of the web client): "09:00 – 11:00" for today's job;
 * the day before the hours for any other ("Tomorrow · 09:00 – 11:00", "Mon 7 Dec · 14:00 –
 * 15:00"). Read-only; set on the scheduled start, with the scheduled end loaded beside it.
 */
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { localization } from "@web/core/l10n/localization";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

export function dayLabel(start, now = DateTime.local()) {
    const days = Math.round(start.startOf("day").diff(now.startOf("day"), "days").days);
    if (days === 0) {
        return "";
    }
    if (days === 1) {
        return _t("Tomorrow");
    }
    if (days === -1) {
        return _t("Yesterday");
    }
    return start.toLocaleString({ weekday: "short", day: "numeric", month: "short" });
}

export class DayTimeField extends Component {
    static template = "service_order.DayTimeField";
    static props = { ...standardFieldProps, endField: { type: String, optional: true } };

    get start() {
        return this.props.record.data[this.props.name];
    }

    get end() {
        return this.props.endField ? this.props.record.data[this.props.endField] : false;
    }

    get day() {
        return this.start ? dayLabel(this.start.setZone("default")) : "";
    }

    get hours() {
        const format = localization.shortTimeFormat;
        return [this.start, this.end]
            .filter(Boolean)
            .map((moment) => moment.setZone("default").toFormat(format))
            .join(" – ");
    }
}

registry.category("fields").add("service_order_day_time", {
    component: DayTimeField,
    supportedTypes: ["datetime"],
    extractProps: ({ options }) => ({ endField: options.end_field || "scheduled_end" }),
    fieldDependencies: ({ options }) => [{ name: options.end_field || "scheduled_end", type: "datetime" }],
});
