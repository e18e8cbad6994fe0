"""Every /staff call that needs a person signed in passes here: the session is read and judged (401 without
one, 401 `/problems/session-expired` after STAFF_IDLE_MINUTES idle, the cookie then cleared), a state
change must carry the session's CSRF token in X-CSRF-Token (403 `/problems/csrf` without it), and a
person's action renews the idle clock. The page's background polls say so (X-Staff-Background: 1) and
renew nothing: a schedule left open on a desk still signs out.
"""
from __future__ import annotations

from flask import Response, current_app, g, request

from clinic_common.errors import problem
from gateway.staff.session import StaffSession, csrf_matches

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_HEADER = "X-CSRF-Token"
BACKGROUND_HEADER = "X-Staff-Background"


def staff_context():
    return current_app.extensions["staff"]


def signed_out(detail: str, expired: bool = False) -> Response:
    response = problem(401, "Session expired" if expired else "Not signed in", detail,
                       slug="session-expired" if expired else "signed-out")
    staff_context().codec.clear_cookie(response)
    return response


def require_session() -> Response | None:
    """Called before a view that needs a session; a response is the refusal, None lets the view run."""
    ctx = staff_context()
    session = ctx.codec.loads(request.cookies.get(ctx.codec.cookie_name))
    if session is None:
        return signed_out("Sign in to use the staff app.")
    now = ctx.clock()
    if ctx.codec.expired(session, now):
        minutes = f"{ctx.codec.idle_s / 60:g}"
        return signed_out(f"You were signed out after {minutes} minutes without activity. Sign in again.",
                          expired=True)
    if request.method not in SAFE_METHODS and not csrf_matches(session, request.headers.get(CSRF_HEADER)):
        return problem(403, "Missing or wrong CSRF token",
                       f"Every change needs the session's token in the {CSRF_HEADER} header; reload the page.",
                       slug="csrf")
    g.staff_session = session
    g.staff_renew = request.headers.get(BACKGROUND_HEADER) != "1"
    return None


def renew_cookie(response: Response) -> Response:
    """After a person's action, the cookie is written again with the idle clock restarted."""
    session: StaffSession | None = g.pop("staff_session", None)
    if session is not None and g.pop("staff_renew", False) and response.status_code != 401:
        ctx = staff_context()
        ctx.codec.set_cookie(response, session.touched(ctx.clock()))
    return response
