"""A retried `POST /series` (same Idempotency-Key) whose first try's outcome is unknown: it failed after
perhaps writing, its process died, or it is still at work after the key store's wait. The retry runs
with the first try's series id and manage token (clinic_common/idempotency.py keeps them, sealed), so
it finds what that try left instead of booking a second series:

- nothing written: nothing to find; the retry books the series afresh under the same id and token;
- active (or cancelled since): the answer, as the series and its bookings now stand;
- failed (undone, nothing of it booked): 409, book again (as a combined visit answers, api/visits.py);
- pending with every planned booking stored: finished now (made active with `series.created`), which
  is what the first try or housekeeping would do, and safe beside either (series_operations.activate);
- pending otherwise, and untouched for housekeeping's GRACE: settled now as housekeeping would;
- pending otherwise, younger: perhaps the first try is still storing its bookings, and undoing the
  series under it could leave a booking without its span. Nothing is decided: 503 AttemptInFlight,
  which the key store does not remember, so the next retry looks again.
"""
from __future__ import annotations

from datetime import datetime, timezone

from bookings.domain.errors import AttemptInFlight, BookingsRefusal, ChangedMeanwhile
from bookings.domain.series import ALL, FAILED, PENDING, Occurrence
from bookings.series_housekeeping import GRACE, _settle_pending  # the housekeeper's own settlement
from bookings.series_operations import SeriesDeps, preview


def resume(deps: SeriesDeps, request: dict, series_id: str,
           now: datetime | None = None) -> tuple[dict, list[dict], list[Occurrence]] | None:
    """(series, its bookings, occurrences skipped) as the first try left them, finished; None if it wrote nothing."""
    series = deps.series.get(series_id)
    if series is None:
        return None
    if series["status"] == PENDING:
        # The wall clock, not deps.clock: the series' stamps are the datastore's, whatever the app's clock says.
        series = _settled(deps, series, now or datetime.now(timezone.utc))
    if series["status"] == FAILED:
        raise ChangedMeanwhile("The series could not be completed and nothing of it is booked; please book again.")
    ids = [o["booking_id"] for o in series["occurrences"]]
    found = deps.bookings.get_many(ids)
    return series, [found[i] for i in ids if i in found], _skipped(deps, request, series)


def _settled(deps: SeriesDeps, series: dict, now: datetime) -> dict:
    ids = [o["booking_id"] for o in series["occurrences"]]
    stored = deps.bookings.get_many(ids)
    complete = len(stored) == len(ids) and not any(b.get("cancelled_with_series") for b in stored.values())
    if not complete and now - series["updated_at"] < GRACE:
        raise AttemptInFlight("The first try of this request is still being settled; nothing is decided yet. "
                              "Please retry with the same Idempotency-Key in a few seconds.")
    _settle_pending(deps, series)
    current = deps.series.require(series["_id"])
    if current["status"] == PENDING:  # someone else changed it meanwhile: look again on the next retry
        raise AttemptInFlight("The first try of this request is still being settled; please retry shortly.")
    return current


def _skipped(deps: SeriesDeps, request: dict, series: dict) -> list[Occurrence]:
    """The occurrences not booked, judged again (the first try's list was not kept); none for `all`."""
    if series["accept"] == ALL:
        return []
    booked = {o["start"] for o in series["occurrences"]}
    try:
        _, occurrences = preview(deps, request)
    except BookingsRefusal:  # e.g. the first visit is no longer bookable: the booked ones still are the answer
        return []
    return [o if o.reason else Occurrence(o.start, o.end, "booked") for o in occurrences if o.start not in booked]
