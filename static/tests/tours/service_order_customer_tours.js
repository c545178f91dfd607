/** @odoo-module **/
// The customer in the loop, on a 390x844 phone, not logged in: the appointment e-mail's link
// opens the visit's page; the customer asks for another time and picks a free window (the order
// is re-planned). Later, the technician has left: the same link shows "on the way" with the
// expected arrival. The data is made by tests/test_customer_visit_http.py.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_order_customer_reschedule", {
    steps: () => [
        {
            content: "The appointment link opens the visit's page, for a visitor who is not logged in",
            trigger: "body:not(:has(.o_main_navbar)) .o_service_visit_status[data-step=planned]:contains(Your appointment)",
        },
        {
            content: "The technician's first name is on it",
            trigger: ".o_service_visit_status:contains(Technician: Tom)",
        },
        {
            content: "Ask for another time",
            trigger: "a.o_service_visit_reschedule",
            run: "click",
        },
        {
            content: "Pick the first free window",
            trigger: ".o_service_visit_day:first button.o_service_visit_slot:first",
            run: "click",
        },
        {
            content: "The visit is moved",
            trigger: ".alert-success:contains(Your visit is moved)",
        },
    ],
});

registry.category("web_tour.tours").add("service_order_customer_on_the_way", {
    steps: () => [
        {
            content: "The same link: the technician is on the way",
            trigger: ".o_service_visit_status[data-step=on_the_way]:contains(Tom is on the way)",
        },
        {
            content: "with the expected arrival",
            trigger: ".o_service_visit_eta:contains(Expected arrival)",
        },
    ],
});
