/** @odoo-module **/
/**
 * Dispatch at the speed of a phone call (tests/test_tours_dispatch.py):
 * - the dispatcher takes a call on the board (their landing page) and books the order on its
 *   form, approved on submit by its type: planned at once, counted in clicks;
 * - the technician finds it in My Day;
 * - the dispatcher drags an approved order to another technician's row of the planning timeline:
 *   one confirmation (the reason prefilled), one new version;
 * - the technician on a phone closes an order as not carried out, with the type's photo.
 */
import { drag } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

const { DateTime } = luxon;
const DIALOG = ".modal:not(.o_inactive_modal)";
// the most clicks a booked, planned order may take from the board (issue 24)
const MAX_CLICKS = 12;

// a 1x1 PNG: the smallest photo there is
const PNG_BASE64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

function pngFile(name) {
    const bytes = Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
    return new File([bytes], name, { type: "image/png" });
}

/** Every click from now on is counted (each tour click, each click into a field to type). */
function startCountingClicks() {
    return {
        content: "From here every click counts",
        trigger: ".o_kanban_view",
        run() {
            window.__soClicks = 0;
            window.addEventListener("click", () => (window.__soClicks += 1), true);
        },
    };
}

registry.category("web_tour.tours").add("service_order_phone_call_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.checkTitle("Service Orders"),
        startCountingClicks(),
        {
            content: "The customer calls: New",
            trigger: ".o_control_panel button.o-kanban-button-new",
            run: "click",
        },
        ...soTour.pickRecord("partner_id", "Lemaire", "Boulangerie Lemaire"),
        ...soTour.checkMany2one("location_id", "Boulangerie Lemaire"),
        ...soTour.pickRecord("order_type_id", "Emergency", "Emergency (tour)"),
        {
            content: "Its type approves it on submit: the dispatcher sees it",
            trigger: '.o_field_widget[name="approval_needed"]:contains("Approved on submit")',
        },
        ...soTour.editHtml("description", "No hot water in the bakery since 6 am."),
        {
            content: "Today at noon",
            trigger: '.o_field_widget[name="scheduled_start"] input',
            run: `edit ${DateTime.now().toFormat("MM/dd/yyyy")} 12:00:00 && press Enter`,
        },
        {
            content: "The end follows from the type's duration",
            trigger: '.o_field_widget[name="scheduled_end"] input:value(/14:00/)',
        },
        {
            content: "Tom is free with the type's skill: suggested",
            trigger: '.o_field_widget[name="suggested_technician_ids"]:contains("Tom Technician")',
        },
        ...soTour.pickRecord("lead_technician_id", "Tom", "Tom Technician"),
        {
            content: "Tom joins the field workers",
            trigger: '.o_field_widget[name="field_worker_ids"] .o_tag:contains("Tom Technician")',
        },
        {
            content: "Tom's day: his other order that day is shown",
            trigger: '.o_field_widget[name="technician_day"]:contains("Tom Technician"):contains("Hôtel des Galeries")',
        },
        ...soTour.clickHeaderButton("action_open_submit", "Submit"),
        ...soTour.checkState("planned", "Planned"),
        {
            content: "The policy approved it, version 1 is issued",
            trigger: '.o-mail-Message:contains("Approved on submit: Policy of Emergency (tour)")',
        },
        ...soTour.checkSmartButton("action_view_documents", "v1"),
        {
            content: `At most ${MAX_CLICKS} clicks from the board`,
            trigger: ".o_form_view",
            run() {
                console.info(`service_order phone call: ${window.__soClicks} clicks from the board`);
                if (window.__soClicks > MAX_CLICKS) {
                    throw new Error(`the phone call took ${window.__soClicks} clicks (at most ${MAX_CLICKS})`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("service_order_technician_sees_booking_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.checkTitle("My Day"),
        {
            content: "The order booked on the phone is in the technician's day",
            trigger: '.o_kanban_record:contains("Boulangerie Lemaire"):contains("12:00")',
        },
    ],
});

/** The timeline's row (its place in the item set) of the technician named `name`. */
function timelineRow(name) {
    const labels = [...document.querySelectorAll(".vis-labelset .vis-label")];
    const index = labels.findIndex((label) => label.textContent.includes(name));
    if (index < 0) {
        throw new Error(`no row for ${name} on the timeline`);
    }
    return document.querySelectorAll(".vis-itemset .vis-foreground .vis-group")[index];
}

function isInRow(item, name) {
    const row = timelineRow(name).getBoundingClientRect();
    const box = item.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    return row.top <= middle && middle <= row.bottom;
}

const BRASSERIE = '.vis-item:contains("Brasserie Mont-des-Arts")';

registry.category("web_tour.tours").add("service_order_timeline_drag_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.openMenu("service_order.service_order_menu_planning"),
        ...soTour.checkTitle("Planning"),
        {
            content: "A row per technician: Lucy has none of today's orders, she has her row",
            trigger: '.vis-labelset .vis-label:contains("Lucy Technician")',
        },
        {
            content: "The order is on Tom's row",
            trigger: BRASSERIE,
            run() {
                if (!isInRow(this.anchor, "Tom Technician")) {
                    throw new Error("the order is not on Tom's row");
                }
            },
        },
        {
            content: "Drag it to Lucy's row, at the same time",
            trigger: BRASSERIE,
            async run() {
                const box = this.anchor.getBoundingClientRect();
                const x = box.left + box.width / 2;
                const y = box.top + box.height / 2;
                const target = timelineRow("Lucy Technician");
                const row = target.getBoundingClientRect();
                const rowY = row.top + row.height / 2;
                const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
                const { moveTo, drop } = await drag(this.anchor, { position: { x, y } });
                // as a hand does: the timeline starts a drag on a sideways move of a few pixels (read over
                // 25 ms), then the order follows the pointer to Lucy's row, back to its own time
                for (const [dx, step] of [[20, 0], [20, 0.3], [20, 0.6], [10, 1], [0, 1]]) {
                    await pause();
                    await moveTo(target, { position: { x: x + dx, y: y + (rowY - y) * step } });
                }
                await pause();
                await drop(target, { position: { x, y: rowY } });
            },
        },
        ...soTour.checkWizard("Re-plan SRV/"),
        {
            content: "The reason is prefilled with what moves, and editable",
            trigger: `${DIALOG} .o_field_widget[name="reason"] textarea:value(/lead technician Tom Technician to Lucy Technician/)`,
        },
        {
            content: "Lucy leads it in the confirmation",
            trigger: `${DIALOG} .o_field_widget[name="lead_technician_id"] input:value("Lucy Technician")`,
        },
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        {
            content: "The order is on Lucy's row now",
            trigger: BRASSERIE,
            async run() {
                // the planning reloads once the confirmation is closed: wait for it (5 s at most)
                const brasserie = () => [...document.querySelectorAll(".vis-item")].find((item) =>
                    item.textContent.includes("Brasserie Mont-des-Arts"));
                for (let wait = 0; wait < 50 && !(brasserie() && isInRow(brasserie(), "Lucy Technician")); wait++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                if (!brasserie() || !isInRow(brasserie(), "Lucy Technician")) {
                    throw new Error("the order did not move to Lucy's row");
                }
            },
        },
        // the same planning as a calendar, where a drag or a resize asks the same confirmation
        {
            content: "Switch to the calendar",
            trigger: ".o_control_panel .o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "The week's orders are on the calendar, Lucy's among them",
            trigger: '.o_calendar_renderer .fc-event:contains("SRV/")',
        },
    ],
});

registry.category("web_tour.tours").add("service_order_not_done_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.checkTitle("My Day"),
        {
            content: "Open today's order",
            trigger: '.o_kanban_record:contains("Atelier Mertens")',
            run: "click",
        },
        {
            content: '"Not carried out" is on the first screen',
            trigger: '.o_form_view .o_so_phone_actions button[name="action_open_not_done"]:contains("Not carried out")',
            run: "click",
        },
        ...soTour.checkWizard("Not carried out"),
        ...soTour.editField("reason", "The paint booth is sealed off by the fire brigade.", DIALOG),
        // the type's questions are on the same screen (issue 25's inline step form)
        {
            content: "The type asks for a photo: take it",
            trigger: `${DIALOG} .o_so_step_question[data-question="Photo of what stops the work"] .o_so_answer_photo input[type=file]:not(:visible)`,
            run() {
                const dataTransfer = new DataTransfer();
                dataTransfer.items.add(pngFile("sealed-booth.png"));
                this.anchor.files = dataTransfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is shown",
            trigger: `${DIALOG} .o_so_step_question[data-question="Photo of what stops the work"] img.o_so_answer_picture`,
        },
        {
            content: "Back in the form: the reason is still there",
            trigger: `${DIALOG} .o_field_widget[name="reason"] textarea:value(/fire brigade/)`,
        },
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        ...soTour.checkState("not_done", "Not Carried Out"),
    ],
});
