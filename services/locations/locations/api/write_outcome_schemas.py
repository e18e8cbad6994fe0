"""What a staff schedule write answers beyond the record itself: how many active bookings it disrupts
(README: Disruptions), and warnings about what the change means for patients."""
from __future__ import annotations

from marshmallow import Schema, fields

from locations.api.catalog_schemas import ProviderOut
from locations.api.schemas import ClosureOut, LocationOut


class WriteOutcome(Schema):
    disrupted_bookings = fields.Integer(allow_none=True, metadata={
        "description": "Active bookings this change newly made not fit (each now has a `disruption`, is listed at "
                       "GET /bookings?disrupted=true and its patient is told); null: bookings could not be asked "
                       "in time, see disruption_note (the change's event has them checked shortly)"})
    disruption_note = fields.String(metadata={"description": "Present when disrupted_bookings is null: why"})
    warnings = fields.List(fields.String(), metadata={"description": "What this change means that staff may not "
                                                                     "expect (special hours nobody works)"})


class ClosureWritten(ClosureOut, WriteOutcome):
    pass


class LocationWritten(LocationOut, WriteOutcome):
    pass


class ProviderWritten(ProviderOut, WriteOutcome):
    pass
