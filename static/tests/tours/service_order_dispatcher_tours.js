/** @odoo-module **/
// Dispatcher tours: create and submit an order; add field workers to a planned order.
// The data is made by tests/test_tours.py (TestServiceOrderTours).
import { registry } from "@web/core/registry";
import { look, soTour, walk } from "@service_order/../tests/tours/service_order_tour_utils";


registry.category("web_tour.tours").add("service_order_dispatcher_submit_tour", {
    url: "/web/login",
    steps: () => [
        // from the login page, the dispatcher lands on the board of open orders, with New
        ...soTour.login("so_tour_dispatcher"),
        ...soTour.checkTitle("Service Orders"),
        {
            content: "Create a new order",
            trigger: ".o_control_panel button.o-kanban-button-new",
            run: "click",
        },
        ...soTour.checkState("draft", "Draft"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_open_submit", "Submit"]],
                hidden: ["action_open_review", "action_open_add_workers", "action_depart"],
            },
            "A draft shows Submit; a dispatcher has no Review"
        ),
        ...soTour.pickRecord("partner_id", "Lemaire", "Boulangerie Lemaire"),
        // the customer's address is proposed as the intervention location
        ...soTour.checkMany2one("location_id", "Boulangerie Lemaire"),
        ...soTour.pickRecord("location_id", "Oven", "Oven room"),
        {
            content: "The address of the location is shown",
            trigger: '.o_field_widget[name="location_address"]:contains("Rue de Fer 42")',
        },
        ...soTour.pickRecord("order_type_id", "Repair", "Repair (tour)"),
        ...soTour.editHtml("description", "Deck oven 2 stays below 180 degrees."),
        ...soTour.clickHeaderButton("action_open_submit", "Submit"),
        ...soTour.checkWizard("Submit SRV/"),
        {
            content: "Nothing is missing: no warning in the wizard",
            trigger: ".modal .o_form_view:not(:has(.alert-warning))",
        },
        ...soTour.checkMany2one("supervisor_id", "Sam Supervisor", ".modal"),
        ...soTour.confirmWizard("action_submit", "Submit"),
        ...soTour.checkState("submitted", "Submitted"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_open_cancel", "Cancel"]],
                hidden: ["action_open_submit", "action_open_review"],
            },
            "Submitted: no Submit any more, and still no Review for a dispatcher"
        ),
        {
            content: "The chatter says who must approve",
            trigger: '.o-mail-Message:contains("Submitted for approval to Sam Supervisor")',
        },
    ],
});

registry.category("web_tour.tours").add("service_order_dispatcher_add_workers_tour", {
    url: "/web/login",
    steps: () => [
        // the board of open orders is where the dispatcher lands
        ...soTour.login("so_tour_dispatcher"),
        ...soTour.checkTitle("Service Orders"),
        // approved with a start but nobody to lead it: planned means booked, it waits To Plan
        ...soTour.openKanbanCard("Clinique Sainte-Anne", "To Plan"),
        ...soTour.checkState("to_plan", "To Plan"),
        ...soTour.checkHeaderButtons(
            {
                visible: [
                    ["action_open_add_workers", "Add Field Workers"],
                    ["action_open_plan", "Plan"],
                ],
                hidden: ["action_open_review", "action_open_submit"],
            },
            "An order to plan shows Plan and Add Field Workers; a dispatcher has no Review"
        ),
        {
            content: "No field worker yet",
            trigger: '.o_form_view .o_field_widget[name="field_worker_ids"]:not(:has(.o_tag))',
        },
        ...soTour.checkSmartButton("action_open_channel", "Workspace"),
        ...soTour.clickHeaderButton("action_open_add_workers", "Add Field Workers"),
        ...soTour.checkWizard("Add field workers to SRV/"),
        ...soTour.pickRecord("user_ids", "Tom", "Tom Technician", ".modal"),
        ...soTour.pickRecord("user_ids", "Lucy", "Lucy Technician", ".modal"),
        ...soTour.pickRecord("lead_technician_id", "Lucy", "Lucy Technician", ".modal"),
        ...soTour.pickRecord("vehicle_id", "TOUR-01", "TOUR-01", ".modal"),
        ...soTour.confirmWizard("action_confirm", "Add"),
        {
            content: "Both workers are shown on the order",
            trigger:
                '.o_form_view .o_field_widget[name="field_worker_ids"]:has(.o_tag:contains("Tom Technician")):has(.o_tag:contains("Lucy Technician"))',
        },
        {
            content: "Lucy leads",
            trigger: '.o_form_view .o_field_widget[name="lead_technician_id"]:contains("Lucy Technician")',
        },
        // booked now: a lead technician and a start
        ...soTour.checkState("planned", "Planned"),
        ...soTour.checkSmartButton("action_open_channel", "Workspace"),
        {
            content: "The chatter announces the new workers",
            trigger: '.o-mail-Message:contains("Field workers added:"):contains("Tom Technician")',
        },
        // back on the board: the card shows who leads, and how many more work on the order
        ...soTour.back(),
        {
            content: "The card shows Lucy's avatar, who leads",
            trigger:
                '.o_kanban_record:contains("Clinique Sainte-Anne") [name="lead_technician_id"] [data-tooltip="Lucy Technician"] img',
        },
        {
            content: "and one more field worker",
            trigger: '.o_kanban_record:contains("Clinique Sainte-Anne") .o_service_order_more_workers:contains("+1")',
        },
    ],
});

registry.category("web_tour.tours").add("service_order_dispatcher_map_tour", {
    url: "/web/login",
    steps: () => [
        ...soTour.login("so_tour_dispatcher"),
        ...soTour.openMenu("service_order.service_order_menu_map"),
        ...soTour.checkTitle("Map"),
        {
            content: "Today's order is a marker on the map (the tiles need the internet)",
            trigger: '.leaflet-container .leaflet-marker-icon[title^="SRV/"]',
        },
        {
            content: "Only today's order: next week's is not on today's map",
            trigger: '.leaflet-container .leaflet-marker-icon[title^="SRV/"]',
            run() {
                const markers = document.querySelectorAll(".leaflet-container .leaflet-marker-icon[title^='SRV/']");
                if (markers.length !== 1) {
                    throw new Error(`expected one marker for today, got ${markers.length}`);
                }
            },
        },
    ],
});

// The day route's map as a dispatcher sees it: a customer renamed themselves with HTML in
// the portal; the pin's popup must hold that name as text, and no script may run.
const HOSTILE_NAME = "<img src=x onerror=alert(1)>";

registry.category("web_tour.tours").add("service_order_dispatcher_route_map_tour", {
    url: "/web/login",
    steps: () => [
        ...soTour.login("so_tour_dispatcher"),
        {
            content: "Record every alert: one would mean a customer's name ran as a script",
            trigger: "body",
            run() {
                window.__soAlerts = [];
                window.alert = (message) => window.__soAlerts.push(String(message));
            },
        },
        ...soTour.openMenu("service_order.service_route_menu"),
        {
            content: "Today's route of the technician is open",
            trigger: '.o_form_view .o_field_widget[name="user_id"]:contains("Tom Technician")',
        },
        ...soTour.clickHeaderButton("action_view_map", "Map"),
        {
            content: "Click the stop's pin",
            trigger: ".leaflet-container .leaflet-marker-icon",
            run: "click",
        },
        {
            content: "The popup shows the customer's name as text: no image, no script",
            trigger: ".leaflet-popup-content .o_map_selector",
            async run() {
                const popup = document.querySelector(".leaflet-popup-content .o_map_selector");
                if (!popup.textContent.includes(HOSTILE_NAME)) {
                    throw new Error(`the popup does not show the name as text: ${popup.innerHTML}`);
                }
                if (document.querySelector(".leaflet-popup-content img, .leaflet-popup-content [onerror]")) {
                    throw new Error(`the popup holds markup from the name: ${popup.innerHTML}`);
                }
                // an image that fails to load fires its onerror a moment later
                await new Promise((resolve) => setTimeout(resolve, 500));
                if (window.__soAlerts.length) {
                    throw new Error(`a script ran: alert(${window.__soAlerts.join(", ")})`);
                }
            },
        },
    ],
});

// The dispatcher reschedules a planned order to this afternoon, from the login page: the board,
// the order, Create a Confirmation (after approval the PDF is the truth: the schedule changes
// through a confirmation, version 2), the new start (the end follows), why. A walk: budget 5.
registry.category("web_tour.tours").add("service_order_dispatcher_reschedule_walk", {
    url: "/web/login",
    steps: () =>
        walk("dispatcher_reschedule", 5, [
            ...soTour.login("so_tour_dispatcher"),
            ...soTour.checkTitle("Service Orders"),
            ...soTour.openKanbanCard("Hôtel des Galeries", "Planned"),
            ...soTour.clickHeaderButton("action_open_confirmation", "Create a Confirmation"),
            ...soTour.checkWizard("Create a confirmation for SRV/"),
            {
                content: "The new start",
                trigger: '.modal .o_field_widget[name="scheduled_start"] input',
                run: "edit 01/15/2030 14:00:00",
            },
            {
                content: "Why",
                trigger: '.modal .o_field_widget[name="reason"] textarea',
                run: "edit The customer asked for the afternoon.",
            },
            {
                content: "The end followed the start: the job keeps its two hours",
                trigger: '.modal .o_field_widget[name="scheduled_end"] input:value("01/15/2030 16:00")',
            },
            ...soTour.confirmWizard("action_confirm", "Create Confirmation"),
            ...look(soTour.checkSmartButton("action_view_documents", "v2")),
        ]),
});
