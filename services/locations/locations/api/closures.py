"""Closures and special hours of a location (staff change them; anyone may read the ones ahead)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from clinic_common.auth import STAFF, require_roles
from clinic_common.versioned import new_id
from clinic_common.web import resource

from locations.api.schemas import Closure, ClosureOut
from locations.api.write_outcome_schemas import ClosureWritten
from locations.bookings_scan import disrupted_bookings
from locations.domain.closure_changes import (check_staffing, closure_record, closures_ahead, location_today,
                                              with_closure, without_closure)
from locations.domain.staffing import unstaffed_dates, unstaffed_warning
from locations.domain.views import closure_view

blp = Blueprint("closures", __name__, url_prefix="/api/v1/locations", description="Closures and special hours")


class ClosureList(Schema):
    closures = fields.List(fields.Nested(ClosureOut))


def _today(location: dict):
    return location_today(location, datetime.now(timezone.utc))


@blp.route("/<location_id>/closures")
class Closures(MethodView):
    @blp.response(200, ClosureList)
    def get(self, location_id):
        """Closures and special hours from today on, in the location's own calendar"""
        location = resource("locations").require(location_id)
        return {"closures": [closure_view(c) for c in closures_ahead(location, _today(location))]}

    @require_roles(*STAFF)
    @blp.arguments(Closure)
    @blp.response(201, ClosureWritten)
    def post(self, data, location_id):
        """Close a location, or set special hours, for a range of dates (staff)

        Special hours may name the providers who staff them (a Saturday clinic): they work those
        hours in full on those dates; naming nobody, only those whose weekly schedule overlaps them
        work (`warnings` says when that is nobody). The answer says how many active bookings the
        change disrupts (`disrupted_bookings`; null with `disruption_note` when bookings could not say).
        """
        resource("locations").require(location_id)  # an unknown location is 404, whoever is named
        check_staffing(data, resource("providers").get_many(data.get("provider_ids") or []), location_id)
        closure = closure_record(new_id(), data, datetime.now(timezone.utc))
        stored = resource("locations").change(location_id, lambda current: with_closure(current, closure))
        nobody = unstaffed_dates(stored, closure, resource("providers").list(location_id=location_id,
                                                                             schedule_of=location_id))
        return {**closure_view(closure), **disrupted_bookings(location_id=location_id),
                "warnings": unstaffed_warning(nobody)}


@blp.route("/<location_id>/closures/<closure_id>")
class ClosureById(MethodView):
    @require_roles(*STAFF)
    @blp.response(204)
    def delete(self, location_id, closure_id):
        """Delete a closure that has not started yet (staff)"""
        resource("locations").change(location_id,
                                     lambda current: without_closure(current, closure_id, _today(current)))
