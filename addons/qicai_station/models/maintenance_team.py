from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qicai_dates import reference_date

PROVIDER_TYPES = [
    ("own", "Own O&M Team"),
    ("supplier", "Equipment Supplier"),
    ("partner", "Third-party Service Partner"),
]


class MaintenanceTeam(models.Model):
    _inherit = "maintenance.team"

    provider_type = fields.Selection(PROVIDER_TYPES, required=True, default="own")
    provider_partner_id = fields.Many2one(
        "res.partner",
        string="Provider Company",
        help="Company that employs this team. For an equipment supplier this is "
        "the manufacturer whose chargers the team supports.",
    )
    contract_start = fields.Date()
    contract_end = fields.Date()
    contract_active = fields.Boolean(
        compute="_compute_contract_active",
        search="_search_contract_active",
        help="Own teams are always active. Other providers are active between "
        "the contract start and end dates.",
    )
    region_ids = fields.Many2many(
        "qicai.region",
        "qicai_team_region_rel",
        "team_id",
        "region_id",
        string="Covered Regions",
        help="The team covers every station in these regions and their sub-regions.",
    )
    station_ids = fields.Many2many(
        "qicai.station",
        "qicai_team_station_rel",
        "team_id",
        "station_id",
        string="Covered Stations",
    )
    sla_response_urgent = fields.Float(string="Response (urgent, h)", default=0.5)
    sla_arrival_urgent = fields.Float(string="Arrival (urgent, h)", default=2.0)
    sla_resolution_urgent = fields.Float(string="Resolution (urgent, h)", default=8.0)
    sla_response_normal = fields.Float(string="Response (non-urgent, h)", default=2.0)
    sla_arrival_normal = fields.Float(string="Arrival (non-urgent, h)", default=24.0)
    sla_resolution_normal = fields.Float(
        string="Resolution (non-urgent, h)", default=72.0
    )

    _sql_constraints = [
        (
            "sla_positive",
            "CHECK(sla_response_urgent > 0 AND sla_arrival_urgent > 0 "
            "AND sla_resolution_urgent > 0 AND sla_response_normal > 0 "
            "AND sla_arrival_normal > 0 AND sla_resolution_normal > 0)",
            "Every SLA target of a team must be greater than zero hours.",
        ),
    ]

    @api.depends("provider_type", "contract_start", "contract_end")
    @api.depends_context("date")
    def _compute_contract_active(self):
        today = reference_date(self)
        for team in self:
            team.contract_active = team.provider_type == "own" or (
                (not team.contract_start or team.contract_start <= today)
                and (not team.contract_end or team.contract_end >= today)
            )

    def _search_contract_active(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on contract status."))
        today = reference_date(self)
        active_domain = [
            "|",
            ("provider_type", "=", "own"),
            "&",
            "|",
            ("contract_start", "=", False),
            ("contract_start", "<=", today),
            "|",
            ("contract_end", "=", False),
            ("contract_end", ">=", today),
        ]
        if (operator == "=") == value:
            return active_domain
        return ["!"] + active_domain

    @api.constrains("contract_start", "contract_end")
    def _check_contract_dates(self):
        bad = self.filtered(
            lambda t: t.contract_start and t.contract_end and t.contract_end < t.contract_start
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "The contract of team %(teams)s ends before it starts. "
                    "Set a contract end date on or after the start date.",
                    teams=", ".join(bad.mapped("name")),
                )
            )

    @api.constrains("provider_type", "provider_partner_id")
    def _check_provider_partner(self):
        missing = self.filtered(
            lambda t: t.provider_type != "own" and not t.provider_partner_id
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "Team %(teams)s is run by a supplier or partner but has no "
                    "provider company. Set the provider company.",
                    teams=", ".join(missing.mapped("name")),
                )
            )

    def _get_sla_hours(self, urgency):
        """Return the (response, arrival, resolution) targets in hours for one
        urgency, ``"urgent"`` or ``"non_urgent"``."""
        self.ensure_one()
        if urgency == "urgent":
            return (
                self.sla_response_urgent,
                self.sla_arrival_urgent,
                self.sla_resolution_urgent,
            )
        return (
            self.sla_response_normal,
            self.sla_arrival_normal,
            self.sla_resolution_normal,
        )
