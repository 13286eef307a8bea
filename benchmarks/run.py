#!/usr/bin/env python3
"""Run every benchmarks/bench_*.py, one process each, and print their figures.

Usage: ``python3 benchmarks/run.py [NAME ...]`` (``make bench``), where a
NAME such as ``intake`` or ``bench_intake`` selects benchmarks. Exits with 1
when a benchmark fails or none is found.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from common import JSON_VARIABLE, RESULT_PREFIX, ROOT, qicai

HERE = Path(__file__).resolve().parent


def select_scripts(names):
    scripts = sorted(HERE.glob("bench_*.py"))
    if not names:
        return scripts
    selected = {name.removeprefix("bench_").removesuffix(".py") for name in names}
    return [
        script for script in scripts if script.stem.removeprefix("bench_") in selected
    ]


def run_script(script):
    """Run one benchmark, echoing its output; return (exit status, figures)."""
    print(f"== {script.name}", flush=True)
    figures = []
    process = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={**os.environ, JSON_VARIABLE: "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:
            if line.startswith(RESULT_PREFIX):
                figures.append(json.loads(line.removeprefix(RESULT_PREFIX)))
            else:
                print(line, end="", flush=True)
    except KeyboardInterrupt:
        # The benchmark got the same SIGINT and drops its database on the way out.
        process.wait()
        raise
    return process.wait(), figures


def print_summary(results):
    print("\nSummary: time ratio against the baseline of the same run, SQL queries")
    for script, figures in results:
        for table in figures:
            baseline = table["baseline"]
            print(f"{script} / {table['title']} (baseline: {baseline['label']})")
            for item in table["measurements"]:
                ratio = (
                    item["seconds"] / baseline["seconds"] if baseline["seconds"] else 0
                )
                print(
                    f"  {qicai.padded(item['label'], 44)} {ratio:7.2f} x "
                    f"{item['queries']:6d} queries (baseline {baseline['queries']})"
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    options = parser.parse_args()

    scripts = select_scripts(options.names)
    if not scripts:
        print(f"No benchmark matches {options.names or 'bench_*.py'} in {HERE}.")
        return 1

    results, failed = [], []
    try:
        for script in scripts:
            status, figures = run_script(script)
            results.append((script.name, figures))
            if status:
                failed.append(f"{script.name} (exit status {status})")
    except KeyboardInterrupt:
        print("Interrupted.")
        return 130

    print_summary(results)
    if failed:
        print(f"Failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
