"""The patient's zone rule, the consent wording and its record, and the subjects a manage link may name. Pure."""
from datetime import datetime, timedelta, timezone

import pytest

from clinic_common.manage_links import link_key, link_opens, mint
from clinic_common.us_states import STATE_ZONES

from bookings.domain.patient_zones import ZONE_LABELS, states_and_zones, zone_refusal
from bookings.domain.sms_consent import consent_record, wording

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("zone, state, ok", [
    (None, "TX", True), ("America/Chicago", "TX", True), ("America/Denver", "TX", True),
    ("America/New_York", "TX", False), ("America/Chicago", "AR", True), ("America/Denver", "AR", False),
    ("America/Phoenix", "AZ", True), ("America/Denver", "AZ", False), ("America/Chicago", None, False)])
def test_a_zone_must_be_one_of_the_patients_state(zone, state, ok):
    assert (zone_refusal(zone, state) is None) is ok


def test_the_refusal_names_the_state_and_its_zones():
    assert zone_refusal("America/New_York", "TX") == "must be one of the zones of Texas: America/Chicago, America/Denver"


def test_every_zone_of_every_state_has_an_english_and_a_spanish_label():
    assert {z for zones in STATE_ZONES.values() for z in zones} == set(ZONE_LABELS)
    assert all(set(labels) == {"en", "es"} and all(labels.values()) for labels in ZONE_LABELS.values())
    offered = {s["code"]: [z["id"] for z in s["zones"]] for s in states_and_zones()}
    assert offered == {code: list(zones) for code, zones in STATE_ZONES.items()}


def test_the_version_names_the_wording_so_another_practice_name_is_another_version():
    plain, named = wording(), wording("Delta Behavioral Health")
    assert plain.version != named.version and plain.version == wording("  ").version
    assert plain.version.startswith("1.") and len(plain.version) == 10
    for text in plain.texts.values():
        assert "STOP" in text
    assert "HELP for help" in plain.texts["en"] and "AYUDA" in plain.texts["es"]


def test_the_consent_record_is_when_which_wording_and_which_language():
    given = datetime(2026, 12, 1, 6, 0, tzinfo=timezone(timedelta(hours=-6)))
    record = consent_record("es", given, "Delta")
    assert record == {"given_at": datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc),
                      "wording_version": wording("Delta").version, "language": "es"}
    assert consent_record("fr", given)["language"] == "en"


def test_a_booking_opens_with_its_own_its_series_or_its_visits_link_by_the_stored_ids():
    from bookings.api.access import booking_link_subject

    key = link_key("", "jwt-secret-of-at-least-thirty-two-bytes")
    doc = {"_id": "b" * 32, "series_id": "s-1", "visit_id": None, "status": "confirmed"}
    subject = booking_link_subject(doc)
    later = int((NOW + timedelta(days=1)).timestamp())
    assert link_opens(key, mint(key, "booking", "b" * 32, later), subject, NOW)
    assert link_opens(key, mint(key, "series", "s-1", later), subject, NOW)
    assert not link_opens(key, mint(key, "visit", "b" * 32, later), subject, NOW)       # it is in no visit
    assert not link_opens(key, mint(key, "booking", "c" * 32, later), subject, NOW)     # another booking's
    assert not link_opens(key, mint(key, "booking", "b" * 32, later),
                          booking_link_subject({**doc, "status": "cancelled"}), NOW)   # revoked
    assert booking_link_subject(None) is None
