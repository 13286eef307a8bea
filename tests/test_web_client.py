"""The web client of the whole suite, in headless Chromium."""

from odoo.tests import HttpCase, tagged

# The click bot opens every menu, view type and filter of one app and fails on
# any error the browser logs. Odoo's web/tests/test_click_everywhere.py starts
# it the same way.
CLICK_EVERYWHERE = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('%s');"
)
READY = "odoo.isReady === true"


@tagged("standard", "post_install", "-at_install")
class TestWebClient(HttpCase):
    def test_backend_loads_in_chromium(self):
        self.browser_js("/odoo", "console.log('test successful')", READY, login="admin")

    def test_click_every_suite_app_in_chinese(self):
        root_menus = self.env["ir.model.data"].search(
            [("module", "=like", "qicai\\_%"), ("model", "=", "ir.ui.menu")]
        )
        apps = [
            f"{data.module}.{data.name}"
            for data in root_menus
            if not self.env["ir.ui.menu"].browse(data.res_id).parent_id
        ]
        self.assertTrue(apps, "No suite module adds a top-level menu")

        self.env.ref("base.user_admin").lang = "zh_CN"
        for xmlid in sorted(apps):
            with self.subTest(app=xmlid):
                self.browser_js(
                    "/odoo",
                    CLICK_EVERYWHERE % xmlid,
                    READY,
                    login="admin",
                    timeout=600,
                    success_signal="clickbot test succeeded",
                )
