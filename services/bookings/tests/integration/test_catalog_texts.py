"""Against the live demo practice: a booking's view and its event carry the visit type's and the
location's Spanish texts and the clinic's phone as people read it (README: Translations of the catalog)."""
from clinic_common.runner import build_relay

from bookings.config import OUTBOX_COLLECTIONS


def test_a_booking_and_its_event_carry_the_catalog_texts(settings, client, staff, event_tap, booking_body):
    tap = event_tap("booking.*")
    created = client.post("/api/v1/bookings", json=booking_body(service="therapy-dbt", provider="lucia-ramirez",
                                                                location="paragould",
                                                                start="2026-12-08T09:00:00-06:00"))
    assert created.status_code == 201, created.json
    shown = client.get(f"/api/v1/bookings/{created.json['id']}", headers=staff).json
    for view in (created.json, shown):
        assert view["service"]["translations"]["es"]["name"] == "Terapia individual: dialéctico-conductual (TDC)"
        assert view["service"]["translations"]["es"]["description"].startswith("Terapia dialéctico-conductual")
        assert view["location"]["translations"] == {"es": {"name": "Clínica de Paragould"}}
        assert (view["location"]["phone"], view["location"]["phone_display"]) == ("+18705550120", "(870) 555-0120")
    relay = build_relay(settings, "bookings", OUTBOX_COLLECTIONS)
    assert relay.relay_once() == 1
    relay.close()
    [(props, body)] = tap.drain(1)
    assert props.type == "booking.confirmed"
    assert body["data"]["service"]["translations"] == shown["service"]["translations"]
    assert body["data"]["location"]["translations"] == shown["location"]["translations"]
    assert body["data"]["location"]["phone_display"] == "(870) 555-0120"
