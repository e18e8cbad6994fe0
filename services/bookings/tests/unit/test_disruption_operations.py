"""The disruption scan (disruption_operations.py) against fakes: one write and one event per change of
fit, none for a booking that fits or was already judged, the telehealth option, and a lost race."""
from datetime import date, datetime, time, timedelta, timezone

from tests.fakes import FakeBookings

from bookings.adapters.clinic_standing import Hours
from bookings.disruption_operations import CLEARED, DISRUPTED, DisruptionDeps, scan
from bookings.domain.disruption import ClinicDays, DayRule
from bookings.domain.slots import Span

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
MONDAY = date(2026, 12, 7)
START = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)  # 9:00 in Chicago
DAY = Span(datetime(2026, 12, 7, 14, tzinfo=timezone.utc), datetime(2026, 12, 7, 23, tzinfo=timezone.utc))
OPEN = ClinicDays("America/Chicago", {d: ((time(8), time(17)),) for d in ("mon", "tue", "wed", "thu", "fri")})
CLOSED = ClinicDays("America/Chicago", OPEN.weekly, (DayRule(MONDAY, MONDAY, None, "Holiday"),))


class Bookings(FakeBookings):
    def still_changeable(self, now, until, location_id=None, provider_id=None):
        return [d for d in self.docs.values() if d["status"] in ("requested", "confirmed") and d["end"] > now
                and d["start"] < until and location_id in (None, d["location_id"])]


class Standing:
    """locations as the scan sees it: per location, its calendar and who works when."""

    def __init__(self):
        self.places = {"paragould": Hours(OPEN, {"miguel-santos": (DAY,)}), "telehealth": Hours(OPEN, {})}
        self.active = {"miguel-santos": True}

    def hours(self, location_id, first, last, service_id, provider_id=None, patient_state=None):
        return self.places.get(location_id)

    def provider_active(self, provider_id):
        return self.active.get(provider_id, False)

    def telehealth_locations(self):
        return ["telehealth"]


class Ledger:
    def __init__(self):
        self.spans = []

    def busy(self, provider_ids, within):
        return {pid: [s for s in self.spans if s.overlaps(within)] for pid in provider_ids}


def setup():
    bookings, standing, ledger = Bookings([]), Standing(), Ledger()
    doc = {"_id": "b1", "status": "confirmed", "location_id": "paragould", "service_id": "therapy-cbt",
           "provider_id": "miguel-santos", "modality": "in_person", "start": START,
           "end": START + timedelta(minutes=50), "blocked_until": START + timedelta(hours=1),
           "patient": {"state": "AR"}, "version": 1}
    bookings.docs["b1"] = doc
    ledger.spans.append(Span(START, START + timedelta(hours=1)))
    return DisruptionDeps(bookings, standing, ledger, timedelta(days=90), clock=lambda: NOW), bookings, standing


def test_a_booking_that_fits_is_not_written():
    deps, bookings, _ = setup()
    result = scan(deps, location_id="paragould")
    assert result.disrupted == [] and bookings.events == [] and "disruption" not in bookings.docs["b1"]


def test_a_closure_disrupts_once_however_often_the_scan_runs():
    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {"miguel-santos": ()})
    assert scan(deps, location_id="paragould").disrupted == ["b1"]
    again = scan(deps, location_id="paragould")
    assert again.disrupted == [] and again.still == 1
    assert bookings.events == [DISRUPTED]
    stored = bookings.docs["b1"]
    assert stored["status"] == "confirmed"  # nothing is cancelled
    assert stored["disruption"]["reason"] == "closure" and stored["disruption"]["detected_at"] == NOW
    assert stored["disruption"]["options"] == {"reschedule": True, "telehealth": False, "cancel": True}


def test_a_booking_that_fits_again_is_cleared_with_its_event():
    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {})
    scan(deps, location_id="paragould")
    standing.places["paragould"] = Hours(OPEN, {"miguel-santos": (DAY,)})
    assert scan(deps, location_id="paragould").cleared == ["b1"]
    assert bookings.docs["b1"]["disruption"] is None and bookings.events == [DISRUPTED, CLEARED]


def test_an_inactive_provider_is_named():
    deps, bookings, standing = setup()
    standing.places["paragould"], standing.active["miguel-santos"] = Hours(OPEN, {}), False
    scan(deps)
    assert bookings.docs["b1"]["disruption"]["reason"] == "provider_inactive"


def test_telehealth_is_offered_only_when_the_provider_works_then_and_the_time_is_not_taken():
    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {})
    standing.places["telehealth"] = Hours(OPEN, {"miguel-santos": (DAY,)})
    scan(deps)
    assert bookings.docs["b1"]["disruption"]["options"]["telehealth"] is True

    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {})
    standing.places["telehealth"] = Hours(OPEN, {"miguel-santos": (DAY,)})
    deps.ledger.spans.append(Span(START + timedelta(hours=1), START + timedelta(hours=2)))  # the next, not ours
    deps.ledger.spans.append(Span(START - timedelta(minutes=30), START + timedelta(minutes=10)))  # overlaps ours
    scan(deps)
    assert bookings.docs["b1"]["disruption"]["options"]["telehealth"] is False


def test_a_booking_cancelled_meanwhile_is_left_to_its_cancel():
    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {})
    bookings.meanwhile = lambda doc: {**doc, "status": "cancelled"}
    assert scan(deps).disrupted == []
    assert bookings.events == ["meanwhile"] and "disruption" not in bookings.docs["b1"]
