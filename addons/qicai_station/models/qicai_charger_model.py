from odoo import api, fields, models

CONNECTOR_STANDARDS = [
    ("gbt_ac", "GB/T 20234.2 AC"),
    ("gbt_dc", "GB/T 20234.3 DC"),
    ("type2", "IEC 62196 Type 2"),
    ("ccs2", "CCS2 (Combo 2)"),
    ("chademo", "CHAdeMO"),
    ("type1", "SAE J1772 Type 1"),
    ("ccs1", "CCS1 (Combo 1)"),
    ("domestic", "Domestic socket"),
    ("other", "Other"),
]

CURRENT_TYPES = [("ac", "AC"), ("dc", "DC")]


class QicaiChargerModel(models.Model):
    _name = "qicai.charger.model"
    _description = "Charger Model"
    _order = "manufacturer_id, name"

    name = fields.Char(required=True)
    manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer",
        required=True,
        index=True,
        help="The manufacturer is the last level of the escalation chain: its O&M "
        "team supports faults that the technical department cannot fix.",
    )
    current_type = fields.Selection(CURRENT_TYPES, required=True, default="dc")
    rated_power_kw = fields.Float(string="Rated Power (kW)", required=True)
    connector_standard = fields.Selection(
        CONNECTOR_STANDARDS, required=True, default="gbt_dc"
    )
    connector_count = fields.Integer(string="Connectors", default=1, required=True)
    ocpp_vendor = fields.Char(
        string="OCPP Vendor", help="chargePointVendor sent in BootNotification."
    )
    ocpp_model = fields.Char(
        string="OCPP Model", help="chargePointModel sent in BootNotification."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    charger_ids = fields.One2many("maintenance.equipment", "charger_model_id")
    charger_count = fields.Integer(compute="_compute_charger_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "power_positive",
            "CHECK(rated_power_kw > 0)",
            "The rated power of a charger model must be greater than zero.",
        ),
        (
            "connector_count_positive",
            "CHECK(connector_count > 0)",
            "A charger model needs at least one connector.",
        ),
        (
            "name_manufacturer_uniq",
            "unique(name, manufacturer_id)",
            "This manufacturer already has a charger model with this name.",
        ),
    ]

    @api.depends("name", "manufacturer_id.name", "rated_power_kw", "current_type")
    def _compute_display_name(self):
        for model in self:
            model.display_name = "%s %s (%s %g kW)" % (
                model.manufacturer_id.name or "",
                model.name or "",
                dict(CURRENT_TYPES).get(model.current_type, ""),
                model.rated_power_kw,
            )

    def _compute_charger_count(self):
        counts = dict(
            self.env["maintenance.equipment"]._read_group(
                [("charger_model_id", "in", self.ids)], ["charger_model_id"], ["__count"]
            )
        )
        for model in self:
            model.charger_count = counts.get(model, 0)
