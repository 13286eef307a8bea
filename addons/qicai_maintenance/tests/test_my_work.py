from .common import QicaiMaintenanceCase


class TestMyWork(QicaiMaintenanceCase):
    """Which orders each user sees as their own work, and which buttons."""

    def _my_work(self, user):
        return self.env["maintenance.request"].with_user(user).search(
            [("is_my_work", "=", True)]
        )

    def test_dispatched_order_is_team_work(self):
        order = self._dispatched()

        self.assertIn(order, self._my_work(self.engineer))
        self.assertIn(order, self._my_work(self.engineer2))
        self.assertNotIn(order, self._my_work(self.outsider))

    def test_accepted_order_only_for_engineer(self):
        order = self._accepted()

        self.assertIn(order, self._my_work(self.engineer))
        self.assertNotIn(order, self._my_work(self.engineer2))

    def test_technical_sees_escalated_order(self):
        order = self._accepted()
        self.assertNotIn(order, self._my_work(self.technical))

        order.with_user(self.engineer).action_escalate("Needs a specialist")

        self.assertIn(order, self._my_work(self.technical))
        self.assertTrue(order.with_user(self.technical).is_my_work)

    def test_not_my_work_search(self):
        order = self._accepted()
        Request = self.env["maintenance.request"].with_user(self.engineer)

        self.assertNotIn(order, Request.search([("is_my_work", "=", False)]))
        self.assertNotIn(order, Request.search([("is_my_work", "!=", True)]))
        other = Request.with_user(self.engineer2)
        self.assertIn(order, other.search([("is_my_work", "=", False)]))

    def test_accept_button_for_team_members(self):
        order = self._dispatched()

        self.assertTrue(order.with_user(self.engineer).can_accept)
        self.assertFalse(order.with_user(self.outsider).can_accept)
        self.assertFalse(order.with_user(self.service).can_accept)
        self.assertTrue(order.with_user(self.manager).can_accept)

    def test_escalate_button_follows_level(self):
        order = self._accepted()

        self.assertTrue(order.with_user(self.engineer).can_escalate)
        self.assertFalse(order.with_user(self.engineer2).can_escalate)
        self.assertFalse(order.with_user(self.technical).can_escalate)

        order.with_user(self.engineer).action_escalate("Needs a specialist")
        order.invalidate_recordset(["can_escalate"])

        self.assertFalse(order.with_user(self.engineer).can_escalate)
        self.assertTrue(order.with_user(self.technical).can_escalate)
