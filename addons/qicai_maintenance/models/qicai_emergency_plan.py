from markupsafe import Markup

from odoo import api, fields, models

SEVERITIES = [("major", "Major"), ("critical", "Critical")]


class QicaiEmergencyPlan(models.Model):
    _name = "qicai.emergency.plan"
    _description = "Emergency Plan"
    _order = "code"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    severity = fields.Selection(SEVERITIES, required=True, default="major")
    call_numbers = fields.Char(
        help="Public numbers to call first, e.g. 119 fire, 120 ambulance, 110 police, "
        "122 traffic accidents, 95598 grid customer service."
    )
    step_ids = fields.One2many("qicai.emergency.plan.step", "plan_id", string="Steps")
    steps_html = fields.Html(compute="_compute_steps_html", string="First Response")
    category_ids = fields.One2many(
        "qicai.fault.category", "emergency_plan_id", string="Fault Categories"
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "An emergency plan code must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.code} {plan.name}" if plan.code else plan.name

    @api.depends("step_ids.instruction", "step_ids.sequence", "call_numbers")
    def _compute_steps_html(self):
        for plan in self:
            items = Markup("").join(
                Markup("<li>%s</li>") % step.instruction
                for step in plan.step_ids.sorted("sequence")
            )
            calls = Markup("")
            if plan.call_numbers:
                calls = Markup("<p><strong>%s</strong> %s</p>") % (
                    self.env._("Call first:"),
                    plan.call_numbers,
                )
            plan.steps_html = calls + Markup("<ol>%s</ol>") % items
