from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from .common import QicaiMaintenanceCase

T0 = datetime.combine(date.today(), time(1, 0))


class TestQueryCounts(QicaiMaintenanceCase):
    """Query-count guards on the hot paths: intake, the SLA cron and the
    charger status refresh.

    Mail tracking stays on in the measured calls, as in production. Tracking
    messages are written at commit, which a test never reaches, so they are
    not counted. The fixed bounds leave room for modules that extend work
    orders; the comparisons between two sizes carry the real guard.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Three fleets of 10 chargers over two stations: a warm-up fleet and
        # one for each measured size, so no measured report finds an order
        # opened by an earlier one.
        Equipment = cls.env["maintenance.equipment"]
        cls.fleets = [
            Equipment.concat(
                *(
                    cls._charger(f"P{fleet}-{n}", station, cls.model_dc, 1)
                    for n in range(5)
                    for station in (cls.station_a, cls.station_b)
                )
            )
            for fleet in range(3)
        ]
        cls.categories = cls.cat_offline | cls.cat_app

    def _count_queries(self, function, *args, **kwargs):
        """Return the number of queries that ``function`` runs, flush included."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function(*args, **kwargs)
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _intake_model(self):
        return self.env(context={})["qicai.fault.report"].with_user(self.service)

    def _same_faults_batch(self, chargers, size):
        """Return ``size`` platform reports of the same 10 faults, one per
        charger, each with its own event."""
        return [
            {
                "equipment_id": chargers[n % len(chargers)].id,
                "fault_category_id": self.categories[n % 2].id,
                "source_channel": "platform",
                "platform_event_id": f"{chargers[0].name}-{n}",
            }
            for n in range(size)
        ]

    def _distinct_faults_batch(self, chargers, size):
        """Return ``size`` reports of different faults (at most 20)."""
        return [
            {
                "equipment_id": chargers[n % len(chargers)].id,
                "fault_category_id": self.categories[n // len(chargers)].id,
                "source_channel": "platform",
            }
            for n in range(size)
        ]

    def test_intake_independent_of_batch_size(self):
        warm_up, small, large = self.fleets
        Report = self._intake_model()
        Report.intake(self._same_faults_batch(warm_up, 20))

        small_count = self._count_queries(
            Report.intake, self._same_faults_batch(small, 20)
        )
        with self.assertQueryCount(200):
            large_count = self._count_queries(
                Report.intake, self._same_faults_batch(large, 50)
            )

        self.assertEqual(
            large_count,
            small_count,
            "50 reports of 10 faults cost as many queries as 20 reports of them",
        )
        self.assertEqual(
            self.env["maintenance.request"].search_count(
                [("equipment_id", "in", large.ids)]
            ),
            10,
        )

    def test_intake_repeated_events(self):
        warm_up, small, large = self.fleets
        Report = self._intake_model()
        Report.intake(self._same_faults_batch(warm_up, 20))
        Report.intake(self._same_faults_batch(small, 20))
        Report.intake(self._same_faults_batch(large, 50))

        small_count = self._count_queries(
            Report.intake, self._same_faults_batch(small, 20)
        )
        large_count = self._count_queries(
            Report.intake, self._same_faults_batch(large, 50)
        )

        self.assertEqual(large_count, small_count)

    def test_intake_cost_per_new_order(self):
        warm_up, small, large = self.fleets
        Report = self._intake_model()
        Report.intake(self._distinct_faults_batch(warm_up, 20))

        ten = self._count_queries(Report.intake, self._distinct_faults_batch(small, 10))
        twenty = self._count_queries(
            Report.intake, self._distinct_faults_batch(large, 20)
        )

        # Odoo posts the creation message of each maintenance request on its
        # own, which costs about 7 queries an order.
        self.assertLessEqual(twenty - ten, 10 * 8)

    def _dispatch_overdue(self, chargers):
        reports = [
            {
                "equipment_id": charger.id,
                "fault_category_id": self.cat_offline.id,
                "reported_at": T0,
            }
            for charger in chargers
        ]
        with freeze_time(T0):
            orders = self._intake(*reports).request_id.with_user(self.service)
            orders.action_classify()
            orders.action_dispatch()
        return orders

    def _cron_at(self, minutes):
        with freeze_time(T0 + timedelta(minutes=minutes)):
            return self.env(context={})["maintenance.request"]._cron_check_sla()

    def test_sla_cron_cost_per_order(self):
        warm_up, small, large = self.fleets
        self._dispatch_overdue(warm_up)
        self._cron_at(61)

        self._dispatch_overdue(small[:3])
        three = self._count_queries(self._cron_at, 62)
        self._dispatch_overdue(large)
        ten = self._count_queries(self._cron_at, 63)

        # Messages are logged in one batch; each activity still notifies its
        # user on its own, about 11 queries.
        self.assertLessEqual(ten - three, 7 * 13)

    def test_sla_cron_idle(self):
        self._dispatch_overdue(self.fleets[0])
        self._cron_at(61)

        with self.assertQueryCount(2):
            flagged = self._cron_at(62)

        self.assertFalse(flagged)

    def test_refresh_independent_of_charger_count(self):
        warm_up, small, large = self.fleets
        Report = self._intake_model()
        for fleet in self.fleets:
            Report.intake(self._distinct_faults_batch(fleet, 10))
        everything = (small | large).with_env(self.env(context={}))
        (warm_up | everything).sudo().operational_status = "available"
        warm_up._refresh_operational_status()

        ten = self._count_queries(small._refresh_operational_status)
        (small | large).sudo().operational_status = "available"
        twenty = self._count_queries(everything._refresh_operational_status)
        unchanged = self._count_queries(everything._refresh_operational_status)

        # One read group, the charger read and one update; the tracking
        # messages of the status change are written at commit.
        self.assertEqual(twenty, ten)
        self.assertLessEqual(twenty, 3)
        self.assertLessEqual(unchanged, 2)
        self.assertEqual(set(everything.mapped("operational_status")), {"faulted"})
