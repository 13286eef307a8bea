from . import test_station
from . import test_equipment
from . import test_team
from . import test_registry_loader
from . import test_access
from . import test_import
