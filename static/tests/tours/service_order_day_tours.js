/** @odoo-module **/
// A technician's whole job with one work item, on a 390x844 phone, from the login page: Odoo
// puts them on My Day; they leave, arrive (the step's form), start work (clocked in), open the
// order, add a work item from the diagnosis (hours, a part, a photo), tap Done (no approval:
// one tap), then Complete with the checklist and the customer's signature drawn on the pad
// (version 2, the completion report). A walk: it counts its taps (budget 30).
// The data is made by tests/test_tours_day.py.
import { registry } from "@web/core/registry";
import { look, soTour, tap, walk } from "@service_order/../tests/tours/service_order_tour_utils";

const CARD = '.o_kanban_record:contains("Brasserie Mont-des-Arts")';
const PHONE_ACTIONS = ".o_form_view .o_so_phone_actions";
const DIALOG = ".modal:not(.o_inactive_modal)";
// a 1x1 PNG: the smallest photo there is
const PNG_BASE64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
// what a technician must never see on an order
const NOT_FOR_TECHNICIANS = [
    "action_open_submit",
    "action_open_review",
    "action_open_add_workers",
    "action_open_close",
    "action_open_invite",
];

function tapCard(name, label) {
    return [
        {
            content: `The card's big button is "${label}"`,
            trigger: `${CARD} button[name="${name}"]:contains("${label}")`,
            run: "click",
        },
    ];
}

function answer(question, value) {
    return [
        {
            content: `Answer "${question}": ${value}`,
            trigger: `${DIALOG} .o_so_step_question[data-question="${question}"] button.o_so_answer_${value}`,
            run: "click",
        },
        {
            content: "The answer shows at once",
            trigger: `${DIALOG} .o_so_step_question[data-question="${question}"] button.o_so_answer_${value}.active`,
        },
    ];
}

/** Draw a stroke on the signature pad, as a finger would. */
function drawSignature(canvas) {
    const box = canvas.getBoundingClientRect();
    const send = (type, x, y) =>
        canvas.dispatchEvent(
            new PointerEvent(type, {
                bubbles: true, cancelable: true, pointerId: 1, pointerType: "touch", isPrimary: true,
                buttons: type === "pointerup" ? 0 : 1, clientX: box.left + x, clientY: box.top + y,
            })
        );
    send("pointerdown", 20, 40);
    for (let i = 1; i <= 12; i++) {
        send("pointermove", 20 + i * 15, 40 + (i % 2 ? -15 : 15));
    }
    send("pointerup", 200, 40);
}

function uploadPhoto(input) {
    const bytes = Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([bytes], "boiler-plate.png", { type: "image/png" }));
    input.files = dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("service_order_technician_day_tour", {
    // a technician signing in with nothing asked lands on the day page (issue 26): this walk is
    // the web client's, from the login page of a link to My Day
    url: "/web/login?redirect=/odoo/action-service_order.service_order_action_my_day",
    steps: () =>
        walk("technician_job", 30, [
            ...soTour.login("so_tour_tech"),
            ...soTour.checkTitle("My Day"),
            {
                content: "Only the technician's own orders are there, today's first",
                trigger: `.o_kanban_view .o_kanban_record:first:contains("Brasserie Mont-des-Arts"):not(:has(.o_so_day_label))`,
            },
            {
                content: "Tomorrow's job shows its day",
                trigger: '.o_kanban_record:contains("Hôtel des Galeries") .o_so_day_label:contains("Tomorrow")',
            },
            {
                content: "Yesterday's open job is flagged overdue",
                trigger: '.o_kanban_record:contains("Clinique Sainte-Anne"):has(.o_so_overdue)',
            },
            {
                content: "The other technician's job is not there",
                trigger: '.o_kanban_view:not(:has(.o_kanban_record:contains("Atelier Mertens")))',
            },
            {
                content: "Today's order shows its time window, address and status",
                trigger: `${CARD}:contains("09:00"):contains("Rue Ravenstein 2"):has(button[name="action_navigate"])`,
            },
            // today's job: going is accepting (Accept stays there, small)
            ...tapCard("action_depart", "On my way"),
            ...tapCard("action_arrive", "Arrived on site"),
            ...soTour.checkWizard("Arrived on site"),
            ...answer("Site accessible", "yes"),
            ...soTour.confirmWizard("action_confirm", "Confirm"),
            ...tapCard("action_start_work", "Start work"),
            {
                content: "Working: the card offers Complete",
                trigger: `${CARD} button[name="action_open_complete"]`,
            },
            // the order itself: its work items on the first screen
            { content: "Open the order", trigger: `${CARD} span:contains("Rue Ravenstein 2")`, run: "click" },
            {
                content: "The work items are on the order's first screen, with New Work Item",
                trigger: ".o_form_view .o_so_work_items button[name=action_new_work_item]",
                run: "click",
            },
            {
                content: "Enter the complaint",
                trigger: ".o_form_view .o_field_widget[name=complaint] input",
                run: "edit Boiler in safety lockout",
            },
            {
                content: "Enter the diagnosis",
                trigger: ".o_form_view .o_field_widget[name=diagnosis] textarea",
                run: "edit Expansion vessel split: replaced it, pressure back to 1.5 bar.",
            },
            {
                content: "Enter the hours",
                trigger: ".o_form_view .o_field_widget[name=estimated_hours] input",
                run: "edit 0:45",
            },
            {
                content: "Add a part (on the same screen: no tab)",
                trigger: ".o_field_widget[name=part_ids] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: "Open the product search",
                trigger: ".o_field_widget[name=part_ids] .o_data_row .o_field_widget[name=product_id] input",
                run: "click",
            },
            {
                content: "Open the search bar of the dialog",
                trigger: `${DIALOG}:contains(Search: Product) button:has(i.fa-search)`,
                run: "click",
            },
            { content: "Search the part", trigger: `${DIALOG} .o_searchview_input`, run: "edit Expansion && press Enter" },
            {
                content: "Choose the expansion vessel",
                trigger: `${DIALOG} .o_kanban_record:contains(Expansion vessel (tour))`,
                run: "click",
            },
            {
                content: "The part is on the item",
                trigger: "body:not(:has(.modal)) .o_field_widget[name=part_ids] .o_data_row .o_field_widget[name=product_id] input:value(Expansion vessel (tour))",
            },
            tap({
                content: "Take a photo",
                trigger: ".o_field_widget[name=photo_ids] input.o_input_file:not(:visible)",
                run() {
                    uploadPhoto(this.anchor);
                },
            }),
            {
                content: "The photo is there",
                trigger: ".o_field_widget[name=photo_ids] .o_attachment[title='boiler-plate.png']",
            },
            {
                content: "Done: nothing to approve, the repair is done in one tap",
                trigger: `${PHONE_ACTIONS} button[name=action_done]:contains(Done)`,
                run: "click",
            },
            {
                content: "The item is done",
                trigger: ".o_form_view .o_statusbar_status:contains(Done)",
            },
            { content: "Back to the order", trigger: ".o_breadcrumb .o_back_button", run: "click" },
            {
                content: "The order shows the work item done",
                trigger: ".o_so_work_items .o_kanban_record:contains(Boiler in safety lockout):contains(Done)",
            },
            ...look(
                soTour.checkHeaderButtons(
                    { hidden: NOT_FOR_TECHNICIANS },
                    "No Submit, Review, Add Field Workers, Close or Invite for a technician"
                )
            ),
            {
                content: "Complete, a big button on the first screen",
                trigger: `${PHONE_ACTIONS} button[name=action_open_complete]:contains(Complete)`,
                run: "click",
            },
            ...soTour.checkWizard("Completion"),
            ...answer("Boiler restarted", "yes"),
            {
                content: "The customer's name",
                trigger: `${DIALOG} .o_so_answer_signed_by`,
                run: "edit Marie Client",
            },
            tap({
                content: "The customer signs on the pad with a finger",
                trigger: `${DIALOG} .o_so_answer_signature canvas.o_web_sign_signature`,
                run() {
                    drawSignature(this.anchor);
                },
            }),
            ...soTour.confirmWizard("action_confirm", "Confirm"),
            ...soTour.checkState("completed", "Completed"),
            {
                content: "No next action any more",
                trigger: `.o_form_view:not(:has(${PHONE_ACTIONS} button:visible))`,
            },
            ...look(soTour.checkSmartButton("action_view_documents", "v2")),
        ]),
});
