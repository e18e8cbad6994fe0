"""The one place where a bookings refusal (domain/errors.py) becomes a problem+json answer.

Views need nothing special: the app's handler renders any refusal. Work run under the
Idempotency-Key store is the exception: the store remembers refusals it sees as problems, so
that work runs inside `refusals_as_problems()` and a replay answers exactly as the first try did.
"""
from __future__ import annotations

import json
from contextlib import contextmanager

from flask import Flask

from clinic_common.errors import Conflict, DomainError, Unavailable, Unprocessable, problem

from bookings.domain import errors, visits


class LateChangeProblem(Conflict):
    """A patient's cancel or move inside CANCEL_CUTOFF_HOURS; the body adds `phone` and `cancel_cutoff_hours`."""
    slug, title = "late-change", "Too late to change online"


class NotVisitDayProblem(Conflict):
    slug, title = "not-visit-day", "Not the visit's day"


class TooEarlyProblem(Conflict):
    slug, title = "too-early", "The visit has not started"


PROBLEMS: dict[type[errors.BookingsRefusal], type[DomainError]] = {
    errors.TransitionNotAllowed: Conflict,
    errors.SlotTaken: Conflict,
    errors.ChangedMeanwhile: Conflict,
    errors.RequestNotOpen: Conflict,
    errors.NotBookable: Unprocessable,
    errors.UnknownLocation: Unprocessable,
    errors.NoMatchingSchedule: Unprocessable,
    errors.SchedulesUnavailable: Unavailable,
    errors.RequestInvalid: Unprocessable,
    visits.VisitInvalid: Unprocessable,
    visits.VisitAbandoned: Conflict,
    errors.SeriesInvalid: Unprocessable,
    errors.SeriesConflict: Conflict,
    errors.LateChange: LateChangeProblem,
    errors.NotVisitDay: NotVisitDayProblem,
    errors.TooEarly: TooEarlyProblem,
    errors.AttemptInFlight: Unavailable,  # 5xx: the Idempotency-Key store does not remember it
}


def problem_for(refusal: errors.BookingsRefusal) -> DomainError:
    """The problem a refusal is shown as (a refusal without an entry is a bug: it fails loudly)."""
    return PROBLEMS[type(refusal)](refusal.detail, refusal.errors)


@contextmanager
def refusals_as_problems():
    try:
        yield
    except errors.BookingsRefusal as refusal:
        raise problem_for(refusal) from None


def install_problems(app: Flask) -> None:
    @app.errorhandler(errors.BookingsRefusal)
    def _refused(refusal: errors.BookingsRefusal):
        shown = problem_for(refusal)
        response = problem(shown.status, shown.title, shown.detail, slug=shown.slug, errors=shown.errors)
        extra = getattr(refusal, "fields", None)  # a refusal's own members of the problem (LateChange's phone)
        if extra:
            response.set_data(json.dumps({**json.loads(response.get_data()), **extra}))
        return response
