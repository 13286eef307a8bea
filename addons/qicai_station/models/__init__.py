from . import qicai_region
from . import qicai_charger_model
from . import maintenance_team
from . import qicai_station
from . import maintenance_equipment
from . import qicai_charger_connector
from . import qicai_registry_loader
