{
    "name": "Qicai Charging O&M: Stations and Chargers",
    "summary": "Regions, charging stations, chargers, connectors, charger models "
    "and O&M provider teams, with the security groups of the suite",
    "version": "18.0.1.0.0",
    "category": "Services/Charging O&M",
    "author": "Qicai Charging O&M",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["qicai"],
    "depends": ["maintenance", "mail"],
    "data": [
        "security/qicai_station_security.xml",
        "security/ir.model.access.csv",
        "data/qicai_charger_model_data.xml",
    ],
    "demo": [],
    "application": True,
    "installable": True,
}
