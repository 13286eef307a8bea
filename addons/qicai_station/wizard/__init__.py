from . import qicai_station_import_line
from . import qicai_station_import
