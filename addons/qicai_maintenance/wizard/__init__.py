from . import qicai_work_order_wizard
