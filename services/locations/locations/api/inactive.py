"""`?include_inactive=true` on the catalog's lists: the administrator's catalog screen lists deactivated
clinicians, visit types and clinics too, so they can be edited and switched back on. For staff only: the
public lists (the booking page) stay what is offered."""
from __future__ import annotations

from marshmallow import Schema, fields

from clinic_common.auth import STAFF, bearer_claims
from clinic_common.errors import Forbidden, Unauthorized


class InactiveQuery(Schema):
    include_inactive = fields.Boolean(load_default=False, metadata={
        "description": "staff and admin: deactivated records too (401/403 for anyone else)"})


def wants_inactive(query: dict) -> bool:
    """Whether to list inactive records; refuses anyone but staff asking for them."""
    if not query.get("include_inactive"):
        return False
    claims = bearer_claims()
    if claims is None:
        raise Unauthorized("Deactivated records are listed for staff only.")
    if claims.role not in STAFF:
        raise Forbidden("Deactivated records are listed for staff only.")
    return True
