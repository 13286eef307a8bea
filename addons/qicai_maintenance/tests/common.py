from datetime import timedelta

from odoo import fields
from odoo.tests import Form, TransactionCase, new_test_user

ENGINEER = "qicai_station.group_qicai_engineer"
PARTNER = "qicai_station.group_qicai_partner"


class QicaiMaintenanceCase(TransactionCase):
    """Fault network built from scratch: one manufacturer with AC and DC models,
    regions, stations with chargers and connectors, own / partner / supplier
    teams, a user of every group, fault categories and a known safety
    checklist. Seed checklist items are archived so that every checklist in
    the tests is the one built here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.today = fields.Date.context_today(env["res.users"])

        # Users of every group
        cls.manager = cls._user("mgr", "qicai_station.group_qicai_manager")
        cls.service = cls._user("desk", "qicai_station.group_qicai_service")
        cls.technical = cls._user("tech", "qicai_station.group_qicai_technical")
        cls.engineer = cls._user("eng1", ENGINEER)
        cls.engineer2 = cls._user("eng2", ENGINEER)
        cls.outsider = cls._user("eng3", ENGINEER)
        cls.supplier_user = cls._user("sup", PARTNER)
        cls.partner_user = cls._user("ptn", PARTNER)

        # Manufacturers and charger models
        Partner = env["res.partner"]
        cls.manufacturer = Partner.create({"name": "Volt Works", "is_company": True})
        cls.other_manufacturer = Partner.create({"name": "Amp Co", "is_company": True})
        cls.partner_company = Partner.create({"name": "Fix It Ltd", "is_company": True})
        Model = env["qicai.charger.model"]
        cls.model_dc = Model.create(
            {
                "name": "VW-120",
                "manufacturer_id": cls.manufacturer.id,
                "current_type": "dc",
                "rated_power_kw": 120,
                "connector_standard": "gbt_dc",
                "connector_count": 2,
            }
        )
        cls.model_ac = Model.create(
            {
                "name": "VW-7",
                "manufacturer_id": cls.manufacturer.id,
                "current_type": "ac",
                "rated_power_kw": 7,
                "connector_standard": "gbt_ac",
            }
        )
        cls.model_other = Model.create(
            {
                "name": "AC-60",
                "manufacturer_id": cls.other_manufacturer.id,
                "current_type": "dc",
                "rated_power_kw": 60,
                "connector_standard": "gbt_dc",
            }
        )

        # Regions
        Region = env["qicai.region"]
        cls.region_city = Region.create({"name": "Shenzhen", "code": "T-SZ"})
        cls.region_district = Region.create(
            {"name": "Futian", "code": "T-FT", "parent_id": cls.region_city.id}
        )
        cls.region_north = Region.create({"name": "North", "code": "T-N"})
        cls.region_north_sub = Region.create(
            {"name": "North Lake", "code": "T-NL", "parent_id": cls.region_north.id}
        )
        cls.region_remote = Region.create({"name": "Remote", "code": "T-RM"})

        # Teams
        Team = env["maintenance.team"]
        cls.team_own = Team.create(
            {
                "name": "Futian O&M",
                "provider_type": "own",
                "member_ids": [(6, 0, (cls.engineer | cls.engineer2).ids)],
                "sla_response_urgent": 1.0,
                "sla_arrival_urgent": 2.0,
                "sla_resolution_urgent": 8.0,
                "sla_response_normal": 4.0,
                "sla_arrival_normal": 24.0,
                "sla_resolution_normal": 72.0,
            }
        )
        cls.team_partner = Team.create(
            {
                "name": "Fix It crew",
                "provider_type": "partner",
                "provider_partner_id": cls.partner_company.id,
                "contract_start": cls.today - timedelta(days=30),
                "contract_end": cls.today + timedelta(days=365),
                "member_ids": [(6, 0, cls.partner_user.ids)],
            }
        )
        cls.team_supplier = Team.create(
            {
                "name": "Volt Works service",
                "provider_type": "supplier",
                "provider_partner_id": cls.manufacturer.id,
                "contract_start": cls.today - timedelta(days=30),
                "member_ids": [(6, 0, cls.supplier_user.ids)],
            }
        )
        cls.team_expired = Team.create(
            {
                "name": "Old partner",
                "provider_type": "partner",
                "provider_partner_id": cls.partner_company.id,
                "contract_start": cls.today - timedelta(days=400),
                "contract_end": cls.today - timedelta(days=1),
                "member_ids": [(6, 0, cls.partner_user.ids)],
            }
        )
        cls.team_north = Team.create(
            {
                "name": "North O&M",
                "provider_type": "own",
                "region_ids": [(6, 0, cls.region_north.ids)],
                "member_ids": [(6, 0, cls.engineer2.ids)],
            }
        )

        # Stations
        Station = env["qicai.station"]
        cls.station_a = Station.create(
            {
                "name": "Futian Hub",
                "code": "T-A",
                "region_id": cls.region_district.id,
                "team_id": cls.team_own.id,
            }
        )
        cls.station_b = Station.create(
            {"name": "Partner Park", "code": "T-B", "region_id": cls.region_city.id}
        )
        cls.team_partner.station_ids = [(6, 0, cls.station_b.ids)]
        cls.station_c = Station.create(
            {"name": "Lonely Lot", "code": "T-C", "region_id": cls.region_remote.id}
        )
        cls.station_d = Station.create(
            {
                "name": "Lake Side",
                "code": "T-D",
                "region_id": cls.region_north_sub.id,
                "team_id": cls.team_expired.id,
            }
        )

        # Chargers and connectors
        cls.charger_dc = cls._charger("A-DC-1", cls.station_a, cls.model_dc, 2)
        cls.charger_ac = cls._charger("A-AC-1", cls.station_a, cls.model_ac, 1)
        cls.charger_b = cls._charger("B-DC-1", cls.station_b, cls.model_dc, 1)
        cls.charger_c = cls._charger("C-DC-1", cls.station_c, cls.model_other, 1)
        cls.charger_d = cls._charger("D-AC-1", cls.station_d, cls.model_ac, 1)

        # Emergency plan and fault categories
        cls.plan_fire = env["qicai.emergency.plan"].create(
            {
                "code": "T-EM",
                "name": "Charger fire",
                "severity": "critical",
                "call_numbers": "119",
                "step_ids": [
                    (0, 0, {"sequence": 1, "instruction": "Press the emergency stop."}),
                    (0, 0, {"sequence": 2, "instruction": "Call 119."}),
                ],
            }
        )
        Category = env["qicai.fault.category"]
        cls.cat_offline = Category.create(
            {
                "code": "T-01",
                "name": "Charger offline",
                "default_class": "common",
                "default_urgency": "urgent",
            }
        )
        cls.cat_app = Category.create(
            {
                "code": "T-02",
                "name": "App start failure",
                "default_class": "common",
                "default_urgency": "non_urgent",
                "remote_resolvable": True,
            }
        )
        cls.cat_fire = Category.create(
            {
                "code": "T-03",
                "name": "Smoke from charger",
                "default_class": "serious",
                "default_urgency": "urgent",
                "requires_hv_work": True,
                "emergency_plan_id": cls.plan_fire.id,
            }
        )
        cls.cat_module = Category.create(
            {
                "code": "T-04",
                "name": "Power module failure",
                "default_class": "common",
                "default_urgency": "urgent",
                "requires_hv_work": True,
            }
        )

        # Safety checklist
        Item = env["qicai.safety.check.item"]
        Item.search([]).action_archive()
        cls.item_ppe = Item.create(
            {"code": "T-S1", "sequence": 1, "name": "PPE worn", "applies_to": "all"}
        )
        cls.item_dc = Item.create(
            {
                "code": "T-S2",
                "sequence": 2,
                "name": "DC bus discharged",
                "applies_to": "dc_charger",
            }
        )
        cls.item_hv = Item.create(
            {
                "code": "T-S3",
                "sequence": 3,
                "name": "Earthing fitted",
                "applies_to": "hv_work",
            }
        )
        cls.item_outdoor = Item.create(
            {
                "code": "T-S4",
                "sequence": 4,
                "name": "Weather safe",
                "applies_to": "outdoor",
            }
        )
        cls.item_note = Item.create(
            {
                "code": "T-S5",
                "sequence": 5,
                "name": "Photo of the site",
                "applies_to": "all",
                "blocking": False,
            }
        )

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env,
            login=f"qicai_t_{login}",
            name=f"Test {login}",
            groups=groups,
            lang="en_US",
            notification_type="inbox",
            context={"no_reset_password": True, "tracking_disable": True},
        )

    @classmethod
    def _charger(cls, name, station, charger_model, connectors):
        return cls.env["maintenance.equipment"].create(
            {
                "name": name,
                "equipment_kind": "charger",
                "station_id": station.id,
                "charger_model_id": charger_model.id,
                "connector_ids": [
                    (
                        0,
                        0,
                        {
                            "number": number,
                            "current_type": charger_model.current_type,
                            "standard": charger_model.connector_standard,
                        },
                    )
                    for number in range(1, connectors + 1)
                ],
            }
        )

    def _intake(self, *reports, user=None):
        """Take ``reports`` in as ``user`` (the service desk by default)."""
        Report = self.env["qicai.fault.report"].with_user(user or self.service)
        return Report.intake(list(reports))

    def _report_vals(self, charger, category, **vals):
        return dict(
            {"equipment_id": charger.id, "fault_category_id": category.id}, **vals
        )

    def _new_order(self, charger=None, category=None, **vals):
        """Open a work order through intake and return it as the service desk."""
        report = self._intake(
            self._report_vals(
                charger or self.charger_dc, category or self.cat_offline, **vals
            )
        )
        return report.request_id.with_user(self.service)

    def _classified(self, mode="on_site", **kwargs):
        order = self._new_order(**kwargs)
        order.resolution_mode = mode
        order.action_classify()
        return order

    def _dispatched(self, **kwargs):
        order = self._classified(**kwargs)
        order.action_dispatch()
        return order

    def _accepted(self, engineer=None, **kwargs):
        order = self._dispatched(**kwargs)
        order.with_user(engineer or self.engineer).action_accept()
        return order

    def _on_site(self, engineer=None, **kwargs):
        order = self._accepted(engineer=engineer, **kwargs)
        order.with_user(engineer or self.engineer).action_arrive()
        return order

    def _in_progress(self, engineer=None, **kwargs):
        engineer = engineer or self.engineer
        order = self._on_site(engineer=engineer, **kwargs)
        order.with_user(engineer).safety_check_ids.write({"confirmed": True})
        order.with_user(engineer).action_start()
        return order

    def _resolved(self, engineer=None, **kwargs):
        engineer = engineer or self.engineer
        order = self._in_progress(engineer=engineer, **kwargs)
        self._resolve(order, engineer)
        return order

    def _resolve(self, order, user):
        order = order.with_user(user)
        order.write({"root_cause": "Loose terminal", "actions_taken": "Tightened it"})
        order.action_resolve()

    def _closed(self, **kwargs):
        order = self._resolved(**kwargs)
        if order.customer_feedback_required:
            self._wizard(
                order,
                self.service,
                "action_open_feedback_wizard",
                feedback="Fixed, please try again.",
            )
        order.with_user(self.service).action_close()
        return order

    def _wizard(self, order, user, button, **values):
        """Open the wizard of ``button`` as ``user``, fill it and confirm it."""
        action = getattr(order.with_user(user), button)()
        wizard_model = self.env[action["res_model"]].with_user(user)
        with Form(wizard_model.with_context(action["context"])) as form:
            for name, value in values.items():
                setattr(form, name, value)
        return form.record.action_confirm()
