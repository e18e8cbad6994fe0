"""Working windows, the question bookings asks: who works where and when, as UTC instants.

One request, a constant number of MongoDB commands (location, service, providers) whatever
the number of providers or days: everything else is computed in domain/.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.web import json_response, resource

from locations.api.catalog_schemas import WindowsQuery, WorkingWindows
from locations.domain.closures import dated_closures
from locations.domain.eligibility import Request, check_request, location_modality, offered_service
from locations.domain.views import location_view, plain_view
from locations.domain.windows import eligible_windows, location_days

blp = Blueprint("working_windows", __name__, url_prefix="/api/v1/locations", description="Working windows")


@blp.route("/<location_id>/working-windows")
class WorkingWindowsView(MethodView):
    @blp.arguments(WindowsQuery, location="query")
    @blp.response(200, WorkingWindows)
    def get(self, query, location_id):
        """Every eligible provider's working windows at a location, per date, in UTC"""
        doc = resource("locations").require(location_id)
        service_id = query.get("service_id")
        service = None if service_id is None else offered_service(service_id, resource("services").get(service_id))
        location = {**location_view(doc), "closures": dated_closures(doc)}
        request = Request(location, service, query.get("provider_id"), query.get("language"), query.get("patient_state"))
        check_request(request)
        candidates = resource("providers").list(location_id=location_id, service_id=service_id,
                                                language=query.get("language"), schedule_of=location_id)
        days = location_days(location, query["from_"], query["to"])
        providers = eligible_windows(request, [plain_view(p) for p in candidates], days)
        return json_response({"location": location_view(doc), "modality": location_modality(location),
                              "service": service, "providers": providers})
