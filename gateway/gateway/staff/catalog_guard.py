"""The catalog is the administrator's (issue 13): through the staff app, only an admin session adds or changes
clinicians, visit types and clinics. Front-desk staff keep what running the day needs: a clinician's weekly
schedules (PATCH /providers/{id} with `schedules` alone), a clinic's regular hours (PATCH /locations/{id}
with `hours` alone), closures and special hours (/locations/{id}/closures/...).

Held here, at the staff app's backend-for-frontend, rather than in locations: the services' staff role
predates the admin role and existing API integrations write the catalog with staff tokens; the staff app
is where people sign in with a role. Refused before the call is sent: 403 problem+json, nothing changed.
"""
from __future__ import annotations

import json

from flask import Response

from clinic_common.errors import problem

CATALOG = ("services", "providers", "locations")
STAFF_MAY_CHANGE = {"providers": {"schedules"}, "locations": {"hours"}}
READS = ("GET", "HEAD", "OPTIONS")


def _keys(body: bytes) -> set[str] | None:
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None
    return set(data) if isinstance(data, dict) else None


def catalog_refusal(role: str, method: str, rest: str, body: bytes) -> Response | None:
    """403 for a non-admin's write to the catalog itself; None for everything else."""
    parts = rest.strip("/").split("/")
    if role == "admin" or method in READS or parts[0] not in CATALOG or len(parts) > 2:
        return None  # reads, other services' routes, and a clinic's closures are not the catalog itself
    keys = _keys(body)
    if method == "PATCH" and len(parts) == 2 and keys and keys <= STAFF_MAY_CHANGE.get(parts[0], set()):
        return None
    return problem(403, "Forbidden", "Only an administrator adds or changes clinicians, visit types and clinics.",
                   slug="admin-only")
