from . import qicai_equipment_ledger_report
