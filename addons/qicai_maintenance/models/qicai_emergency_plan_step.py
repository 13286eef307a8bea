from odoo import fields, models


class QicaiEmergencyPlanStep(models.Model):
    _name = "qicai.emergency.plan.step"
    _description = "Emergency Plan Step"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "qicai.emergency.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    instruction = fields.Text(required=True, translate=True)
