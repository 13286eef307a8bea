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
    source_channel = fields.Selection(
        SOURCE_CHANNELS, required=True, default="customer_service"
    )
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

    @api.model_create_multi
    def create(self, vals_list):
        """Create reports; those without a work order go through ``intake``.

        A report typed in by the service desk is then handled like one from
        the platform: it opens a work order, or is linked to the open order
        of the same fault.
        """
        by_hand = [index for index, vals in enumerate(vals_list) if not vals.get("request_id")]
        direct = [dict(vals) for vals in vals_list if vals.get("request_id")]
        # Intake passes complete reports; others get their station checked.
        incomplete = [vals for vals in direct if not vals.get("station_id")]
        if incomplete:
            self._complete_intake_vals(incomplete)
        if not by_hand:
            return super().create(direct)
        created = iter(super().create(direct) if direct else [])
        taken_in = iter(self.intake([vals_list[index] for index in by_hand]))
        by_hand = set(by_hand)
        return self.browse(
            [
                next(taken_in).id if index in by_hand else next(created).id
                for index in range(len(vals_list))
            ]
        )

    @api.model
    def intake(self, reports):
        """Receive fault reports and open or link their work orders.

        A report for a (station, charger, fault category) that already has an
        open work order is linked to it, and the others open one order per fault.
        Nothing is created when any report is invalid.

        :param reports: list of dicts with the report fields (``station_id`` or
            ``equipment_id``, ``fault_category_id``, ``source_channel`` and the
            optional reporter, contact, connector, ``platform_event_id``,
            ``reported_at`` and ``description``).
        :return: the ``qicai.fault.report`` records, in the order of ``reports``.
            For a platform event received before, in this batch or an earlier
            one, the report made for it the first time is returned.
        """
        reports = [dict(vals) for vals in reports]
        self._complete_intake_vals(reports)

        known = self._existing_events(reports)
        fresh, first_of_event = [], set()
        for vals in reports:
            event = self._event_key(vals)
            if event and (event in known or event in first_of_event):
                continue
            if event:
                first_of_event.add(event)
            fresh.append(vals)

        open_orders = self._open_orders_by_fault(fresh)
        to_open, opening = [], set()
        for vals in fresh:
            key = self._fault_key(vals)
            if key in open_orders or key in opening:
                vals["is_duplicate"] = True
            else:
                opening.add(key)
                to_open.append(vals)
        orders = self._open_work_orders(to_open)
        for vals, order in zip(to_open, orders):
            open_orders[self._fault_key(vals)] = order
        for vals in fresh:
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

        report_of = {id(vals): report for vals, report in zip(fresh, created)}
        for vals, report in zip(fresh, created):
            if self._event_key(vals):
                known[self._event_key(vals)] = report
        return self.browse(
            [
                (report_of.get(id(vals)) or known[self._event_key(vals)]).id
                for vals in reports
            ]
        )

    def _complete_intake_vals(self, reports):
        """Fill the station and company from the charger or station, and check
        every report, raising one error that lists all invalid reports."""
        chargers = self._existing(reports, "equipment_id", "maintenance.equipment")
        stations = self._existing(reports, "station_id", "qicai.station")
        stations |= chargers.station_id
        known = {
            "charger": {charger.id: charger for charger in chargers},
            "station": {station.id: station for station in stations},
            "category": {
                category.id: category
                for category in self._existing(
                    reports, "fault_category_id", "qicai.fault.category"
                )
            },
            "connector": {
                connector.id: connector
                for connector in self._existing(
                    reports, "connector_id", "qicai.charger.connector"
                )
            },
        }

        errors = []
        for index, vals in enumerate(reports, start=1):
            charger = known["charger"].get(vals.get("equipment_id"))
            if charger and not vals.get("station_id"):
                vals["station_id"] = charger.station_id.id
            problems = self._intake_problems(vals, known)
            if problems:
                errors.append(
                    self.env._(
                        "report %(index)s: %(problems)s",
                        index=index,
                        problems=", ".join(problems),
                    )
                )
                continue
            vals["company_id"] = known["station"][vals["station_id"]].company_id.id
            vals.setdefault("source_channel", "customer_service")
            vals.setdefault("reported_at", fields.Datetime.now())
            if vals.get("platform_event_id"):
                vals["platform_event_id"] = str(vals["platform_event_id"])
        if errors:
            raise UserError(
                self.env._(
                    "No report was taken in, because %(count)s of them are invalid: "
                    "%(errors)s. Give each report an existing station or charger "
                    "(a charger of that station, and a connector of that charger) "
                    "and an existing fault category.",
                    count=len(errors),
                    errors="; ".join(errors),
                )
            )

    def _existing(self, reports, key, model):
        """Return the existing records of ``model`` named by ``key`` in ``reports``."""
        ids = {vals[key] for vals in reports if vals.get(key)}
        return self.env[model].browse(list(ids)).exists()

    def _intake_problems(self, vals, known):
        """Return what is wrong with one report, as a list of short phrases.

        :param known: the existing records named by the batch, by kind
            (``charger``, ``station``, ``category``, ``connector``) and id
        """
        problems = []
        charger = known["charger"].get(vals.get("equipment_id"))
        if vals.get("equipment_id") and not charger:
            problems.append(
                self.env._(
                    "charger %(charger)s does not exist", charger=vals["equipment_id"]
                )
            )
        if not vals.get("station_id"):
            problems.append(self.env._("no station and no charger"))
        elif vals["station_id"] not in known["station"]:
            problems.append(
                self.env._(
                    "station %(station)s does not exist", station=vals["station_id"]
                )
            )
        elif charger and charger.station_id.id != vals["station_id"]:
            problems.append(
                self.env._(
                    "charger %(charger)s belongs to station %(station)s",
                    charger=charger.display_name,
                    station=charger.station_id.display_name,
                )
            )
        connector = known["connector"].get(vals.get("connector_id"))
        if vals.get("connector_id") and (
            not connector or not charger or connector.equipment_id != charger
        ):
            problems.append(
                self.env._(
                    "connector %(connector)s is not a connector of the report's charger",
                    connector=vals["connector_id"],
                )
            )
        if not vals.get("fault_category_id"):
            problems.append(self.env._("no fault category"))
        elif vals["fault_category_id"] not in known["category"]:
            problems.append(
                self.env._(
                    "fault category %(category)s does not exist",
                    category=vals["fault_category_id"],
                )
            )
        return problems

    @api.model
    def _event_key(self, vals):
        """Return the key of the platform event of a report, unique per company,
        or None for a report without an event."""
        if not vals.get("platform_event_id"):
            return None
        return (vals["company_id"], vals["platform_event_id"])

    def _existing_events(self, reports):
        """Return the reports already received for the events of ``reports``,
        by event key."""
        events = {v["platform_event_id"] for v in reports if v.get("platform_event_id")}
        if not events:
            return {}
        found = self.search(
            [
                ("platform_event_id", "in", list(events)),
                ("company_id", "in", list({v["company_id"] for v in reports})),
            ]
        )
        return {(r.company_id.id, r.platform_event_id): r for r in found}

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

    def _open_work_orders(self, reports):
        """Create one work order for each report of ``reports``."""
        if not reports:
            return self.env["maintenance.request"]
        categories = self.env["qicai.fault.category"].browse(
            list({v["fault_category_id"] for v in reports})
        )
        category_of = {category.id: category for category in categories}
        stations = self.env["qicai.station"].browse(
            list({v["station_id"] for v in reports})
        )
        station_of = {station.id: station for station in stations}
        team_of = {station.id: station._get_covering_team().id for station in stations}
        return self.env["maintenance.request"].create(
            [
                self._prepare_request_vals(
                    vals,
                    category_of[vals["fault_category_id"]],
                    station_of[vals["station_id"]],
                    team_of[vals["station_id"]],
                )
                for vals in reports
            ]
        )

    def _prepare_request_vals(self, vals, category, station, team_id):
        request_vals = {
            "name": self.env._(
                "%(category)s at %(station)s",
                category=category.name,
                station=station.name,
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
