from odoo import api, fields, models

FAULT_CLASSES = [("common", "Common"), ("serious", "Serious")]
URGENCIES = [("urgent", "Urgent"), ("non_urgent", "Non-urgent")]
ESCALATION_TARGETS = [
    ("technical_department", "Technical Department"),
    ("manufacturer", "Manufacturer"),
]
OCPP_ERROR_CODES = [
    (code, code)
    for code in (
        "ConnectorLockFailure",
        "EVCommunicationError",
        "GroundFailure",
        "HighTemperature",
        "InternalError",
        "LocalListConflict",
        "OtherError",
        "OverCurrentFailure",
        "OverVoltage",
        "PowerMeterFailure",
        "PowerSwitchFailure",
        "ReaderFailure",
        "ResetFailure",
        "UnderVoltage",
        "WeakSignal",
    )
]
APPLIES_TO = [
    ("both", "AC and DC Chargers"),
    ("ac_charger", "AC Chargers"),
    ("dc_charger", "DC Chargers"),
    ("station", "Whole Station"),
]


class QicaiFaultCategory(models.Model):
    """Fault category of the common-fault knowledge base."""

    _name = "qicai.fault.category"
    _description = "Fault Category"
    _order = "code"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    family = fields.Char(translate=True, help="Group of related categories.")
    symptoms = fields.Text(translate=True)
    causes = fields.Text(string="Likely Causes", translate=True)
    solution = fields.Text(string="First-line Steps", translate=True)
    default_class = fields.Selection(FAULT_CLASSES, required=True, default="common")
    default_urgency = fields.Selection(URGENCIES, required=True, default="non_urgent")
    remote_resolvable = fields.Boolean(
        help="A remote platform command has a realistic chance of fixing the fault."
    )
    remote_action = fields.Char(help="OCPP message(s) that the first line sends.")
    phone_guidance = fields.Boolean(
        string="Phone Guidance Possible",
        help="The driver can be guided by phone to clear the fault.",
    )
    escalation_target = fields.Selection(
        ESCALATION_TARGETS, required=True, default="technical_department"
    )
    ocpp_error_code = fields.Selection(
        OCPP_ERROR_CODES,
        string="OCPP Error Code",
        help="OCPP 1.6 ChargePointErrorCode that usually reports this fault.",
    )
    applies_to = fields.Selection(APPLIES_TO, required=True, default="both")
    requires_hv_work = fields.Boolean(
        string="High-voltage Work",
        help="Repairs open power circuits, so the high-voltage items of the "
        "safety checklist apply.",
    )
    emergency_plan_id = fields.Many2one("qicai.emergency.plan", index=True)
    request_ids = fields.One2many("maintenance.request", "fault_category_id")
    request_count = fields.Integer(compute="_compute_request_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A fault category code must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for category in self:
            category.display_name = (
                f"{category.code} {category.name}" if category.code else category.name
            )

    def _compute_request_count(self):
        counts = dict(
            self.env["maintenance.request"]._read_group(
                [("fault_category_id", "in", self.ids)],
                ["fault_category_id"],
                ["__count"],
            )
        )
        for category in self:
            category.request_count = counts.get(category, 0)

    def action_open_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_maintenance.maintenance_request_action_work_order"
        )
        action["domain"] = [("fault_category_id", "=", self.id)]
        return action
