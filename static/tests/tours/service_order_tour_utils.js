/** @odoo-module **/
/**
 * Steps shared by the service_order browser tours.
 *
 * Every helper returns an array of tour steps (spread them into a tour's `steps`). Where the
 * web client differs between a desktop and a phone (apps menu, header buttons in the cog
 * menu, status bar), a helper emits both variants, filtered by `isActive: ["desktop"]` /
 * `["mobile"]`, so one tour runs unchanged at any screen size.
 *
 * Triggers name buttons by their method *and* their label (`button[name=action_arrive]
 * :contains("Arrived on site")`): a renamed or removed button makes the tour fail.
 *
 * To extend (work items, consent, fallouts...): add helpers here and compose them in new
 * tour files; the Python side (tests/test_tours.py) has the matching data builders.
 */

import { utils as uiUtils } from "@web/core/ui/ui_service";

const DESKTOP = ["desktop"];
const MOBILE = ["mobile"];
const COG_MENU = ".o_control_panel .o_cp_action_menus button:has(.fa-cog)";
const OPEN_DROPDOWN = ".o-dropdown--menu";

function q(text) {
    // quote a text for :contains() / :value()
    return JSON.stringify(String(text));
}

/** `:has(button...)` / `:not(:has(button...))` filters of header buttons. */
function buttonFilters({ visible = [], hidden = [] } = {}) {
    const has = visible.map(([name, label]) => `:has(button[name="${name}"]:contains(${q(label)}))`);
    const hasNot = hidden.map((name) => `:not(:has(button[name="${name}"]))`);
    return has.join("") + hasNot.join("");
}

// ---------------------------------------------------------------------- walks: counting taps
// A "walk" is a tour that does a role's task as the person would, from the login page, and
// counts what they tap: every step that clicks, ticks or types (a field typed in takes a tap to
// focus it), and the steps marked with tap() (a photo taken, a signature drawn). The count is
// logged ("service_order walk <name>: N taps ...", read by the Python test) and the walk fails
// when it goes over its budget. The login page's three taps are counted apart.
const TAP_RUNS = /^(click|dblclick|check|uncheck|select|edit|fill|drag_and_drop)\b/;
const MARKED_TAPS = new WeakSet();
const LOGIN_STEPS = new WeakSet();
const LOOKS = new WeakSet();

/** Mark a step whose run is a function (a photo, a signature) as one tap. */
export function tap(step) {
    MARKED_TAPS.add(step);
    return step;
}

/** Steps that only check what the user sees (opening a menu to look into it): not taps of the task. */
export function look(steps) {
    steps.forEach((step) => LOOKS.add(step));
    return steps;
}

function countsHere(step) {
    const where = uiUtils.isSmall() ? "mobile" : "desktop";
    return !step.isActive || !step.isActive.some((flag) => ["mobile", "desktop"].includes(flag)) ||
        step.isActive.includes(where);
}

function isTap(step) {
    return !LOOKS.has(step) && (MARKED_TAPS.has(step) || (typeof step.run === "string" && TAP_RUNS.test(step.run)));
}

/**
 * The steps of a walk, followed by the step that reports its taps and fails over ``budget``
 * (the taps after the login).
 */
export function walk(name, budget, steps) {
    const counted = steps.filter((step) => countsHere(step) && isTap(step));
    const login = counted.filter((step) => LOGIN_STEPS.has(step)).length;
    const taps = counted.length - login;
    const typed = counted.filter((step) => !LOGIN_STEPS.has(step) && /^(edit|fill)\b/.test(step.run || "")).length;
    return [
        ...steps,
        {
            content: `The walk ${name} took ${taps} taps (budget ${budget})`,
            trigger: "body",
            run() {
                console.log(`service_order walk ${name}: ${taps} taps after login (${typed} of them into a field ` +
                    `to type), ${login} on the login page, budget ${budget}`);
                if (taps > budget) {
                    throw new Error(`The walk ${name} takes ${taps} taps, more than its budget of ${budget}`);
                }
            },
        },
    ];
}

export const soTour = {
    // ------------------------------------------------------------------ login
    /**
     * Sign in on the login page (the tour's url is /web/login) and land where Odoo puts the
     * user: their home page (res.users' home action, set by their role).
     */
    login(login, password = login) {
        const steps = [
            { content: "Type the login", trigger: "input[name=login]", run: `edit ${login}` },
            { content: "Type the password", trigger: "input[name=password]", run: `edit ${password}` },
            {
                content: "Log in",
                trigger: "form.oe_login_form button[type=submit]",
                run: "click",
                expectUnloadPage: true,
            },
        ];
        steps.forEach((step) => LOGIN_STEPS.add(step));
        return [
            ...steps,
            { content: "Odoo puts the user on their home page", trigger: ".o_action_manager .o_view_controller" },
        ];
    },

    // ------------------------------------------------------------------ navigation
    /** Open the Service Orders app from the home menu (desktop) or the app sidebar (phone). */
    openApp() {
        return [
            {
                isActive: DESKTOP,
                content: "Open the apps menu",
                trigger: ".o_navbar_apps_menu button:enabled",
                run: "click",
            },
            {
                isActive: DESKTOP,
                content: "Open Service Orders",
                trigger: '.o_app[data-menu-xmlid="service_order.service_order_menu_root"]',
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Open the app sidebar",
                trigger: ".o_main_navbar .o_menu_toggle",
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Show all apps",
                trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary:contains('All Apps')",
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Open Service Orders",
                trigger: '.o_app_menu_sidebar li.o_app[data-menu-xmlid="service_order.service_order_menu_root"]',
                run: "click",
            },
            {
                content: "The app is open",
                trigger: ".o_action_manager .o_view_controller",
            },
        ];
    },

    /**
     * Open a menu of the app. `section` is the xmlid of a top menu holding sub-menus
     * (e.g. "Orders"), or null for a top-level entry ("My Orders", "Map").
     */
    openMenu(xmlid, section = null) {
        const steps = [];
        if (section) {
            steps.push({
                isActive: DESKTOP,
                content: `Open the menu ${section}`,
                trigger: `.o_menu_sections button[data-menu-xmlid="${section}"]`,
                run: "click",
            });
        }
        steps.push(
            {
                isActive: DESKTOP,
                content: `Open ${xmlid}`,
                trigger: `.o_menu_sections [data-menu-xmlid="${xmlid}"], .o-dropdown--menu [data-menu-xmlid="${xmlid}"]`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Open the app sidebar",
                trigger: ".o_main_navbar .o_menu_toggle",
                run: "click",
            },
            {
                isActive: MOBILE,
                content: `Open ${xmlid}`,
                trigger: `.o_app_menu_sidebar li[data-menu-xmlid="${xmlid}"]`,
                run: "click",
            }
        );
        return steps;
    },

    /** The action's title is shown (breadcrumb). */
    checkTitle(title) {
        return [
            {
                content: `The view "${title}" is shown`,
                trigger: `.o_breadcrumb .o_last_breadcrumb_item:contains(${q(title)})`,
            },
        ];
    },

    /** Open a kanban card of a given column holding `text`. */
    openKanbanCard(text, column = null) {
        const group = column
            ? `.o_kanban_group:has(.o_column_title:contains(${q(column)})) `
            : "";
        return [
            {
                content: `Open the card of ${text}${column ? ` in ${column}` : ""}`,
                trigger: `.o_kanban_view ${group}.o_kanban_record:contains(${q(text)})`,
                run: "click",
            },
            { content: "The order's form is open", trigger: ".o_form_view .o_form_statusbar" },
        ];
    },

    /** Open the list row holding `text`. */
    openListRow(text) {
        return [
            {
                content: `Open the row of ${text}`,
                trigger: `.o_list_view .o_data_row:contains(${q(text)}) .o_data_cell`,
                run: "click",
            },
            { content: "The order's form is open", trigger: ".o_form_view .o_form_statusbar" },
        ];
    },

    /** Go back one breadcrumb (desktop link or phone back arrow). */
    back() {
        return [
            {
                content: "Go back",
                trigger: ".o_breadcrumb .o_back_button",
                run: "click",
            },
        ];
    },

    // ------------------------------------------------------------------ form header
    /**
     * Check the header buttons: `visible` lists [name, label] pairs that must be shown,
     * `hidden` lists button names that must not be there (not rendered for the user).
     * On a phone the header buttons live in the cog menu: it is opened, checked, closed.
     */
    checkHeaderButtons({ visible = [], hidden = [] } = {}, content = "Check the header buttons") {
        const filters = buttonFilters({ visible, hidden });
        return [
            {
                isActive: DESKTOP,
                content,
                // on the status bar itself: its button area is empty (invisible) when no
                // button is left
                trigger: `.o_form_view .o_form_statusbar${filters}`,
            },
            {
                isActive: MOBILE,
                content: "Open the actions (cog) menu",
                trigger: COG_MENU,
                run: "click",
            },
            {
                isActive: MOBILE,
                content,
                trigger: `${OPEN_DROPDOWN}${filters}`,
            },
            {
                isActive: MOBILE,
                content: "Close the actions menu",
                trigger: COG_MENU,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "The actions menu is closed",
                trigger: `body:not(:has(${OPEN_DROPDOWN}))`,
            },
        ];
    },

    /** Click a header button (on a phone: through the cog menu). */
    clickHeaderButton(name, label) {
        const button = `button[name="${name}"]:contains(${q(label)})`;
        return [
            {
                isActive: DESKTOP,
                content: `Click "${label}"`,
                trigger: `.o_form_statusbar .o_statusbar_buttons ${button}`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Open the actions (cog) menu",
                trigger: COG_MENU,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: `Click "${label}"`,
                trigger: `${OPEN_DROPDOWN} ${button}`,
                run: "click",
            },
        ];
    },

    /** The status bar shows `label` as the current state (`value` is the selection key). */
    checkState(value, label) {
        return [
            {
                isActive: DESKTOP,
                content: `The status bar shows ${label}`,
                trigger: `.o_form_statusbar .o_statusbar_status button.o_arrow_button_current[data-value="${value}"]:contains(${q(label)})`,
            },
            {
                // on a phone the status bar may fold the current state into its dropdown toggle
                isActive: MOBILE,
                content: `The status bar shows ${label}`,
                trigger: `.o_form_statusbar .o_statusbar_status:has(button.o_arrow_button_current[data-value="${value}"]):contains(${q(label)})`,
            },
        ];
    },

    /** A smart button (stat button) of the form, by its method name, holding `text`. */
    checkSmartButton(name, text) {
        return [
            {
                isActive: DESKTOP,
                content: `The smart button ${name} shows ${text}`,
                trigger: `.o-form-buttonbox button[name="${name}"]:contains(${q(text)})`,
            },
            {
                isActive: MOBILE,
                content: "Open the smart buttons",
                trigger: ".o_control_panel .o_button_more",
                run: "click",
            },
            {
                isActive: MOBILE,
                content: `The smart button ${name} shows ${text}`,
                trigger: `.o-form-buttonbox button[name="${name}"]:contains(${q(text)})`,
            },
            {
                isActive: MOBILE,
                content: "Close the smart buttons",
                trigger: ".o_control_panel .o_button_more",
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "The smart buttons are closed",
                trigger: `body:not(:has(.o-form-buttonbox button[name="${name}"]))`,
            },
        ];
    },

    // ------------------------------------------------------------------ fields
    /**
     * Pick a record in a many2one (or many2many tags) field: on a desktop, type `search`
     * and click the proposal holding `option`; on a phone the field opens a full-screen
     * "Search: ..." dialog, where `search` is typed in the search bar.
     */
    pickRecord(field, search, option = search, scope = "") {
        const widget = `${scope} .o_field_widget[name="${field}"]`.trim();
        const dialog = ".modal:not(.o_inactive_modal)";
        return [
            {
                isActive: DESKTOP,
                content: `Search ${search} in ${field}`,
                trigger: `${widget} input`,
                run: `edit ${search}`,
            },
            {
                isActive: DESKTOP,
                content: `Pick ${option}`,
                trigger: `${widget} .o-autocomplete--dropdown-item a:contains(${q(option)})`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: `Open the search of ${field}`,
                trigger: `${widget} input`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "Show the search bar",
                trigger: `${dialog}:has(.modal-title:contains("Search:")) .o_control_panel button:has(.fa-search)`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: `Search ${search}`,
                trigger: `${dialog} .o_searchview_input`,
                run: `edit ${search} && press Enter`,
            },
            {
                isActive: MOBILE,
                content: `Pick ${option}`,
                trigger: `${dialog}:has(.o_searchview_facet) .o_kanban_record:contains(${q(option)})`,
                run: "click",
            },
            {
                isActive: MOBILE,
                content: "The search dialog is closed",
                trigger: `body:not(:has(.modal .modal-title:contains("Search:")))`,
            },
        ];
    },

    /** Check a many2one shows `text`. */
    checkMany2one(field, text, scope = "") {
        return [
            {
                content: `${field} is ${text}`,
                trigger: `${scope} .o_field_widget[name="${field}"] input:value(${q(text)})`.trim(),
            },
        ];
    },

    /** Type `text` in a plain char/text field. */
    editField(field, text, scope = "") {
        return [
            {
                content: `Write in ${field}`,
                trigger: [`${scope} .o_field_widget[name="${field}"] textarea`, `${scope} .o_field_widget[name="${field}"] input`]
                    .map((s) => s.trim())
                    .join(", "),
                run: `edit ${text}`,
            },
        ];
    },

    /** Write `text` in an html field. */
    editHtml(field, text, scope = "") {
        return [
            {
                content: `Write in ${field}`,
                trigger: `${scope} .o_field_html[name="${field}"] .odoo-editor-editable div.o-paragraph, ${scope} .o_field_html[name="${field}"] .odoo-editor-editable p`.trim(),
                run: `editor ${text}`,
            },
        ];
    },

    /** Tick a boolean checkbox. */
    tick(field, scope = "") {
        return [
            {
                content: `Tick ${field}`,
                trigger: `${scope} .o_field_widget[name="${field}"] input[type=checkbox]`.trim(),
                run: "check",
            },
        ];
    },

    /** Choose a value of a radio field. */
    chooseRadio(field, value, scope = "") {
        return [
            {
                content: `Choose ${value} in ${field}`,
                trigger: `${scope} .o_field_widget[name="${field}"] input[data-value="${value}"]`.trim(),
                run: "click",
            },
        ];
    },

    /** Save the record of the main form and wait until it is saved. */
    saveForm() {
        return [
            {
                content: "Save",
                trigger: ".o_form_view .o_form_button_save",
                run: "click",
            },
            { content: "Saved", trigger: ".o_form_view .o_form_saved" },
        ];
    },

    /**
     * Add a line to a one2many field: `fill(scope)` returns the steps filling the line's
     * fields inside `scope`. On a desktop the line is edited in the list; on a phone the
     * one2many is a kanban and the line is edited in a dialog, saved with "Save & Close".
     */
    addLine(field, fill, scope = "") {
        const widget = `${scope} .o_field_widget[name="${field}"]`.trim();
        const lineDialog = ".modal:not(.o_inactive_modal) .o_form_view";
        const desktop = [
            {
                content: `Add a line to ${field}`,
                trigger: `${widget} .o_field_x2many_list_row_add a`,
                run: "click",
            },
            ...fill(`${widget} .o_data_row.o_selected_row`),
        ];
        const mobile = [
            {
                content: `Add a line to ${field}`,
                trigger: `${widget} .o_x2m_control_panel button:contains("Add")`,
                run: "click",
            },
            ...fill(lineDialog),
            {
                content: "Save the line",
                trigger: ".modal:not(.o_inactive_modal) .modal-footer .o_form_button_save",
                run: "click",
            },
            {
                content: "The line is added",
                trigger: `${widget} .o_kanban_record:not(.o_kanban_ghost)`,
            },
        ];
        // steps of `fill` made for the other kind of screen are dropped
        const only = (steps, keep, drop) =>
            steps
                .filter((step) => !(step.isActive || []).includes(drop))
                .map((step) => ({ ...step, isActive: [...new Set([...(step.isActive || []), keep])] }));
        return [...only(desktop, "desktop", "mobile"), ...only(mobile, "mobile", "desktop")];
    },

    // ------------------------------------------------------------------ wizards
    /** The wizard (dialog) titled `title` is open. */
    checkWizard(title) {
        return [
            {
                content: `The wizard "${title}" is open`,
                trigger: `.modal .modal-title:contains(${q(title)})`,
            },
        ];
    },

    /** Click the footer button of the open wizard and wait until the dialog is closed. */
    confirmWizard(name, label) {
        return [
            {
                content: `Click "${label}" in the wizard`,
                trigger: `.modal .modal-footer button[name="${name}"]:contains(${q(label)})`,
                run: "click",
            },
            {
                content: "The wizard is closed",
                trigger: "body:not(:has(.modal))",
                // the server may render a PDF version (wkhtmltopdf) before answering
                timeout: 60000,
            },
        ];
    },
};
