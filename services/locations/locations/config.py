"""What is particular to the locations service."""

SERVICE = "locations"
RELAY = "locations-relay"
WORKERS = (RELAY,)
OUTBOX_COLLECTIONS = ("locations", "providers", "services")
