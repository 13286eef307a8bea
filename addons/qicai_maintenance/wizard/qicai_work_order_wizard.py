from odoo import fields, models

from ..models.maintenance_request import SATISFACTION
from ..models.qicai_escalation import SUPPORT_MODES

WIZARD_ACTIONS = [
    ("escalate", "Escalate"),
    ("feedback", "Feed Back to Customer"),
    ("callback", "Customer Callback"),
    ("cancel", "Cancel Work Order"),
]


class QicaiWorkOrderWizard(models.TransientModel):
    """Dialog for the work-order steps that need input: escalation, feedback,
    callback and cancellation."""

    _name = "qicai.work.order.wizard"
    _description = "Work Order Step"

    request_id = fields.Many2one(
        "maintenance.request", required=True, ondelete="cascade"
    )
    action = fields.Selection(WIZARD_ACTIONS, required=True)
    escalation_level = fields.Selection(related="request_id.escalation_level")
    reporter_name = fields.Char(related="request_id.reporter_name")
    reporter_phone = fields.Char(related="request_id.reporter_phone")
    root_cause = fields.Text(related="request_id.root_cause")
    actions_taken = fields.Text(related="request_id.actions_taken")
    reason = fields.Text()
    support_mode = fields.Selection(SUPPORT_MODES, default="remote")
    feedback = fields.Text(string="What the Customer Was Told")
    satisfaction = fields.Selection(SATISFACTION)
    comment = fields.Text(string="Customer Comment")

    def action_confirm(self):
        self.ensure_one()
        request = self.request_id
        if self.action == "escalate":
            request.action_escalate(self.reason, self.support_mode)
        elif self.action == "feedback":
            request.action_notify_customer(self.feedback)
        elif self.action == "callback":
            request.action_record_callback(self.satisfaction, self.comment)
        else:
            request.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
