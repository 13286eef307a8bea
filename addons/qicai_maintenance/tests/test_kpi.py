from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from .common import QicaiMaintenanceCase

T0 = datetime.combine(date.today(), time(1, 0))
DONE = [("work_state", "in", ("resolved", "closed"))]


def at(hours):
    return T0 + timedelta(hours=hours)


class TestKpis(QicaiMaintenanceCase):
    """Four representative orders: a quick on-site fix, a remote fix, a late
    escalated fix at station A, and a reopened fix at station B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quick = cls._on_site_order(
            cls.engineer, cls.charger_dc, cls.cat_offline, accept=0.5, resolve=3
        )
        cls.remote = cls._remote_order(cls.charger_dc, cls.cat_app, resolve=1)
        cls.late = cls._on_site_order(
            cls.engineer,
            cls.charger_ac,
            cls.cat_module,
            accept=2,
            resolve=10,
            escalate=True,
        )
        cls.reopened = cls._on_site_order(
            cls.partner_user, cls.charger_b, cls.cat_offline, accept=0.25, resolve=2
        )
        with freeze_time(at(3)):
            cls.reopened.with_user(cls.service).action_reopen()
        with freeze_time(at(4)):
            cls.reopened.with_user(cls.partner_user).action_resolve()

        for order, score in ((cls.quick, 5), (cls.remote, 3)):
            order = order.with_user(cls.service)
            order.action_notify_customer("Fixed")
            order.action_close()
            order.action_record_callback(score)

    @classmethod
    def _order(cls, charger, category):
        with freeze_time(T0):
            report = (
                cls.env["qicai.fault.report"]
                .with_user(cls.service)
                .intake(
                    [
                        {
                            "equipment_id": charger.id,
                            "fault_category_id": category.id,
                            "reported_at": T0,
                        }
                    ]
                )
            )
        return report.request_id.with_user(cls.service)

    @classmethod
    def _on_site_order(
        cls, engineer, charger, category, accept, resolve, escalate=False
    ):
        order = cls._order(charger, category)
        as_engineer = order.with_user(engineer)
        with freeze_time(at(0.1)):
            order.action_classify()
            order.action_dispatch()
        with freeze_time(at(accept)):
            as_engineer.action_accept()
            as_engineer.action_arrive()
            as_engineer.safety_check_ids.write({"confirmed": True})
            as_engineer.action_start()
            if escalate:
                as_engineer.action_escalate("Module keeps tripping")
        with freeze_time(at(resolve)):
            as_engineer.write(
                {"root_cause": "Worn part", "actions_taken": "Replaced it"}
            )
            as_engineer.action_resolve()
        return order

    @classmethod
    def _remote_order(cls, charger, category, resolve):
        order = cls._order(charger, category)
        with freeze_time(at(0.1)):
            order.resolution_mode = "remote"
            order.action_classify()
        with freeze_time(at(resolve)):
            order.write(
                {"root_cause": "Stuck session", "actions_taken": "Remote reset"}
            )
            order.action_resolve()
        return order

    def test_values_per_order(self):
        self.assertRecordValues(
            self.quick | self.remote | self.late | self.reopened,
            [
                {
                    "response_hours": 0.5,
                    "repair_hours": 3.0,
                    "kpi_sla_met": 1.0,
                    "kpi_remote": 0.0,
                    "kpi_first_time_fix": 1.0,
                    "callback_score": 5.0,
                },
                {
                    "response_hours": 1.0,
                    "repair_hours": 1.0,
                    "kpi_sla_met": 1.0,
                    "kpi_remote": 1.0,
                    "kpi_first_time_fix": 1.0,
                    "callback_score": 3.0,
                },
                {
                    "response_hours": 2.0,
                    "repair_hours": 10.0,
                    "kpi_sla_met": 0.0,
                    "kpi_remote": 0.0,
                    "kpi_first_time_fix": 0.0,
                    "callback_score": 0.0,
                },
                {
                    "response_hours": 0.25,
                    "repair_hours": 4.0,
                    "kpi_sla_met": 1.0,
                    "kpi_remote": 0.0,
                    "kpi_first_time_fix": 0.0,
                    "callback_score": 0.0,
                },
            ],
        )

    def test_open_order_counts_nothing(self):
        order = self._order(self.charger_dc, self.cat_module)
        self.assertRecordValues(
            order,
            [
                {
                    "response_hours": 0.0,
                    "repair_hours": 0.0,
                    "kpi_sla_met": 0.0,
                    "kpi_first_time_fix": 0.0,
                }
            ],
        )

    def test_rates_by_station(self):
        Request = self.env["maintenance.request"].with_user(self.manager)
        measures = [
            "response_hours",
            "repair_hours",
            "kpi_sla_met",
            "kpi_remote",
            "kpi_first_time_fix",
        ]

        groups = Request.read_group(
            DONE + [("station_id", "in", (self.station_a | self.station_b).ids)],
            measures,
            ["station_id"],
            orderby="station_id",
        )

        by_station = {group["station_id"][0]: group for group in groups}
        station_a = by_station[self.station_a.id]
        self.assertEqual(station_a["station_id_count"], 3)
        self.assertAlmostEqual(station_a["response_hours"], (0.5 + 1 + 2) / 3)
        self.assertAlmostEqual(station_a["repair_hours"], (3 + 1 + 10) / 3)
        self.assertAlmostEqual(station_a["kpi_sla_met"], 2 / 3)
        self.assertAlmostEqual(station_a["kpi_remote"], 1 / 3)
        self.assertAlmostEqual(station_a["kpi_first_time_fix"], 2 / 3)
        station_b = by_station[self.station_b.id]
        self.assertEqual(station_b["station_id_count"], 1)
        self.assertAlmostEqual(station_b["kpi_sla_met"], 1.0)
        self.assertAlmostEqual(station_b["kpi_first_time_fix"], 0.0)
        self.assertAlmostEqual(station_b["repair_hours"], 4.0)

    def test_satisfaction_by_station(self):
        Request = self.env["maintenance.request"].with_user(self.manager)

        groups = Request.read_group(
            [
                ("callback_satisfaction", "!=", False),
                ("station_id", "=", self.station_a.id),
            ],
            ["callback_score"],
            ["station_id"],
        )

        self.assertAlmostEqual(groups[0]["callback_score"], 4.0)
