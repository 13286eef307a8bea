#!/usr/bin/env python3
"""Benchmark fault intake against bare work-order creation.

Cases, each over 1,000 reports on 200 chargers of 50 stations:
- baseline: ``maintenance.request.create`` of 1,000 orders in one call;
- intake, all new: 1,000 reports of distinct faults through
  ``qicai.fault.report.intake``, so each opens an order;
- intake, mixed: 1,000 platform reports where 40 % repeat an open fault
  (linked to its order) and 10 % repeat an event already received.
"""

from common import BenchDatabase, measure, report

REPORTS = 1000
STATIONS = 50
CHARGERS_PER_STATION = 4


def build_network(env):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    manufacturer = env["res.partner"].create({"name": "Bench Manufacturer", "is_company": True})
    charger_model = env["qicai.charger.model"].create(
        {
            "name": "Bench DC 120",
            "manufacturer_id": manufacturer.id,
            "current_type": "dc",
            "rated_power_kw": 120,
            "connector_count": 2,
        }
    )
    team = env["maintenance.team"].create({"name": "Bench Team"})
    stations = env["qicai.station"].create(
        [
            {"name": f"Bench Station {index}", "code": f"BS{index:03d}", "team_id": team.id}
            for index in range(STATIONS)
        ]
    )
    chargers = env["maintenance.equipment"].create(
        [
            {
                "name": f"{station.code}-{number}",
                "station_id": station.id,
                "equipment_kind": "charger",
                "charger_model_id": charger_model.id,
                "maintenance_team_id": team.id,
            }
            for station in stations
            for number in range(CHARGERS_PER_STATION)
        ]
    )
    categories = env["qicai.fault.category"].search([], order="code")
    return team, chargers, categories


def distinct_reports(chargers, categories):
    """Return REPORTS reports, each for a different (charger, category) pair."""
    pairs = [(charger, category) for category in categories for charger in chargers]
    return [
        {
            "equipment_id": charger.id,
            "fault_category_id": category.id,
            "source_channel": "platform",
            "platform_event_id": f"EV-{index}",
        }
        for index, (charger, category) in enumerate(pairs[:REPORTS])
    ]


def mixed_reports(chargers, categories):
    """Return REPORTS platform reports: 50 % new faults, 40 % repeats, 10 % resent events."""
    new = distinct_reports(chargers, categories)[: REPORTS // 2]
    repeats = [
        dict(new[index % len(new)], platform_event_id=f"EV-R-{index}")
        for index in range(REPORTS * 4 // 10)
    ]
    resent = [dict(new[index]) for index in range(REPORTS - len(new) - len(repeats))]
    return new + repeats + resent


def main():
    with BenchDatabase("intake", ["qicai_maintenance"]) as database:
        with database.environment() as env:
            team, chargers, categories = build_network(env)
            bare_vals = [
                {
                    "name": f"Bare order {index}",
                    "equipment_id": chargers[index % len(chargers)].id,
                    "maintenance_team_id": team.id,
                }
                for index in range(REPORTS)
            ]
            all_new = distinct_reports(chargers, categories)
            mixed = mixed_reports(chargers, categories)

            baseline = measure(
                env,
                f"maintenance.request.create x{REPORTS}",
                lambda env: env["maintenance.request"].create(bare_vals),
                repeat=3,
            )
            intake_new = measure(
                env,
                f"intake, all new x{REPORTS}",
                lambda env: env["qicai.fault.report"].intake(all_new),
                repeat=3,
            )
            intake_mixed = measure(
                env,
                f"intake, 40% linked, 10% resent x{REPORTS}",
                lambda env: env["qicai.fault.report"].intake(mixed),
                repeat=3,
            )
            report(
                "Fault intake of 1,000 reports (ratio = time / bare create time)",
                baseline,
                [intake_new, intake_mixed],
            )
            for item in (baseline, intake_new, intake_mixed):
                print(f"  {item.label}: {item.queries / REPORTS:.2f} SQL queries per report")


if __name__ == "__main__":
    main()
