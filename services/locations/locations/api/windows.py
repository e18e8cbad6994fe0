"""Working windows, the question bookings asks: who works where and when, as UTC instants.

One request, a constant number of MongoDB commands (location, service, providers) whatever
the number of providers or days: everything else is computed in domain/.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.errors import Unprocessable
from clinic_common.web import json_response, resource

from locations.api.catalog_schemas import WindowsQuery, WorkingWindows
from locations.domain.eligibility import Request, is_eligible, location_modality, request_errors
from locations.domain.windows import location_days, windows_within
from locations.store.catalog import plain_view
from locations.store.locations import closures_for_domain, to_view

blp = Blueprint("working_windows", __name__, url_prefix="/api/v1/locations", description="Working windows")


@blp.route("/<location_id>/working-windows")
class WorkingWindowsView(MethodView):
    @blp.arguments(WindowsQuery, location="query")
    @blp.response(200, WorkingWindows)
    def get(self, query, location_id):
        """Every eligible provider's working windows at a location, per date, in UTC"""
        doc = resource("locations").require(location_id)
        service = _service(query.get("service_id"))
        location = {**to_view(doc), "closures": closures_for_domain(doc)}
        request = Request(location, service, query.get("provider_id"), query.get("language"), query.get("patient_state"))
        errors = request_errors(request)
        if errors:
            raise Unprocessable("No provider could ever match this request.", errors)
        candidates = resource("providers").list(location_id=location_id, service_id=query.get("service_id"),
                                                language=query.get("language"), schedule_of=location_id)
        days = location_days(location, query["from_"], query["to"])
        providers = [_with_windows(p, location, days) for p in map(plain_view, candidates) if is_eligible(p, request)]
        return json_response({"location": to_view(doc), "modality": location_modality(location), "service": service,
                              "providers": providers})


def _service(service_id: str | None) -> dict | None:
    if service_id is None:
        return None
    doc = resource("services").get(service_id)
    if doc is None or doc.get("active") is False:
        raise Unprocessable("Unknown service.", {"service_id": [f"no active service '{service_id}'"]})
    return plain_view(doc)


PROVIDER_FIELDS = ("id", "name", "credentials", "role", "languages")


def _with_windows(provider: dict, location: dict, days) -> dict:
    windows = windows_within(provider["schedules"].get(location["id"], {}), days, location["timezone"], provider["id"])
    return {**{k: provider.get(k) for k in PROVIDER_FIELDS}, "windows": [w.as_dict() for w in windows]}
