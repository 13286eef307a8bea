from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qicai_dates import reference_date

EQUIPMENT_KINDS = [
    ("charger", "Charger"),
    ("transformer", "Transformer"),
    ("distribution_cabinet", "Distribution Cabinet"),
    ("camera", "Camera"),
    ("fire_extinguisher", "Fire Extinguisher"),
    ("other", "Other Station Equipment"),
]

OPERATIONAL_STATUSES = [
    ("available", "Available"),
    ("charging", "Charging"),
    ("faulted", "Faulted"),
    ("offline", "Offline"),
    ("maintenance", "Under Maintenance"),
    ("out_of_service", "Out of Service"),
]


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    station_id = fields.Many2one(
        "qicai.station",
        string="Station",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    region_id = fields.Many2one(
        related="station_id.region_id", store=True, string="Region"
    )
    equipment_kind = fields.Selection(
        EQUIPMENT_KINDS, string="Kind", required=True, default="other", index=True
    )
    charger_model_id = fields.Many2one(
        "qicai.charger.model", string="Charger Model", index=True, tracking=True
    )
    manufacturer_id = fields.Many2one(
        related="charger_model_id.manufacturer_id", store=True, string="Manufacturer"
    )
    current_type = fields.Selection(related="charger_model_id.current_type", store=True)
    rated_power_kw = fields.Float(
        related="charger_model_id.rated_power_kw", string="Rated Power (kW)"
    )
    firmware_version = fields.Char(tracking=True)
    ocpp_identity = fields.Char(
        string="OCPP Charge Point ID",
        copy=False,
        index=True,
        help="chargeBoxIdentity the charger uses to connect to the platform.",
    )
    commissioning_date = fields.Date(tracking=True)
    warranty_state = fields.Selection(
        [("none", "No Warranty"), ("valid", "Under Warranty"), ("expired", "Expired")],
        compute="_compute_warranty_state",
    )
    operational_status = fields.Selection(
        OPERATIONAL_STATUSES,
        default="available",
        required=True,
        tracking=True,
        index=True,
    )
    connector_ids = fields.One2many(
        "qicai.charger.connector", "equipment_id", string="Connectors"
    )
    connector_count = fields.Integer(compute="_compute_connector_count")
    source_ref = fields.Char(
        string="Registry Reference",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Identifier of the charger in the registry its station was loaded "
        "from; loading the registry again updates the charger with this reference.",
    )

    _sql_constraints = [
        (
            "ocpp_identity_uniq",
            "unique(ocpp_identity)",
            "Another charger already uses this OCPP charge point ID.",
        ),
    ]

    @api.depends("warranty_date")
    @api.depends_context("date")
    def _compute_warranty_state(self):
        today = reference_date(self)
        for equipment in self:
            if not equipment.warranty_date:
                equipment.warranty_state = "none"
            elif equipment.warranty_date >= today:
                equipment.warranty_state = "valid"
            else:
                equipment.warranty_state = "expired"

    def _compute_connector_count(self):
        counts = dict(
            self.env["qicai.charger.connector"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.connector_count = counts.get(equipment, 0)

    @api.constrains("equipment_kind", "charger_model_id", "station_id")
    def _check_charger_fields(self):
        bad = self.filtered(
            lambda e: e.equipment_kind == "charger"
            and (not e.charger_model_id or not e.station_id)
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "Charger %(chargers)s needs a charger model and a station. "
                    "Set both before saving.",
                    chargers=", ".join(bad.mapped("display_name")),
                )
            )

    @api.onchange("charger_model_id")
    def _onchange_charger_model_id(self):
        if self.charger_model_id:
            self.partner_id = self.charger_model_id.manufacturer_id
            self.model = self.charger_model_id.name

    @api.onchange("station_id")
    def _onchange_station_id(self):
        if self.station_id and self.station_id.team_id:
            self.maintenance_team_id = self.station_id.team_id
