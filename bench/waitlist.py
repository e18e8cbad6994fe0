"""Waitlist figures (issue 11): datastore commands of matching one freed slot against 10 and against 1,000
waiting entries, and how soon the offer's email reaches the SMTP server after the cancellation.

Commands: the matching step the bookings worker runs for a booking.cancelled (waitlist_operations.offer_freed)
is run here, in the bench process, on the figure's own stack's datastore through the counting proxy
(bench/wireproxy.py), for MATCHES distinct freed slots against 10 and against 1,000 waiting entries written
for the figure (direct, uncounted). Its commands are counted exactly by a command listener on the bench's own
client (the proxy also counts every other process, whose background would blur a 3-command figure), and the
proxy's tally of the waitlist and ledger namespaces over the same short window is shown beside it. The
provider's languages and licences come from locations over HTTP, warm (asked once first).

Latency: on the same stack, idle, SAMPLES times: a patient waits for exactly one provider's earliest free
slot (that provider, that weekday and time, until that date, so nothing else can be offered), someone books
the slot and then cancels it through the gateway; the time from the cancel's answer to the offer email's
arrival at the stamping SMTP sink (bookings worker -> offer with waitlist.offered -> notifications worker ->
SMTP). A latency on an idle stack, not a ratio.
"""
from __future__ import annotations

import email
import time
import uuid
from datetime import datetime, timedelta, timezone

import requests
from pymongo import MongoClient, monitoring

from bench.datastore_ops import _wait_catalogue_announced
from bench.load import only_local, p50
from bench.ownstack import own_stack
from bench.report import Figure

SIZES, MATCHES = (10, 1000), 8
TARGET_COMMANDS, TARGET_LATENCY_S = 3, 2.0
SAMPLES, EMAIL_LIMIT_S = 7, 20.0
PROVIDER, SERVICE, LOCATION = "hannah-brooks", "therapy-cbt", "jonesboro"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def measure(_shared_stack, seconds: float) -> list[Figure]:
    with own_stack(counted=True) as own:
        figures = _measure(own)
        figures[-1].how += f"; {own.cpu_note()}"
        return figures


def _measure(own) -> list[Figure]:
    _wait_catalogue_announced(own.stack)
    quiet = own.settle()
    counted = {size: _commands_per_match(own, size) for size in SIZES}
    latencies = _offer_latencies(own)
    return [_commands_figure(counted, quiet), _latency_figure(latencies)]


class _Listener(monitoring.CommandListener):
    def __init__(self):
        self.names: list[str] = []

    def started(self, event):
        self.names.append(f"{event.command_name} {event.command.get(event.command_name, '')}")

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def _commands_per_match(own, size: int) -> dict:
    from bookings.config import load_booking_settings
    from bookings.domain.waitlist import FreedSlot
    from bookings.store.waitlist import WaitlistRepository
    from bookings.waitlist_housekeeping import waitlist_deps
    from bookings.waitlist_operations import offer_freed

    stack, location = own.stack, f"bench-waitlist-{size}"
    direct = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    _join_directly(WaitlistRepository.connect(direct[f"{stack.prefix}_bookings"]), size, location)
    direct.close()
    listener = _Listener()
    counted = MongoClient(own.proxy.url, tz_aware=True, event_listeners=[listener], serverSelectionTimeoutMS=5000)
    settings = load_booking_settings({"CLINIC_ENV": "development", "MONGO_URL": own.proxy.url,
                                      "LOCATIONS_URL": stack.url("locations")})
    deps = waitlist_deps(counted[f"{stack.prefix}_bookings"], settings)
    deps.providers.traits(PROVIDER)  # warm: the provider's languages and licences, over HTTP
    day = datetime.now(timezone.utc).replace(hour=3, minute=0, second=0, microsecond=0) + timedelta(
        days=40 + SIZES.index(size))  # a night time: no real booking or availability is touched
    slots = [FreedSlot(PROVIDER, location, SERVICE, "in_person", day + timedelta(hours=i),
                       day + timedelta(hours=i, minutes=50), day + timedelta(hours=i, minutes=60), "America/Chicago")
             for i in range(MATCHES)]
    listener.names.clear()
    before = own.proxy.counts()
    offered = [offer_freed(deps, slot, {}) for slot in slots]
    tally, names = own.proxy.counts().minus(before), list(listener.names)
    counted.close()  # its endSessions comes after the count
    mine = {k: n for k, n in tally.commands.items() if k[0].endswith((".waitlist", ".provider_ledgers"))}
    return {"per_match": len(names) / MATCHES, "names": names[:3],
            "offered": sum(o is not None for o in offered), "proxy": sum(mine.values()) / MATCHES}


def _join_directly(repo, size: int, location: str) -> None:
    """`size` waiting entries for the figure's location (any time, a year), oldest first; written uncounted."""
    now = datetime.now(timezone.utc)
    until = (now + timedelta(days=365)).date().isoformat()
    docs = [{"_id": uuid.uuid4().hex, "status": "waiting", "service_id": SERVICE, "modality": "in_person",
             "location_ids": [location], "provider_id": None, "language": None, "patient_state": "AR", "windows": [],
             "until": until, "joined_at": now - timedelta(minutes=size - i), "joined_seq": i, "offer": None,
             "offered_keys": [], "booking_id": None, "reason": None, "accepting": None, "manage_token_hash": "x",
             "patient": {"name": f"Bench {i}", "email": f"bench-{size}-{i}@example.com", "phone": "+15555550123",
                         "language": "en", "state": "AR"},
             "version": 1, "created_at": now, "updated_at": now, "outbox": []} for i in range(size)]
    repo.coll.insert_many(docs)


def _offer_latencies(own) -> list[float]:
    api = only_local(own.stack.url("gateway")) + "/api/v1"
    session = requests.Session()
    timings = []
    for sample in range(SAMPLES + 1):  # the first warms every process's path (connections, caches, SMTP)
        elapsed = _one_offer(session, api, own.sink, f"wl-{sample}-{uuid.uuid4().hex[:6]}@example.com")
        if sample:
            timings.append(elapsed)
    session.close()
    return timings


def _one_offer(session, api: str, sink, address: str) -> float:
    first = datetime.now(timezone.utc).date() + timedelta(days=3)
    slots = session.get(f"{api}/availability", timeout=30, params={
        "service_id": SERVICE, "location_id": LOCATION, "provider_id": PROVIDER, "from": first.isoformat(),
        "to": (first + timedelta(days=27)).isoformat()}).json()["slots"]
    slot = slots[0]  # the earliest: no other free time can match the entry below
    start = datetime.fromisoformat(slot["start"])
    patient = {"name": "Bench Patient", "phone": "+15555550123", "language": "en", "state": "AR"}
    booked = session.post(f"{api}/bookings", timeout=30, json={
        "service_id": SERVICE, "provider_id": PROVIDER, "location_id": LOCATION, "start": slot["start"],
        "patient": {**patient, "email": "booker@example.com"}}).json()
    joined = session.post(f"{api}/waitlist", timeout=30, json={
        "patient": {**patient, "email": address}, "service_id": SERVICE, "modality": "in_person",
        "location_ids": [LOCATION], "provider_id": PROVIDER, "until": start.date().isoformat(),
        "windows": [{"days": [DAYS[start.weekday()]], "from": start.strftime("%H:%M"),
                     "to": datetime.fromisoformat(slot["end"]).strftime("%H:%M")}]})
    assert joined.status_code == 201, joined.text
    seen = len(sink.arrivals)
    response = session.post(f"{api}/bookings/{booked['id']}/cancel", json={}, timeout=30,
                            headers={"X-Manage-Token": booked["manage_token"]})
    assert response.status_code == 200, response.text
    cancelled_at = time.time()
    deadline = time.monotonic() + EMAIL_LIMIT_S
    while time.monotonic() < deadline:
        for arrived, raw in sink.arrivals[seen:]:
            message = email.message_from_bytes(raw)
            if address in (message.get("To") or "") and "time opened up" in (message.get("Subject") or ""):
                return arrived - cancelled_at
        time.sleep(0.01)
    raise AssertionError(f"no offer email to {address} within {EMAIL_LIMIT_S:.0f} s")


def _commands_figure(counted: dict, quiet: str) -> Figure:
    worst = max(c["per_match"] for c in counted.values())
    each = "; ".join(f"{size} entries: {c['per_match']:.2f} commands per freed slot ({', '.join(c['names'])}), "
                     f"{c['offered']}/{MATCHES} offered, the proxy saw {c['proxy']:.2f} per slot on the waitlist and "
                     f"ledger namespaces" for size, c in counted.items())
    same = "the same" if len({c["per_match"] for c in counted.values()}) == 1 else "NOT the same"
    how = (f"{worst:.2f} datastore commands per freed slot, {same} for {' and '.join(map(str, SIZES))} waiting "
           f"entries ({each}); waitlist_operations.offer_freed (the bookings worker's step for a booking.cancelled) "
           f"run in the bench process through the counting proxy, {MATCHES} distinct slots per size, counted "
           f"exactly by a command listener on its own client; the figure's own stack, quiet before ({quiet})")
    return Figure("waitlist", "waitlist match datastore commands (10 and 1,000 entries)", worst, how,
                  op="<=", target=TARGET_COMMANDS)


def _latency_figure(latencies: list[float]) -> Figure:
    shown = ", ".join(f"{t:.2f}" for t in sorted(latencies))
    how = (f"p50 {p50(latencies):.2f} s from the cancel's 200 to the offer email's arrival at the SMTP sink over "
           f"{len(latencies)} cancellations (sorted, s: {shown}), after one warm-up; each: a booking of the "
           f"provider's earliest free slot and one waiting entry for exactly that slot, through the gateway; "
           f"bookings worker -> offer (ledger hold + waitlist.offered, fast lane) -> notifications worker -> SMTP; "
           f"idle stack, the datastore behind the counting proxy")
    return Figure("waitlist", "waitlist offer email after a cancellation (p50, idle stack)", p50(latencies), how,
                  unit="s", op="<=", target=TARGET_LATENCY_S)
