"""The preview of a closure or special hours not saved yet (disruption_operations.preview) against fakes:
it names the bookings the change would disrupt, with why, and writes and publishes nothing."""
from datetime import date, time, timedelta

from tests.unit.test_disruption_operations import CLOSED, MONDAY, START, setup

from bookings.adapters.clinic_standing import Hours
from bookings.disruption_operations import preview
from bookings.domain.disruption import DayRule


def test_a_closure_of_the_visit_date_names_the_booking_and_writes_nothing():
    deps, bookings, _ = setup()
    found = preview(deps, "paragould", DayRule(MONDAY, MONDAY, None, "Flood"))
    assert [(b["_id"], f.reason) for b, f in found] == [("b1", "closure")]
    assert "Flood" in found[0][1].detail
    assert bookings.events == [] and "disruption" not in bookings.docs["b1"]


def test_a_closure_of_other_dates_names_nobody():
    deps, _, _ = setup()
    assert preview(deps, "paragould", DayRule(MONDAY + timedelta(days=1), MONDAY + timedelta(days=5), None)) == []
    assert preview(deps, "paragould", DayRule(date(2026, 11, 2), date(2026, 11, 3), None)) == []  # past


def test_special_hours_name_the_booking_they_leave_out_unless_they_name_its_provider():
    deps, _, _ = setup()  # the visit is 9:00-9:50 in Chicago
    afternoon = DayRule(MONDAY, MONDAY, ((time(13), time(17)),), "Staff meeting")
    assert [f.reason for _, f in preview(deps, "paragould", afternoon)] == ["special_hours"]
    morning = DayRule(MONDAY, MONDAY, ((time(8), time(12)),))
    assert preview(deps, "paragould", morning) == []
    assert preview(deps, "paragould", afternoon, frozenset({"miguel-santos"})) != []  # named: still 13-17


def test_a_booking_disrupted_already_or_at_another_clinic_is_not_named_again():
    deps, bookings, standing = setup()
    bookings.docs["b1"]["disruption"] = {"reason": "closure"}
    assert preview(deps, "paragould", DayRule(MONDAY, MONDAY, None)) == []
    deps, bookings, standing = setup()
    standing.places["paragould"] = Hours(CLOSED, {"miguel-santos": ()})  # closed already, not yet scanned
    assert preview(deps, "paragould", DayRule(MONDAY, MONDAY, None)) == []
    assert preview(deps, "jonesboro", DayRule(MONDAY, MONDAY, None)) == []
    assert START.date() == MONDAY
