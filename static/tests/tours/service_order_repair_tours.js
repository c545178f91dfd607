/**
 * Browser tours of the repair board (tests/test_tours_repair.py):
 * - the technician on a phone creates a work item from the diagnosis, adds a photo and walks
 *   it to done (workflow A: no approval required);
 * - the customer, not logged in, accepts the work items through the signed consent link;
 * - the dispatcher reassigns and resolves a fallout.
 *
 * Each step checks what the user sees; buttons are found by their method name, so a renamed
 * or hidden button breaks the tour.
 */
import { registry } from "@web/core/registry";
import { soTour } from "@service_order/../tests/tours/service_order_tour_utils";

// a 1x1 PNG: the smallest photo there is
const PNG_BASE64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** Put ``file`` in the file input (as the phone's camera or file picker would). */
function uploadFile(input, file) {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(file);
    input.files = dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

function pngFile(name) {
    const bytes = Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0));
    return new File([bytes], name, { type: "image/png" });
}

function statusIs(label) {
    // when the states do not fit the screen, the status bar shows the current one as a dropdown
    const bar = ".o_form_view .o_statusbar_status";
    return {
        content: `The status bar shows ${label}`,
        trigger: `${bar} .o_arrow_button_current:contains(${label}), ${bar} button.dropdown-toggle:not(.o_arrow_button):contains(${label})`,
    };
}

const ITEM_BUTTONS = [
    "action_submit",
    "action_start_repair",
    "action_submit_repair",
    "action_complete_repair",
];


// -------------------------------------------------------------------------------------------
// 1. The technician on a phone, workflow A
// -------------------------------------------------------------------------------------------
registry.category("web_tour.tours").add("service_order_repair_technician_phone", {
    // a technician signing in with nothing asked lands on the day page (issue 26): this walk is
    // the web client's, from the login page of a link to My Day
    url: "/web/login?redirect=/odoo/action-service_order.service_order_action_my_day",
    steps: () => [
        // from the login page to My Day; the order has no schedule: it is among My Orders
        ...soTour.login("so_tech", "so_techx"),
        ...soTour.checkTitle("My Day"),
        ...soTour.openMenu("service_order.service_order_menu_my"),
        {
            content: "My Orders shows the order, technician on site",
            trigger:
                ".o_kanban_view .o_kanban_record:contains(Bakery Tour Customer):has(.o_field_widget[name=technician_status]:contains(On Site))",
            run: "click",
        },
        {
            content: "The order is open, in progress",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains(Bakery Tour Customer)",
        },
        statusIs("In Progress"),
        {
            content: "Its work items are on the first screen: none yet, and the addon says what to do",
            trigger: ".o_form_view .o_so_work_items:contains(No work item yet):not(:has(.o_kanban_record))",
        },
        {
            content: "Create a work item from the diagnosis",
            trigger: ".o_form_view .o_so_work_items button[name=action_new_work_item]",
            run: "click",
        },
        // the new work item
        statusIs("Draft"),
        {
            content: "The new work item belongs to the order: its customer shows",
            trigger: ".o_form_view:has(.o_field_widget[name=complaint]) .o_field_widget[name=partner_id]:contains(Bakery Tour Customer)",
        },
        {
            content: "Enter the complaint",
            trigger: ".o_form_view .o_field_widget[name=complaint] input",
            run: "edit Boiler in safety lockout",
        },
        {
            content: "Enter the diagnosis",
            trigger: ".o_form_view .o_field_widget[name=diagnosis] textarea",
            run: "edit Pressure at 0.4 bar: the expansion vessel is split.",
        },
        {
            content: "Enter the estimated hours",
            trigger: ".o_form_view .o_field_widget[name=estimated_hours] input",
            run: "edit 1:30",
        },
        {
            content: "Add a part: on the same screen, no tab",
            trigger: ".o_field_widget[name=part_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            // on a phone, a many2one opens a search dialog instead of a dropdown
            content: "Open the product search",
            trigger: ".o_field_widget[name=part_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "click",
        },
        {
            content: "Open the search bar of the dialog",
            trigger: ".modal:contains(Search: Product) button:has(i.fa-search)",
            run: "click",
        },
        {
            content: "Search the product",
            trigger: ".modal .o_searchview_input",
            run: "edit Expansion vessel && press Enter",
        },
        {
            content: "Choose the expansion vessel",
            trigger: ".modal .o_kanban_record:contains(Expansion vessel (test))",
            run: "click",
        },
        {
            content: "The part line shows the product",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=part_ids] .o_data_row .o_field_widget[name=product_id] input:value(Expansion vessel (test))",
        },
        {
            content: "Two of them",
            trigger: ".o_field_widget[name=part_ids] .o_data_row .o_field_widget[name=quantity] input",
            run: "edit 2",
        },
        {
            content: "Take a photo",
            trigger: ".o_field_widget[name=photo_ids] input.o_input_file:not(:visible)",
            run() {
                uploadFile(this.anchor, pngFile("boiler-photo.png"));
            },
        },
        {
            content: "The photo is uploaded",
            trigger: ".o_field_widget[name=photo_ids] .o_attachment[title='boiler-photo.png']",
        },
        {
            // workflow A: nothing to approve, so the next step is Done (no Submit, Start Repair,
            // Submit Repair, Complete one after the other)
            content: "Done, a big button on the first screen",
            trigger: ".o_form_view .o_so_phone_actions button[name=action_done]:contains(Done)",
            run: "click",
        },
        statusIs("Done"),
        {
            content: "It shows one photo",
            trigger: ".o_form_view .o_field_widget[name=photo_count]:contains(1)",
        },
        {
            content: "A done item offers no more workflow buttons",
            trigger: ".o_control_panel .o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "No Done, Submit, Start Repair, Submit Repair, Complete nor Report Fallout any more",
            trigger: `.o-dropdown--menu${["action_done", ...ITEM_BUTTONS, "action_report_fallout"]
                .map((n) => `:not(:has(button[name=${n}]))`)
                .join("")}`,
        },
        {
            content: "Back to the order",
            trigger: "button.o_back_button",
            run: "click",
        },
        {
            content: "The order shows the work item done, with its photo",
            trigger:
                ".o_so_work_items .o_kanban_record:contains(Boiler in safety lockout):contains(1 photo(s)):has(.o_field_widget[name=state]:contains(Done))",
        },
    ],
});

// -------------------------------------------------------------------------------------------
// 2. The customer through the signed consent link (not logged in)
// -------------------------------------------------------------------------------------------
const RELAY = ".o_service_order_consent_form .card:has(h2:contains(Replace the compressor relay))";
const SEAL = ".o_service_order_consent_form .card:has(h2:contains(Replace the door seal))";

registry.category("web_tour.tours").add("service_order_repair_customer_consent", {
    steps: () => [
        {
            content: "The consent page of the order, for a visitor who is not logged in",
            trigger: "body:not(:has(.o_main_navbar)) h1:contains(Your consent for service order)",
        },
        {
            content: "The first item shows its complaint, diagnosis, hours and parts",
            trigger: `${RELAY}:contains(The relay contacts are burnt.):contains(Estimated time: 1.25 h):contains(Expansion vessel (test)):contains(2.5):contains(Copper pipe (test))`,
        },
        {
            content: "The second item shows its complaint, diagnosis and hours, and no part",
            trigger: `${SEAL}:contains(The seal is torn at the hinge side.):contains(Estimated time: 0.5 h):not(:has(ul))`,
        },
        {
            content: "Accept the first item",
            trigger: `${RELAY} label:contains(Accept)`,
            run: "click",
        },
        {
            content: "Accept the second item",
            trigger: `${SEAL} label:contains(Accept)`,
            run: "click",
        },
        {
            content: "The first item is accepted, not refused",
            trigger: `${RELAY}:has(input[value=accepted]:checked):not(:has(input[value=refused]:checked)) h2`,
        },
        {
            content: "The second item is accepted, not refused",
            trigger: `${SEAL}:has(input[value=accepted]:checked):not(:has(input[value=refused]:checked)) h2`,
        },
        {
            content: "Send the decision",
            trigger: ".o_service_order_consent_form button[type=submit]:contains(Send my decision)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thank-you page",
            trigger: "h1:contains(Thank you, your decision is recorded)",
        },
        {
            content: "It lists both items as accepted",
            trigger:
                ".o_service_order_consent_done:has(li:contains(Replace the compressor relay):contains(Accepted by the customer)):has(li:contains(Replace the door seal):contains(Accepted by the customer))",
        },
    ],
});

// -------------------------------------------------------------------------------------------
// 3. The dispatcher handles a fallout
// -------------------------------------------------------------------------------------------
const FALLOUT_CARD = ".o_kanban_record:contains(Replace the drain pipe):contains(Parts missing)";

registry.category("web_tour.tours").add("service_order_repair_dispatcher_fallout", {
    url: "/web/login",
    steps: () => [
        ...soTour.login("so_dispatcher"),
        {
            content: "Open the Fallouts menu",
            trigger: ".o_menu_sections [data-menu-xmlid='service_order.service_fallout_menu']",
            run: "click",
        },
        {
            content: "The kanban is grouped by state: the fallout is in the Open column",
            trigger: `.o_kanban_view .o_kanban_group:has(.o_column_title:contains(Open)) ${FALLOUT_CARD}`,
        },
        {
            content: "The other columns are there, empty of it",
            trigger: `.o_kanban_view:has(.o_kanban_group .o_column_title:contains(Resolved)):not(:has(.o_kanban_group:has(.o_column_title:contains(Resolved)) ${FALLOUT_CARD}))`,
        },
        {
            content: "Open the fallout",
            trigger: `.o_kanban_view ${FALLOUT_CARD}`,
            run: "click",
        },
        {
            content: "The fallout shows what was reported, assigned to the dispatcher",
            trigger: ".o_form_view:has(.o_field_widget[name=description] textarea:value(Only 1 m of pipe left in the van)) .o_field_widget[name=user_id] input:value(So Dispatcher)",
        },
        statusIs("Open"),
        {
            content: "The dispatcher has the activity",
            trigger: ".o-mail-Activity .o-mail-Activity-user:contains(for So Dispatcher)",
        },
        {
            content: "Assigned already: Reassign is offered, not Assign",
            trigger:
                ".o_form_view .o_statusbar_buttons:has(button[name=action_open_resolve]):not(:has(button.btn-primary[name=action_open_assign]))",
        },
        {
            content: "Reassign the fallout",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_assign]:contains(Reassign)",
            run: "click",
        },
        {
            content: "The assign wizard lists the fallout",
            trigger: ".modal .o_field_widget[name=fallout_ids] .o_tag",
        },
        {
            content: "Search the other technician",
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit So Tech Two",
        },
        {
            content: "Choose them",
            trigger: ".o-autocomplete--dropdown-menu a:contains(So Tech Two)",
            run: "click",
        },
        {
            content: "Say what to do",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Bring the pipe",
        },
        {
            content: "Confirm the assignment",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The wizard is closed; the fallout is assigned to the other technician",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=user_id] input:value(So Tech Two)",
        },
        {
            content: "The activity moved to the new assignee",
            trigger:
                ".o-mail-Chatter:has(.o-mail-Activity-user:contains(for So Tech Two)):not(:has(.o-mail-Activity-user:contains(for So Dispatcher)))",
        },
        {
            content: "The chatter says who reassigned it",
            trigger: ".o-mail-Message:contains(Reassigned from So Dispatcher to So Tech Two)",
        },
        {
            content: "Resolve the fallout",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_resolve]",
            run: "click",
        },
        {
            content: "Say how it was solved",
            trigger: ".modal .o_field_widget[name=resolution] textarea",
            run: "edit 3 m of pipe brought from the warehouse",
        },
        {
            content: "Confirm the resolution",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        statusIs("Resolved"),
        {
            content: "The form shows the resolution",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=resolution]:contains(3 m of pipe brought from the warehouse)",
        },
        {
            content: "A resolved fallout can be closed or reopened, no longer reassigned or resolved",
            trigger:
                ".o_form_view .o_statusbar_buttons:has(button[name=action_close]):has(button[name=action_reopen]):not(:has(button[name=action_open_assign])):not(:has(button[name=action_open_resolve]))",
        },
        {
            content: "No activity left",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Activity))",
        },
        {
            content: "Back to the fallouts",
            trigger: ".o_control_panel .breadcrumb-item a:contains(Fallouts)",
            run: "click",
        },
        {
            content: "The fallout is in the Resolved column now",
            trigger: `.o_kanban_view .o_kanban_group:has(.o_column_title:contains(Resolved)) ${FALLOUT_CARD}`,
        },
    ],
});
