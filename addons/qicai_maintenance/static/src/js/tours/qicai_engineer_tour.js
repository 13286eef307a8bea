/** @odoo-module **/

import { registry } from "@web/core/registry";

// An engineer works one dispatched order on a phone, from acceptance to
// resolution. The Python test sets up the order (station code TOUR-ST) with two
// blocking safety items and checks the final state.
const card = ".o_kanban_record:contains(TOUR-ST)";
const phoneSteps = ".o_form_view div[name=phone_steps]";
const safetyRow = (name) =>
    `.o_field_widget[name=safety_check_ids] .o_data_row:has(td[name=name]:contains(${name}))`;

registry.category("web_tour.tours").add("qicai_engineer_tour", {
    url: "/odoo/my-work-orders",
    steps: () => [
        {
            content: "The dispatched order of my team is in My Work Orders: accept it",
            trigger: `${card} button[name=action_accept]`,
            run: "click",
        },
        {
            content: "Record the arrival on site",
            trigger: `${card} button[name=action_arrive]`,
            run: "click",
        },
        {
            content: "Arrival laid out the safety checklist: open the order",
            trigger: `${card} button[name=action_start]`,
        },
        {
            content: "Open the work order",
            trigger: card,
            run: "click",
        },
        {
            content: "Go to the safety checklist",
            trigger: ".o_notebook a.nav-link[name=safety]",
            run: "click",
        },
        {
            content: "Confirm the first safety item",
            trigger: `${safetyRow("Tour PPE")} td[name=confirmed] input`,
            run: "click",
        },
        {
            content: "Confirm the second safety item",
            trigger: `${safetyRow("Tour isolation")} td[name=confirmed] input`,
            run: "click",
        },
        {
            trigger: `${safetyRow("Tour isolation")} td[name=confirmed] input:checked`,
        },
        {
            content: "Start work",
            trigger: `${phoneSteps} button[name=action_start]`,
            run: "click",
        },
        {
            content: "Work started: go to the resolution",
            trigger: `${phoneSteps} button[name=action_resolve]`,
        },
        {
            trigger: ".o_notebook a.nav-link[name=resolution]",
            run: "click",
        },
        {
            content: "Write the root cause",
            trigger: ".o_field_widget[name=root_cause] textarea",
            run: "edit Loose terminal on the AC contactor",
        },
        {
            content: "Write the actions taken",
            trigger: ".o_field_widget[name=actions_taken] textarea",
            run: "edit Tightened the terminal and tested a full charge",
        },
        {
            content: "Resolve the order",
            trigger: `${phoneSteps} button[name=action_resolve]`,
            run: "click",
        },
        {
            content: "The order is resolved: the closure page shows",
            trigger: ".o_notebook a.nav-link[name=closure]",
        },
    ],
});
