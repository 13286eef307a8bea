import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .maintenance_request import OPEN_STATES, SOURCE_CHANNELS

_logger = logging.getLogger(__name__)


class QicaiFaultReport(models.Model):
    """One fault report as received, linked to the work order that handles it."""

    _name = "qicai.fault.report"
    _description = "Fault Report"
    _order = "reported_at desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one(
        "maintenance.request", string="Work Order", index=True, ondelete="cascade"
    )
    is_duplicate = fields.Boolean(
        string="Linked to Open Order",
        readonly=True,
        help="The charger already had an open order for this fault, so the report "
        "was linked to it instead of opening a new one.",
    )
    source_channel = fields.Selection(SOURCE_CHANNELS, required=True)
    platform_event_id = fields.Char(
        string="Platform Event ID",
        index=True,
        copy=False,
        help="Identifier of the monitoring platform's event; the same event received "
        "twice creates nothing new.",
    )
    reported_at = fields.Datetime(required=True, default=fields.Datetime.now)
    reporter_name = fields.Char()
    reporter_phone = fields.Char()
    description = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    station_id = fields.Many2one("qicai.station", required=True, check_company=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Charger", check_company=True
    )
    connector_id = fields.Many2one("qicai.charger.connector")
    fault_category_id = fields.Many2one("qicai.fault.category", required=True)

    _sql_constraints = [
        (
            "platform_event_uniq",
            "unique(platform_event_id, company_id)",
            "This monitoring platform event was already received.",
        ),
    ]

    @api.depends("station_id", "fault_category_id", "reported_at")
    def _compute_display_name(self):
        for report in self:
            report.display_name = " / ".join(
                filter(None, [report.station_id.code, report.fault_category_id.name])
            )

    @api.model
    def intake(self, reports):
        """Receive fault reports and open or link their work orders.

        :param reports: list of dicts with the report fields (``station_id`` or
            ``equipment_id``, ``fault_category_id``, ``source_channel`` and the
            optional reporter, contact, connector, ``platform_event_id``,
            ``reported_at`` and ``description``).
        :return: the ``qicai.fault.report`` records, in the order of ``reports``;
            a platform event received before returns its earlier report.
        """
        reports = [dict(vals) for vals in reports]
        self._complete_intake_vals(reports)

        known = self._existing_events(reports)
        fresh, seen_events = [], {}
        for vals in reports:
            event = vals.get("platform_event_id")
            if event and (event in known or event in seen_events):
                continue
            if event:
                seen_events[event] = vals
            fresh.append(vals)

        open_orders = self._open_orders_by_fault(fresh)
        to_open = []
        for vals in fresh:
            key = self._fault_key(vals)
            order = open_orders.get(key)
            if order:
                vals["request_id"] = order.id
                vals["is_duplicate"] = True
            elif key in {self._fault_key(v) for v in to_open}:
                vals["is_duplicate"] = True
            else:
                to_open.append(vals)

        categories = {
            category.id: category
            for category in self.env["qicai.fault.category"].browse(
                list({v["fault_category_id"] for v in to_open})
            )
        }
        stations = {
            station.id: station
            for station in self.env["qicai.station"].browse(
                list({v["station_id"] for v in to_open})
            )
        }
        teams = {sid: station._get_covering_team().id for sid, station in stations.items()}
        orders = self.env["maintenance.request"].create(
            [
                self._prepare_request_vals(
                    vals,
                    categories[vals["fault_category_id"]],
                    stations[vals["station_id"]],
                    teams[vals["station_id"]],
                )
                for vals in to_open
            ]
        )
        for vals, order in zip(to_open, orders):
            vals["request_id"] = order.id
            open_orders[self._fault_key(vals)] = order
        for vals in fresh:
            if not vals.get("request_id"):
                vals["request_id"] = open_orders[self._fault_key(vals)].id

        created = self.create([self._prepare_report_vals(vals) for vals in fresh])
        linked = created.filtered("is_duplicate")
        for order, group in linked.grouped("request_id").items():
            order.message_post(
                body=self.env._(
                    "%(count)s more report(s) of this fault were linked to this order.",
                    count=len(group),
                )
            )
        _logger.info(
            "Fault intake: %d reports, %d new orders, %d linked, %d repeated events",
            len(reports),
            len(orders),
            len(linked),
            len(reports) - len(fresh),
        )

        by_event = {r.platform_event_id: r for r in created if r.platform_event_id}
        if known:
            by_event.update(
                {
                    r.platform_event_id: r
                    for r in self.search([("platform_event_id", "in", list(known))])
                }
            )
        result_ids, fresh_iter = [], iter(created)
        for vals in reports:
            event = vals.get("platform_event_id")
            if event and (event in known or seen_events.get(event) is not vals):
                result_ids.append(by_event[event].id)
            else:
                result_ids.append(next(fresh_iter).id)
        return self.browse(result_ids)

    def _complete_intake_vals(self, reports):
        """Fill the station from the charger and check the mandatory keys."""
        Equipment = self.env["maintenance.equipment"]
        equipment_ids = {v["equipment_id"] for v in reports if v.get("equipment_id")}
        stations = {
            e.id: e.station_id.id for e in Equipment.browse(list(equipment_ids))
        }
        errors = []
        for index, vals in enumerate(reports, start=1):
            if vals.get("equipment_id") and not vals.get("station_id"):
                vals["station_id"] = stations.get(vals["equipment_id"])
            vals.setdefault("source_channel", "customer_service")
            vals.setdefault("reported_at", fields.Datetime.now())
            missing = [k for k in ("station_id", "fault_category_id") if not vals.get(k)]
            if missing:
                errors.append(
                    self.env._(
                        "report %(index)s lacks %(fields)s",
                        index=index,
                        fields=", ".join(missing),
                    )
                )
        if errors:
            raise UserError(
                self.env._(
                    "No report was taken in: %(errors)s. Give each report a station "
                    "or a charger, and a fault category.",
                    errors="; ".join(errors),
                )
            )

    def _existing_events(self, reports):
        events = [v["platform_event_id"] for v in reports if v.get("platform_event_id")]
        if not events:
            return set()
        found = self.search_read([("platform_event_id", "in", events)], ["platform_event_id"])
        return {row["platform_event_id"] for row in found}

    @api.model
    def _fault_key(self, vals):
        return (
            vals["station_id"],
            vals.get("equipment_id") or False,
            vals["fault_category_id"],
        )

    def _open_orders_by_fault(self, reports):
        if not reports:
            return {}
        orders = self.env["maintenance.request"].search(
            [
                ("work_state", "in", OPEN_STATES),
                ("station_id", "in", list({v["station_id"] for v in reports})),
                (
                    "fault_category_id",
                    "in",
                    list({v["fault_category_id"] for v in reports}),
                ),
            ],
            order="id",
        )
        return {
            (o.station_id.id, o.equipment_id.id or False, o.fault_category_id.id): o
            for o in orders
        }

    def _prepare_request_vals(self, vals, category, station, team_id):
        request_vals = {
            "name": self.env._(
                "%(category)s at %(station)s", category=category.name, station=station.name
            ),
            "station_id": vals["station_id"],
            "equipment_id": vals.get("equipment_id") or False,
            "connector_id": vals.get("connector_id") or False,
            "fault_category_id": vals["fault_category_id"],
            "source_channel": vals["source_channel"],
            "reporter_name": vals.get("reporter_name"),
            "reporter_phone": vals.get("reporter_phone"),
            "reported_at": vals["reported_at"],
            "description": vals.get("description"),
            "maintenance_type": "corrective",
            "company_id": station.company_id.id,
        }
        if team_id:
            request_vals["maintenance_team_id"] = team_id
        return request_vals

    def _prepare_report_vals(self, vals):
        fields_ = self._fields
        return {key: value for key, value in vals.items() if key in fields_}
