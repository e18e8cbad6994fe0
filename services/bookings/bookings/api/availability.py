"""GET /availability: free slots for a service at a location over up to 31 days (public); and
/availability/combined: pairs of them that make one trip (domain/combined.py)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.errors import Unprocessable
from clinic_common.limits import date_refusal
from clinic_common.web import resource

from bookings.api.schemas import Availability, AvailabilityQuery
from bookings.api.visit_schemas import CombinedAvailability, CombinedQuery
from bookings.domain.availability import covering_span, free_slots
from bookings.domain.combined import care_refusal, covering_both, naming_services, pair_slots
from bookings.domain.visits import VisitInvalid

blp = Blueprint("availability", __name__, url_prefix="/api/v1/availability", description="Free slots")


@blp.route("")
class AvailabilityView(MethodView):
    @blp.arguments(AvailabilityQuery, location="query")
    @blp.response(200, Availability)
    def get(self, query):
        """Free slots: inside hours and schedules, clear of bookings and buffers, past the notice, within the horizon"""
        _refuse_unsupported_dates(query)
        schedule = resource("schedules").windows(
            query["location_id"], query["from_"], query["to"], query["service_id"], provider_id=query.get("provider_id"),
            language=query.get("language"), patient_state=query.get("patient_state"))
        within = covering_span(schedule)
        if within is None:
            return {"slots": []}
        busy = resource("ledger").busy([provider.id for provider in schedule.providers], within)
        now = current_app.extensions["clock"]()
        return {"slots": free_slots(schedule, busy, now, current_app.extensions["booking_policy"])}


@blp.route("/combined")
class CombinedAvailabilityView(MethodView):
    @blp.arguments(CombinedQuery, location="query")
    @blp.response(200, CombinedAvailability)
    def get(self, query):
        """Two visits on one trip: same day and location, different providers, the second within the gap"""
        _refuse_unsupported_dates(query)
        schedules = [resource("schedules").windows(
            query["location_id"], query["from_"], query["to"], service_id, language=query.get("language"),
            patient_state=query.get("patient_state")) for service_id in query["service_ids"]]
        refusal = care_refusal([schedule.visit_type.provider_role for schedule in schedules])
        if refusal:
            raise VisitInvalid(f"These visit types cannot be combined: {refusal}.", {"service_ids": [refusal]})
        within = covering_both(schedules)
        if within is None:
            return {"options": [], "truncated": False}
        # One ledger read for both services' providers: the cost of one /availability call, not of each pair.
        busy = resource("ledger").busy(sorted({p.id for s in schedules for p in s.providers}), within)
        now, policy = current_app.extensions["clock"](), current_app.extensions["booking_policy"]
        first, second = (free_slots(schedule, busy, now, policy) for schedule in schedules)
        options, truncated = pair_slots(first, second, timedelta(minutes=query["max_gap_minutes"]))
        return {"options": naming_services(options, first, *query["service_ids"]), "truncated": truncated}


def _refuse_unsupported_dates(query: dict) -> None:
    """422 here, not a 503 after asking locations about a date the calendar code cannot handle."""
    errors = {name: [refusal] for name, key in (("from", "from_"), ("to", "to"))
              if (refusal := date_refusal(query[key]))}
    if errors:
        raise Unprocessable("The dates are outside the supported calendar.", errors)
