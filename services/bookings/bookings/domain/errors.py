"""Why bookings refuses a request, in its own words; the API edge (api/problems.py) decides how
each refusal is shown (status, problem type), so no rule here knows about HTTP."""
from __future__ import annotations


class BookingsRefusal(Exception):
    """A rule said no. `detail` is for the person; `errors` names the fields at fault, when there are any."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail, self.errors = detail, errors


class TransitionNotAllowed(BookingsRefusal):
    """The booking's status does not allow this change (e.g. cancelling a completed visit)."""


class SlotTaken(BookingsRefusal):
    """Another booking holds the time: the slot existed, but someone was faster."""


class ChangedMeanwhile(BookingsRefusal):
    """The booking was changed by someone else while it was being moved."""


class NotBookable(BookingsRefusal):
    """The slot could never be booked (outside hours, too soon, a provider who cannot see the patient)."""

    def __init__(self, detail: str, field: str, reason: str):
        super().__init__(detail, {field: [reason]})


class SchedulesUnavailable(BookingsRefusal):
    """The practice's schedules could not be read (locations did not answer): nothing was decided."""


class UnknownLocation(BookingsRefusal):
    """The location named is not one of the practice's."""


class NoMatchingSchedule(BookingsRefusal):
    """Locations refused the schedule question itself (its field errors are passed on)."""


class RequestNotOpen(BookingsRefusal):
    """The appointment request was already booked or closed."""


class RequestInvalid(BookingsRefusal):
    """The appointment request's fields disagree with each other or with the practice's catalog."""


class SeriesInvalid(BookingsRefusal):
    """A series' recurrence cannot be accepted (e.g. it would run past the series horizon)."""


class SeriesConflict(BookingsRefusal):
    """Occurrences of a series are not free (`accept: all` with a conflict, or none free at all);
    `errors["occurrences"]` lists each one's start and reason."""


class AttemptInFlight(BookingsRefusal):
    """An earlier try of the same request (same Idempotency-Key) may still be at work: nothing was
    decided, so the answer is not remembered and a retry a little later learns the outcome."""


class LateChange(BookingsRefusal):
    """A patient's cancel or move inside the cancellation cutoff: only the clinic may change it now
    (`phone`: the clinic's, from the booking's location snapshot; `cutoff_hours`: the policy)."""

    def __init__(self, detail: str, phone: str | None, cutoff_hours: float):
        super().__init__(detail)
        self.phone, self.cutoff_hours = phone, cutoff_hours
        self.fields = {"phone": phone, "cancel_cutoff_hours": cutoff_hours}


class NotVisitDay(BookingsRefusal):
    """Staff check a patient in only on the visit's day (the clinic's calendar)."""


class TooEarly(BookingsRefusal):
    """Staff mark a visit completed or a no-show only once it has started."""
