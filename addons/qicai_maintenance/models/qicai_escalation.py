from odoo import api, fields, models

ESCALATION_LEVELS = [
    ("engineer", "O&M Engineer"),
    ("technical", "Technical Department"),
    ("manufacturer", "Manufacturer"),
]
SUPPORT_MODES = [("remote", "Remote Support"), ("on_site", "On-site Support")]


class QicaiEscalation(models.Model):
    """One step of a work order's escalation chain."""

    _name = "qicai.escalation"
    _description = "Work Order Escalation"
    _order = "request_id, escalated_at, id"

    request_id = fields.Many2one(
        "maintenance.request", required=True, ondelete="cascade", index=True
    )
    from_level = fields.Selection(ESCALATION_LEVELS, required=True)
    to_level = fields.Selection(ESCALATION_LEVELS, required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Escalated By", required=True, default=lambda s: s.env.uid
    )
    escalated_at = fields.Datetime(required=True, default=fields.Datetime.now)
    support_mode = fields.Selection(SUPPORT_MODES, required=True, default="remote")
    support_team_id = fields.Many2one("maintenance.team", string="Support Team")
    is_automatic = fields.Boolean(
        string="Automatic", help="Raised by the SLA check, not by a person."
    )
    result = fields.Text(help="What the support level found and did.")
    closed_at = fields.Datetime(
        string="Support Finished", help="When this support level finished its work."
    )

    @api.depends("request_id.name", "to_level")
    def _compute_display_name(self):
        labels = dict(self._fields["to_level"]._description_selection(self.env))
        for escalation in self:
            escalation.display_name = self.env._(
                "%(order)s to %(level)s",
                order=escalation.request_id.name or "",
                level=labels.get(escalation.to_level, ""),
            )
