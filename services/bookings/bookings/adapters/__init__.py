"""Bookings' side of the locations service: HTTP, the schedule cache, and the translation of its
answers into domain models (bookings never walks locations' JSON anywhere else)."""
