"""Suite-wide pytest settings.

A skipped test counts as a failure: pytest-odoo skips every ``HttpCase`` when
``--odoo-http`` is missing, and Odoo skips tours when Chromium or
websocket-client is absent. A skip would hide an untested feature, so the
session fails when any test was skipped. It also fails when no test was
collected: pytest's exit code 5 is turned into 1 here, before pytest prints
its summary, so that the summary line stays the last line of the output.
"""

import pytest

from odoo.tools import config

# Odoo 18 logs an ERROR with a stack trace when ``odoo.tests`` is imported
# while ``test_enable`` is off. pytest-odoo imports it right after parsing the
# Odoo options and only turns ``test_enable`` on per test module, so every run
# printed that false alarm. pytest loads this file before pytest-odoo parses
# the options, so the test framework is imported here once in test mode.
# ``test_enable`` must not stay on: pytest-odoo then loads the registry, and
# Odoo would run every module's at_install tests during that load.
_test_enable = config["test_enable"]
config["test_enable"] = True
try:
    import odoo.tests  # noqa: F401
finally:
    config["test_enable"] = _test_enable


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped:
        reporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped; skips are not allowed here.",
            red=True,
        )
        if exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        reporter.write_line("FAILED: no test was collected.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
