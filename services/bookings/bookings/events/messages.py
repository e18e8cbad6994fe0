"""What bookings' events carry: each resource's one declared schema (api/), less what events must
not carry (domain/booking.py EVENT_OMITS, domain/requests.py CREATED_EVENT_OMITS and OUTCOME_FIELDS)."""
from __future__ import annotations

from bookings.api.request_schemas import (AppointmentRequestCreatedEvent, AppointmentRequestOutcomeEvent,
                                          AppointmentRequestSchema)
from bookings.api.schemas import BookingEventSchema, BookingSchema
from bookings.domain.requests import CREATED

_BOOKING, _BOOKING_EVENT = BookingSchema(), BookingEventSchema()
_REQUEST, _REQUEST_CREATED, _REQUEST_OUTCOME = (AppointmentRequestSchema(), AppointmentRequestCreatedEvent(),
                                                AppointmentRequestOutcomeEvent())


def booking_view(doc: dict) -> dict:
    return _BOOKING.dump(doc)


def booking_event(doc: dict, _event_type: str) -> dict:
    return _BOOKING_EVENT.dump(doc)


def request_view(doc: dict) -> dict:
    return _REQUEST.dump(doc)


def request_event(doc: dict, event_type: str) -> dict:
    """`.created` with the patient (notifications writes to them) but no notes; later events only the outcome."""
    return (_REQUEST_CREATED if event_type == CREATED else _REQUEST_OUTCOME).dump(doc)
