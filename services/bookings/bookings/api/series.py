"""Series routes: thin views that parse, call series_operations.py, and serialize.

Staff or the holder of the series' manage token (or of a series manage link from a message about
it) read and cancel a series; any other case answers 404 after the same work (the token is hashed
and compared, the link's MAC computed, whether or not the series exists), as for bookings
(api/access.py). Each occurrence is a booking whose token hash is the series' own, so the same
token, or the series' link, reads, cancels or moves one occurrence through the booking routes.

`POST /series` takes an Idempotency-Key as `POST /bookings` and `POST /visits` do: one series per key,
the first answer (with its manage token) replayed; a retry whose first try's outcome is unknown
resumes that try's series id and token (series_resume.py).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from clinic_common.audit import audited, url_id
from clinic_common.auth import bearer_claims
from clinic_common.errors import NotFound
from clinic_common.idempotency import RESUMED
from clinic_common.web import resource

from bookings import series_operations, series_resume
from bookings.api.access import patient_credential_ok
from bookings.api.bookings import IDEMPOTENCY, MANAGE_TOKEN
from bookings.api.lifecycle import LATE, by_patient
from bookings.api.problems import refusals_as_problems
from bookings.api.replayable import finished
from bookings.api.series_schemas import (SeriesCancelSchema, SeriesCancelledSchema, SeriesCreateSchema,
                                         SeriesCreatedSchema, SeriesPreview, SeriesRequestSchema, SeriesSchema)
from bookings.config import change_policy
from bookings.domain.series import is_series_id, new_series_id, with_bookings
from bookings.domain.tokens import new_manage_token

blp = Blueprint("series", __name__, url_prefix="/api/v1/series", description="Weekly or every-other-week series of visits")
CREATED = SeriesCreatedSchema()


def deps() -> series_operations.SeriesDeps:
    settings = current_app.config["CLINIC_SETTINGS"]
    return series_operations.SeriesDeps(
        series=resource("series"), bookings=resource("bookings"), ledger=resource("ledger"),
        schedules=resource("schedules"), providers=resource("provider_records"),
        policy=current_app.extensions["booking_policy"], series_horizon=timedelta(days=settings.series_horizon_days),
        clock=current_app.extensions["clock"], change_policy=change_policy(settings))


def series_for_caller(series_id: str) -> dict:
    series = resource("series").get(series_id) if is_series_id(series_id) else None
    # Only a series link ("s", minted for this series id) opens a series; a booking's or a visit's cannot.
    token_ok = patient_credential_ok(series, series and {"series_id": series["_id"], "status": series["status"]})
    claims = bearer_claims()
    if series is None or not ((claims is not None and claims.is_staff) or token_ok):
        raise NotFound("No series with that id is available to you.")
    return series


def shown(series: dict) -> dict:
    """The series with each occurrence as its booking stands now (one may have been moved or cancelled)."""
    return with_bookings(series, resource("bookings").get_many(o["booking_id"] for o in series["occurrences"]))


@blp.route("/preview")
class Preview(MethodView):
    @blp.arguments(SeriesRequestSchema)
    @blp.response(200, SeriesPreview)
    def post(self, body):
        """Preview a series: each occurrence free or in conflict, with why and alternatives (public)"""
        _, occurrences = series_operations.preview(deps(), body)
        return {"occurrences": occurrences}


@blp.route("")
class SeriesCollection(MethodView):
    @audited("series.create", "series")  # outermost: a refused body is an attempt too
    @blp.arguments(SeriesCreateSchema)
    @blp.response(201, SeriesCreatedSchema)
    @blp.doc(parameters=[IDEMPOTENCY])
    def post(self, body):
        """Book a series (public): every occurrence or none (`accept: all`), or the free ones

        201 with the series, its bookings and, once only, its manage token; 409 listing the
        occurrences in conflict; 422 when the first visit or the recurrence can never be booked.
        """
        attempt = {"series_id": new_series_id(), "manage_token": new_manage_token()[0]}
        g.audit.target_ids = [attempt["series_id"]]

        def produce(attempt):
            with refusals_as_problems():  # the idempotency store remembers problems, not refusals
                series, bookings, skipped = _create(deps(), body, attempt)
            return 201, CREATED.dump({**series, "manage_token": attempt["manage_token"], "bookings": bookings,
                                      "skipped": skipped})

        status, result, replayed = resource("idempotency").run(
            "POST /series", request.headers.get("Idempotency-Key"), request.get_json(), produce, "manage_token",
            attempt)
        g.audit.target_ids = [result["id"]]
        return finished(result, status, replayed)


def _create(deps: series_operations.SeriesDeps, body: dict, attempt: dict):
    """A resumed attempt (its first try's outcome unknown) answers with what that try left, finished now."""
    if attempt.get(RESUMED):
        earlier = series_resume.resume(deps, body, attempt["series_id"])
        if earlier is not None:
            return earlier
    return series_operations.create(deps, body, attempt["series_id"], attempt["manage_token"])


@blp.route("/<series_id>")
class SeriesById(MethodView):
    @audited("series.read", "series", url_id("series_id"))
    @blp.response(200, SeriesSchema)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def get(self, series_id):
        """Read a series (staff, or the holder of its manage token)"""
        return shown(series_for_caller(series_id))


@blp.route("/<series_id>/cancel")
class Cancel(MethodView):
    @audited("series.cancel", "series", url_id("series_id"))
    @blp.arguments(SeriesCancelSchema)
    @blp.response(200, SeriesCancelledSchema)
    @blp.alt_response(409, **LATE)
    @blp.doc(parameters=[MANAGE_TOKEN])
    def post(self, body, series_id):
        """Cancel a series from `from` on (default: every future visit); each slot is free at once

        With the manage token, visits inside CANCEL_CUTOFF_HOURS stay booked and are listed in
        `late_remaining` (the clinic, `location.phone`, can cancel them); 409 `/problems/late-change`
        when they are all the cancel covers. Staff cancel them too, each booking recording `late: true`.
        """
        series_for_caller(series_id)
        return series_operations.cancel(deps(), series_id, body.get("from_"), body.get("reason"),
                                        by_patient=by_patient())
