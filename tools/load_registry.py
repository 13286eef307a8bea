#!/usr/bin/env python3
"""Load a public charging-station registry into a Qicai database.

Usage::

    python3 tools/load_registry.py --database DB --source shenzhen|uk_ncr FILE

The script runs the same loader as the "Import registry" wizard
(``qicai.registry.loader``) as the superuser, commits once at the end, and
prints the counts, the time, the SQL query count and every rejected row.
``--report`` also writes the rejected rows to a CSV file; ``--dry-run`` rolls
the load back after the report.
"""

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", "-d", required=True, help="Odoo database name")
    parser.add_argument(
        "--source",
        required=True,
        choices=["shenzhen", "uk_ncr"],
        help="registry format of FILE",
    )
    parser.add_argument("file", type=Path, help="registry CSV file (UTF-8)")
    parser.add_argument(
        "--zones",
        type=Path,
        help="Shenzhen traffic-zone CSV used to name stations "
        "(default: the copy shipped in qicai_station/data)",
    )
    parser.add_argument(
        "--region-code",
        help="code of the region that receives the stations (Shenzhen) or the "
        "county regions (UK)",
    )
    parser.add_argument("--company-id", type=int, help="company id (default: main)")
    parser.add_argument("--report", type=Path, help="write rejected rows to this CSV")
    parser.add_argument(
        "--dry-run", action="store_true", help="roll back instead of committing"
    )
    return parser.parse_args()


def odoo_environment(database):
    """Return (registry, odoo module) after configuring the suite's addons path."""
    import odoo
    from odoo.tools import config

    odoo_root = Path(odoo.__path__[0]).parent
    paths = [odoo_root / "addons", odoo_root / "odoo" / "addons", ROOT / "addons"]
    config.parse_config(
        [
            f"--addons-path={','.join(str(path) for path in paths if path.is_dir())}",
            f"--database={database}",
            "--log-level=warn",
        ]
    )
    odoo.service.server.load_server_wide_modules()
    return odoo.modules.registry.Registry(database), odoo


def print_report(result, report_path):
    print(f"Source:             {result['source']}")
    print(f"Rows read:          {result['rows']}")
    print(f"Rows rejected:      {len(result['rejected'])}")
    print(
        f"Stations:           {result['stations_created']} created, "
        f"{result['stations_updated']} updated"
    )
    print(
        f"Chargers:           {result['chargers_created']} created, "
        f"{result['chargers_updated']} updated, "
        f"{result['chargers_not_in_file']} no longer in the file"
    )
    print(
        f"Connectors:         {result['connectors_created']} created, "
        f"{result['connectors_updated']} updated"
    )
    print(f"Seconds:            {result['seconds']}")
    print(f"SQL queries:        {result['queries']}")
    for note in result["notes"]:
        print(f"Note: {note}")
    for line in result["rejected"]:
        print(f"Rejected row {line['row']} ({line['ref']}): {line['reason']}")
    if report_path:
        with report_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["row", "ref", "reason"])
            writer.writeheader()
            writer.writerows(result["rejected"])
        print(f"Rejected rows written to {report_path}")


def main():
    options = parse_arguments()
    registry, odoo = odoo_environment(options.database)
    content = options.file.read_bytes()
    zones = options.zones.read_bytes() if options.zones else None

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if options.company_id:
            env = env(context={"allowed_company_ids": [options.company_id]})
        region = env["qicai.region"]
        if options.region_code:
            region = region.search(
                [
                    ("code", "=", options.region_code),
                    ("company_id", "in", [env.company.id, False]),
                ],
                limit=1,
            )
            if not region:
                sys.exit(f"No region has the code {options.region_code}.")
        try:
            result = env["qicai.registry.loader"].load_registry(
                options.source, content, parent_region=region, zones_content=zones
            )
        except odoo.exceptions.UserError as error:
            sys.exit(f"Nothing was loaded: {error}")
        print_report(result, options.report)
        if options.dry_run:
            cr.rollback()
            print("Dry run: nothing was committed.")


if __name__ == "__main__":
    main()
