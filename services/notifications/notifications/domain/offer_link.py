"""The one-step accept link of a waitlist offer, and what a waitlist message says. Pure.

waitlist.* events carry no token (events travel to every consumer and parking queue), so this service
mints the link's credential for the offer it tells the patient about: `<entry id>.<offer id>.<mac>`, an
HMAC under a key derived from the settings it shares with bookings, which checks it on
`POST /waitlist/{id}/accept` (header X-Offer-Token). bookings/domain/waitlist.py is the other half; both
services' unit tests assert the same vector.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifications.domain.appointment import InvalidEvent, display_name, language_of, parse_instant, patient_clock
from notifications.domain.context import sms_name
from notifications.domain.wording import format_address, format_phone, local_when

LINK_CONTEXT = b"clinic waitlist offer link v1"
WAITLIST_EVENTS = ("waitlist.joined", "waitlist.offered", "waitlist.expired")


def link_key(secret: str, jwt_secret: str) -> bytes:
    """OFFER_LINK_SECRET when set, else a key derived from JWT_SECRET (never the JWT key itself)."""
    return hmac.new((secret or jwt_secret).encode(), LINK_CONTEXT, hashlib.sha256).digest()


def link_credential(key: bytes, entry_id: str, offer_id: str) -> str:
    mac = hmac.new(key, f"{entry_id}.{offer_id}".encode(), hashlib.sha256).digest()
    return f"{entry_id}.{offer_id}.{base64.urlsafe_b64encode(mac[:24]).decode()}"


def offer_url(page_url: str, key: bytes, entry_id: str, offer_id: str) -> str:
    """The booking page opened on the offer: the credential in the fragment, never sent to any server log."""
    return f"{page_url.split('#')[0]}#offer={link_credential(key, entry_id, offer_id)}"


def check_waitlist_event(event_type: str, data: dict) -> None:
    """InvalidEvent (the event is parked) when a field the messages rely on is missing or wrong."""
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise InvalidEvent(f"{event_type} without an entry id")
    if not isinstance(data.get("patient"), dict):
        raise InvalidEvent(f"{event_type} without a patient")
    if event_type == "waitlist.offered":
        offer = data.get("offer")
        if not isinstance(offer, dict) or not isinstance(offer.get("id"), str):
            raise InvalidEvent("waitlist.offered without its offer")
        for field in ("start", "end", "expires_at"):
            parse_instant(offer.get(field), f"offer.{field}")


def waitlist_context(data: dict, page_url: str, key: bytes) -> dict:
    """A waitlist message's words: the patient, what they wait for, and for an offer its time, place and link."""
    patient = data["patient"]
    language = language_of(patient)
    offer = data.get("offer") if isinstance(data.get("offer"), dict) else None
    context = {"language": language, "patient_name": str(patient.get("name") or ""), "until": data.get("until") or "",
               "reason": data.get("reason") or "", "offer": None, "place": None, "manage_url": "", "sms_name": ""}
    if offer:
        location = offer.get("location") if isinstance(offer.get("location"), dict) else {}
        zone = _zone(location.get("timezone"))
        start = parse_instant(offer["start"], "offer.start").astimezone(zone)
        expires = parse_instant(offer["expires_at"], "offer.expires_at").astimezone(zone)
        _, own = patient_clock({**data, "modality": offer.get("modality")})
        place = display_name(location, language)
        context["place"] = {"name": place, "address": format_address(location.get("address")),
                            "phone": format_phone(location.get("phone"))}
        context["sms_name"] = sms_name(place)
        context["offer"] = {
            "when": local_when(start, language, own),
            "ends": local_when(parse_instant(offer["end"], "offer.end").astimezone(zone), language, own)["time"],
            "expires": local_when(expires, language, own)["at"],
            "service": display_name(offer.get("service"), language),
            "provider": str((offer.get("provider") or {}).get("name") or ""),
            "telehealth": offer.get("modality") == "telehealth",
            "url": offer_url(page_url, key, data["id"], offer["id"])}
    return context


def _zone(name) -> ZoneInfo | timezone:
    """The clinic's zone, so times read with its abbreviation (CST); UTC if the event does not name one."""
    try:
        return ZoneInfo(name) if isinstance(name, str) else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc
