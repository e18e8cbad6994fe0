"""bench/disruption.py's pure parts (no stack, no I/O): the day of bookings it writes for a closure to
disrupt, the tally it prints, and telling the disrupted email from the confirmation before it."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bench.disruption import day_of_bookings, is_disrupted_email, tallied

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)  # a Monday, 9:00 in Chicago
TEMPLATE = {"_id": "booked", "status": "confirmed", "provider_id": "synthetic-000", "location_id": "synthetic-clinic",
            "start": START, "end": START + timedelta(minutes=50), "blocked_until": START + timedelta(minutes=60),
            "timezone": "America/Chicago", "provider": {"name": "Provider synthetic-000", "credentials": "LPC"},
            "patient": {"name": "Bench Patient", "email": "bench@example.com", "state": "AR"},
            "disruption": None, "version": 3, "outbox": [{"id": "e1"}]}
PROVIDERS = [f"synthetic-{n:03d}" for n in range(10)]
WEDNESDAY = date(2026, 12, 23)


def test_a_day_of_bookings_lies_within_the_clinics_day_spread_over_the_providers_and_never_judged():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    docs = day_of_bookings(TEMPLATE, PROVIDERS, WEDNESDAY, 100, now)
    assert len({d["_id"] for d in docs}) == 100 and "booked" not in {d["_id"] for d in docs}
    assert {d["start"].astimezone(CHICAGO).date() for d in docs} == {WEDNESDAY}  # the clinic's date, not UTC's
    assert min(d["start"].astimezone(CHICAGO).hour for d in docs) == 8
    assert max(d["end"].astimezone(CHICAGO) for d in docs).hour < 17
    assert all(d["end"] - d["start"] == timedelta(minutes=50) and d["blocked_until"] - d["start"] == timedelta(hours=1)
               for d in docs)
    per_provider = {p: sum(d["provider_id"] == p for d in docs) for p in PROVIDERS}
    assert set(per_provider.values()) == {10}
    assert all(d["provider"]["name"] == f"Provider {d['provider_id']}" for d in docs)
    assert all(d["version"] == 1 and d["outbox"] == [] and d["disruption"] is None and d["status"] == "confirmed"
               for d in docs)
    assert len({d["patient"]["email"] for d in docs}) == 100 and TEMPLATE["patient"]["email"] == "bench@example.com"


def test_ten_bookings_are_one_per_provider_at_opening():
    docs = day_of_bookings(TEMPLATE, PROVIDERS, WEDNESDAY, 10, START)
    assert [d["provider_id"] for d in docs] == PROVIDERS
    assert {d["start"].astimezone(CHICAGO).strftime("%H:%M") for d in docs} == {"08:00"}


def test_tallied_counts_in_order_of_first_use():
    assert tallied(["find bookings", "update bookings", "update bookings"]) == "find bookings ×1, update bookings ×2"
    assert tallied([]) == ""


def message(subject: str, to: str) -> bytes:
    from notifications.channels.email import build_email
    from notifications.content import Message

    return build_email("b1-event:x:email", "appointments@clinic.example", to,
                       Message(subject=subject, text="Hello", sms="", ics=None, ics_method=None)).as_bytes()


def test_the_disrupted_email_is_told_from_the_confirmation_and_from_other_patients():
    disrupted = "NOT cancelled, but please choose what to do: your appointment on Monday, December 7 at 9:00 AM"
    assert is_disrupted_email(message(disrupted, "ana@example.com"), "ana@example.com")
    assert not is_disrupted_email(message("Your appointment is confirmed", "ana@example.com"), "ana@example.com")
    assert not is_disrupted_email(message(disrupted, "bo@example.com"), "ana@example.com")
