import uuid

from odoo import api, fields, models
from odoo.exceptions import ValidationError

OPERATING_STATES = [
    ("planned", "Planned"),
    ("construction", "Under Construction"),
    ("operating", "Operating"),
    ("suspended", "Suspended"),
    ("closed", "Closed"),
]

SOURCES = [
    ("manual", "Entered by hand"),
    ("shenzhen", "Shenzhen station registry"),
    ("uk_ncr", "UK National Chargepoint Registry"),
]


class QicaiStation(models.Model):
    _name = "qicai.station"
    _description = "Charging Station"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "code"
    _check_company_auto = True
    _rec_names_search = ["name", "code"]

    # Identity
    name = fields.Char(required=True, tracking=True, translate=False)
    code = fields.Char(required=True, tracking=True, copy=False)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    region_id = fields.Many2one(
        "qicai.region", index=True, tracking=True, check_company=True
    )
    operating_state = fields.Selection(
        OPERATING_STATES, required=True, default="operating", tracking=True
    )
    source = fields.Selection(SOURCES, required=True, default="manual", readonly=True)
    source_ref = fields.Char(
        string="Source Reference",
        readonly=True,
        copy=False,
        help="Identifier of the station in the registry it was loaded from; "
        "loading the registry again updates the station with this reference.",
    )

    # Address and location
    street = fields.Char()
    street2 = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    state_id = fields.Many2one("res.country.state", string="Province")
    country_id = fields.Many2one("res.country")
    contact_address = fields.Char(
        string="Address", compute="_compute_contact_address"
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))

    # Operator, as published by a registry
    operator_id = fields.Many2one(
        "res.partner",
        string="Operator",
        tracking=True,
        help="Company that owns or runs the station for drivers.",
    )
    location_type = fields.Char(
        help="Kind of site, e.g. on-street, public car park or service station."
    )

    # Capacity and operation
    grid_capacity_kva = fields.Float(string="Grid Capacity (kVA)")
    parking_bays = fields.Integer()
    opening_hours = fields.Char(default="00:00-24:00")

    # Maintenance contact card
    team_id = fields.Many2one(
        "maintenance.team",
        string="Responsible Team",
        tracking=True,
        check_company=True,
        index=True,
    )
    covering_team_ids = fields.Many2many(
        "maintenance.team",
        "qicai_team_station_rel",
        "station_id",
        "team_id",
        string="Covering Teams",
    )
    manager_id = fields.Many2one("res.users", string="Station Manager", tracking=True)
    contact_phone = fields.Char(tracking=True)
    qr_token = fields.Char(
        string="QR Token",
        readonly=True,
        copy=False,
        default=lambda self: uuid.uuid4().hex,
        help="Secret part of the public fault-report link printed on the "
        "station's QR code.",
    )

    # Equipment
    equipment_ids = fields.One2many("maintenance.equipment", "station_id")
    charger_ids = fields.One2many(
        "maintenance.equipment",
        "station_id",
        domain=[("equipment_kind", "=", "charger")],
        string="Chargers",
    )
    other_equipment_ids = fields.One2many(
        "maintenance.equipment",
        "station_id",
        domain=[("equipment_kind", "!=", "charger")],
        string="Other Station Equipment",
    )
    connector_ids = fields.One2many(
        "qicai.charger.connector", "station_id", string="Connectors", readonly=True
    )
    charger_count = fields.Integer(compute="_compute_live_counts")
    connector_count = fields.Integer(compute="_compute_live_counts")
    faulted_count = fields.Integer(string="Faulted Chargers", compute="_compute_live_counts")
    offline_count = fields.Integer(string="Offline Chargers", compute="_compute_live_counts")
    equipment_count = fields.Integer(
        string="Other Equipment", compute="_compute_live_counts"
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A station code must be unique per company.",
        ),
        (
            "source_ref_uniq",
            "unique(source, source_ref, company_id)",
            "A registry reference can be loaded only once per company.",
        ),
        (
            "capacity_positive",
            "CHECK(grid_capacity_kva >= 0 AND parking_bays >= 0)",
            "Grid capacity and parking bays cannot be negative.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for station in self:
            station.display_name = (
                f"[{station.code}] {station.name}" if station.code else station.name
            )

    @api.depends("street", "street2", "zip", "city", "state_id", "country_id")
    def _compute_contact_address(self):
        for station in self:
            parts = [
                station.street,
                station.street2,
                " ".join(filter(None, [station.zip, station.city])),
                station.state_id.name,
                station.country_id.name,
            ]
            station.contact_address = ", ".join(part for part in parts if part)

    @api.depends(
        "equipment_ids.equipment_kind",
        "equipment_ids.operational_status",
        "equipment_ids.connector_ids",
    )
    def _compute_live_counts(self):
        Equipment = self.env["maintenance.equipment"]
        groups = Equipment._read_group(
            [("station_id", "in", self.ids)],
            ["station_id", "equipment_kind", "operational_status"],
            ["__count"],
        )
        connectors = dict(
            self.env["qicai.charger.connector"]._read_group(
                [("station_id", "in", self.ids)], ["station_id"], ["__count"]
            )
        )
        counts = {}
        for station, kind, status, count in groups:
            bucket = counts.setdefault(station, {"charger": 0, "other": 0})
            if kind == "charger":
                bucket["charger"] += count
                bucket[status] = bucket.get(status, 0) + count
            else:
                bucket["other"] += count
        for station in self:
            bucket = counts.get(station, {})
            station.charger_count = bucket.get("charger", 0)
            station.equipment_count = bucket.get("other", 0)
            station.faulted_count = bucket.get("faulted", 0)
            station.offline_count = bucket.get("offline", 0)
            station.connector_count = connectors.get(station, 0)

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        bad = self.filtered(
            lambda s: not (-90 <= s.latitude <= 90) or not (-180 <= s.longitude <= 180)
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "Station %(stations)s has coordinates out of range. Latitude "
                    "must lie between -90 and 90 and longitude between -180 and 180.",
                    stations=", ".join(bad.mapped("display_name")),
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for station, vals in zip(self, vals_list):
            vals.setdefault("code", f"{station.code}-COPY")
        return vals_list

    def action_regenerate_qr_token(self):
        """Invalidate the printed QR codes of the stations by issuing new tokens."""
        for station in self:
            station.qr_token = uuid.uuid4().hex
        return True

    def action_view_chargers(self):
        """Open the chargers of the station, ready to add one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_station.maintenance_equipment_action_charger"
        )
        action["domain"] = [
            ("station_id", "=", self.id),
            ("equipment_kind", "=", "charger"),
        ]
        action["context"] = {
            "default_station_id": self.id,
            "default_equipment_kind": "charger",
            "default_maintenance_team_id": self.team_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_view_connectors(self):
        """Open the connectors of every charger of the station."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_station.qicai_charger_connector_action"
        )
        action["domain"] = [("station_id", "=", self.id)]
        action["context"] = {"search_default_group_by_equipment": 1}
        return action

    def action_view_other_equipment(self):
        """Open the station equipment that is not a charger."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_station.maintenance_equipment_action_station_equipment"
        )
        action["domain"] = [
            ("station_id", "=", self.id),
            ("equipment_kind", "!=", "charger"),
        ]
        action["context"] = {
            "default_station_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def _get_covering_team(self):
        """Return the team that handles faults of this station.

        The responsible team comes first when it is not archived and its
        contract is active. Next comes a team that lists the station, then a
        team covering its region, the nearest region first. Own teams come
        before partners, and partners before suppliers.
        """
        self.ensure_one()
        if self.team_id.active and self.team_id.contract_active:
            return self.team_id
        Team = self.env["maintenance.team"]
        order_key = {"own": 0, "partner": 1, "supplier": 2}
        listed = Team.search([("station_ids", "in", self.id)]).filtered(
            "contract_active"
        )
        if listed:
            return listed.sorted(lambda t: (order_key[t.provider_type], t.id))[0]
        region = self.region_id
        while region:
            teams = Team.search([("region_ids", "in", region.id)]).filtered(
                "contract_active"
            )
            if teams:
                return teams.sorted(lambda t: (order_key[t.provider_type], t.id))[0]
            region = region.parent_id
        return Team
