/** @odoo-module **/
/**
 * Re-planning by dragging, on the planning timeline (OCA web_timeline, a row per technician) and
 * on the calendar. Both views write the record on a drop; here a drop (a move to another time or
 * another technician's row, a resize) asks the server instead (service.order
 * action_replan_from_drop), which checks who may re-plan what: a draft changes at once, an
 * approved order opens the re-planning confirmation prefilled with the drop (reason editable;
 * confirmed: one confirmation and one new PDF version; cancelled: nothing changes and the item
 * goes back), anything else is refused with a message. Only dispatchers drag.
 */
import { CalendarModel } from "@web/views/calendar/calendar_model";
import { calendarView } from "@web/views/calendar/calendar_view";
import { TimelineController } from "@web_timeline/views/timeline/timeline_controller.esm";
import { TimelineModel } from "@web_timeline/views/timeline/timeline_model.esm";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";
import { TimelineView } from "@web_timeline/views/timeline/timeline_view.esm";
import { _t } from "@web/core/l10n/translation";
import { escape } from "@web/core/utils/strings";
import { onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { user } from "@web/core/user";

const DISPATCHER_GROUP = "service_order.group_service_order_dispatcher";
const DROP_FIELDS = ["scheduled_start", "scheduled_end", "lead_technician_id"];

/**
 * Ask the server what a drop of order `resId` with `values` does; open the confirmation it
 * returns and wait until it is closed; then `reload` (the item shows where the order is).
 */
export async function replanFromDrop(orm, actionService, resId, values, reload) {
    const drop = Object.fromEntries(Object.entries(values).filter(([name]) => DROP_FIELDS.includes(name)));
    let action = false;
    try {
        action = await orm.call("service.order", "action_replan_from_drop", [[resId], drop]);
    } catch (error) {
        await reload(); // refused: the item goes back
        throw error;
    }
    if (action && action.type === "ir.actions.act_window") {
        await new Promise((resolve) => actionService.doAction(action, { onClose: resolve }));
    } else if (action) {
        await actionService.doAction(action); // a draft moved: the double booking it makes, if any
    }
    await reload();
}

// ------------------------------------------------------------------ the timeline
export class ServiceOrderTimelineModel extends TimelineModel {
    setup(params) {
        super.setup(params);
        onWillStart(async () => {
            this.isDispatcher = await user.hasGroup(DISPATCHER_GROUP);
        });
    }
    async load(searchParams) {
        if (!this.technicians) {
            // a row per technician, whether booked or not: the drop target of a reassignment
            this.technicians = await this.orm.call("service.order", "get_planning_technicians", []);
        }
        return super.load(searchParams);
    }
    get canEdit() {
        return super.canEdit && this.isDispatcher;
    }
    get canCreate() {
        return false;
    }
    get canDelete() {
        return false;
    }
}

export class ServiceOrderTimelineRenderer extends TimelineRenderer {
    setup() {
        super.setup();
        // one gesture: an order is dragged (or resized) without selecting it first
        this.options.itemsAlwaysDraggable = { item: true, range: true };
    }
    async split_groups(records) {
        const groups = await super.split_groups(records);
        if (this.model.last_group_bys[0] !== "lead_technician_id") {
            return groups;
        }
        const rows = new Map(groups.filter((group) => group.id !== -1).map((group) => [group.id, group]));
        for (const technician of this.model.technicians || []) {
            rows.set(technician.id, { id: technician.id, content: escape(technician.name) });
        }
        const sorted = [...rows.values()].sort((a, b) => String(a.content).localeCompare(String(b.content)));
        sorted.forEach((group, index) => (group.order = index + 1));
        // the orders without a lead technician: approved ones wait To Plan
        return [{ id: -1, content: escape(_t("To plan")), order: 0 }, ...sorted];
    }
}

export class ServiceOrderTimelineController extends TimelineController {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }
    async internalMove() {
        const moves = this.moveQueue.slice();
        this.moveQueue = [];
        const reload = async () => {
            await this.model.load(this.getSearchProps());
            this.render();
        };
        for (const move of moves) {
            move.callback(move.item); // the item stays where it was dropped while the dialog asks
            await replanFromDrop(this.orm, this.actionService, move.id, move.data, reload);
        }
    }
}

export const serviceOrderTimelineView = {
    ...TimelineView,
    Controller: ServiceOrderTimelineController,
    Renderer: ServiceOrderTimelineRenderer,
    Model: ServiceOrderTimelineModel,
};
registry.category("views").add("service_order_timeline", serviceOrderTimelineView);

// ------------------------------------------------------------------ the calendar
export class ServiceOrderCalendarModel extends CalendarModel {
    setup(params, services) {
        super.setup(params, services);
        this.actionService = services.action;
    }
    async load(params = {}) {
        if (this.isDispatcher === undefined) {
            this.isDispatcher = await user.hasGroup(DISPATCHER_GROUP);
        }
        return super.load(params);
    }
    get canEdit() {
        return super.canEdit && Boolean(this.isDispatcher);
    }
    async updateRecord(record, options = {}) {
        const values = this.buildRawRecord(record, options);
        await replanFromDrop(this.orm, this.actionService, record.id, values, () => this.load());
    }
}
ServiceOrderCalendarModel.services = [...CalendarModel.services, "action"];

export const serviceOrderCalendarView = { ...calendarView, Model: ServiceOrderCalendarModel };
registry.category("views").add("service_order_calendar", serviceOrderCalendarView);
