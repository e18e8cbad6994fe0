"""What the practice's rules refuse, as exceptions the domain raises and knows nothing HTTP about.

The API maps each to its problem response in one place (api/problems.py). `errors` holds field
errors (field -> messages) when the refusal is about fields of the request.
"""
from __future__ import annotations


class RuleBroken(Exception):
    def __init__(self, errors: dict[str, list[str]] | None = None):
        super().__init__(errors)
        self.errors = errors


class InconsistentLocation(RuleBroken):
    """The location's fields contradict each other (in person without an address, ...)."""


class InconsistentProvider(RuleBroken):
    """The provider names unknown services or locations, or works outside hours or in two places."""


class UnstaffableHours(RuleBroken):
    """Special hours name providers who cannot staff them."""


class UnknownService(RuleBroken):
    """The visit type asked for does not exist or is retired."""


class UnmatchableRequest(RuleBroken):
    """No provider could ever match the question (telehealth without the patient's state, ...)."""


class RangeTooLong(RuleBroken):
    """A range of dates longer than one answer may cover."""


class ClosureNotFound(RuleBroken):
    def __init__(self, closure_id: str):
        super().__init__()
        self.closure_id = closure_id


class ClosureStarted(RuleBroken):
    """Past and current closures are the practice's history: only those still ahead may go."""
