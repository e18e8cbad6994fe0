"""After a staff schedule write, locations asks bookings at once which active bookings it disrupts
(POST /api/v1/bookings/disruptions/scan), so the answer can say how many. The change is stored
before the question is asked, and its event makes the bookings worker ask the same question again:
that is the reliable path. So when bookings cannot answer in time the write still succeeds and its
answer says the count is unknown (`disrupted_bookings: null` with a note), never a 5xx.

The caller's own staff token is passed on: the scan is a staff action, done for the staff member who
made the change (and audited as theirs).
"""
from __future__ import annotations

import logging

import requests
from flask import current_app, request

from clinic_common.http import make_session, timeout_from
from clinic_common.logs import current_request_id, log_failure

log = logging.getLogger(__name__)
UNKNOWN = ("Bookings could not be asked in time: how many bookings this disrupts is not known yet. Every "
           "booking ahead is checked against the change shortly, and disrupted ones are listed at "
           "GET /api/v1/bookings?disrupted=true.")


def disrupted_bookings(location_id: str | None = None, provider_id: str | None = None) -> dict:
    """{"disrupted_bookings": n} or {"disrupted_bookings": None, "disruption_note": why not}."""
    settings = current_app.config["CLINIC_SETTINGS"]
    session = make_session(timeout_from(settings), pool_size=1)
    headers = {"Authorization": request.headers.get("Authorization", ""), "X-Request-ID": current_request_id()}
    try:
        answer = session.post(f"{settings.service_urls['bookings'].rstrip('/')}/api/v1/bookings/disruptions/scan",
                              json={"location_id": location_id, "provider_id": provider_id}, headers=headers)
        if answer.status_code == 200:
            return {"disrupted_bookings": answer.json()["disrupted_bookings"]}
        log.warning("disruption scan refused", extra={"status": answer.status_code})
    except (requests.RequestException, ValueError, KeyError) as exc:
        log_failure(log, "disruption scan failed; the change's event will have it checked", exc)
    finally:
        session.close()
    return {"disrupted_bookings": None, "disruption_note": UNKNOWN}
