"""The waitlist's rules: which freed slot suits which waiting entry, and who gets it first. Pure.

A freed slot matches an entry on its service, modality and location, the provider it names (if
any), the language it asks for (the provider speaks it), licensure by telehealth (the provider is
licensed where the patient will be), the patient's weekly windows read in the clinic's zone (so
"Tuesdays 17:00-19:00" stays that on both sides of a DST change) and the entry's `until`. Of the
entries a slot matches, the longest-waiting wins; an entry never gets the same slot offered twice
(`slot_key`), and while it has a live offer it is not `waiting`, so it gets no second one.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WAITING, OFFERED, BOOKED, EXPIRED, WITHDRAWN = "waiting", "offered", "booked", "expired", "withdrawn"
STATUSES = (WAITING, OFFERED, BOOKED, EXPIRED, WITHDRAWN)
LIVE = (WAITING, OFFERED)  # may still be offered a slot, or withdrawn
TELEHEALTH = "telehealth"
# Why an entry's `waitlist.expired` was announced: its offer ran out (the entry waits again), or the entry ended.
OFFER_RAN_OUT, ENTRY_ENDED = "offer_ran_out", "entry_ended"


class WaitlistInvalid(ValueError):
    """An entry's fields cannot be accepted; `errors` names them."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(str(errors))
        self.errors = errors


@dataclass(frozen=True)
class Window:
    """A weekly window in the clinic's wall clock: these weekdays (0 = Monday), from `start` to `end`."""

    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class Entry:
    id: str
    service_id: str
    modality: str
    location_ids: tuple[str, ...]
    joined_at: datetime
    until: date
    windows: tuple[Window, ...] = ()
    provider_id: str | None = None
    language: str | None = None
    patient_state: str | None = None
    offered_keys: frozenset[str] = frozenset()
    seq: int = 0  # breaks ties between entries that joined at the same instant: the one stored first

    @property
    def waited(self) -> tuple:
        """Longest-waiting first: by when it joined, then by which was stored first."""
        return (self.joined_at, self.seq, self.id)


@dataclass(frozen=True)
class FreedSlot:
    """A slot that just became free: a provider's visit at a location, UTC instants, and the clinic's zone."""

    provider_id: str
    location_id: str
    service_id: str
    modality: str
    start: datetime
    end: datetime
    blocked_until: datetime
    timezone: str


@dataclass(frozen=True)
class ProviderTraits:
    """What matching needs to know of a provider beyond their hours."""

    id: str
    languages: frozenset[str] = frozenset()
    licensed_states: frozenset[str] = frozenset()


def slot_key(slot: FreedSlot) -> str:
    """The one name of a slot for an entry: an entry is offered a given key at most once."""
    return f"{slot.provider_id}@{slot.start.isoformat()}"


def parse_windows(raw: list[dict]) -> tuple[Window, ...]:
    """Windows as the API takes them ({days: [mon..sun], from: HH:MM, to: HH:MM}); WaitlistInvalid otherwise."""
    windows, errors = [], []
    for index, item in enumerate(raw):
        days = item.get("days") or []
        bad = [d for d in days if d not in DAYS]
        start, end = _clock(item.get("from")), _clock(item.get("to"))
        if not days or bad:
            errors.append(f"window {index}: days must be some of {', '.join(DAYS)}")
        elif start is None or end is None:
            errors.append(f"window {index}: from and to must be HH:MM")
        elif start >= end:
            errors.append(f"window {index}: from must be before to")
        else:
            windows.append(Window(frozenset(DAYS.index(d) for d in days), start, end))
    if errors:
        raise WaitlistInvalid({"windows": errors})
    return tuple(windows)


def _clock(value) -> time | None:
    try:
        hours, minutes = str(value).split(":")
        if len(hours) != 2 or len(minutes) != 2:
            return None
        return time(int(hours), int(minutes))
    except (ValueError, TypeError):
        return None


def check_until(until: date, today: date) -> None:
    if until < today:
        raise WaitlistInvalid({"until": ["must not be in the past"]})


def in_windows(windows: tuple[Window, ...], start: datetime, end: datetime, zone: str) -> bool:
    """The visit lies wholly inside one window on its own local weekday; no windows means any time."""
    if not windows:
        return True
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() != local_end.date() and local_end.time() != time(0):
        return False
    day, begins = local_start.weekday(), local_start.time()
    ends = local_end.time() if local_end.date() == local_start.date() else time(23, 59, 59)
    return any(day in w.days and w.start <= begins and ends <= w.end for w in windows)


def matches(entry: Entry, slot: FreedSlot, provider: ProviderTraits | None, today: date) -> bool:
    """Whether `slot` suits `entry` (`today` in the clinic's zone; the slot's local date must not pass `until`)."""
    if (entry.service_id != slot.service_id or entry.modality != slot.modality
            or slot.location_id not in entry.location_ids or slot_key(slot) in entry.offered_keys):
        return False
    if entry.provider_id and entry.provider_id != slot.provider_id:
        return False
    local_day = slot.start.astimezone(ZoneInfo(slot.timezone)).date()
    if local_day > entry.until or entry.until < today:
        return False
    if entry.language and (provider is None or entry.language not in provider.languages):
        return False
    if slot.modality == TELEHEALTH and (provider is None or not entry.patient_state
                                        or entry.patient_state not in provider.licensed_states):
        return False
    return in_windows(entry.windows, slot.start, slot.end, slot.timezone)


def longest_waiting(entries: list[Entry], slot: FreedSlot, provider: ProviderTraits | None,
                    today: date) -> list[Entry]:
    """The entries `slot` matches, longest-waiting first (the first is offered it; the rest if it declines)."""
    return sorted((e for e in entries if matches(e, slot, provider, today)), key=lambda e: e.waited)


def assign(entries: list[Entry], slots: list[FreedSlot], providers: dict[str, ProviderTraits],
           today: date) -> list[tuple[Entry, FreedSlot]]:
    """Several slots at once: longest-waiting entry first, each takes the earliest slot it matches that
    nobody before it took; so two slots go to two people, and no entry gets two."""
    taken: set[str] = set()
    pairs = []
    for entry in sorted(entries, key=lambda e: e.waited):
        for slot in sorted(slots, key=lambda s: (s.start, s.provider_id)):
            if slot_key(slot) not in taken and matches(entry, slot, providers.get(slot.provider_id), today):
                taken.add(slot_key(slot))
                pairs.append((entry, slot))
                break
    return pairs


def offer_expiry(now: datetime, minutes: float) -> datetime:
    return now + timedelta(minutes=minutes)


def entry_from(doc: dict) -> Entry:
    """The stored entry as the rules read it."""
    return Entry(id=doc["_id"], service_id=doc["service_id"], modality=doc["modality"],
                 location_ids=tuple(doc["location_ids"]), joined_at=doc["joined_at"],
                 until=date.fromisoformat(doc["until"]), windows=parse_windows(doc.get("windows") or []),
                 provider_id=doc.get("provider_id"), language=doc.get("language"),
                 patient_state=doc.get("patient_state"), offered_keys=frozenset(doc.get("offered_keys") or ()),
                 seq=doc.get("joined_seq", 0))


# The one-step accept link. Events carry no token, so notifications mints a credential for the offer
# it tells the patient about, and bookings checks it: an HMAC of "<entry id>.<offer id>" under a key both
# derive from their shared settings. notifications/domain/offer_link.py is the other half (same vectors
# in both services' unit tests).
LINK_CONTEXT = b"clinic waitlist offer link v1"


def link_key(secret: str, jwt_secret: str) -> bytes:
    """OFFER_LINK_SECRET when set, else a key derived from JWT_SECRET (never the JWT key itself)."""
    return hmac.new((secret or jwt_secret).encode(), LINK_CONTEXT, hashlib.sha256).digest()


def link_credential(key: bytes, entry_id: str, offer_id: str) -> str:
    """`<entry id>.<offer id>.<mac>`: what the link's fragment and the X-Offer-Token header carry."""
    mac = hmac.new(key, f"{entry_id}.{offer_id}".encode(), hashlib.sha256).digest()
    return f"{entry_id}.{offer_id}.{base64.urlsafe_b64encode(mac[:24]).decode()}"


def credential_matches(key: bytes, credential: str | None, entry_id: str, offer_id: str) -> bool:
    expected = link_credential(key, entry_id, offer_id)
    return bool(credential) and hmac.compare_digest(expected.encode(), str(credential).encode())
