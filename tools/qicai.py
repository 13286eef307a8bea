#!/usr/bin/env python3
"""Set up, serve and test the Qicai charging O&M suite.

Usage: ``python3 tools/qicai.py run|test|init|pot [options]``. The Makefile
calls this script; see README.md for the commands a user types.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
CONFIG = ROOT / "odoo.conf"
MODULES = [
    "qicai_station",
    "qicai_maintenance",
    "qicai_docs",
    "qicai_inspection",
    "qicai_spares",
    "qicai_training",
]
ODOO_SOURCE_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
DEMO_LOGINS = [
    ("O&M centre manager / 运维管理中心主管", "qicai_manager"),
    ("Service management / 服务管理组", "qicai_service"),
    ("O&M engineer / 运维工程师", "qicai_engineer"),
    ("Technical department / 技术部门", "qicai_technical"),
    ("Supplier engineer / 供应商工程师", "qicai_supplier"),
    ("Partner engineer / 第三方服务商工程师", "qicai_partner"),
    ("Document administrator / 文档管理员", "qicai_docadmin"),
]


def log(message):
    print(f"[qicai] {message}", flush=True)


def present_modules():
    """Return the suite's modules that exist in this checkout, in install order."""
    return [name for name in MODULES if (ADDONS / name / "__manifest__.py").is_file()]


def odoo_python_env():
    """Return the environment in which ``python3`` imports Odoo 18.0.

    ``ODOO_PATH`` names an Odoo source tree to use; otherwise the Odoo that
    the Python on PATH imports is used. When neither exists, Odoo 18.0 is
    installed from its published source, and the user is told so.
    """
    env = dict(os.environ)
    odoo_path = env.get("ODOO_PATH")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [odoo_path, env.get("PYTHONPATH")]))
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode == 0:
        major = probe.stdout.strip()
        if major != "18":
            sys.exit(f"[qicai] Odoo {major} found, but the suite needs Odoo 18.0.")
        return env
    if odoo_path:
        sys.exit(f"[qicai] ODOO_PATH={odoo_path} does not contain an importable Odoo.")
    log("Odoo 18.0 is not importable: installing it from " + ODOO_SOURCE_URL)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", ODOO_SOURCE_URL], check=True
    )
    return env


def odoo_root(env):
    out = subprocess.run(
        [sys.executable, "-c", "import odoo, os; print(os.path.dirname(odoo.__path__[0]))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def addons_path(env):
    root = odoo_root(env)
    paths = [root / "addons", root / "odoo" / "addons", ADDONS]
    return ",".join(str(path) for path in paths if path.is_dir())


def odoo_command(env, *args):
    command = [sys.executable, "-m", "odoo"]
    if CONFIG.is_file():
        command += ["-c", str(CONFIG)]
    return command + [f"--addons-path={addons_path(env)}", *args]


def install_requirements():
    requirements = ROOT / "requirements.txt"
    check = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "-q", "-r", str(requirements)],
        capture_output=True,
        text=True,
    )
    if "Would install" in check.stdout:
        log("Installing Python packages from requirements.txt")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-r", str(requirements)],
            check=True,
        )


def database_exists(name):
    result = subprocess.run(
        ["psql", "-XAtq", "-d", "postgres", "-c",
         "SELECT 1 FROM pg_database WHERE datname = :'name'", "-v", f"name={name}"],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"[qicai] Cannot reach PostgreSQL: {result.stderr.strip()}")
    return result.stdout.strip() == "1"


def drop_database(name):
    subprocess.run(["dropdb", "--if-exists", name], check=True)


def install_database(env, name, modules, demo=True, extra=()):
    args = [
        "-d", name,
        "-i", ",".join(modules),
        "--stop-after-init",
        "--load-language=zh_CN",
        "--log-level=warn",
        *extra,
    ]
    if not demo:
        args.append("--without-demo=all")
    log(f"Installing {', '.join(modules)} into database {name}")
    subprocess.run(odoo_command(env, *args), env=env, check=True)


def cmd_init(options, env):
    modules = present_modules()
    if database_exists(options.database):
        log(f"Database {options.database} exists: upgrading {', '.join(modules)}")
        subprocess.run(
            odoo_command(
                env, "-d", options.database, "-u", ",".join(modules),
                "-i", ",".join(modules), "--stop-after-init", "--log-level=warn",
            ),
            env=env,
            check=True,
        )
    else:
        install_database(env, options.database, modules, demo=True)
        subprocess.run(
            odoo_command(
                env, "shell", "-d", options.database, "--no-http", "--log-level=warn"
            ),
            input=(
                "env['res.lang']._activate_lang('zh_CN')\n"
                "env['res.users'].search([]).write({'lang': 'zh_CN'})\n"
                "env.ref('base.user_admin').partner_id.lang = 'zh_CN'\n"
                "env.cr.commit()\n"
            ),
            text=True,
            env=env,
            check=True,
        )


def cmd_run(options, env):
    cmd_init(options, env)
    url = f"http://localhost:{options.port}"
    print(f"\nQicai charging O&M is starting on {url} (database {options.database})")
    print("Demo logins (the password equals the login):")
    print(f"  {'Administrator':45} admin / admin")
    for role, login in DEMO_LOGINS:
        print(f"  {role:45} {login} / {login}")
    print(flush=True)
    os.execvpe(
        sys.executable,
        odoo_command(
            env, "-d", options.database, f"--http-port={options.port}",
            f"--db-filter=^{options.database}$",
        ),
        env,
    )


def cmd_test(options, env):
    modules = present_modules()
    database = options.database or f"qicai_test_{os.getpid()}_{int(time.time())}"
    if not shutil.which("chromium") and not shutil.which("google-chrome"):
        log("WARNING: no Chromium found, so the tours will fail. .ci/run installs it.")
    drop_database(database)
    try:
        install_database(env, database, modules, demo=False)
        pytest_args = [
            sys.executable, "-m", "pytest",
            f"--odoo-database={database}",
            f"--odoo-addons-path={addons_path(env)}",
            "--odoo-http",
            "--odoo-log-level=warn",
            "-p", "no:cacheprovider",
            *(options.pytest_args or [str(ADDONS), str(ROOT / "tests")]),
        ]
        if CONFIG.is_file():
            pytest_args.insert(3, f"--odoo-config={CONFIG}")
        result = subprocess.run(pytest_args, env=env, cwd=ROOT)
    finally:
        if not options.keep:
            drop_database(database)
    if result.returncode == 5:
        log("pytest collected no test: treating this as a failure.")
        return 1
    return result.returncode


def cmd_pot(options, env):
    """Export each module's translation template into ``i18n/<module>.pot``."""
    modules = options.modules or present_modules()
    database = f"qicai_pot_{os.getpid()}"
    drop_database(database)
    try:
        install_database(env, database, modules, demo=False)
        for module in modules:
            target = ADDONS / module / "i18n" / f"{module}.pot"
            target.parent.mkdir(exist_ok=True)
            subprocess.run(
                odoo_command(
                    env, "-d", database, f"--i18n-export={target}",
                    f"--modules={module}", "--language=", "--log-level=warn",
                ),
                env=env,
                check=True,
            )
            log(f"Wrote {target.relative_to(ROOT)}")
    finally:
        drop_database(database)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="create or upgrade the database, then serve Odoo")
    run.add_argument("--database", default=os.environ.get("QICAI_DB", "qicai"))
    run.add_argument("--port", default=os.environ.get("QICAI_PORT", "8069"))
    init = sub.add_parser("init", help="create or upgrade the database, then stop")
    init.add_argument("--database", default=os.environ.get("QICAI_DB", "qicai"))
    test = sub.add_parser("test", help="run every test in a throwaway database")
    test.add_argument("--database", help="name of the throwaway database")
    test.add_argument("--keep", action="store_true", help="keep the database afterwards")
    test.add_argument("pytest_args", nargs="*", help="paths or options for pytest")
    pot = sub.add_parser("pot", help="export the translation templates")
    pot.add_argument("modules", nargs="*")
    options = parser.parse_args()

    env = odoo_python_env()
    install_requirements()
    handler = {"run": cmd_run, "init": cmd_init, "test": cmd_test, "pot": cmd_pot}
    sys.exit(handler[options.command](options, env) or 0)


if __name__ == "__main__":
    main()
