/**
 * Browser tour of the parts from the van (tests/test_tours_van.py): the technician on a phone
 * adds a part used in three taps (Add a part, the part found by its name, Done), sees the
 * van's quantity beside it, and taps Done (the work item's big button); the test then checks that the
 * van's stock dropped.
 */
import { registry } from "@web/core/registry";

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
            content: "Open the work item: on the order's first screen",
            trigger: ".o_form_view .o_so_work_items .o_kanban_record:contains(Leaking heating pipe) button[name=action_open_form]",
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
            content: "The part is on the work item (the same screen)",
            trigger: ".o_field_widget[name=part_ids] .o_data_row:contains(Copper pipe (test))",
        },
        {
            // nothing to approve: Done in one tap (issue 25), through the repair's states
            content: "Done, a big button on the first screen",
            trigger: ".o_form_view .o_so_phone_actions button[name=action_done]:contains(Done)",
            run: "click",
        },
        statusIs("Done"),
    ],
});
