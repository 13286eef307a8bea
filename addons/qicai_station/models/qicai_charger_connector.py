from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qicai_charger_model import CONNECTOR_STANDARDS, CURRENT_TYPES

CONNECTOR_STATUSES = [
    ("available", "Available"),
    ("occupied", "Occupied"),
    ("faulted", "Faulted"),
    ("unavailable", "Unavailable"),
    ("out_of_service", "Out of Service"),
]


class QicaiChargerConnector(models.Model):
    _name = "qicai.charger.connector"
    _description = "Charger Connector"
    _order = "equipment_id, number"

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Charger",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("equipment_kind", "=", "charger")],
    )
    station_id = fields.Many2one(
        related="equipment_id.station_id", store=True, index=True
    )
    company_id = fields.Many2one(related="equipment_id.company_id", store=True)
    number = fields.Integer(
        required=True,
        default=1,
        help="OCPP connectorId: 1 for the first connector of the charger.",
    )
    standard = fields.Selection(CONNECTOR_STANDARDS, required=True, default="gbt_dc")
    current_type = fields.Selection(CURRENT_TYPES, required=True, default="dc")
    max_power_kw = fields.Float(string="Max Power (kW)")
    status = fields.Selection(
        CONNECTOR_STATUSES, required=True, default="available", index=True
    )
    source_ref = fields.Char(string="Source Reference", readonly=True)

    _sql_constraints = [
        (
            "number_uniq",
            "unique(equipment_id, number)",
            "Connector numbers must be unique on a charger.",
        ),
        (
            "number_positive",
            "CHECK(number > 0)",
            "A connector number starts at 1; connector 0 means the whole charger in "
            "OCPP.",
        ),
    ]

    @api.constrains("equipment_id")
    def _check_equipment_is_charger(self):
        bad = self.filtered(lambda c: c.equipment_id.equipment_kind != "charger")
        if bad:
            raise ValidationError(
                self.env._(
                    "Equipment %(equipment)s is not a charger, so it cannot have "
                    "connectors. Set its kind to Charger or attach the connector "
                    "to a charger.",
                    equipment=", ".join(bad.equipment_id.mapped("display_name")),
                )
            )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        charger_model = self.equipment_id.charger_model_id
        if charger_model:
            self.standard = charger_model.connector_standard
            self.current_type = charger_model.current_type
            self.max_power_kw = charger_model.rated_power_kw

    @api.depends("equipment_id.name", "number")
    def _compute_display_name(self):
        for connector in self:
            connector.display_name = self.env._(
                "%(charger)s / connector %(number)s",
                charger=connector.equipment_id.name or "",
                number=connector.number,
            )
