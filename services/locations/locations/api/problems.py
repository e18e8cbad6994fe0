"""The one place where the domain's refusals become problem responses (status, type, detail)."""
from __future__ import annotations

from flask import Flask

from clinic_common.errors import Conflict, DomainError, NotFound, Unprocessable, problem

from locations.domain import errors

PROBLEMS = {
    errors.InconsistentLocation: lambda e: Unprocessable("The location is not consistent.", e.errors),
    errors.InconsistentProvider: lambda e: Unprocessable(
        "The provider is not consistent with the practice's services and hours.", e.errors),
    errors.UnstaffableHours: lambda e: Unprocessable("Those providers cannot staff these hours.", e.errors),
    errors.UnknownService: lambda e: Unprocessable("Unknown service.", e.errors),
    errors.UnmatchableRequest: lambda e: Unprocessable("No provider could ever match this request.", e.errors),
    errors.RangeTooLong: lambda e: Unprocessable("The range is too long.", e.errors),
    errors.ClosureNotFound: lambda e: NotFound(f"No closure '{e.closure_id}' at this location."),
    errors.ClosureStarted: lambda e: Conflict(
        "That closure has already started; past and current closures stay on record."),
}


def as_problem(refusal: errors.RuleBroken) -> DomainError:
    return PROBLEMS[type(refusal)](refusal)


def register_problems(app: Flask) -> None:
    @app.errorhandler(errors.RuleBroken)
    def _refused(refusal: errors.RuleBroken):
        mapped = as_problem(refusal)
        return problem(mapped.status, mapped.title, mapped.detail, slug=mapped.slug, errors=mapped.errors)
