"""Each suite module installs alone, with only its dependencies, and upgrades.

Every module gets a fresh database ``qicai_t_<pid>_<module>``, dropped at the
end. The install loads demo data, so demo or data files that lean on a module
outside the dependencies fail here even though the whole suite installs. The
upgrade (``-u``) must keep what was there: a station made before it, and the
record count of every model the module defines or extends.
"""

import json
import os
import re
import subprocess

import pytest

from tools import qicai

from .common import PRESENT_MODULES

STATION_CODE = "QICAI-T-UPGRADE"
# Runs inside ``odoo shell``: makes the station on the first run, then prints
# what must survive the upgrade as one JSON line.
SNAPSHOT_SCRIPT = """
import json
module = {module!r}
Station = env["qicai.station"].with_context(active_test=False)
station = Station.search([("code", "=", {code!r})])
if not station:
    station = Station.create({{"name": "升级检查站", "code": {code!r}}})
    env.cr.commit()
model_ids = env["ir.model.data"].search(
    [("module", "=", module), ("model", "=", "ir.model")]
).mapped("res_id")
counts = {{}}
for name in env["ir.model"].browse(model_ids).mapped("model"):
    model = env[name]
    if model._auto and not model._transient:
        counts[name] = model.with_context(active_test=False).search_count([])
print("SNAPSHOT " + json.dumps(
    {{"station": station.read(["name", "code"])[0], "counts": counts}},
    sort_keys=True,
))
"""
# Log lines that fail the check: every error, and warnings about the suite.
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>WARNING|ERROR|CRITICAL) ")
STEP_TIMEOUT = 1800  # seconds; installing stock and purchase alone takes minutes


@pytest.fixture(scope="module")
def odoo_env():
    return qicai.odoo_python_env()


def _run_odoo(env, *args, subcommand=None, script=None):
    """Run one Odoo command, returning its combined output; fail on any problem."""
    command = qicai.odoo_command(env, *args, subcommand=subcommand)
    result = subprocess.run(
        command,
        env=env,
        input=script,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    problems = [
        line
        for line in result.stdout.splitlines()
        if (match := LOG_LINE.match(line))
        and (match["level"] != "WARNING" or "qicai" in line)
    ]
    step = f"odoo {subcommand or ''} {' '.join(args)}"
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, (
        f"'{step}' exited with status {result.returncode}. "
        f"Last lines of output:\n{tail}"
    )
    assert not problems, f"'{step}' logged problems:\n" + "\n".join(problems)
    return result.stdout


def _snapshot(env, database, module):
    output = _run_odoo(
        env,
        "-d",
        database,
        "--no-http",
        "--log-level=warn",
        subcommand="shell",
        script=SNAPSHOT_SCRIPT.format(module=module, code=STATION_CODE),
    )
    lines = [line for line in output.splitlines() if line.startswith("SNAPSHOT ")]
    assert len(lines) == 1, f"No snapshot printed by odoo shell:\n{output}"
    return json.loads(lines[0].removeprefix("SNAPSHOT "))


@pytest.mark.parametrize("module", PRESENT_MODULES)
def test_module_installs_alone_and_upgrades(module, odoo_env):
    database = f"qicai_t_{os.getpid()}_{module}"
    qicai.drop_database(odoo_env, database)
    try:
        # An empty --load-language overrides odoo.conf: translations are
        # checked on the suite database, and loading them here costs time.
        _run_odoo(
            odoo_env,
            "-d",
            database,
            "-i",
            module,
            "--stop-after-init",
            "--log-level=warn",
            "--load-language=",
        )
        before = _snapshot(odoo_env, database, module)
        _run_odoo(
            odoo_env,
            "-d",
            database,
            "-u",
            module,
            "--stop-after-init",
            "--log-level=warn",
        )
        after = _snapshot(odoo_env, database, module)
    finally:
        qicai.drop_database(odoo_env, database)

    assert before["counts"], f"{module} defines or extends no model with a table"
    assert after["station"] == before["station"], "The station did not survive -u"
    assert after["counts"] == before["counts"], (
        f"Record counts changed during 'odoo -u {module}'"
    )
