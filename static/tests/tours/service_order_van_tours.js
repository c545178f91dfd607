/**
 * Browser tour of the parts from the van (tests/test_tours_van.py): the technician on a phone
 * adds a part used in three taps (Add a part, the part found by its name, Done), sees the
 * van's quantity beside it, and walks the work item to done; the test then checks that the
 * van's stock dropped.
 */
import { registry } from "@web/core/registry";

/** On a phone the form's header buttons live in the control panel's action (cog) menu. */
function headerButton(name, content) {
    return [
        {
            content: "Open the actions menu of the form",
            trigger: ".o_control_panel .o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: `.o-dropdown--menu button[name=${name}]`,
            run: "click",
        },
    ];
}

function statusIs(label) {
    const bar = ".o_form_view .o_statusbar_status";
    return {
        content: `The status bar shows ${label}`,
        trigger: `${bar} .o_arrow_button_current:contains(${label}), ${bar} button.dropdown-toggle:not(.o_arrow_button):contains(${label})`,
    };
}

registry.category("web_tour.tours").add("service_order_van_part_phone", {
    url: "/odoo/action-service_order.service_order_action_my",
    steps: () => [
        {
            content: "My Orders shows the order, technician on site",
            trigger: ".o_kanban_view .o_kanban_record:contains(Van Tour Customer)",
            run: "click",
        },
        {
            content: "Go to the Repair Board",
            trigger: ".o_form_view .o_notebook a.nav-link:contains(Repair Board)",
            run: "click",
        },
        {
            content: "Open the work item",
            trigger: ".o_field_widget[name=work_item_ids] .o_kanban_record:contains(Leaking heating pipe) button[name=action_open_form]",
            run: "click",
        },
        statusIs("Draft"),
        // tap 1
        {
            content: "Add a part",
            trigger: ".o_form_view .o_service_part_picker_button button",
            run: "click",
        },
        {
            content: "The dialog says which van the parts leave, and lists what it carries",
            trigger: ".modal .o_service_part_picker_van:contains(T-EST-01)",
        },
        {
            content: "Search the part by its name",
            trigger: ".modal .o_service_part_picker_search",
            run: "edit Copper",
        },
        // tap 2
        {
            content: "The copper pipe is found, 10 m in the van: choose it",
            trigger: ".modal .o_service_part_picker_product:contains(Copper pipe (test)):not(:contains(Expansion)) .o_service_part_picker_on_hand:contains(10)",
            run: "click",
        },
        {
            content: "The quantity is one",
            trigger: ".modal .o_service_part_picker_quantity input:value(1)",
        },
        // tap 3
        {
            content: "Done",
            trigger: ".modal .o_service_part_picker_done:enabled",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Open the Parts tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains(Parts)",
            run: "click",
        },
        {
            content: "The part is on the work item",
            trigger: ".o_field_widget[name=part_ids] .o_data_row:contains(Copper pipe (test))",
        },
        ...headerButton("action_submit", "Submit the work item"),
        statusIs("Approved"),
        ...headerButton("action_start_repair", "Start the repair"),
        statusIs("In Repair"),
        ...headerButton("action_submit_repair", "Submit the repair"),
        statusIs("Repair Submitted"),
        ...headerButton("action_complete_repair", "Complete the work item"),
        statusIs("Done"),
    ],
});
