import logging
from datetime import timedelta

from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .qicai_escalation import ESCALATION_LEVELS
from .qicai_fault_category import FAULT_CLASSES, URGENCIES

_logger = logging.getLogger(__name__)

WORK_ORDER_STATES = [
    ("new", "Reported"),
    ("classified", "Classified"),
    ("dispatched", "Dispatched"),
    ("accepted", "Accepted"),
    ("on_site", "On Site"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "classified", "dispatched", "accepted", "on_site", "in_progress")
SOURCE_CHANNELS = [
    ("platform", "Monitoring Platform"),
    ("customer_service", "Customer Service"),
    ("department", "Other Department"),
    ("inspection", "Inspection"),
    ("qr_code", "Customer QR Code"),
]
CUSTOMER_CHANNELS = ("customer_service", "qr_code")
RESOLUTION_MODES = [
    ("remote", "Remote (Platform Command)"),
    ("phone", "Phone Guidance"),
    ("on_site", "On-site Repair"),
]
SLA_STATES = [
    ("none", "No SLA"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
SATISFACTION = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Neutral"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
PRIORITY_OF_CLASS = {
    ("serious", "urgent"): "3",
    ("common", "urgent"): "2",
    ("serious", "non_urgent"): "2",
    ("common", "non_urgent"): "1",
}
NEXT_LEVEL = {"engineer": "technical", "technical": "manufacturer"}
# Fields that only the workflow actions change, each with its own checks.
WORKFLOW_FIELDS = {"work_state", "stage_id", "escalation_level", "support_team_id"}
# Share of an SLA window that may remain before the order shows "at risk".
AT_RISK_SHARE = 0.25


class MaintenanceRequest(models.Model):
    _inherit = "maintenance.request"

    # Intake
    work_state = fields.Selection(
        WORK_ORDER_STATES,
        string="Work Order State",
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        readonly=True,
    )
    source_channel = fields.Selection(
        SOURCE_CHANNELS, default="customer_service", required=True, tracking=True
    )
    reporter_name = fields.Char()
    reporter_phone = fields.Char()
    reporter_partner_id = fields.Many2one("res.partner", string="Reporter Contact")
    report_ids = fields.One2many("qicai.fault.report", "request_id", string="Reports")
    report_count = fields.Integer(compute="_compute_report_count")
    station_id = fields.Many2one(
        "qicai.station",
        compute="_compute_station_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    region_id = fields.Many2one(related="station_id.region_id", store=True)
    connector_id = fields.Many2one(
        "qicai.charger.connector",
        domain="[('equipment_id', '=', equipment_id)]",
        string="Connector",
    )
    charger_model_id = fields.Many2one(
        related="equipment_id.charger_model_id", store=True, string="Charger Model"
    )
    fault_category_id = fields.Many2one(
        "qicai.fault.category", string="Fault Category", index=True, tracking=True
    )
    fault_symptoms = fields.Text(related="fault_category_id.symptoms")
    fault_causes = fields.Text(related="fault_category_id.causes")
    fault_solution = fields.Text(related="fault_category_id.solution")

    # Classification
    fault_class = fields.Selection(
        FAULT_CLASSES,
        compute="_compute_classification",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    urgency = fields.Selection(
        URGENCIES,
        compute="_compute_classification",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    resolution_mode = fields.Selection(
        RESOLUTION_MODES, default="on_site", required=True, tracking=True
    )
    priority = fields.Selection(
        compute="_compute_priority", store=True, readonly=False, precompute=True
    )
    emergency_plan_id = fields.Many2one(
        "qicai.emergency.plan", compute="_compute_emergency_plan_id", store=True
    )
    emergency_steps_html = fields.Html(related="emergency_plan_id.steps_html")

    # Timestamps of every step
    reported_at = fields.Datetime(
        default=fields.Datetime.now, required=True, tracking=True, copy=False
    )
    classified_at = fields.Datetime(readonly=True, copy=False)
    classified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    dispatched_at = fields.Datetime(readonly=True, copy=False)
    accepted_at = fields.Datetime(readonly=True, copy=False)
    arrived_at = fields.Datetime(readonly=True, copy=False)
    started_at = fields.Datetime(readonly=True, copy=False)
    resolved_at = fields.Datetime(readonly=True, copy=False)
    customer_notified_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cancelled_at = fields.Datetime(readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)

    # SLA
    sla_response_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, string="Response Deadline"
    )
    sla_arrival_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, string="Arrival Deadline"
    )
    sla_resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, string="Resolution Deadline"
    )
    sla_response_breached = fields.Boolean(readonly=True, copy=False)
    sla_arrival_breached = fields.Boolean(readonly=True, copy=False)
    sla_resolution_breached = fields.Boolean(readonly=True, copy=False)
    sla_breached = fields.Boolean(
        compute="_compute_sla_breached", store=True, string="SLA Breached"
    )
    sla_state = fields.Selection(
        SLA_STATES, compute="_compute_sla_state", search="_search_sla_state"
    )
    sla_next_deadline = fields.Datetime(
        compute="_compute_sla_state", string="Next Deadline"
    )

    # Escalation
    escalation_level = fields.Selection(
        ESCALATION_LEVELS,
        default="engineer",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    escalation_ids = fields.One2many("qicai.escalation", "request_id")
    support_team_id = fields.Many2one(
        "maintenance.team",
        string="Support Team",
        readonly=True,
        copy=False,
        index=True,
        help="Manufacturer's team supporting the order after escalation.",
    )
    is_my_work = fields.Boolean(
        string="My Work",
        compute="_compute_is_my_work",
        search="_search_is_my_work",
        help="Orders the current user works on: accepted by them, dispatched to "
        "their team and still free, escalated to their support level.",
    )
    can_accept = fields.Boolean(compute="_compute_user_permissions")
    can_escalate = fields.Boolean(compute="_compute_user_permissions")

    # On site
    safety_check_ids = fields.One2many("qicai.safety.check", "request_id")
    safety_confirmed = fields.Boolean(compute="_compute_safety_confirmed")

    # Resolution, feedback, closure, callback
    root_cause = fields.Text(tracking=True)
    actions_taken = fields.Text(tracking=True)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "maintenance_request_photo_rel",
        "request_id",
        "attachment_id",
        string="Photos",
    )
    reopen_count = fields.Integer(readonly=True, copy=False)
    customer_feedback_required = fields.Boolean(
        compute="_compute_customer_feedback_required"
    )
    customer_feedback = fields.Text(
        string="Feedback to Customer", readonly=True, copy=False
    )
    callback_at = fields.Datetime(readonly=True, copy=False)
    callback_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    callback_satisfaction = fields.Selection(
        SATISFACTION, string="Satisfaction", readonly=True, copy=False
    )
    callback_comment = fields.Text(readonly=True, copy=False)
    callback_score = fields.Float(
        compute="_compute_kpis",
        store=True,
        aggregator="avg",
        string="Satisfaction Score",
    )

    # KPIs, stored for pivot and graph views
    responded_at = fields.Datetime(compute="_compute_kpis", store=True)
    response_hours = fields.Float(
        compute="_compute_kpis",
        store=True,
        aggregator="avg",
        string="Time to Respond (h)",
    )
    repair_hours = fields.Float(
        compute="_compute_kpis",
        store=True,
        aggregator="avg",
        string="Time to Repair (h)",
    )
    kpi_sla_met = fields.Float(
        compute="_compute_kpis", store=True, aggregator="avg", string="SLA Compliance"
    )
    kpi_remote = fields.Float(
        compute="_compute_kpis",
        store=True,
        aggregator="avg",
        string="Remote Resolution Rate",
    )
    kpi_first_time_fix = fields.Float(
        compute="_compute_kpis",
        store=True,
        aggregator="avg",
        string="First-time Fix Rate",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("company_id", "equipment_id")
    def _compute_user_id(self):
        # A fault order has no engineer until one accepts it, so the
        # technician of the charger or its category is not copied onto it.
        fault_orders = self.filtered("station_id")
        for request in fault_orders:
            request.user_id = request.user_id
        super(MaintenanceRequest, self - fault_orders)._compute_user_id()

    def _compute_report_count(self):
        counts = dict(
            self.env["qicai.fault.report"]._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.report_count = counts.get(request, 0)

    @api.depends_context("uid")
    @api.depends("user_id", "work_state", "escalation_level", "support_team_id")
    def _compute_is_my_work(self):
        mine = self.filtered_domain(self._my_work_domain())
        for request in self:
            request.is_my_work = request in mine

    def _search_is_my_work(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("My Work can only be searched as true or false.")
            )
        domain = self._my_work_domain()
        return domain if (operator == "=") == value else ["!"] + domain

    def _my_work_domain(self):
        """Return the domain of the orders the current user works on."""
        user = self.env.user
        domain = [
            "|",
            "|",
            ("user_id", "=", user.id),
            ("support_team_id.member_ids", "in", [user.id]),
            "&",
            "&",
            ("work_state", "=", "dispatched"),
            ("user_id", "=", False),
            ("maintenance_team_id.member_ids", "in", [user.id]),
        ]
        if user.has_group("qicai_station.group_qicai_technical"):
            domain = [
                "|",
                "&",
                ("escalation_level", "=", "technical"),
                ("work_state", "in", OPEN_STATES),
            ] + domain
        return domain

    @api.depends_context("uid")
    @api.depends("work_state", "escalation_level", "maintenance_team_id", "user_id")
    def _compute_user_permissions(self):
        user = self.env.user
        is_manager = user.has_group("qicai_station.group_qicai_manager")
        for request in self:
            request.can_accept = request.work_state == "dispatched" and (
                is_manager or user in request.maintenance_team_id.member_ids
            )
            target = NEXT_LEVEL.get(request.escalation_level)
            request.can_escalate = (
                request.work_state in ("accepted", "on_site", "in_progress")
                and bool(target)
                and request._may_escalate_to(target, user)
            )

    @api.depends("equipment_id")
    def _compute_station_id(self):
        for request in self:
            if request.equipment_id.station_id:
                request.station_id = request.equipment_id.station_id

    @api.depends("company_id", "equipment_id", "station_id")
    def _compute_maintenance_team_id(self):
        super()._compute_maintenance_team_id()
        for request in self.filtered("station_id"):
            team = request.station_id._get_covering_team()
            if team:
                request.maintenance_team_id = team

    @api.depends("fault_category_id")
    def _compute_classification(self):
        for request in self:
            category = request.fault_category_id
            if category and request.work_state == "new":
                request.fault_class = category.default_class
                request.urgency = category.default_urgency
            else:
                request.fault_class = request.fault_class or "common"
                request.urgency = request.urgency or "non_urgent"

    @api.depends("fault_category_id", "fault_class", "urgency")
    def _compute_priority(self):
        for request in self:
            if request.fault_category_id and request.fault_class and request.urgency:
                request.priority = PRIORITY_OF_CLASS[
                    (request.fault_class, request.urgency)
                ]
            else:
                request.priority = request.priority

    @api.depends("fault_class", "fault_category_id.emergency_plan_id")
    def _compute_emergency_plan_id(self):
        for request in self:
            request.emergency_plan_id = (
                request.fault_category_id.emergency_plan_id
                if request.fault_class == "serious"
                else False
            )

    @api.depends("reported_at", "urgency", "maintenance_team_id", "resolution_mode")
    def _compute_sla_deadlines(self):
        for request in self:
            team = request.maintenance_team_id
            if not team or not request.reported_at or not request.urgency:
                request.sla_response_deadline = False
                request.sla_arrival_deadline = False
                request.sla_resolution_deadline = False
                continue
            response, arrival, resolution = team._get_sla_hours(request.urgency)
            start = request.reported_at
            request.sla_response_deadline = start + timedelta(hours=response)
            request.sla_arrival_deadline = (
                start + timedelta(hours=arrival)
                if request.resolution_mode == "on_site"
                else False
            )
            request.sla_resolution_deadline = start + timedelta(hours=resolution)

    @api.depends(
        "sla_response_breached", "sla_arrival_breached", "sla_resolution_breached"
    )
    def _compute_sla_breached(self):
        for request in self:
            request.sla_breached = (
                request.sla_response_breached
                or request.sla_arrival_breached
                or request.sla_resolution_breached
            )

    @api.depends_context("qicai_now")
    @api.depends(
        "work_state",
        "sla_breached",
        "responded_at",
        "arrived_at",
        "resolved_at",
        "sla_response_deadline",
        "sla_arrival_deadline",
        "sla_resolution_deadline",
    )
    def _compute_sla_state(self):
        now = self._now()
        for request in self:
            step = request._sla_pending_step()
            request.sla_next_deadline = step and step[1]
            if not request.sla_resolution_deadline or request.work_state == "cancelled":
                request.sla_state = "none"
            elif request.sla_breached or (step and step[1] < now):
                request.sla_state = "breached"
            elif not step:
                request.sla_state = "met"
            else:
                window = (step[1] - request.reported_at).total_seconds()
                left = (step[1] - now).total_seconds()
                request.sla_state = (
                    "at_risk" if left <= window * AT_RISK_SHARE else "on_track"
                )

    def _search_sla_state(self, operator, value):
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in"):
            values = list(value)
        else:
            raise UserError(
                self.env._(
                    "SLA state cannot be searched with operator %(operator)s. "
                    "Use =, !=, in or not in.",
                    operator=operator,
                )
            )
        states = tuple(v for v in values if v)
        if not states:
            matching = SQL("(SELECT NULL::integer WHERE FALSE)")
        else:
            self.flush_model(
                [
                    "work_state",
                    "resolution_mode",
                    "reported_at",
                    "responded_at",
                    "arrived_at",
                    "sla_breached",
                    "sla_response_deadline",
                    "sla_arrival_deadline",
                    "sla_resolution_deadline",
                ]
            )
            matching = SQL(
                "(SELECT id FROM maintenance_request WHERE %s IN %s)",
                self._sla_state_sql(self._now()),
                states,
            )
        return [("id", "in" if operator in ("=", "in") else "not in", matching)]

    @api.model
    def _sla_state_sql(self, now):
        """Return the SQL expression of ``sla_state`` on table maintenance_request.

        It follows ``_compute_sla_state`` and ``_sla_pending_step`` case by case,
        so that searching and grouping agree with the form.
        """
        pending_deadline = SQL(
            """CASE
                WHEN responded_at IS NULL AND sla_response_deadline IS NOT NULL
                    THEN sla_response_deadline
                WHEN resolution_mode = 'on_site' AND arrived_at IS NULL
                    AND sla_arrival_deadline IS NOT NULL
                    THEN sla_arrival_deadline
                ELSE sla_resolution_deadline
            END"""
        )
        return SQL(
            """CASE
                WHEN sla_resolution_deadline IS NULL OR work_state = 'cancelled'
                    THEN 'none'
                WHEN sla_breached THEN 'breached'
                WHEN work_state IN ('resolved', 'closed') THEN 'met'
                WHEN %(deadline)s < %(now)s THEN 'breached'
                WHEN %(deadline)s - %(now)s
                    <= (%(deadline)s - reported_at) * %(share)s THEN 'at_risk'
                ELSE 'on_track'
            END""",
            deadline=pending_deadline,
            now=now,
            share=AT_RISK_SHARE,
        )

    @api.depends("safety_check_ids.confirmed", "safety_check_ids.blocking")
    def _compute_safety_confirmed(self):
        for request in self:
            pending = request.safety_check_ids.filtered(
                lambda c: c.blocking and not c.confirmed
            )
            request.safety_confirmed = bool(request.safety_check_ids) and not pending

    @api.depends("source_channel", "report_ids.source_channel")
    def _compute_customer_feedback_required(self):
        for request in self:
            channels = {
                request.source_channel,
                *request.report_ids.mapped("source_channel"),
            }
            request.customer_feedback_required = bool(channels & set(CUSTOMER_CHANNELS))

    @api.depends(
        "reported_at",
        "accepted_at",
        "resolved_at",
        "resolution_mode",
        "work_state",
        "sla_breached",
        "escalation_level",
        "reopen_count",
        "callback_satisfaction",
    )
    def _compute_kpis(self):
        for request in self:
            remote = request.resolution_mode in ("remote", "phone")
            responded = request.resolved_at if remote else request.accepted_at
            request.responded_at = responded
            request.response_hours = (
                (responded - request.reported_at).total_seconds() / 3600
                if responded
                else 0.0
            )
            request.repair_hours = (
                (request.resolved_at - request.reported_at).total_seconds() / 3600
                if request.resolved_at
                else 0.0
            )
            done = request.work_state in ("resolved", "closed")
            request.kpi_sla_met = float(done and not request.sla_breached)
            request.kpi_remote = float(done and remote)
            request.kpi_first_time_fix = float(
                done
                and request.escalation_level == "engineer"
                and not request.reopen_count
            )
            request.callback_score = float(request.callback_satisfaction or 0)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("equipment_id", "station_id")
    def _check_equipment_station(self):
        bad = self.filtered(
            lambda r: (
                r.equipment_id.station_id
                and r.station_id
                and r.equipment_id.station_id != r.station_id
            )
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "Work order %(orders)s names a charger of another station. "
                    "Pick a charger of the order's station or change the station.",
                    orders=", ".join(bad.mapped("display_name")),
                )
            )

    @api.constrains("connector_id", "equipment_id")
    def _check_connector_equipment(self):
        bad = self.filtered(
            lambda r: r.connector_id and r.connector_id.equipment_id != r.equipment_id
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "Work order %(orders)s names a connector of another charger. "
                    "Pick a connector of the order's charger.",
                    orders=", ".join(bad.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("qicai_transition"):
            rejected = [
                vals.get("name") or "?"
                for vals in vals_list
                if vals.get("work_state", "new") != "new"
                and self._station_of_vals(vals)
            ]
            if rejected:
                raise UserError(
                    self.env._(
                        "Work order %(orders)s cannot be created in a later state: "
                        "create it as reported, then use the buttons (classify, "
                        "dispatch, accept, ...), so that every step is checked "
                        "and timed.",
                        orders=", ".join(rejected),
                    )
                )

        stage_of = self._stages_by_state()
        team_of_station = {}
        for vals in vals_list:
            if vals.get("reported_at") and not vals.get("request_date"):
                vals["request_date"] = fields.Datetime.to_datetime(
                    vals["reported_at"]
                ).date()
            station = self._station_of_vals(vals)
            if not station:
                continue
            # The kanban column a card was created in does not skip the
            # workflow: the stage always follows the state.
            stage = stage_of.get(vals.get("work_state", "new"))
            if stage:
                vals["stage_id"] = stage.id
            if not vals.get("maintenance_team_id"):
                if station not in team_of_station:
                    team_of_station[station] = station._get_covering_team()
                if team_of_station[station]:
                    vals["maintenance_team_id"] = team_of_station[station].id

        requests = super().create(vals_list)
        requests._sync_charger_status()
        return requests

    def write(self, vals):
        if not self.env.context.get("qicai_transition"):
            guarded = WORKFLOW_FIELDS & set(vals)
            orders = self if vals.get("station_id") else self.filtered("station_id")
            if guarded and orders:
                raise UserError(
                    self.env._(
                        "Field %(fields)s of work order %(orders)s changes only "
                        "through its buttons (classify, dispatch, accept, escalate, "
                        "...), so that every step is checked and timed.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in sorted(guarded)
                        ),
                        orders=", ".join(orders.mapped("display_name")),
                    )
                )
        previous_chargers = (
            self.equipment_id
            if "equipment_id" in vals
            else self.env["maintenance.equipment"]
        )
        result = super().write(vals)
        if {"work_state", "urgency", "equipment_id"} & set(vals):
            self._sync_charger_status(previous_chargers)
        return result

    def unlink(self):
        chargers = self.equipment_id
        result = super().unlink()
        self._sync_charger_status(chargers)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        closed = self.filtered(lambda r: r.work_state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "Closed work order %(orders)s cannot be deleted. Archive it instead.",
                    orders=", ".join(closed.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Workflow actions
    # ------------------------------------------------------------------

    def action_classify(self):
        """Confirm class, urgency and resolution mode, which start the SLA."""
        self._check_group("qicai_station.group_qicai_service", self.env._("classify"))
        self._check_state(("new",), self.env._("classify"))
        missing = self.filtered(
            lambda r: not r.station_id or not r.fault_category_id or not r.urgency
        )
        if missing:
            raise UserError(
                self.env._(
                    "Work order %(orders)s needs a station, a fault category and an "
                    "urgency before it can be classified.",
                    orders=", ".join(missing.mapped("display_name")),
                )
            )
        for request in self:
            vals = {
                "classified_at": fields.Datetime.now(),
                "classified_by_id": self.env.uid,
                "priority": PRIORITY_OF_CLASS[(request.fault_class, request.urgency)],
            }
            if not request.maintenance_team_id:
                team = request.station_id._get_covering_team()
                if team:
                    vals["maintenance_team_id"] = team.id
            request._transition("classified", vals)
        return True

    def action_dispatch(self):
        """Send on-site orders to the team that covers the station."""
        self._check_group("qicai_station.group_qicai_service", self.env._("dispatch"))
        self._check_state(("classified",), self.env._("dispatch"))
        not_on_site = self.filtered(lambda r: r.resolution_mode != "on_site")
        if not_on_site:
            raise UserError(
                self.env._(
                    "Work order %(orders)s is to be solved remotely or by phone, so "
                    "it is not dispatched. Resolve it, or set the resolution mode to "
                    "On Site first.",
                    orders=", ".join(not_on_site.mapped("display_name")),
                )
            )
        team_of = {request: request._get_dispatch_team() for request in self}
        uncovered = self.filtered(lambda r: not team_of[r])
        if uncovered:
            raise UserError(
                self.env._(
                    "No O&M team with an active contract covers station %(stations)s "
                    "of work order %(orders)s. Set the station's responsible team or "
                    "add the station or its region to a team's coverage.",
                    stations=", ".join(uncovered.station_id.mapped("display_name")),
                    orders=", ".join(uncovered.mapped("display_name")),
                )
            )
        empty = {team for team in team_of.values() if not team.member_ids}
        if empty:
            raise UserError(
                self.env._(
                    "Team %(teams)s has no members, so nobody could accept the work "
                    "order. Add engineers to the team first.",
                    teams=", ".join(team.name for team in empty),
                )
            )

        now = fields.Datetime.now()
        for request in self:
            request._transition(
                "dispatched",
                {"dispatched_at": now, "maintenance_team_id": team_of[request].id},
            )
            request._notify_team_dispatch()
        return True

    def action_accept(self):
        """Take the order as the current user (接单); one engineer wins a race."""
        self.ensure_one()
        self._lock_for_acceptance()
        self.invalidate_recordset(["work_state", "user_id"])
        if self.work_state != "dispatched":
            if self.user_id and self.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Work order %(order)s was already accepted by %(user)s.",
                        order=self.display_name,
                        user=self.user_id.name,
                    )
                )
            self._check_state(("dispatched",), self.env._("accept"))
        self._check_accept_allowed(self.env.user)
        now = fields.Datetime.now()
        vals = {"accepted_at": now, "user_id": self.env.uid}
        if self.sla_response_deadline and now > self.sla_response_deadline:
            vals["sla_response_breached"] = True
        self._transition("accepted", vals)
        return True

    def action_arrive(self):
        """Record arrival on site and lay out the safety pre-work checklist."""
        self._check_state(("accepted",), self.env._("record the arrival of"))
        self._check_assigned_user()
        now = fields.Datetime.now()
        for request in self:
            vals = {"arrived_at": now}
            if request.sla_arrival_deadline and now > request.sla_arrival_deadline:
                vals["sla_arrival_breached"] = True
            request._transition("on_site", vals)
        self._create_safety_checks()
        return True

    def action_start(self):
        """Start work once every blocking safety item is confirmed."""
        self._check_state(("on_site",), self.env._("start work on"))
        self._check_assigned_user()
        for request in self:
            pending = request.safety_check_ids.filtered(
                lambda c: c.blocking and not c.confirmed
            )
            if pending or not request.safety_check_ids:
                items = "\n".join("- " + name for name in pending.mapped("name"))
                raise UserError(
                    self.env._(
                        "Work on %(order)s cannot start: confirm these items on "
                        "the Safety tab first:\n%(items)s",
                        order=request.display_name,
                        items=items or self.env._("the checklist is empty"),
                    )
                )
            request._transition("in_progress", {"started_at": fields.Datetime.now()})
        return True

    def action_resolve(self):
        """Record the fix: on site after work, or remotely / by phone."""
        for request in self:
            if request.resolution_mode == "on_site":
                request._check_state(("in_progress",), self.env._("resolve"))
                request._check_assigned_user()
            else:
                request._check_state(("classified",), self.env._("resolve"))
                request._check_group(
                    "qicai_station.group_qicai_service", self.env._("resolve remotely")
                )
        missing = self.filtered(lambda r: not r.root_cause or not r.actions_taken)
        if missing:
            raise UserError(
                self.env._(
                    "Work order %(orders)s needs a root cause and the actions taken "
                    "before it can be resolved.",
                    orders=", ".join(missing.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        for request in self:
            vals = {"resolved_at": now}
            if (
                request.sla_resolution_deadline
                and now > request.sla_resolution_deadline
            ):
                vals["sla_resolution_breached"] = True
            if (
                request.resolution_mode != "on_site"
                and request.sla_response_deadline
                and now > request.sla_response_deadline
            ):
                vals["sla_response_breached"] = True
            request._transition("resolved", vals)
            request.escalation_ids.filtered(lambda e: not e.closed_at).write(
                {"closed_at": now, "result": request.actions_taken}
            )
        return True

    def action_notify_customer(self, feedback):
        """Record that the result was fed back to the customer."""
        self._check_group(
            "qicai_station.group_qicai_service",
            self.env._("record customer feedback on"),
        )
        self._check_state(("resolved",), self.env._("record customer feedback on"))
        if not feedback or not feedback.strip():
            raise UserError(self.env._("Write what was told to the customer."))
        self.with_context(qicai_transition=True).write(
            {
                "customer_feedback": feedback,
                "customer_notified_at": fields.Datetime.now(),
            }
        )
        for request in self:
            request.message_post(
                body=self.env._("Result fed back to the customer: %s", feedback)
            )
        return True

    def action_reopen(self):
        """Send a resolved order back to work when the fix did not hold."""
        self._check_group("qicai_station.group_qicai_service", self.env._("reopen"))
        self._check_state(("resolved",), self.env._("reopen"))
        for request in self:
            back_to = (
                "in_progress" if request.resolution_mode == "on_site" else "classified"
            )
            request._transition(
                back_to,
                {
                    "resolved_at": False,
                    "customer_notified_at": False,
                    "reopen_count": request.reopen_count + 1,
                },
            )
        return True

    def action_close(self):
        """Close the fault (销障): service management only, after feedback."""
        self._check_group("qicai_station.group_qicai_service", self.env._("close"))
        self._check_state(("resolved",), self.env._("close"))
        no_feedback = self.filtered(
            lambda r: r.customer_feedback_required and not r.customer_notified_at
        )
        if no_feedback:
            raise UserError(
                self.env._(
                    "Work order %(orders)s came from a customer: feed the result "
                    "back to the customer before closing it.",
                    orders=", ".join(no_feedback.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        self._transition(
            "closed",
            {"closed_at": now, "closed_by_id": self.env.uid, "close_date": now.date()},
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_record_callback(self, satisfaction, comment=False):
        """Record the customer callback (回访) with a 1-5 satisfaction score."""
        self._check_group(
            "qicai_station.group_qicai_service", self.env._("record a callback on")
        )
        self._check_state(("closed",), self.env._("record a callback on"))
        if str(satisfaction) not in dict(SATISFACTION):
            raise UserError(
                self.env._(
                    "Satisfaction %(value)s is invalid: give a score from 1 to 5.",
                    value=satisfaction,
                )
            )
        done = self.filtered("callback_at")
        if done:
            raise UserError(
                self.env._(
                    "The customer of %(orders)s was already called back.",
                    orders=", ".join(done.mapped("display_name")),
                )
            )
        self.with_context(qicai_transition=True).write(
            {
                "callback_at": fields.Datetime.now(),
                "callback_by_id": self.env.uid,
                "callback_satisfaction": str(satisfaction),
                "callback_comment": comment,
            }
        )
        labels = dict(self._fields["callback_satisfaction"]._description_selection(self.env))
        for request in self:
            request.message_post(
                body=self.env._(
                    "Customer called back: satisfaction %(score)s. %(comment)s",
                    score=labels[str(satisfaction)],
                    comment=comment or "",
                )
            )
        return True

    def action_cancel(self, reason):
        """Cancel an open order, e.g. a false alarm, with the reason."""
        self._check_group("qicai_station.group_qicai_service", self.env._("cancel"))
        self._check_state(OPEN_STATES, self.env._("cancel"))
        if not reason or not reason.strip():
            raise UserError(
                self.env._("Give the reason for cancelling the work order.")
            )
        self._transition(
            "cancelled",
            {"cancelled_at": fields.Datetime.now(), "cancel_reason": reason},
        )
        return True

    def action_escalate(self, reason, support_mode="remote", automatic=False):
        """Escalate one level up the chain: engineer -> technical -> manufacturer."""
        self._check_state(
            ("accepted", "on_site", "in_progress"), self.env._("escalate")
        )
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason for the escalation."))
        for request in self:
            target = NEXT_LEVEL.get(request.escalation_level)
            if not target:
                raise UserError(
                    self.env._(
                        "Work order %(order)s is already with the manufacturer, the "
                        "last level of the escalation chain.",
                        order=request.display_name,
                    )
                )
            if not automatic:
                request._check_escalation_allowed(target)
            team = request._get_support_team(target)
            request.env["qicai.escalation"].create(
                {
                    "request_id": request.id,
                    "from_level": request.escalation_level,
                    "to_level": target,
                    "reason": reason,
                    "support_mode": support_mode,
                    "support_team_id": team.id,
                    "is_automatic": automatic,
                }
            )
            request.with_context(qicai_transition=True).write(
                {"escalation_level": target, "support_team_id": team.id}
            )
            request._notify_escalation(target, team, reason)
        return True

    def action_open_escalate_wizard(self):
        return self._open_wizard("escalate")

    def _open_wizard(self, action):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": dict(
                self.env["qicai.work.order.wizard"]
                ._fields["action"]
                ._description_selection(self.env)
            )[action],
            "res_model": "qicai.work.order.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id, "default_action": action},
        }

    def action_open_feedback_wizard(self):
        return self._open_wizard("feedback")

    def action_open_callback_wizard(self):
        return self._open_wizard("callback")

    def action_open_cancel_wizard(self):
        return self._open_wizard("cancel")

    def action_view_reports(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reports"),
            "res_model": "qicai.fault.report",
            "view_mode": "list,form",
            "domain": [("request_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Business methods and extension points
    # ------------------------------------------------------------------

    def _transition(self, state, vals=None):
        """Move the orders to ``state`` with ``vals``, keeping the stage in step."""
        vals = dict(vals or {}, work_state=state)
        stage = self._stages_by_state().get(state)
        if stage and "stage_id" not in vals:
            vals["stage_id"] = stage.id
        self.with_context(qicai_transition=True).write(vals)
        self._transition_hook(state)

    def _transition_hook(self, state):
        """Extension point called after every state change of the orders."""

    def _check_state(self, states, action_label):
        wrong = self.filtered(lambda r: r.work_state not in states)
        if wrong:
            labels = dict(self._fields["work_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s work order %(orders)s in state %(state)s.",
                    action=action_label,
                    orders=", ".join(wrong.mapped("display_name")),
                    state=", ".join(
                        sorted({labels[s] for s in wrong.mapped("work_state")})
                    ),
                )
            )

    def _check_group(self, group_xmlid, action_label):
        if not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            raise AccessError(
                self.env._(
                    "Only members of %(group)s may %(action)s work orders; ask the "
                    "service desk.",
                    group=group.name,
                    action=action_label,
                )
            )

    def _check_assigned_user(self):
        """Allow the assigned engineer, the current support level and managers."""
        user = self.env.user
        if user.has_group("qicai_station.group_qicai_manager"):
            return
        for request in self:
            allowed = request.user_id == user
            if request.escalation_level == "technical":
                allowed = allowed or user.has_group(
                    "qicai_station.group_qicai_technical"
                )
            if request.escalation_level == "manufacturer":
                allowed = allowed or user in request.support_team_id.member_ids
            if not allowed:
                raise AccessError(
                    self.env._(
                        "Work order %(order)s is assigned to %(engineer)s; only that "
                        "engineer or the current support level may work on it.",
                        order=request.display_name,
                        engineer=request.user_id.name or self.env._("nobody"),
                    )
                )

    def _check_accept_allowed(self, user):
        """Raise when ``user`` may not accept this order.

        Extension point: qualification modules add their checks here.
        """
        self.ensure_one()
        team = self.maintenance_team_id
        if user not in team.member_ids:
            if not user.has_group("qicai_station.group_qicai_manager"):
                raise AccessError(
                    self.env._(
                        "%(user)s is not a member of team %(team)s, to which work "
                        "order %(order)s was dispatched.",
                        user=user.name,
                        team=team.name,
                        order=self.display_name,
                    )
                )

    def _may_escalate_to(self, target, user):
        """Return whether ``user`` may escalate this order to level ``target``.

        The assigned engineer or the service desk escalates to the technical
        department, and the technical department to the manufacturer.
        """
        if target == "technical":
            return self.user_id == user or user.has_group(
                "qicai_station.group_qicai_service"
            )
        return user.has_group("qicai_station.group_qicai_technical")

    def _check_escalation_allowed(self, target):
        user = self.env.user
        if not self._may_escalate_to(target, user):
            raise AccessError(
                self.env._(
                    "%(user)s may not escalate work order %(order)s: the assigned "
                    "engineer escalates to the technical department, and the "
                    "technical department escalates to the manufacturer.",
                    user=user.name,
                    order=self.display_name,
                )
            )

    def _get_dispatch_team(self):
        """Return the team to dispatch the order to: its own team when that team
        covers the station under an active contract, else the station's
        covering team (empty when there is none)."""
        self.ensure_one()
        team = self.maintenance_team_id
        if team and team._covers_station(self.station_id):
            return team
        return self.station_id._get_covering_team()

    def _get_support_team(self, level):
        """Return the team that supports the order at ``level``."""
        self.ensure_one()
        if level != "manufacturer":
            return self.env["maintenance.team"]
        manufacturer = self.equipment_id.manufacturer_id
        if not manufacturer:
            raise UserError(
                self.env._(
                    "Work order %(order)s has no charger with a charger model, so the "
                    "manufacturer is unknown. Set the charger first.",
                    order=self.display_name,
                )
            )
        # Suppliers' teams are not visible to the escalating engineer's record
        # rules; the lookup only reads the team and returns it, nothing else.
        teams = (
            self.env["maintenance.team"]
            .sudo()
            .search(
                [
                    ("provider_type", "=", "supplier"),
                    (
                        "provider_partner_id",
                        "child_of",
                        manufacturer.commercial_partner_id.id,
                    ),
                    ("contract_active", "=", True),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                limit=1,
            )
        )
        if not teams:
            raise UserError(
                self.env._(
                    "No supplier team of manufacturer %(manufacturer)s has an active "
                    "contract, so work order %(order)s cannot be escalated to it. "
                    "Create a team with provider type Equipment Supplier and provider "
                    "company %(manufacturer)s.",
                    manufacturer=manufacturer.name,
                    order=self.display_name,
                )
            )
        return teams.with_env(self.env)

    def _lock_for_acceptance(self):
        """Lock the order rows, or raise at once when another transaction
        holds them. The savepoint keeps the transaction usable after a failed
        lock, so the caller can still report the error and read records."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM maintenance_request WHERE id IN %s "
                        "FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another engineer is accepting work order %(order)s at this "
                    "moment. Refresh the list: it is probably no longer free.",
                    order=self.display_name,
                )
            ) from None

    def _create_safety_checks(self):
        items = self.env["qicai.safety.check.item"].search([])
        vals_list = []
        for request in self:
            existing = request.safety_check_ids.item_id
            for item in items - existing:
                if request._safety_item_applies(item):
                    vals_list.append({"request_id": request.id, "item_id": item.id})
        self.env["qicai.safety.check"].create(vals_list)

    def _safety_item_applies(self, item):
        if item.applies_to == "dc_charger":
            return self.equipment_id.current_type == "dc"
        if item.applies_to == "hv_work":
            return self.fault_category_id.requires_hv_work
        # Charging stations are outdoor or semi-open car parks, so outdoor
        # items apply unless a later module overrides this method.
        return True

    def _notify_team_dispatch(self):
        members = self.maintenance_team_id.member_ids
        if members:
            self.message_subscribe(partner_ids=members.partner_id.ids)
        self.message_post(
            body=self.env._(
                "Dispatched to team %(team)s. The first engineer to accept takes it.",
                team=self.maintenance_team_id.name,
            ),
            partner_ids=members.partner_id.ids,
        )

    def _notify_escalation(self, target, team, reason):
        if target == "technical":
            # Engineers may not read group memberships; only the list of
            # technical users to notify is read here.
            group = self.env.ref("qicai_station.group_qicai_technical").sudo()
            users = group.users.filtered(lambda u: u.active and not u.share)
        else:
            users = team.sudo().member_ids
        partners = users.partner_id
        if partners:
            self.message_subscribe(partner_ids=partners.ids)
        labels = dict(self._fields["escalation_level"]._description_selection(self.env))
        if team:
            body = self.env._(
                "Escalated to %(level)s (%(team)s): %(reason)s",
                level=labels[target],
                team=team.name,
                reason=reason,
            )
        else:
            body = self.env._(
                "Escalated to %(level)s: %(reason)s",
                level=labels[target],
                reason=reason,
            )
        self.message_post(
            body=body,
            partner_ids=partners.ids,
        )

    def _sync_charger_status(self, other_equipment=None):
        """Refresh the operational status of the orders' chargers and of
        ``other_equipment``, e.g. the charger an order was moved away from."""
        equipment = self.exists().equipment_id
        if other_equipment:
            equipment |= other_equipment.exists()
        chargers = equipment.filtered(lambda e: e.equipment_kind == "charger")
        if chargers:
            chargers._refresh_operational_status()

    @api.model
    @api.model
    def _read_group_stage_ids(self, stages, domain):
        if self.env.context.get("qicai_work_order_stages"):
            return stages.search([("work_state", "!=", False)], order=stages._order)
        return super()._read_group_stage_ids(stages, domain)

    def get_formview_id(self, access_uid=None):
        if len(self) == 1 and self.station_id:
            view = self.env.ref(
                "qicai_maintenance.maintenance_request_view_form_work_order",
                raise_if_not_found=False,
            )
            if view:
                return view.id
        return super().get_formview_id(access_uid=access_uid)

    def _station_of_vals(self, vals):
        """Return the station of a work order about to be created from ``vals``:
        the given station or the charger's."""
        if vals.get("station_id"):
            return self.env["qicai.station"].browse(vals["station_id"])
        if vals.get("equipment_id"):
            return (
                self.env["maintenance.equipment"]
                .browse(vals["equipment_id"])
                .station_id
            )
        return self.env["qicai.station"]

    @api.model
    def _stages_by_state(self):
        stages = self.env["maintenance.stage"].search([("work_state", "!=", False)])
        return {stage.work_state: stage for stage in stages}

    def _sla_pending_step(self):
        """Return ``(step, deadline)`` of the next SLA step still to be met."""
        self.ensure_one()
        if self.work_state in ("resolved", "closed", "cancelled"):
            return False
        if not self.responded_at and self.sla_response_deadline:
            return ("response", self.sla_response_deadline)
        if (
            self.resolution_mode == "on_site"
            and not self.arrived_at
            and self.sla_arrival_deadline
        ):
            return ("arrival", self.sla_arrival_deadline)
        if self.sla_resolution_deadline:
            return ("resolution", self.sla_resolution_deadline)
        return False

    def _now(self):
        """Return the time SLA states are measured at: ``qicai_now`` in the
        context (a datetime or its string form) or the current time."""
        now = self.env.context.get("qicai_now")
        return fields.Datetime.to_datetime(now) if now else fields.Datetime.now()

    @api.model
    def _cron_check_sla(self, batch_size=500):
        """Flag missed deadlines, notify the service desk and escalate late fixes.

        Each order is flagged once per missed step, so a later run neither
        notifies nor escalates it again for that step.

        :param batch_size: maximum number of orders handled in one run. When
            more remain, the run reports them as cron progress, so Odoo runs
            the cron again soon.
        :return: the orders flagged in this run
        """
        now = fields.Datetime.now()
        domain = self._sla_overdue_domain(now)
        overdue = self.search(domain, limit=batch_size, order="id")
        missed_of = {request: request._missed_sla_steps(now) for request in overdue}

        flags_of = {}
        for request, missed in missed_of.items():
            flags_of.setdefault(tuple(missed), []).append(request.id)
        for missed, ids in flags_of.items():
            self.browse(ids).with_context(qicai_transition=True).write(
                {f"sla_{step}_breached": True for step in missed}
            )
        for missed, ids in flags_of.items():
            self.browse(ids)._notify_sla_breach(missed)

        escalated = 0
        for request, missed in missed_of.items():
            if (
                "resolution" in missed
                and request.work_state in ("accepted", "on_site", "in_progress")
                and request.escalation_level in NEXT_LEVEL
            ):
                try:
                    with self.env.cr.savepoint():
                        request.action_escalate(
                            self.env._("Resolution deadline missed."), automatic=True
                        )
                    escalated += 1
                except UserError as error:
                    _logger.warning(
                        "SLA escalation of work order %s failed: %s", request.id, error
                    )
        _logger.info(
            "SLA check: %d overdue work orders flagged, %d escalated",
            len(overdue),
            escalated,
        )
        if len(overdue) == batch_size:
            self.env["ir.cron"]._notify_progress(
                done=len(overdue), remaining=self.search_count(domain)
            )
        return overdue

    @api.model
    def _sla_overdue_domain(self, now):
        """Return the domain of open orders with a deadline missed at ``now``
        and not flagged yet; it matches ``_missed_sla_steps``."""
        return [
            ("work_state", "in", OPEN_STATES),
            "|",
            "|",
            "&",
            "&",
            ("sla_response_breached", "=", False),
            ("responded_at", "=", False),
            ("sla_response_deadline", "<", now),
            "&",
            "&",
            ("sla_arrival_breached", "=", False),
            ("arrived_at", "=", False),
            ("sla_arrival_deadline", "<", now),
            "&",
            "&",
            ("sla_resolution_breached", "=", False),
            ("resolved_at", "=", False),
            ("sla_resolution_deadline", "<", now),
        ]

    def _missed_sla_steps(self, now):
        self.ensure_one()
        missed = []
        if (
            not self.sla_response_breached
            and not self.responded_at
            and self.sla_response_deadline
            and self.sla_response_deadline < now
        ):
            missed.append("response")
        if (
            not self.sla_arrival_breached
            and not self.arrived_at
            and self.sla_arrival_deadline
            and self.sla_arrival_deadline < now
        ):
            missed.append("arrival")
        if (
            not self.sla_resolution_breached
            and not self.resolved_at
            and self.sla_resolution_deadline
            and self.sla_resolution_deadline < now
        ):
            missed.append("resolution")
        return missed

    def _notify_sla_breach(self, missed):
        """Log the missed SLA steps ``missed`` on the orders and give the person
        responsible for each order a to-do activity, which notifies them."""
        labels = {
            "response": self.env._("response"),
            "arrival": self.env._("arrival"),
            "resolution": self.env._("resolution"),
        }
        steps = ", ".join(labels[step] for step in missed)
        body = self.env._("SLA deadline missed: %(steps)s.", steps=steps)
        self._message_log_batch(bodies={request.id: body for request in self})

        responsible_of = self.grouped(
            lambda r: r.user_id or r.classified_by_id or r.create_uid
        )
        for responsible, requests in responsible_of.items():
            requests.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("SLA missed (%(steps)s)", steps=steps),
                user_id=responsible.id,
            )
