"""Suite-wide pytest settings: a skipped test counts as a failure.

pytest-odoo skips every ``HttpCase`` when ``--odoo-http`` is missing, and
Odoo skips tours when Chromium or websocket-client is absent. A skip would
hide an untested feature, so the session fails when any test was skipped.
"""


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped; skips are not allowed here.",
            red=True,
        )
        session.exitstatus = 1
