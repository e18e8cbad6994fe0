"""Location routes (reads are public)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.errors import NotFound
from clinic_common.web import resource

from locations.api.schemas import LocationList, LocationSchema

blp = Blueprint("locations", __name__, url_prefix="/api/v1/locations", description="Clinic locations and hours")


@blp.route("")
class Locations(MethodView):
    @blp.response(200, LocationList)
    def get(self):
        """List the practice's active locations"""
        return {"locations": resource("locations").list()}


@blp.route("/<location_id>")
class LocationById(MethodView):
    @blp.response(200, LocationSchema)
    def get(self, location_id):
        """Read one location"""
        location = resource("locations").get(location_id)
        if location is None:
            raise NotFound(f"No location '{location_id}'.")
        return location
