"""The domain refuses with its own exceptions (no HTTP), and the API maps every one of them, once."""
from datetime import date

import pytest

from locations.api.problems import PROBLEMS, as_problem
from locations.domain import errors
from locations.domain.closure_changes import check_staffing, closures_ahead, without_closure
from locations.domain.closures import check_range, dated_closures
from locations.domain.eligibility import Request, check_request, offered_service

TODAY = date(2026, 12, 7)
LOCATION = {"_id": "paragould", "closures": [
    {"id": "past", "from": "2026-12-01", "to": "2026-12-02"},
    {"id": "now", "from": "2026-12-07", "to": "2026-12-08"},
    {"id": "ahead", "from": "2026-12-24", "to": "2026-12-25"}]}
TELEHEALTH = {"id": "telehealth", "modalities": ["telehealth"]}


@pytest.mark.parametrize("refuse, refusal", [
    (lambda: without_closure(LOCATION, "nope", TODAY), errors.ClosureNotFound),
    (lambda: without_closure(LOCATION, "past", TODAY), errors.ClosureStarted),
    (lambda: without_closure(LOCATION, "now", TODAY), errors.ClosureStarted),
    (lambda: check_staffing({"provider_ids": ["p"], "intervals": None}, {}, "paragould"), errors.UnstaffableHours),
    (lambda: check_staffing({"provider_ids": ["p"], "intervals": []}, {"p": {"location_ids": ["x"]}}, "paragould"),
     errors.UnstaffableHours),
    (lambda: check_range(date(2026, 1, 1), date(2027, 1, 2)), errors.RangeTooLong),
    (lambda: offered_service("gone", None), errors.UnknownService),
    (lambda: offered_service("retired", {"_id": "retired", "active": False}), errors.UnknownService),
    (lambda: check_request(Request(TELEHEALTH)), errors.UnmatchableRequest),
])
def test_refusals_are_domain_exceptions(refuse, refusal):
    with pytest.raises(refusal):
        refuse()


def test_what_is_allowed_passes():
    assert [c["id"] for c in without_closure(LOCATION, "ahead", TODAY)["closures"]] == ["past", "now"]
    assert [c["id"] for c in closures_ahead(LOCATION, TODAY)] == ["now", "ahead"]
    check_staffing({"provider_ids": ["p"], "intervals": []}, {"p": {"location_ids": ["paragould"]}}, "paragould")
    check_range(date(2026, 1, 1), date(2026, 12, 31))
    check_request(Request(TELEHEALTH, patient_state="AR"))
    assert offered_service("intake", {"_id": "intake", "active": True}) == {"id": "intake", "active": True, "translations": {}}
    assert dated_closures(LOCATION)[0]["from"] == date(2026, 12, 1)


def test_every_refusal_the_domain_can_raise_has_one_problem():
    raised = {cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.RuleBroken)}
    assert set(PROBLEMS) == raised - {errors.RuleBroken}
    assert (as_problem(errors.ClosureNotFound("c-1")).status, as_problem(errors.ClosureStarted()).status) == (404, 409)
    assert {as_problem(cls({"f": ["m"]})).status for cls in raised - {errors.RuleBroken, errors.ClosureNotFound,
                                                                       errors.ClosureStarted}} == {422}
