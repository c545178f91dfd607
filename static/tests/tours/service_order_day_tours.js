/** @odoo-module **/
// A technician's whole day on a 390x844 phone, from the landing page (My Day), tapping
// only visible buttons: accept, on my way, arrived (the step's form), start work, a
// confirmation with an extra part (version 2), the completion form with the customer's
// signature, then the completion report (version 3) in the documents. The data is made by
// tests/test_tours_day.py.
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

const CARD = '.o_kanban_record:contains("Brasserie Mont-des-Arts")';
const PHONE_ACTIONS = ".o_form_view .o_so_phone_actions";
const DIALOG = ".modal:not(.o_inactive_modal)";
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

function tapPhoneAction(name, label) {
    return [
        {
            content: `"${label}" is a big button on the first screen`,
            trigger: `${PHONE_ACTIONS} button[name="${name}"]:contains("${label}")`,
            run: "click",
        },
    ];
}

function answerYes(question) {
    return [
        {
            content: `Open the question "${question}"`,
            trigger: `${DIALOG} .o_field_widget[name="line_ids"] .o_kanban_record:contains("${question}")`,
            run: "click",
        },
        {
            content: "Answer yes",
            trigger: `${DIALOG} .o_field_widget[name="value_yes_no"] input[data-value="yes"]`,
            run: "click",
        },
        {
            content: "Keep the answer",
            trigger: `${DIALOG} .modal-footer .o_form_button_save`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("service_order_technician_day_tour", {
    url: "/odoo",
    steps: () => [
        ...soTour.openApp(),
        ...soTour.checkTitle("My Day"),
        {
            content: "Only the technician's own orders are there",
            trigger: '.o_kanban_view:has(.o_kanban_record:contains("Brasserie Mont-des-Arts")):not(:has(.o_kanban_record:contains("Atelier Mertens")))',
        },
        {
            content: "Today's order shows its time window, address and status",
            trigger: `${CARD}:contains("09:00"):contains("Rue Ravenstein 2"):has(button[name="action_navigate"])`,
        },
        ...tapCard("action_accept_assignment", "Accept"),
        ...tapCard("action_depart", "On my way"),
        {
            content: "On the way: the next action is Arrived on site",
            trigger: `${CARD} button[name="action_arrive"]:contains("Arrived on site")`,
        },
        // the order itself: its next actions are big buttons at the top of the sheet
        {
            content: "Open the order",
            trigger: CARD,
            run: "click",
        },
        ...tapPhoneAction("action_arrive", "Arrived on site"),
        ...soTour.checkWizard("Arrived on site"),
        ...answerYes("Site accessible"),
        {
            content: "The answer is kept in the form",
            trigger: `${DIALOG} .o_field_widget[name="line_ids"] .o_kanban_record:contains("Site accessible")`,
        },
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        ...tapPhoneAction("action_start_work", "Start work"),
        ...soTour.checkHeaderButtons(
            { hidden: NOT_FOR_TECHNICIANS },
            "No Submit, Review, Add Field Workers, Close or Invite for a technician"
        ),
        // a confirmation: one extra part, and why (the next PDF version)
        ...tapPhoneAction("action_open_confirmation", "Confirmation"),
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
        ...soTour.checkSmartButton("action_view_documents", "v2"),
        ...tapPhoneAction("action_open_complete", "Complete"),
        ...soTour.checkWizard("Completion"),
        ...answerYes("Boiler restarted"),
        {
            content: "Open the signature question",
            trigger: `${DIALOG} .o_field_widget[name="line_ids"] .o_kanban_record:contains("Customer signature")`,
            run: "click",
        },
        ...soTour.editField("signed_by", "Marie Client", DIALOG),
        {
            content: "Sign",
            trigger: `${DIALOG} .o_field_widget[name="value_binary"].o_field_signature .o_signature`,
            run: "click",
        },
        {
            content: "The customer's name signs (automatic signature)",
            trigger: `${DIALOG} .o_web_sign_name_and_signature .o_web_sign_signature`,
        },
        {
            content: "Adopt the signature",
            trigger: `${DIALOG} .modal-footer button.btn-primary:contains("Adopt")`,
            run: "click",
        },
        {
            content: "Keep the answer",
            trigger: `${DIALOG}:not(:has(.o_web_sign_name_and_signature)) .modal-footer .o_form_button_save`,
            run: "click",
        },
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        ...soTour.checkState("completed", "Completed"),
        {
            content: "No next action any more",
            trigger: `.o_form_view:not(:has(${PHONE_ACTIONS} button:visible))`,
        },
        // the completion report is the order's last version
        ...soTour.checkSmartButton("action_view_documents", "v3"),
        {
            content: "Open the smart buttons",
            trigger: ".o_control_panel .o_button_more",
            run: "click",
        },
        {
            content: "Open the documents",
            trigger: '.o-form-buttonbox button[name="action_view_documents"]',
            run: "click",
        },
        {
            content: "The completion report is there",
            trigger: '.o_view_controller:contains("Completion report")',
        },
    ],
});
