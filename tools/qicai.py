#!/usr/bin/env python3
"""Set up, serve and test the Qicai charging O&M suite.

Usage: ``python3 tools/qicai.py run|init|test|pot|versions [options]``. The
Makefile calls this script; see README.md for the commands a user types.

Environment variables:

- ``ODOO_PATH``: an Odoo 18.0 source tree to use instead of the Odoo that
  ``python3`` imports.
- ``QICAI_ODOO_CONFIG``: the Odoo configuration file to use instead of
  ``odoo.conf``. The containers of docker-compose.yml set
  ``/etc/odoo/odoo.conf``.
- ``QICAI_DB`` and ``QICAI_PORT``: the database and HTTP port of ``run`` and
  ``init``.

PostgreSQL is reached through libpq's defaults and ``PG*`` variables, by psql
and dropdb, and by Odoo too unless the configuration file sets ``db_host``.
"""

import argparse
import importlib.metadata
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
CONFIG = Path(os.environ.get("QICAI_ODOO_CONFIG") or ROOT / "odoo.conf")
MODULES = [
    "qicai_station",
    "qicai_maintenance",
    "qicai_docs",
    "qicai_inspection",
    "qicai_spares",
    "qicai_training",
]
ODOO_SOURCE_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
# Executable names that Odoo 18's test browser looks for on PATH, in its order
# (``_find_executable`` in odoo/tests/common.py).
CHROME_NAMES = ["google-chrome", "chromium", "chromium-browser", "google-chrome-stable"]
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


def run_foreground(command, check=True, **kwargs):
    """Run ``command`` and wait for it, leaving Ctrl-C to the child.

    The terminal sends SIGINT to the whole process group. This process only
    notes it while the child runs, so the child stops in its own way (pytest
    tears its fixtures down) and the caller still reaches its clean-up.
    KeyboardInterrupt is raised once the child has exited.
    """
    interrupted = []
    previous = signal.signal(
        signal.SIGINT, lambda signum, frame: interrupted.append(signum)
    )
    try:
        result = subprocess.run(command, **kwargs)
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt
    if check and result.returncode:
        raise subprocess.CalledProcessError(result.returncode, command)
    return result


def odoo_python_env():
    """Return the environment in which ``python3`` imports Odoo 18.0.

    ``ODOO_PATH`` names an Odoo source tree to use; otherwise the Odoo that
    the Python running this script imports is used. When neither exists,
    Odoo 18.0 is installed from its published source, with a message saying so.
    Exits with an error message when Odoo cannot be imported or installed.
    """
    env = dict(os.environ)
    odoo_path = env.get("ODOO_PATH")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [odoo_path, env.get("PYTHONPATH")])
        )
    probe = [sys.executable, "-c", "import odoo; print(odoo.release.version_info[0])"]
    found = subprocess.run(probe, env=env, capture_output=True, text=True)
    if found.returncode == 0:
        major = found.stdout.strip().splitlines()[-1]
        if major != "18":
            sys.exit(f"[qicai] Odoo {major} found, but the suite needs Odoo 18.0.")
        return env
    error = (found.stderr.strip().splitlines() or ["no error output"])[-1]
    if "No module named 'odoo'" not in error:
        sys.exit(
            f"[qicai] ERROR: Odoo is present but cannot be imported: {error}. "
            "Install its Python requirements (requirements.txt of Odoo 18.0)."
        )
    if odoo_path:
        sys.exit(
            f"[qicai] ERROR: ODOO_PATH={odoo_path} does not contain an Odoo package."
        )

    log("Odoo 18.0 is not importable: installing it from " + ODOO_SOURCE_URL)
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--retries=1",
            "--timeout=60",
            ODOO_SOURCE_URL,
        ]
    )
    if (
        installed.returncode
        or subprocess.run(probe, env=env, capture_output=True).returncode
    ):
        sys.exit(
            "[qicai] ERROR: Odoo 18.0 is not importable and could not be installed "
            f"from {ODOO_SOURCE_URL}. Install Odoo 18.0 for {sys.executable}, or "
            "set ODOO_PATH to an Odoo 18.0 source tree, then try again."
        )
    return env


def odoo_root(env):
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import odoo, os; print(os.path.dirname(odoo.__path__[0]))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


_addons_paths = {}


def addons_path(env):
    """Return Odoo's addons folders followed by the suite's, as --addons-path wants.

    The result is cached per PYTHONPATH, because finding Odoo starts a Python.
    """
    key = env.get("PYTHONPATH")
    if key not in _addons_paths:
        root = odoo_root(env)
        paths = [root / "addons", root / "odoo" / "addons", ADDONS]
        _addons_paths[key] = ",".join(str(path) for path in paths if path.is_dir())
    return _addons_paths[key]


def odoo_command(env, *args, subcommand=None):
    """Return the command line of Odoo's ``subcommand`` (default: the server).

    Odoo reads the subcommand, such as ``shell``, only as its first argument.
    """
    command = [sys.executable, "-m", "odoo", *([subcommand] if subcommand else [])]
    if CONFIG.is_file():
        command += ["-c", str(CONFIG)]
    return command + [f"--addons-path={addons_path(env)}", *args]


def install_requirements():
    requirements = ROOT / "requirements.txt"
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "-q",
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
    )
    if "Would install" in check.stdout:
        log("Installing Python packages from requirements.txt")
        run_foreground(
            [sys.executable, "-m", "pip", "install", "-q", "-r", str(requirements)]
        )


def psql_lines(sql, database="postgres", **variables):
    """Run one SQL statement through psql and return its output lines.

    The statement is read from stdin because psql substitutes ``:'name'``
    variables there, but not in a ``-c`` argument.
    """
    command = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", database]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    result = subprocess.run(command, input=sql, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"[qicai] psql failed on database {database}: {result.stderr.strip()}")
    return result.stdout.splitlines()


def database_exists(name):
    lines = psql_lines("SELECT 1 FROM pg_database WHERE datname = :'name';", name=name)
    return lines == ["1"]


_filestores = []


def filestore_root(env):
    """Return the folder in which Odoo keeps one filestore per database."""
    if not _filestores:
        code = (
            "import sys, odoo; odoo.tools.config.parse_config(sys.argv[1:]); "
            "print(odoo.tools.config.filestore(''))"
        )
        config_args = ["-c", str(CONFIG)] if CONFIG.is_file() else []
        out = subprocess.run(
            [sys.executable, "-c", code, *config_args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        _filestores.append(Path(out.stdout.strip()))
    return _filestores[0]


def drop_database(env, name):
    """Drop database ``name`` and its filestore, closing its open connections.

    dropdb runs in its own session and this process ignores SIGINT meanwhile,
    so a second Ctrl-C cannot stop the clean-up half-way.
    """
    if not re.fullmatch(r"[\w-]+", name):
        raise ValueError(f"Refusing to drop database {name!r}: unexpected characters")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", name],
            check=True,
            start_new_session=True,
            # Silences the NOTICE that a database to drop does not exist.
            env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
        )
        shutil.rmtree(filestore_root(env) / name, ignore_errors=True)
    finally:
        signal.signal(signal.SIGINT, previous)


def install_database(env, name, modules, demo=True, extra=()):
    args = [
        "-d",
        name,
        "-i",
        ",".join(modules),
        "--stop-after-init",
        "--load-language=zh_CN",
        "--log-level=warn",
        *extra,
    ]
    if not demo:
        args.append("--without-demo=all")
    log(f"Installing {', '.join(modules)} into database {name}")
    run_foreground(odoo_command(env, *args), env=env)


def cmd_init(options, env):
    modules = present_modules()
    if database_exists(options.database):
        log(f"Database {options.database} exists: upgrading {', '.join(modules)}")
        run_foreground(
            odoo_command(
                env,
                "-d",
                options.database,
                "-u",
                ",".join(modules),
                "-i",
                ",".join(modules),
                "--stop-after-init",
                "--log-level=warn",
            ),
            env=env,
        )
    else:
        install_database(env, options.database, modules, demo=True)
        switch_users_to_chinese(env, options.database)
    print_logins(options.database)
    return 0


def switch_users_to_chinese(env, database):
    """Make zh_CN the language of every user of ``database``, the admin included."""
    log(f"Switching the users of {database} to Simplified Chinese")
    run_odoo_shell(
        env,
        database,
        "env['res.lang']._activate_lang('zh_CN')\n"
        "env['res.users'].search([]).write({'lang': 'zh_CN'})\n"
        "env.ref('base.user_admin').partner_id.lang = 'zh_CN'\n",
    )


def run_odoo_shell(env, database, code):
    """Run the Python ``code`` in an Odoo shell on ``database``, then commit."""
    run_foreground(
        odoo_command(
            env, "-d", database, "--no-http", "--log-level=warn", subcommand="shell"
        ),
        input=code + "env.cr.commit()\n",
        text=True,
        env=env,
    )


def set_base_url(env, database, url):
    """Set the URL that links and QR codes of ``database`` point to.

    Odoo sets it when the administrator logs in; the demo users never do,
    so without this the stations' QR codes would name the default port.
    """
    run_odoo_shell(
        env, database, f"env['ir.config_parameter'].set_param('web.base.url', {url!r})\n"
    )


def padded(text, width):
    """Return ``text`` padded with spaces to ``width`` terminal columns.

    Chinese characters take two columns, so str.ljust would misalign them.
    """
    columns = sum(
        2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )
    return text + " " * max(width - columns, 1)


def print_logins(database):
    """Print the demo logins that exist in ``database``."""
    expected_logins = [login for _role, login in DEMO_LOGINS]
    found = set(
        psql_lines(
            "SELECT login FROM res_users"
            " WHERE login = ANY(string_to_array(:'logins', ','));",
            database=database,
            logins=",".join(expected_logins),
        )
    )
    print(f"\nDemo logins of database {database} (the password equals the login):")
    print(f"  {padded('Administrator', 46)}admin / admin")
    for role, login in DEMO_LOGINS:
        if login in found:
            print(f"  {padded(role, 46)}{login} / {login}")
    missing = [login for login in expected_logins if login not in found]
    if missing:
        print(f"  (not in this database yet: {', '.join(missing)})")


def cmd_run(options, env):
    cmd_init(options, env)
    url = f"http://localhost:{options.port}"
    set_base_url(env, options.database, url)
    print(f"\nQicai charging O&M is starting on {url} (database {options.database}).")
    print("Stop the server with Ctrl-C.\n", flush=True)
    command = odoo_command(
        env,
        "-d",
        options.database,
        f"--http-port={options.port}",
        f"--db-filter=^{options.database}$",
    )
    os.execvpe(command[0], command, env)


def cmd_test(options, env):
    modules = present_modules()
    database = options.database or f"qicai_test_{os.getpid()}_{int(time.time())}"
    if not any(shutil.which(name) for name in CHROME_NAMES):
        log(
            "WARNING: none of " + ", ".join(CHROME_NAMES) + " is on PATH, so the "
            "tours will be skipped and the run will fail. .ci/run installs chromium."
        )
    pytest_command = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-database={database}",
        f"--odoo-addons-path={addons_path(env)}",
        "--odoo-http",
        "--odoo-log-level=warn",
        "-p",
        "no:cacheprovider",
    ]
    if CONFIG.is_file():
        pytest_command.append(f"--odoo-config={CONFIG}")
    pytest_command += options.pytest_args or [str(ADDONS), str(ROOT / "tests")]

    drop_database(env, database)
    try:
        install_database(env, database, modules, demo=False)
        result = run_foreground(pytest_command, check=False, env=env, cwd=ROOT)
    finally:
        if options.keep:
            log(f"Keeping database {database}")
        else:
            drop_database(env, database)
    if result.returncode == 5:
        log("pytest collected no test: treating this as a failure.")
        return 1
    return result.returncode


def cmd_pot(options, env):
    """Export each module's translation template into ``i18n/<module>.pot``."""
    modules = options.modules or present_modules()
    database = f"qicai_pot_{os.getpid()}"
    drop_database(env, database)
    try:
        install_database(env, database, modules, demo=False)
        for module in modules:
            target = ADDONS / module / "i18n" / f"{module}.pot"
            target.parent.mkdir(exist_ok=True)
            run_foreground(
                odoo_command(
                    env,
                    "-d",
                    database,
                    f"--i18n-export={target}",
                    f"--modules={module}",
                    "--language=",
                    "--log-level=warn",
                ),
                env=env,
            )
            log(f"Wrote {target.relative_to(ROOT)}")
    finally:
        drop_database(env, database)
    return 0


def first_line(command, env=None):
    """Return the first line ``command`` prints, or None if it cannot run."""
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except OSError:
        return None
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else f"no output (exit status {result.returncode})"


def cmd_versions(options, env):
    """Print the versions of Python, Odoo and the tools the tests use.

    Returns 1 when a tool that the tests need is missing.
    """
    odoo = first_line(
        [
            sys.executable,
            "-c",
            "import odoo.release as r, odoo; print(r.version, odoo.__path__[0])",
        ],
        env=env,
    )
    chrome = next(filter(None, map(shutil.which, CHROME_NAMES)), None)
    rows = [
        ("Python", f"{sys.version.split()[0]} ({sys.executable})"),
        ("Odoo", odoo),
        ("PostgreSQL server", psql_lines("SHOW server_version;")[0]),
        ("psql", first_line(["psql", "--version"])),
        (
            "Chromium",
            f"{first_line([chrome, '--version'])} ({chrome})" if chrome else None,
        ),
        ("wkhtmltopdf", first_line(["wkhtmltopdf", "--version"])),
    ]
    for requirement in ("pytest", "pytest-odoo", "websocket-client"):
        try:
            rows.append((requirement, importlib.metadata.version(requirement)))
        except importlib.metadata.PackageNotFoundError:
            rows.append((requirement, None))
    for name, version in rows:
        print(f"  {name:18} {version or 'MISSING'}")
    missing = [name for name, version in rows if version is None]
    if missing:
        log(f"Missing: {', '.join(missing)}. .ci/run installs them.")
        return 1
    return 0


def split_test_arguments(argv):
    """Split the arguments of ``test`` into this script's and pytest's.

    This script reads ``--database NAME`` and ``--keep`` up to the first other
    argument. All later arguments go to pytest unchanged, without a leading
    ``--``, so that ``test -x -k station addons/qicai_station`` works.
    """
    own = []
    rest = list(argv)
    while rest:
        if rest[0] in ("--keep", "-h", "--help") or rest[0].startswith("--database="):
            own.append(rest.pop(0))
        elif rest[0] == "--database" and len(rest) > 1:
            own += [rest.pop(0), rest.pop(0)]
        else:
            break
    if rest[:1] == ["--"]:
        rest.pop(0)
    return own, rest


def parse_options(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="create or upgrade the database, then serve Odoo")
    run.add_argument("--database", default=os.environ.get("QICAI_DB", "qicai"))
    run.add_argument("--port", default=os.environ.get("QICAI_PORT", "8069"))
    init = sub.add_parser("init", help="create or upgrade the database, then stop")
    init.add_argument("--database", default=os.environ.get("QICAI_DB", "qicai"))
    test = sub.add_parser(
        "test",
        help="run every test in a throwaway database",
        usage="%(prog)s [--database NAME] [--keep] [PYTEST ARGUMENTS ...]",
        description="Install the suite into a throwaway database, run pytest on it "
        "and drop it. Arguments after this command's own options go to pytest "
        "(default: addons/ and tests/), for example "
        "'test -x -k station addons/qicai_station'.",
    )
    test.add_argument("--database", help="name of the throwaway database")
    test.add_argument(
        "--keep", action="store_true", help="keep the database afterwards"
    )
    pot = sub.add_parser("pot", help="export the translation templates")
    pot.add_argument("modules", nargs="*")
    sub.add_parser(
        "versions",
        help="make sure Odoo 18.0 is importable, then print the versions in use",
    )

    pytest_args = []
    if argv[:1] == ["test"]:
        own, pytest_args = split_test_arguments(argv[1:])
        argv = ["test", *own]
    options = parser.parse_args(argv)
    options.pytest_args = pytest_args
    return options


def main():
    options = parse_options(sys.argv[1:])
    handler = {
        "run": cmd_run,
        "init": cmd_init,
        "test": cmd_test,
        "pot": cmd_pot,
        "versions": cmd_versions,
    }
    try:
        env = odoo_python_env()
        install_requirements()
        status = handler[options.command](options, env)
    except KeyboardInterrupt:
        log("Interrupted.")
        status = 130
    except subprocess.CalledProcessError as error:
        command = shlex.join(map(str, error.cmd))
        log(f"Failed with exit status {error.returncode}: {command}")
        status = error.returncode if error.returncode > 0 else 1
    sys.exit(status or 0)


if __name__ == "__main__":
    main()
