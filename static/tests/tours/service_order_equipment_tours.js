/** @odoo-module **/
// The customer's equipment, from its label to the technician's phone: a customer scans the
// label (its address opened on a 390x844 phone, not logged in) and asks for service; the
// dispatcher completes and submits the request, then plans it (field workers) once approved;
// the technician, on a phone, opens the order from My Day and reads the equipment's history.
// The data is made by tests/test_tours_equipment.py.
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

const CUSTOMER = "Brasserie Mont-des-Arts";
const REQUEST_FORM = "form.o_service_equipment_request_form";

/** Today at 09:00 as the web client of an en_US user reads a date and time (minutes, no seconds). */
function todayAt9() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(now.getMonth() + 1)}/${pad(now.getDate())}/${now.getFullYear()} 09:00`;
}

registry.category("web_tour.tours").add("service_order_equipment_customer_request", {
    steps: () => [
        {
            content: "The label opens the equipment's page, for a visitor who is not logged in",
            trigger: "body:not(:has(.o_main_navbar)) .o_service_equipment_portal h4:contains(Boiler cellar)",
        },
        {
            content: "The page says what it is",
            trigger: ".o_service_equipment_portal:contains(BX24-0001)",
        },
        {
            content: "Its service history: the work done last time",
            trigger: ".o_service_equipment_history li:contains(Burner cleaned)",
        },
        {
            content: "Describe the problem",
            trigger: `${REQUEST_FORM} textarea[name=description]`,
            run: "edit The boiler shows error E4 and the radiators stay cold.",
        },
        {
            content: "Leave a name and a phone number",
            trigger: `${REQUEST_FORM} input[name=contact]`,
            run: "edit Anne, bar manager, 0470 12 34 56",
        },
        {
            content: "Request service",
            trigger: `${REQUEST_FORM} button[type=submit]:contains(Request service)`,
            run: "click",
        },
        {
            content: "The request is received, with its number",
            trigger: ".o_service_equipment_request_done:contains(Thank you: your request is received):contains(SRV/)",
        },
    ],
});

registry.category("web_tour.tours").add("service_order_equipment_dispatcher_submit", {
    url: "/odoo",
    steps: () => [
        // the dispatcher lands on the board of open orders: the request is a draft there
        ...soTour.openApp(),
        ...soTour.checkTitle("Service Orders"),
        ...soTour.openKanbanCard(CUSTOMER, "Draft"),
        {
            content: "The order is the customer's request, for their equipment",
            trigger: '.o_form_view:contains("Requested by the customer") .o_field_widget[name="equipment_id"] input:value("Boiler cellar (BX24-0001)")',
        },
        {
            content: "The description is the customer's",
            trigger: '.o_form_view .o_field_html[name="description"]:contains("error E4")',
        },
        ...soTour.pickRecord("order_type_id", "Repair", "Repair (tour)"),
        {
            content: "Book it today at 9:00",
            trigger: '.o_form_view .o_field_widget[name="scheduled_start"] input',
            run: `edit ${todayAt9()} && press Enter`,
        },
        {
            content: "The end follows from the type's duration",
            trigger: '.o_form_view .o_field_widget[name="scheduled_end"] input:value(/11:00$/)',
        },
        ...soTour.clickHeaderButton("action_open_submit", "Submit"),
        ...soTour.checkWizard("Submit SRV/"),
        {
            content: "Nothing is missing: no warning in the wizard",
            trigger: ".modal .o_form_view:not(:has(.alert-warning))",
        },
        ...soTour.confirmWizard("action_submit", "Submit"),
        ...soTour.checkState("submitted", "Submitted"),
    ],
});

registry.category("web_tour.tours").add("service_order_equipment_dispatcher_plan", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        // approved with a start but nobody to lead it: planned means booked, it waits To Plan
        ...soTour.openKanbanCard(CUSTOMER, "To Plan"),
        ...soTour.clickHeaderButton("action_open_add_workers", "Add Field Workers"),
        ...soTour.checkWizard("Add field workers to SRV/"),
        ...soTour.pickRecord("user_ids", "Tom", "Tom Technician", ".modal"),
        ...soTour.pickRecord("lead_technician_id", "Tom", "Tom Technician", ".modal"),
        ...soTour.confirmWizard("action_confirm", "Add"),
        {
            content: "Tom leads the visit",
            trigger: '.o_form_view .o_field_widget[name="lead_technician_id"]:contains("Tom Technician")',
        },
    ],
});

registry.category("web_tour.tours").add("service_order_equipment_technician_history", {
    url: "/odoo",
    steps: () => [
        // the technician opens the app and lands on My Day: today's visit, from the request
        ...soTour.openApp(),
        ...soTour.checkTitle("My Day"),
        {
            content: "My Day shows the visit",
            trigger: `.o_so_my_day .o_kanban_record:contains("${CUSTOMER}")`,
        },
        {
            content: "Open the visit",
            trigger: `.o_so_my_day .o_kanban_record:contains("${CUSTOMER}") .fw-bold:contains("${CUSTOMER}")`,
            run: "click",
        },
        { content: "The order's form is open", trigger: ".o_form_view .o_form_statusbar" },
        {
            content: "Open the smart buttons",
            trigger: ".o_control_panel .o_button_more",
            run: "click",
        },
        {
            content: "Open the equipment and its history",
            trigger: '.o-form-buttonbox button[name="action_view_equipment"]:contains("Equipment")',
            run: "click",
        },
        {
            content: "The equipment's form",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("Boiler cellar"), .o_form_view .o_field_widget[name="name"] input:value("Boiler cellar")',
        },
        {
            content: "Its history: the work another technician did last time",
            trigger: '.o_field_widget[name="history_ids"] .o_kanban_record:contains("Burner cleaned")',
        },
        {
            content: "and the parts used",
            trigger: '.o_field_widget[name="history_ids"] .o_kanban_record:contains("Expansion vessel (tour)")',
        },
        {
            content: "and today's request",
            trigger: '.o_field_widget[name="history_ids"] .o_kanban_record:contains("Service order"):contains("Planned")',
        },
    ],
});
