/** @odoo-module */
// The day as the technician sees it: the pack, with the operations the server does not have
// yet played over it (what the server will make of them, by the same tables: pack.flow).

const FIELD_STATES = ["planned", "in_progress"];
const ON_SITE = ["on_site", "working", "break"];

function copyOrder(order) {
    return {
        ...order,
        work_items: order.work_items.map((item) => ({ ...item, parts: [...item.parts], ref: { id: item.id } })),
        pending: 0,
        notes_waiting: 0,
    };
}

/** The work item ``ref`` ({id} from the pack, {op} made on this phone) of ``order``. */
export function findItem(order, ref, itemIds = {}) {
    if (!ref) {
        return null;
    }
    const id = ref.id || (ref.op && itemIds[ref.op]);
    return (
        order.work_items.find((item) => (id && item.id === id) || (ref.op && item.ref.op === ref.op)) ||
        null
    );
}

function applyOperation(pack, order, op, itemIds) {
    const flow = pack.flow;
    const payload = op.payload || {};
    const item = payload.item ? findItem(order, payload.item, itemIds) : null;
    const status = flow.status_kinds[op.kind];
    if (status) {
        order.technician_status = status;
        order.state = "in_progress";
        // time follows the work: working clocks the technician in (out of any other order), a
        // break clocks them out, as the server does when it applies the operation
        if (status === "working") {
            order.clocked_in = true;
        } else if (status === "break") {
            order.clocked_in = false;
        }
        if (op.kind === "depart" && order.my_assignment === "pending") {
            order.my_assignment = "accepted";
        }
        return;
    }
    switch (op.kind) {
        case "accept":
            order.my_assignment = "accepted";
            break;
        case "decline":
            order.my_assignment = "declined";
            break;
        case "clock_in":
            order.clocked_in = true;
            break;
        case "clock_out":
            order.clocked_in = false;
            break;
        case "complete":
            order.technician_status = "done";
            order.state = "completed";
            order.clocked_in = false;
            break;
        case "not_done":
            order.state = "not_done";
            order.clocked_in = false;
            break;
        case "cancel":
            order.technician_status = "cancelled";
            order.state = "cancelled";
            order.clocked_in = false;
            break;
        case "note":
            order.notes_waiting += 1;
            break;
        case "work_item_create":
            order.work_items.push({
                id: false,
                ref: { op: op.uuid },
                complaint: payload.complaint || "",
                diagnosis: payload.diagnosis || "",
                notes: payload.notes || "",
                estimated_hours: payload.estimated_hours || 0,
                state: "draft",
                parts: (payload.parts || []).map((part) => ({
                    product: part.product_name || "",
                    quantity: part.quantity,
                    uom: part.uom || "",
                })),
                photo_count: 0,
            });
            break;
        case "work_item_update":
            if (item) {
                for (const key of ["complaint", "diagnosis", "notes", "estimated_hours"]) {
                    if (key in payload) {
                        item[key] = payload[key];
                    }
                }
            }
            break;
        case "work_item_part":
            if (item) {
                item.parts.push({
                    product: payload.product_name || "",
                    quantity: payload.quantity,
                    uom: payload.uom || "",
                });
            }
            break;
        case "work_item_photo":
            if (item) {
                item.photo_count += 1;
            }
            break;
        case "work_item_submit":
            if (item) {
                item.state = order.item_flow.after_submit;
            }
            break;
        case "work_item_start_repair":
            if (item) {
                item.state = "in_repair";
            }
            break;
        case "work_item_submit_repair":
            if (item) {
                item.state = "repair_submitted";
            }
            break;
        case "work_item_complete":
            if (item) {
                item.state = order.item_flow.after_complete;
            }
            break;
        case "work_item_cancel":
            if (item) {
                item.state = "cancelled";
            }
            break;
        case "fallout":
            order.open_fallouts += 1;
            if (item && !["done", "cancelled"].includes(item.state)) {
                item.state = "on_hold";
            }
            break;
    }
}

/** The orders of ``pack`` with ``ops`` (in their order) played over them. */
export function project(pack, ops, itemIds = {}) {
    if (!pack) {
        return [];
    }
    const orders = pack.orders.map(copyOrder);
    const byId = Object.fromEntries(orders.map((order) => [order.id, order]));
    for (const op of ops) {
        const order = byId[op.order_id];
        if (!order) {
            continue;
        }
        if (op.state === "waiting") {
            order.pending += 1;
        }
        applyOperation(pack, order, op, itemIds);
        if (op.kind === "clock_in" || pack.flow.status_kinds[op.kind] === "working") {
            // one place at a time: clocking in here clocks out of the others
            for (const other of orders) {
                other.clocked_elsewhere = other !== order;
                if (other !== order) {
                    other.clocked_in = false;
                }
            }
        }
    }
    const labels = pack.labels.item_state || {};
    for (const order of orders) {
        for (const item of order.work_items) {
            item.state_label = labels[item.state] || item.state;
        }
        order.next_action = nextAction(pack, order);
        order.can_add_work_items = order.state === "in_progress" && ON_SITE.includes(order.technician_status);
        order.is_open = FIELD_STATES.includes(order.state);
    }
    return orders;
}

/** The big button of the order: what the technician does next (service.order.day.mixin). */
export function nextAction(pack, order) {
    if (!FIELD_STATES.includes(order.state)) {
        return false;
    }
    // as service.order.actions.mixin: today's job needs no answer first (going is accepting)
    if (order.my_assignment === "pending" && order.technician_status === "planned" && order.day !== "today") {
        return "accept";
    }
    return pack.flow.next_by_status[order.technician_status] || false;
}
