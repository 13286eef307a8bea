from odoo import models


class MaintenanceTeam(models.Model):
    _inherit = "maintenance.team"

    def _covers_station(self, station):
        """Tell whether the team may take faults of ``station``: it is active,
        its contract is active, and it is the station's responsible team, lists
        the station or covers its region or a parent region."""
        self.ensure_one()
        if not (self.active and self.contract_active):
            return False
        if station.team_id == self or station in self.station_ids:
            return True
        region_ids = {
            int(part)
            for part in (station.region_id.parent_path or "").split("/")
            if part
        }
        return bool(region_ids & set(self.region_ids.ids))
