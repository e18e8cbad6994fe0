"""Shapes of the locations API. Field rules delegate to domain/ so each rule lives in one place."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from clinic_common.limits import supported_date
from clinic_common.us_states import US_STATES

from locations.api.translation_schemas import NAME, Description, Translations
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
    name = fields.String(required=True, validate=NAME, metadata={"description": "in English"})
    description = Description("Free parking behind the building.")
    translations = Translations()
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
    from_ = fields.Date(required=True, data_key="from", validate=supported_date)
    to = fields.Date(required=True, validate=supported_date)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    intervals = fields.List(fields.Nested(Interval), allow_none=True, load_default=None,
                            metadata={"description": "special hours for these dates; leave out to close"})
    provider_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                               metadata={"description": "providers of this location who work the special hours "
                                                        "in full on these dates (e.g. a Saturday clinic)"})

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
    provider_ids = fields.List(fields.String())


class LocationOut(Schema):
    id = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)
    translations = Translations()
    address = fields.Nested(Address, allow_none=True)
    timezone = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "E.164, for diallers and SMS"})
    phone_display = fields.String(allow_none=True, metadata={"description": "as people read it: (870) 555-0100",
                                                             "example": "(870) 555-0100"})
    modalities = fields.List(fields.String())
    hours = WeeklyHours()
    closures = fields.List(fields.Nested(ClosureOut))
    active = fields.Boolean()


class LocationList(Schema):
    locations = fields.List(fields.Nested(LocationOut))


class DateRange(Schema):
    from_ = fields.Date(required=True, data_key="from", validate=supported_date)
    to = fields.Date(load_default=None, validate=supported_date)

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
