{
    "name": "Qicai Charging O&M: Fault Work Orders",
    "summary": "Fault intake, classification, dispatch, escalation chain, SLA, "
    "safety checklist, emergency plans, closure and customer callback",
    "version": "18.0.1.0.0",
    "category": "Services/Charging O&M",
    "author": "Qicai Charging O&M",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["qicai"],
    "depends": ["qicai_station", "maintenance", "mail"],
    "data": [
        "security/qicai_maintenance_security.xml",
        "security/ir.model.access.csv",
        "data/maintenance_stage_data.xml",
        "data/qicai_emergency_plan_data.xml",
        "data/qicai_safety_check_item_data.xml",
        "data/qicai_fault_category_data.xml",
        "data/ir_cron_data.xml",
        "views/placeholder_actions.xml",
    ],
    "demo": [],
    "installable": True,
}
