"""After a staff schedule write, locations asks bookings at once which active bookings it disrupts
(POST /api/v1/bookings/disruptions/scan), so the answer can say how many. The change is stored
before the question is asked, and its event makes the bookings worker ask the same question again:
that is the reliable path. So when bookings cannot answer in time the write still succeeds and its
answer says the count is unknown (`disrupted_bookings: null` with a note), never a 5xx.

The caller's own staff token is passed on: the scan is a staff action, done for the staff member who
made the change (and audited as theirs). So is when the request began (`since`): the worker's scan of the
same change may mark the bookings first, and those still count as this change's in the answer.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

import requests
from flask import current_app, g, request

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
                              json={"location_id": location_id, "provider_id": provider_id,
                                    "since": _request_began().isoformat()}, headers=headers)
        if answer.status_code == 200:
            return {"disrupted_bookings": answer.json()["disrupted_bookings"]}
        log.warning("disruption scan refused", extra={"status": answer.status_code})
    except (requests.RequestException, ValueError, KeyError) as exc:
        log_failure(log, "disruption scan failed; the change's event will have it checked", exc)
    finally:
        session.close()
    return {"disrupted_bookings": None, "disruption_note": UNKNOWN}


def _request_began() -> datetime:
    """The wall-clock time this request began (clinic_common.web stamps it on the monotonic clock)."""
    elapsed = time.perf_counter() - getattr(g, "started", time.perf_counter())
    return datetime.now(timezone.utc) - timedelta(seconds=max(0.0, elapsed))
