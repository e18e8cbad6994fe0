"""Location routes: reads are public, changes are for staff (verified here, not only at the gateway)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.auth import STAFF, require_roles
from clinic_common.versioned import new_id
from clinic_common.web import resource

from locations.api.inactive import InactiveQuery, wants_inactive
from locations.api.schemas import DateRange, EffectiveHours, LocationIn, LocationList, LocationOut
from locations.api.write_outcome_schemas import LocationWritten
from locations.bookings_scan import disrupted_bookings
from locations.domain.changes import checked_location, merged_location
from locations.domain.closures import check_range, dated_closures, effective_hours
from locations.domain.hours import normalized, parse_weekly
from locations.domain.views import location_view

SCHEDULE_FIELDS = {"hours", "active"}  # what a location's patch may disrupt bookings with
blp = Blueprint("locations", __name__, url_prefix="/api/v1/locations", description="Clinic locations and hours")


@blp.route("")
class Locations(MethodView):
    @blp.arguments(InactiveQuery, location="query")
    @blp.response(200, LocationList)
    def get(self, query):
        """List the practice's active locations (staff: inactive ones too, with include_inactive)"""
        return {"locations": [location_view(doc) for doc in resource("locations").list(wants_inactive(query))]}

    @require_roles(*STAFF)
    @blp.arguments(LocationIn)
    @blp.response(201, LocationOut)
    def post(self, data):
        """Add a location (staff)"""
        doc = checked_location({**data, "hours": normalized(data["hours"]), "closures": []})
        doc["_id"] = doc.pop("id", None) or new_id()
        return location_view(resource("locations").create(doc))


@blp.route("/<location_id>")
class LocationById(MethodView):
    @blp.response(200, LocationOut)
    def get(self, location_id):
        """Read one location"""
        return location_view(resource("locations").require(location_id))

    @require_roles(*STAFF)
    @blp.arguments(LocationIn(partial=True))
    @blp.response(200, LocationWritten)
    def patch(self, data, location_id):
        """Change a location's details or weekly hours (staff)

        A change of `hours` or `active` says how many active bookings it disrupts (`disrupted_bookings`;
        null with `disruption_note` when bookings could not say); other changes disrupt none.
        """
        changed = resource("locations").change(location_id, lambda current: checked_location(merged_location(current, data)))
        outcome = disrupted_bookings(location_id=location_id) if SCHEDULE_FIELDS & data.keys() else {"disrupted_bookings": 0}
        return {**location_view(changed), **outcome}


@blp.route("/<location_id>/hours")
class LocationHours(MethodView):
    @blp.arguments(DateRange, location="query")
    @blp.response(200, EffectiveHours)
    def get(self, query, location_id):
        """The hours that really apply on each date, closures and special hours included"""
        last = query["to"] or query["from_"]
        check_range(query["from_"], last)
        doc = resource("locations").require(location_id)
        days = effective_hours(parse_weekly(doc["hours"]), dated_closures(doc), query["from_"], last)
        return {"location_id": location_id, "timezone": doc["timezone"], "days": [d.as_dict() for d in days]}
