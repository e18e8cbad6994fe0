"""What one disruption scan asks of locations and of the ledger (bench/disruption.py measures it on a stack):
per group of bookings, never per booking, however many a closure disrupts; and the telehealth option
still decided per booking from those shared answers."""
from datetime import date, datetime, time, timedelta, timezone

from tests.fakes import FakeBookings

from bookings.adapters.clinic_standing import Hours
from bookings.disruption_operations import DisruptionDeps, scan
from bookings.domain.disruption import ClinicDays, DayRule
from bookings.domain.slots import Span

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
WEDNESDAY = date(2026, 12, 9)
OPENING = datetime(2026, 12, 9, 14, tzinfo=timezone.utc)  # 8:00 in Chicago
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OPEN = ClinicDays("America/Chicago", {d: ((time(8), time(17)),) for d in WEEKDAYS})
CLOSED = ClinicDays("America/Chicago", OPEN.weekly, (DayRule(WEDNESDAY, WEDNESDAY, None, "Holiday"),))
PROVIDERS = [f"p{n}" for n in range(5)]


class Bookings(FakeBookings):
    def still_changeable(self, now, until, location_id=None, provider_id=None):
        return [d for d in self.docs.values() if d["status"] in ("requested", "confirmed") and d["end"] > now
                and d["start"] < until and location_id in (None, d["location_id"])]


class CountingStanding:
    """locations as the scan sees it, counting each question: the clinic closed that Wednesday (everyone
    still works there the Tuesday before, inside the dates asked), the telehealth location open with p0
    working there all that Wednesday (and nobody else)."""

    def __init__(self, telehealth_windows):
        self.asked: list[tuple] = []
        tuesday = Span(OPENING - timedelta(days=1), OPENING - timedelta(days=1) + timedelta(hours=9))
        self.places = {"paragould": Hours(CLOSED, {p: (tuesday,) for p in PROVIDERS}),
                       "telehealth": Hours(OPEN, telehealth_windows)}

    def hours(self, location_id, first, last, service_id, provider_id=None, patient_state=None):
        self.asked.append(("hours", location_id, provider_id))
        found = self.places[location_id]
        if provider_id is None:
            return found
        return Hours(found.clinic, {provider_id: found.windows.get(provider_id, ())})

    def provider_active(self, provider_id):
        self.asked.append(("provider", provider_id))
        return True

    def telehealth_locations(self):
        self.asked.append(("telehealth_locations",))
        return ["telehealth"]


class CountingLedger:
    def __init__(self, spans_by_provider):
        self.spans, self.reads = spans_by_provider, 0

    def busy(self, provider_ids, within):
        self.reads += 1
        return {pid: [s for s in self.spans.get(pid, []) if s.overlaps(within)] for pid in provider_ids}


def day_of_bookings(per_provider: int) -> Bookings:
    bookings = Bookings([])
    for n in range(per_provider * len(PROVIDERS)):
        start = OPENING + timedelta(hours=n // len(PROVIDERS))
        bookings.docs[f"b{n}"] = {
            "_id": f"b{n}", "status": "confirmed", "location_id": "paragould", "service_id": "therapy-cbt",
            "provider_id": PROVIDERS[n % len(PROVIDERS)], "modality": "in_person", "start": start,
            "end": start + timedelta(minutes=50), "blocked_until": start + timedelta(hours=1),
            "patient": {"state": "AR"}, "version": 1}
    return bookings


def run(per_provider: int, ledger_spans=None):
    telehealth_day = Span(OPENING, OPENING + timedelta(hours=9))
    bookings, standing = day_of_bookings(per_provider), CountingStanding({"p0": (telehealth_day,)})
    spans = ledger_spans if ledger_spans is not None else {
        d["provider_id"]: [Span(d["start"], d["blocked_until"])] for d in bookings.docs.values()}
    ledger = CountingLedger(spans)
    result = scan(DisruptionDeps(bookings, standing, ledger, timedelta(days=90), clock=lambda: NOW),
                  location_id="paragould")
    return result, bookings, standing, ledger


def test_a_closure_over_many_bookings_asks_locations_and_the_ledger_per_group_not_per_booking():
    small, _, asked_small, ledger_small = run(per_provider=1)
    large, _, asked_large, ledger_large = run(per_provider=8)
    assert len(small.disrupted) == 5 and len(large.disrupted) == 40
    assert len(asked_large.asked) == len(asked_small.asked) <= 3
    assert asked_large.asked.count(("telehealth_locations",)) == 1
    assert ledger_large.reads == ledger_small.reads <= 1


def test_the_telehealth_option_is_still_judged_per_booking_from_the_shared_answers():
    _, bookings, _, _ = run(per_provider=2)
    offered = {d["_id"]: d["disruption"]["options"]["telehealth"] for d in bookings.docs.values()}
    assert {b for b, yes in offered.items() if yes} == {"b0", "b5"}  # p0's two visits: p0 works by telehealth then

    taken = {"p0": [Span(OPENING + timedelta(minutes=30), OPENING + timedelta(minutes=90))]}  # someone else's
    _, bookings, _, _ = run(per_provider=2, ledger_spans=taken)
    assert [d["_id"] for d in bookings.docs.values() if d["disruption"]["options"]["telehealth"]] == []
