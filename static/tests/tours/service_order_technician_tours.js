/** @odoo-module **/
// Technician tour, meant for a phone-sized screen (tests/test_tours.py runs it at 390x844
// with touch): My Orders, then the field work from "On my way" to "Complete".
// The helpers emit desktop steps too, so it also runs on a desktop screen.
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

// what a technician must never see on an order
const NOT_FOR_TECHNICIANS = [
    "action_open_submit",
    "action_open_review",
    "action_open_add_workers",
    "action_open_close",
];

registry.category("web_tour.tours").add("service_order_technician_field_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.openMenu("service_order.service_order_menu_my"),
        ...soTour.checkTitle("My Orders"),
        {
            content: "Only the orders assigned to the technician are listed",
            trigger:
                '.o_kanban_view:has(.o_kanban_record:contains("Brasserie Mont-des-Arts")):not(:has(.o_kanban_record:contains("Atelier Mertens")))',
        },
        ...soTour.openKanbanCard("Brasserie Mont-des-Arts"),
        ...soTour.checkState("planned", "Planned"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_depart", "On my way"]],
                hidden: [...NOT_FOR_TECHNICIANS, "action_arrive", "action_start_work", "action_open_complete"],
            },
            "Planned: On my way; no Submit, Review, Add Field Workers or Close for a technician"
        ),
        // on the way ---------------------------------------------------------------
        ...soTour.clickHeaderButton("action_depart", "On my way"),
        ...soTour.checkState("in_progress", "In Progress"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_arrive", "Arrived on site"], ["action_customer_absent", "Customer Absent"]],
                hidden: [...NOT_FOR_TECHNICIANS, "action_depart", "action_open_complete"],
            },
            "En route: Arrived on site"
        ),
        // on site ------------------------------------------------------------------
        ...soTour.clickHeaderButton("action_arrive", "Arrived on site"),
        ...soTour.checkHeaderButtons(
            {
                visible: [
                    ["action_start_work", "Start work"],
                    ["action_open_confirmation", "Create a Confirmation"],
                    ["action_open_complete", "Complete"],
                ],
                hidden: [...NOT_FOR_TECHNICIANS, "action_arrive"],
            },
            "On site: Start work, Create a Confirmation, Complete"
        ),
        ...soTour.clickHeaderButton("action_start_work", "Start work"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_pause", "Pause"], ["action_open_complete", "Complete"]],
                hidden: [...NOT_FOR_TECHNICIANS, "action_start_work"],
            },
            "Working: Pause and Complete"
        ),
        // a confirmation: one extra part, and why ----------------------------------
        ...soTour.clickHeaderButton("action_open_confirmation", "Create a Confirmation"),
        ...soTour.checkWizard("Create a confirmation for SRV/"),
        ...soTour.editField("reason", "The expansion vessel is split; replaced it.", ".modal"),
        ...soTour.addLine(
            "line_ids",
            (line) => [
                ...soTour.pickRecord("product_id", "Expansion", "Expansion vessel (tour)", line),
                ...soTour.editField("quantity", "2", line),
            ],
            ".modal"
        ),
        {
            content: "The line is in the wizard",
            trigger: '.modal .o_field_widget[name="line_ids"]:contains("Expansion vessel (tour)")',
        },
        ...soTour.confirmWizard("action_confirm", "Create Confirmation"),
        ...soTour.checkSmartButton("action_view_confirmations", "Confirmations"),
        ...soTour.checkSmartButton("action_view_documents", "v2"),
        // complete -----------------------------------------------------------------
        ...soTour.clickHeaderButton("action_open_complete", "Complete"),
        ...soTour.checkWizard("Complete SRV/"),
        ...soTour.tick("check_work_done", ".modal"),
        ...soTour.tick("check_site_clean", ".modal"),
        ...soTour.tick("check_customer_informed", ".modal"),
        ...soTour.confirmWizard("action_confirm", "Close Order"),
        ...soTour.checkState("completed", "Completed"),
        ...soTour.checkHeaderButtons(
            {
                hidden: [
                    ...NOT_FOR_TECHNICIANS,
                    "action_open_complete",
                    "action_pause",
                    "action_open_confirmation",
                    "action_open_cancel",
                ],
            },
            "Completed: no field button any more"
        ),
    ],
});
