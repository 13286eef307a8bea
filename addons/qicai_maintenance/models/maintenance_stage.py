from odoo import fields, models

from .maintenance_request import WORK_ORDER_STATES


class MaintenanceStage(models.Model):
    _inherit = "maintenance.stage"

    work_state = fields.Selection(
        WORK_ORDER_STATES,
        string="Work Order State",
        help="Fault work orders in this state are shown in this stage.",
    )
