"""Stored documents as the API and the events show them (JSON-ready): built once, here."""
from __future__ import annotations

from locations.domain.phones import phone_display
from locations.domain.translations import translations_of

INTERNAL = ("_id", "outbox", "created_at", "updated_at", "version")


def plain_view(doc: dict) -> dict:
    """A visit type or a provider: the stored fields, with `id` and `translations` (README: Translations
    of the catalog)."""
    view = {k: v for k, v in doc.items() if k not in INTERNAL}
    view["id"] = doc["_id"]
    view["translations"] = translations_of(doc)
    return view


def location_view(doc: dict) -> dict:
    """The location, its closures shown as stored (dates as ISO strings), its phone also as people read
    it (`phone_display`), so no page or message has to show E.164."""
    view = plain_view(doc)
    view["phone_display"] = phone_display(doc.get("phone"))
    view["closures"] = [closure_view(c) for c in doc.get("closures", [])]
    return view


def closure_view(closure: dict) -> dict:
    return {"id": closure["id"], "from": closure["from"], "to": closure["to"], "reason": closure.get("reason"),
            "intervals": closure.get("intervals"), "provider_ids": closure.get("provider_ids", [])}
