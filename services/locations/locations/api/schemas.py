"""Shapes of the locations API. Field rules delegate to domain/ so each rule lives in one place."""
from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from clinic_common.us_states import US_STATES

from locations.domain.closures import closure_errors
from locations.domain.hours import WEEKDAYS, weekly_hours_errors
from locations.domain.zones import is_valid_zone

MODALITIES = ("in_person", "telehealth")
PHONE = validate.Regexp(r"^\+[1-9]\d{7,14}$", error="Use international format, e.g. +18705550100.")
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,63}$", error="Lower-case letters, digits and dashes, up to 64.")
STATE = validate.OneOf(sorted(US_STATES), error="Not a US state code.")


class Interval(Schema):
    open = fields.String(required=True, metadata={"example": "08:00"})
    close = fields.String(required=True, metadata={"example": "17:00"})


def WeeklyHours(**kwargs):
    return fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(Interval)),
                       metadata={"description": f"weekday ({', '.join(WEEKDAYS)}) -> intervals; empty list: closed",
                                 "example": {"mon": [{"open": "08:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]}},
                       **kwargs)


def check_hours(value) -> None:
    errors = weekly_hours_errors(value)
    if errors:
        raise ValidationError(errors)


class Address(Schema):
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    state = fields.String(required=True, validate=STATE)
    postal_code = fields.String(required=True, validate=validate.Regexp(r"^\d{5}(-\d{4})?$"))


class LocationIn(Schema):
    id = fields.String(validate=SLUG, metadata={"description": "optional readable id, e.g. 'jonesboro'"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = fields.Nested(Address, allow_none=True, load_default=None)
    timezone = fields.String(required=True, metadata={"example": "America/Chicago"})
    phone = fields.String(allow_none=True, load_default=None, validate=PHONE)
    modalities = fields.List(fields.String(validate=validate.OneOf(MODALITIES)), required=True,
                             validate=validate.Length(min=1))
    hours = WeeklyHours(required=True)
    active = fields.Boolean(load_default=True)

    @validates("timezone")
    def _zone(self, value, **_kw):
        if not is_valid_zone(value):
            raise ValidationError("Not an IANA time zone (e.g. America/Chicago).")

    @validates("hours")
    def _hours(self, value, **_kw):
        check_hours(value)


class Closure(Schema):
    id = fields.String(dump_only=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    intervals = fields.List(fields.Nested(Interval), allow_none=True, load_default=None,
                            metadata={"description": "special hours for these dates; leave out to close"})

    @validates_schema
    def _rules(self, data, **_kw):
        errors = closure_errors({"from": data["from_"], "to": data["to"], "intervals": data.get("intervals")})
        if errors:
            raise ValidationError({("from" if k == "from_" else k): v for k, v in errors.items()})


class ClosureOut(Schema):
    """Stored closures keep ISO dates; this shows them as they are stored."""

    id = fields.String()
    from_ = fields.String(data_key="from", attribute="from", metadata={"format": "date"})
    to = fields.String(metadata={"format": "date"})
    reason = fields.String()
    intervals = fields.List(fields.Nested(Interval), allow_none=True)


class LocationOut(Schema):
    id = fields.String()
    name = fields.String()
    address = fields.Nested(Address, allow_none=True)
    timezone = fields.String()
    phone = fields.String(allow_none=True)
    modalities = fields.List(fields.String())
    hours = WeeklyHours()
    closures = fields.List(fields.Nested(ClosureOut))
    active = fields.Boolean()


class LocationList(Schema):
    locations = fields.List(fields.Nested(LocationOut))


class DateRange(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(load_default=None)

    @validates_schema
    def _order(self, data, **_kw):
        if data.get("to") and data["to"] < data["from_"]:
            raise ValidationError({"to": ["must be on or after 'from'"]})


class DayHours(Schema):
    date = fields.String()
    intervals = fields.List(fields.Nested(Interval))
    closed = fields.Boolean()
    reason = fields.String(allow_none=True)


class EffectiveHours(Schema):
    location_id = fields.String()
    timezone = fields.String()
    days = fields.List(fields.Nested(DayHours))


def ids_field(**kwargs):
    return fields.List(fields.String(validate=validate.Length(min=1, max=64)), **kwargs)


def is_id(value: str) -> bool:
    return bool(re.match(r"^[A-Za-z0-9_-]{1,64}$", value or ""))


ROLES = ("therapist", "prescriber")


class ServiceIn(Schema):
    id = fields.String(validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
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
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
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


class ProviderQuery(Schema):
    location_id = fields.String()
    service_id = fields.String()
    language = fields.String(validate=validate.OneOf(["en", "es"]))


class WindowsQuery(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
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
