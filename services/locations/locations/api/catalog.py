"""Services (visit types) and providers: public reads, staff changes."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.auth import STAFF, require_roles
from clinic_common.versioned import new_id
from clinic_common.web import resource

from locations.api.inactive import InactiveQuery, wants_inactive
from locations.api.catalog_schemas import (ProviderIn, ProviderList, ProviderOut, ProviderQuery, ServiceIn,
                                             ServiceList, ServiceOut)
from locations.api.write_outcome_schemas import ProviderWritten
from locations.bookings_scan import disrupted_bookings
from locations.domain.changes import checked_provider
from locations.domain.views import plain_view

# What a provider's patch may disrupt bookings with (their schedules, what and where they may see patients).
PROVIDER_SCHEDULE_FIELDS = {"schedules", "active", "service_ids", "licensed_states"}
services_blp = Blueprint("services", __name__, url_prefix="/api/v1/services", description="Visit types")
providers_blp = Blueprint("providers", __name__, url_prefix="/api/v1/providers", description="Clinicians")


@services_blp.route("")
class Services(MethodView):
    @services_blp.arguments(InactiveQuery, location="query")
    @services_blp.response(200, ServiceList)
    def get(self, query):
        """List the visit types offered (staff: withdrawn ones too, with include_inactive)"""
        return {"services": [plain_view(doc) for doc in resource("services").list(wants_inactive(query))]}

    @require_roles(*STAFF)
    @services_blp.arguments(ServiceIn)
    @services_blp.response(201, ServiceOut)
    def post(self, data):
        """Add a visit type (staff)"""
        return plain_view(resource("services").create({**data, "_id": data.pop("id", None) or new_id()}))


@services_blp.route("/<service_id>")
class ServiceById(MethodView):
    @services_blp.response(200, ServiceOut)
    def get(self, service_id):
        """Read one visit type"""
        return plain_view(resource("services").require(service_id))

    @require_roles(*STAFF)
    @services_blp.arguments(ServiceIn(partial=True, exclude=("id",)))
    @services_blp.response(200, ServiceOut)
    def patch(self, data, service_id):
        """Change a visit type (staff)"""
        return plain_view(resource("services").change(service_id, lambda current: {**current, **data}))


def checked_against_catalog(provider: dict) -> dict:
    """Look up what the provider refers to (two queries), then apply the domain rules."""
    services = resource("services").get_many(provider["service_ids"])
    locations = resource("locations").get_many(provider["schedules"].keys())
    return checked_provider(provider, services, locations)


@providers_blp.route("")
class Providers(MethodView):
    @providers_blp.arguments(ProviderQuery, location="query")
    @providers_blp.response(200, ProviderList)
    def get(self, query):
        """List providers, optionally by location, service or language (staff: inactive too, include_inactive)"""
        inactive = wants_inactive(query)
        query.pop("include_inactive", None)
        found = resource("providers").list(**query, include_inactive=inactive)
        return {"providers": [plain_view(doc) for doc in found]}

    @require_roles(*STAFF)
    @providers_blp.arguments(ProviderIn)
    @providers_blp.response(201, ProviderOut)
    def post(self, data):
        """Add a provider (staff)"""
        provider = checked_against_catalog({**data, "_id": data.pop("id", None) or new_id()})
        return plain_view(resource("providers").create(provider))


@providers_blp.route("/<provider_id>")
class ProviderById(MethodView):
    @providers_blp.response(200, ProviderOut)
    def get(self, provider_id):
        """Read one provider"""
        return plain_view(resource("providers").require(provider_id))

    @require_roles(*STAFF)
    @providers_blp.arguments(ProviderIn(partial=True, exclude=("id",)))
    @providers_blp.response(200, ProviderWritten)
    def patch(self, data, provider_id):
        """Change a provider's details, services or schedules (staff)

        A change of schedules, services, licences or `active` says how many active bookings it disrupts
        (`disrupted_bookings`; null with `disruption_note` when bookings could not say); others disrupt none.
        """
        changed = resource("providers").change(provider_id,
                                               lambda current: checked_against_catalog({**current, **data}))
        outcome = disrupted_bookings(provider_id=provider_id) if PROVIDER_SCHEDULE_FIELDS & data.keys() \
            else {"disrupted_bookings": 0}
        return {**plain_view(changed), **outcome}
