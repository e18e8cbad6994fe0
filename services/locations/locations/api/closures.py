"""Closures and special hours of a location (staff change them; anyone may read the ones ahead)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from clinic_common.auth import STAFF, require_roles
from clinic_common.errors import Conflict, NotFound, Unprocessable
from clinic_common.web import resource

from locations.api.schemas import Closure, ClosureOut
from locations.domain.changes import closure_record, closure_removal_error, staffing_errors
from locations.domain.zones import local_date
from locations.store.locations import closure_view
from clinic_common.versioned import new_id

blp = Blueprint("closures", __name__, url_prefix="/api/v1/locations", description="Closures and special hours")


class ClosureList(Schema):
    closures = fields.List(fields.Nested(ClosureOut))


def _today(location: dict):
    return local_date(datetime.now(timezone.utc), location["timezone"])


@blp.route("/<location_id>/closures")
class Closures(MethodView):
    @blp.response(200, ClosureList)
    def get(self, location_id):
        """Closures and special hours from today on, in the location's own calendar"""
        location = resource("locations").require(location_id)
        today = _today(location).isoformat()
        return {"closures": [closure_view(c) for c in location.get("closures", []) if c["to"] >= today]}

    @require_roles(*STAFF)
    @blp.arguments(Closure)
    @blp.response(201, ClosureOut)
    def post(self, data, location_id):
        """Close a location, or set special hours, for a range of dates (staff)

        Special hours may name the providers who staff them (a Saturday clinic): they work those
        hours in full on those dates.
        """
        resource("locations").require(location_id)  # an unknown location is 404, whoever is named
        errors = staffing_errors(data, resource("providers").get_many(data.get("provider_ids") or []), location_id)
        if errors:
            raise Unprocessable("Those providers cannot staff these hours.", errors)
        closure = closure_record(new_id(), data, datetime.now(timezone.utc))
        resource("locations").change(location_id, lambda current: {
            **current, "closures": [*current.get("closures", []), closure]})
        return closure_view(closure)


@blp.route("/<location_id>/closures/<closure_id>")
class ClosureById(MethodView):
    @require_roles(*STAFF)
    @blp.response(204)
    def delete(self, location_id, closure_id):
        """Delete a closure that has not started yet (staff)"""

        def remove(current):
            closures = current.get("closures", [])
            found = next((c for c in closures if c["id"] == closure_id), None)
            error = closure_removal_error(found, _today(current))
            if error == "not-found":
                raise NotFound(f"No closure '{closure_id}' at this location.")
            if error == "started":
                raise Conflict("That closure has already started; past and current closures stay on record.")
            return {**current, "closures": [c for c in closures if c["id"] != closure_id]}

        resource("locations").change(location_id, remove)
