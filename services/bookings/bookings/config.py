"""What is particular to the bookings service; everything else comes from clinic_common.config."""

SERVICE = "bookings"
RELAY = "bookings-relay"
WORKERS = (RELAY,)
OUTBOX_COLLECTIONS = ("bookings",)
