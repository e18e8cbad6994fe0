"""How the audit trail reads to staff: the actor's kind, a subject only for a signed-in person, pages."""
from datetime import datetime, timedelta, timezone

import pytest

from bookings.domain.audit_view import actor_of, page_of

AT = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("actor, role, expected", [
    ("dana.desk@clinic.example", "staff", {"kind": "staff", "subject": "dana.desk@clinic.example", "credential": None}),
    ("root", "admin", {"kind": "admin", "subject": "root", "credential": None}),
    ("dr", "clinician", {"kind": "clinician", "subject": "dr", "credential": None}),
    ("manage-token", None, {"kind": "patient", "subject": None, "credential": "manage_token"}),
    ("manage-link", None, {"kind": "patient", "subject": None, "credential": "manage_link"}),
    ("public", None, {"kind": "anonymous", "subject": None, "credential": None}),
    ("invalid-token", None, {"kind": "anonymous", "subject": None, "credential": "invalid_token"}),
    ("svc-bookings", "service", {"kind": "service", "subject": None, "credential": None}),
])
def test_an_actor_reads_as_its_kind(actor, role, expected):
    assert actor_of(actor, role) == expected


def _entries(count):
    return [{"at": AT - timedelta(minutes=i), "actor": "front-desk", "role": "staff", "action": f"a{i}",
             "target_type": "booking", "target_ids": ["b"], "outcome": 200, "request_id": "r"} for i in range(count)]


def test_a_page_names_the_next_one_only_when_there_is_more():
    shown, cursor = page_of(_entries(3), 2)
    assert [e["action"] for e in shown] == ["a0", "a1"]
    assert cursor == (AT - timedelta(minutes=1)).isoformat()
    assert page_of(_entries(2), 2)[1] is None


def test_an_entry_shows_no_more_than_who_what_when_and_outcome():
    [entry], _ = page_of(_entries(1), 5)
    assert set(entry) == {"at", "action", "target_type", "outcome", "request_id", "actor"}
