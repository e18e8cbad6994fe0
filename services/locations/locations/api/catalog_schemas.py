"""Shapes of the catalog API: visit types, providers, and the working-windows answer."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from clinic_common.limits import supported_date

from locations.api.inactive import InactiveQuery
from locations.api.schemas import MODALITIES, SLUG, STATE, LocationOut, WeeklyHours
from locations.api.translation_schemas import NAME, Description, Translations


def ids_field(**kwargs):
    return fields.List(fields.String(validate=validate.Length(min=1, max=64)), **kwargs)


ROLES = ("therapist", "prescriber")


class ServiceIn(Schema):
    id = fields.String(validate=SLUG)
    name = fields.String(required=True, validate=NAME, metadata={"description": "in English"})
    description = Description("Weekly 50-minute sessions to change unhelpful thoughts and habits.")
    translations = Translations()
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=480))
    buffer_minutes = fields.Integer(load_default=0, validate=validate.Range(min=0, max=120),
                                    metadata={"description": "kept free after the visit"})
    modalities = fields.List(fields.String(validate=validate.OneOf(MODALITIES)), required=True,
                             validate=validate.Length(min=1))
    provider_role = fields.String(required=True, validate=validate.OneOf(ROLES))
    requires_confirmation = fields.Boolean(load_default=False,
                                           metadata={"description": "true: a booking starts 'requested'"})
    active = fields.Boolean(load_default=True)


class ServiceOut(ServiceIn):
    id = fields.String()


class ServiceList(Schema):
    services = fields.List(fields.Nested(ServiceOut))


class ProviderIn(Schema):
    id = fields.String(validate=SLUG)
    name = fields.String(required=True, validate=NAME)
    description = Description("Uses CBT and DBT with adults and teens.")
    translations = Translations()
    credentials = fields.String(required=True, validate=validate.Length(min=1, max=60),
                                metadata={"example": "LCSW"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    service_ids = ids_field(load_default=list)
    languages = fields.List(fields.String(validate=validate.OneOf(["en", "es"])), required=True,
                            validate=validate.Length(min=1))
    licensed_states = fields.List(fields.String(validate=STATE), required=True, validate=validate.Length(min=1))
    schedules = fields.Dict(keys=fields.String(), values=WeeklyHours(), load_default=dict,
                            metadata={"description": "location id -> weekly hours worked there"})
    active = fields.Boolean(load_default=True)


class ProviderOut(ProviderIn):
    id = fields.String()


class ProviderList(Schema):
    providers = fields.List(fields.Nested(ProviderOut))


class ProviderQuery(InactiveQuery):
    location_id = fields.String()
    service_id = fields.String()
    language = fields.String(validate=validate.OneOf(["en", "es"]))


class WindowsQuery(Schema):
    from_ = fields.Date(required=True, data_key="from", validate=supported_date)
    to = fields.Date(required=True, validate=supported_date)
    service_id = fields.String(validate=validate.Length(min=1, max=64))
    provider_id = fields.String(validate=validate.Length(min=1, max=64))
    language = fields.String(validate=validate.OneOf(["en", "es"]))
    patient_state = fields.String(validate=STATE)

    @validates_schema
    def _range(self, data, **_kw):
        days = (data["to"] - data["from_"]).days
        if days < 0:
            raise ValidationError({"to": ["must be on or after 'from'"]})
        if days >= MAX_WINDOW_DAYS:
            raise ValidationError({"to": [f"at most {MAX_WINDOW_DAYS} days at a time"]})


MAX_WINDOW_DAYS = 92


class Window(Schema):
    date = fields.String()
    start = fields.String(metadata={"description": "UTC instant"})
    end = fields.String()


class ProviderWindows(Schema):
    id = fields.String()
    name = fields.String()
    credentials = fields.String()
    role = fields.String()
    languages = fields.List(fields.String())
    windows = fields.List(fields.Nested(Window))


class WorkingWindows(Schema):
    location = fields.Nested(LocationOut)
    modality = fields.String()
    service = fields.Nested(ServiceOut, allow_none=True)
    providers = fields.List(fields.Nested(ProviderWindows))
