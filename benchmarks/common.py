"""Helpers for the benchmark scripts in this folder (see README.md).

A benchmark installs the modules it needs into a throwaway database, measures
a baseline and the code under test in the same run, and reports every figure
as a time ratio against that baseline, next to its SQL query count.
"""

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if os.environ.get("ODOO_PATH"):
    sys.path.insert(0, os.environ["ODOO_PATH"])

from tools import qicai  # noqa: E402

DATABASE_PREFIX = "qicai_bench_"
# run.py sets this variable and reads the lines that start with RESULT_PREFIX.
JSON_VARIABLE = "QICAI_BENCH_JSON"
RESULT_PREFIX = "BENCH_RESULT "


@dataclass
class Measurement:
    """Figures of one measured case."""

    label: str
    seconds: float  # median wall-clock time of one run
    queries: int  # SQL queries of one run, flushes included
    runs: int


def odoo_environment():
    """Return the process environment in which Odoo 18.0 is importable."""
    return qicai.odoo_python_env()


_odoo_configured = False


def _configure_odoo(env):
    """Parse Odoo's configuration once in this process, as tools/qicai.py sets it."""
    global _odoo_configured
    if _odoo_configured:
        return
    import odoo  # noqa: PLC0415 (ODOO_PATH is on sys.path by now)

    args = [f"--addons-path={qicai.addons_path(env)}", "--log-level=warn"]
    if qicai.CONFIG.is_file():
        args = ["-c", str(qicai.CONFIG), *args]
    odoo.tools.config.parse_config(args)
    _odoo_configured = True


class BenchDatabase:
    """Throwaway database ``qicai_bench_<name>_<pid>`` with ``modules`` installed.

    Used as a context manager. On entry it installs the modules with their
    dependencies and zh_CN, without demo data unless ``demo``, and loads the
    Odoo registry in this process. On exit it drops the database and its
    filestore, also when the benchmark fails or is interrupted.
    """

    def __init__(self, name, modules, demo=False):
        self.name = f"{DATABASE_PREFIX}{name}_{os.getpid()}"
        self.modules = list(modules)
        self.demo = demo
        self.process_env = odoo_environment()
        self.registry = None

    def __enter__(self):
        qicai.drop_database(self.process_env, self.name)
        try:
            qicai.install_database(
                self.process_env, self.name, self.modules, demo=self.demo
            )
            _configure_odoo(self.process_env)
            from odoo.modules.registry import Registry  # noqa: PLC0415

            self.registry = Registry(self.name)
        except BaseException:
            qicai.drop_database(self.process_env, self.name)
            raise
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        import odoo.sql_db  # noqa: PLC0415

        odoo.sql_db.close_db(self.name)
        qicai.drop_database(self.process_env, self.name)

    @contextmanager
    def environment(self, context=None):
        """Yield a superuser environment on a new cursor, rolled back at the end.

        Call ``env(user=...)`` on it to measure as a less privileged user.
        """
        import odoo  # noqa: PLC0415

        with self.registry.cursor() as cr:
            try:
                yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, dict(context or {}))
            finally:
                cr.rollback()


def count_queries(env, function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` and return (its result, SQL queries).

    Pending ORM writes are flushed before the call, so they do not count, and
    after it, so the writes the call left pending do count.
    """
    env.flush_all()
    start = env.cr.sql_log_count
    result = function(*args, **kwargs)
    env.flush_all()
    return result, env.cr.sql_log_count - start


def time_call(function, *args, repeat=5, **kwargs):
    """Call ``function`` ``repeat`` times and return the median seconds of a call."""
    seconds = []
    for _run in range(repeat):
        start = time.perf_counter()
        function(*args, **kwargs)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def measure(env, label, function, repeat=5, warmup=1):
    """Measure ``function(env)``: median time and query count of one run.

    Each run starts from the same state: it runs in a savepoint rolled back
    afterwards, with the ORM cache emptied before it. The ``warmup`` runs fill
    Python-level caches and are not counted.
    """
    seconds, queries = [], []
    for run in range(warmup + repeat):
        env.invalidate_all()
        savepoint = env.cr.savepoint()
        try:
            start = time.perf_counter()
            _result, count = count_queries(env, function, env)
            elapsed = time.perf_counter() - start
        finally:
            savepoint.close(rollback=True)
        if run >= warmup:
            seconds.append(elapsed)
            queries.append(count)
    if len(set(queries)) > 1:
        print(f"  note: {label} made {sorted(set(queries))} queries in different runs")
    return Measurement(label, statistics.median(seconds), max(queries), repeat)


def report(title, baseline, measurements):
    """Print ``measurements`` as time ratios against ``baseline``, with query counts.

    Under run.py the figures are also printed as one JSON line for its summary.
    """
    print(f"\n{title}")
    print(f"  {qicai.padded('case', 44)} {'ratio':>7} {'queries':>8} {'median ms':>10}")
    for item in [baseline, *measurements]:
        ratio = item.seconds / baseline.seconds if baseline.seconds else float("nan")
        print(
            f"  {qicai.padded(item.label, 44)} {ratio:7.2f} {item.queries:8d} "
            f"{item.seconds * 1000:10.1f}"
        )
    if os.environ.get(JSON_VARIABLE):
        figures = {
            "title": title,
            "baseline": asdict(baseline),
            "measurements": [asdict(item) for item in measurements],
        }
        print(RESULT_PREFIX + json.dumps(figures, ensure_ascii=False), flush=True)
