"""What bookings does with the events it consumes (location.*, provider.*, service.*)."""
