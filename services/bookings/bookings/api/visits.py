"""Visits routes (issue 10): registered in bookings/__init__.py; built out in this module."""
from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("visits", __name__, url_prefix="/api/v1/visits", description="Combined therapy and medication-management visits")
