"""Availability's slots go through their declared schema by a fast path that must say what marshmallow would."""
import pytest
from marshmallow import Schema, fields

from bookings.api.records import Records
from bookings.api.schemas import Availability, Slot
from bookings.domain.availability import FreeSlot

SLOTS = [FreeSlot("2026-12-07T08:00:00-06:00", "2026-12-07T08:50:00-06:00", f"p{i}", "jonesboro", "in_person")
         for i in range(3)]


def test_the_fast_path_dumps_exactly_what_the_slot_schema_would():
    assert Availability().dump({"slots": SLOTS}) == {"slots": [Slot().dump(slot) for slot in SLOTS]}
    assert Availability().dump({"slots": []}) == {"slots": []}


def test_the_documented_shape_is_a_plain_list_of_slots():
    field = Availability().fields["slots"]
    assert isinstance(field, fields.List) and isinstance(field.inner, fields.Nested) and field.inner.nested is Slot


def test_a_schema_whose_fields_convert_is_refused_when_declared():
    class Stamped(Schema):
        at = fields.DateTime()

    with pytest.raises(TypeError):
        Records(Stamped)
