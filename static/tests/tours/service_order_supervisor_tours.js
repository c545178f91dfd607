/** @odoo-module **/
// Supervisor tour: approve one submitted order, reject another with a reason.
// The data is made by tests/test_tours.py (TestServiceOrderTours).
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

registry.category("web_tour.tours").add("service_order_supervisor_review_tour", {
    url: "/web/login",
    steps: () => [
        // from the login page, the supervisor lands on the orders to approve
        ...soTour.login("so_tour_supervisor"),
        ...soTour.checkTitle("To Approve"),
        {
            content: "Both submitted orders wait for approval",
            trigger:
                '.o_list_view:has(.o_data_row:contains("Brasserie Mont-des-Arts")):has(.o_data_row:contains("Hôtel des Galeries"))',
        },
        // approve ---------------------------------------------------------------
        ...soTour.openListRow("Brasserie Mont-des-Arts"),
        ...soTour.checkState("submitted", "Submitted"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_open_review", "Review"]],
                hidden: ["action_open_submit", "action_open_add_workers"],
            },
            "A submitted order shows Review to a supervisor"
        ),
        {
            content: "No document before approval",
            trigger: '.o_form_view:not(:has(button[name="action_view_documents"]))',
        },
        ...soTour.clickHeaderButton("action_open_review", "Review"),
        ...soTour.checkWizard("Review SRV/"),
        {
            content: "Approve is the proposed decision",
            trigger: '.modal .o_field_widget[name="decision"] input[data-value="approve"]:checked',
        },
        {
            content: "No reason field while approving",
            trigger: '.modal .o_form_view:not(:has(.o_field_widget[name="reason"]))',
        },
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        ...soTour.checkState("planned", "Planned"),
        ...soTour.checkSmartButton("action_view_documents", "v1"),
        ...soTour.checkSmartButton("action_view_documents", "1 Documents"),
        ...soTour.checkSmartButton("action_open_channel", "Workspace"),
        ...soTour.checkHeaderButtons(
            {
                visible: [["action_open_add_workers", "Add Field Workers"]],
                hidden: ["action_open_review", "action_open_submit"],
            },
            "Planned: Add Field Workers, no Review any more"
        ),
        {
            content: "The chatter shows the approval and the first PDF",
            trigger:
                '.o-mail-Chatter:has(.o-mail-Message:contains("Approved by Sam Supervisor")):has(.o-mail-Message:contains("Document version 1"))',
        },
        // reject ----------------------------------------------------------------
        ...soTour.back(),
        {
            content: "The approved order left the list; the other still waits",
            trigger:
                '.o_list_view:not(:has(.o_data_row:contains("Brasserie Mont-des-Arts"))):has(.o_data_row:contains("Hôtel des Galeries"))',
        },
        ...soTour.openListRow("Hôtel des Galeries"),
        ...soTour.clickHeaderButton("action_open_review", "Review"),
        ...soTour.checkWizard("Review SRV/"),
        ...soTour.chooseRadio("decision", "reject", ".modal"),
        {
            content: "Confirm without a reason",
            trigger: '.modal .modal-footer button[name="action_confirm"]:contains("Confirm")',
            run: "click",
        },
        {
            content: "The reason is required: the wizard stays open with the field in error",
            trigger: '.modal .o_field_widget[name="reason"].o_field_invalid',
        },
        ...soTour.editField("reason", "Out of scope: the landlord maintains the lobby lighting.", ".modal"),
        ...soTour.confirmWizard("action_confirm", "Confirm"),
        {
            content: "The Rejected ribbon is shown",
            trigger: '.o_form_view .ribbon:contains("Rejected")',
        },
        ...soTour.checkState("rejected", "Rejected"),
        ...soTour.checkHeaderButtons(
            { hidden: ["action_open_review", "action_open_submit", "action_open_cancel"] },
            "A rejected order has no Review, Submit or Cancel"
        ),
        {
            content: "Open the Approval tab",
            trigger: '.o_notebook .nav-link:contains("Approval")',
            run: "click",
        },
        {
            content: "The reason is kept on the order",
            trigger: '.o_field_widget[name="reject_reason"]:contains("landlord maintains the lobby lighting")',
        },
    ],
});
