"""The waitlist at the gateway: routed to bookings, the offer link's credential passed on, joining limited
as a write (it creates an entry) while answering an offer is not."""


def test_waitlist_routes_reach_bookings_with_the_offer_credential(gateway, services):
    seen = gateway.post("/api/v1/waitlist/e-1/accept", json={"offer_id": "o-1"},
                        headers={"X-Offer-Token": "e-1.o-1.mac", "X-Manage-Token": "m"}).get_json()
    assert seen["service"] == "bookings" and seen["path"] == "/api/v1/waitlist/e-1/accept"
    assert seen["headers"]["X-Offer-Token"] == "e-1.o-1.mac" and seen["headers"]["X-Manage-Token"] == "m"
    assert gateway.get("/api/v1/waitlist/e-1").get_json()["service"] == "bookings"


def test_joining_the_waitlist_counts_as_a_creating_write(gateway, services):
    from flask import Flask

    from gateway.proxy import is_creating_post

    with Flask(__name__).test_request_context("/", method="POST"):
        assert is_creating_post("waitlist") and not is_creating_post("waitlist/e-1/accept")
