"""Disruption figures (issue 12): what the disruption scan costs for a full-day closure over a day of 10 and of
100 active bookings, and how soon the patient's `booking_disrupted` email follows a closure.

Commands: the scan (disruption_operations.scan: what the bookings worker runs on a location.* event and what
POST /api/v1/bookings/disruptions/scan runs) is run here, in the bench process, on the figure's own stack's
datastore through the counting proxy, for a synthetic clinic (bench/synthetic.py, 10 providers) with one
closed weekday per size. Each closure is added first through the gateway as staff (uncounted; the stack's own
scans of it then find nothing there), and only then are that day's N bookings written directly (uncounted),
copies of one booked through the API so they have exactly the shape bookings stores, spread over the 10
providers' day, so the scan finds N bookings it has not judged yet. Its datastore commands are counted
exactly by a command listener on the bench's own client, as bench/waitlist.py does, and its HTTP requests
to locations by counting the adapter's requests; the proxy's tally of the bookings and ledger namespaces over
the same short window is shown beside them.

Latency: on the same stack, idle, SAMPLES times: a confirmed booking through the gateway (the demo practice's
first free slot on a day not closed yet), then a closure of its day through the gateway as staff; the time
from the closure's 201 to the `booking_disrupted` email's arrival at the stamping SMTP sink (locations'
synchronous scan at bookings or the bookings worker's on location.updated -> booking.disrupted through the
outbox -> notifications worker -> SMTP). A latency on an idle stack, not a ratio.
"""
from __future__ import annotations

import email
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from email import policy
from zoneinfo import ZoneInfo

import requests
from pymongo import MongoClient

from bench.dates import first_bookable_monday
from bench.datastore_ops import _wait_catalogue_announced
from bench.load import only_local, p50
from bench.ownstack import own_stack
from bench.report import Figure
from bench.waitlist import _Listener

SIZES, PROVIDERS = (10, 100), 10
# One read of the bookings ahead plus one compare-and-set (carrying its event) per disrupted booking is the
# least a scan can do: (1 + N) / N, 1.01 at N = 100. 1.2 leaves room for a few lost races, never a second
# command per booking.
TARGET_PER_BOOKING = 1.2
# Locations is asked per group of bookings (location, visit type, patient's state), never per booking: one
# working-windows answer for the clinic, the telehealth locations once, one answer per telehealth location.
TARGET_HTTP = 3
# The patient hears of a closure within seconds, as of a waitlist offer (bench/waitlist.py's target).
TARGET_LATENCY_S, SAMPLES, EMAIL_LIMIT_S = 2.0, 5, 20.0
PROVIDER, SERVICE, LOCATION = "hannah-brooks", "therapy-cbt", "jonesboro"
DAY_STEP = timedelta(minutes=54)  # ten 50-minute visits between 08:00 and 17:00 per provider
DISRUPTED_SUBJECT = "NOT cancelled, but please choose"  # templates/en/booking_disrupted.j2


def measure(_shared_stack, seconds: float) -> list[Figure]:
    with own_stack(counted=True) as own:
        figures = _measure(own)
        figures[-1].how += f"; {own.cpu_note()}"
        return figures


def _measure(own) -> list[Figure]:
    from bench.practice import free_slots

    slots = free_slots(own.stack, PROVIDERS, 5)  # builds the synthetic clinic, then asks as a patient would
    _wait_catalogue_announced(own.stack)
    api, staff = only_local(own.stack.url("gateway")) + "/api/v1", _staff_headers(own.stack)
    template = _template_booking(own.stack, api, slots[0])
    days = {size: first_bookable_monday() + timedelta(days=16 + 7 * n) for n, size in enumerate(SIZES)}  # Wednesdays
    for day in days.values():
        _close(api, staff, slots[0]["location_id"], day)
    quiet = own.settle()
    counted = {size: _scan_counted(own, template, days[size], size) for size in SIZES}
    _wait_mailed(own.sink, sum(c["disrupted"] for c in counted.values()))  # not a backlog behind the samples
    own.settle()
    latencies = _disruption_latencies(own, api, staff)
    return [_commands_figure(counted, quiet), _http_figure(counted), _latency_figure(latencies)]


def _wait_mailed(sink, count: int) -> None:
    """Until the scans' booking_disrupted emails (one per booking they disrupted) reached the sink."""
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline and sum("bench-disrupted-" in _to(raw) for _, raw in sink.arrivals) < count:
        time.sleep(0.5)


def _to(raw: bytes) -> str:
    return str(email.message_from_bytes(raw).get("To") or "")


def _staff_headers(stack) -> dict:
    from clinic_common.auth import issue_token

    return {"Authorization": f"Bearer {issue_token(stack.env['JWT_SECRET'], 'bench', 'staff')}"}


def _template_booking(stack, api: str, slot: dict) -> dict:
    """One booking through the gateway, as bookings stored it: the pattern of the day's copies."""
    from bench.practice import PATIENT
    from bench.synthetic import SERVICE_ID

    booked = requests.post(f"{api}/bookings", timeout=30, json={
        "service_id": SERVICE_ID, "provider_id": slot["provider_id"], "location_id": slot["location_id"],
        "start": slot["start"], "patient": dict(PATIENT)})
    assert booked.status_code == 201, booked.text
    client = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    try:
        return client[f"{stack.prefix}_bookings"]["bookings"].find_one({"_id": booked.json()["id"]})
    finally:
        client.close()


def _close(api: str, staff: dict, location_id: str, day: date) -> dict:
    closed = requests.post(f"{api}/locations/{location_id}/closures", headers=staff, timeout=30,
                           json={"from": day.isoformat(), "to": day.isoformat(), "reason": "Bench closure"})
    assert closed.status_code == 201, closed.text
    return closed.json()


def day_of_bookings(template: dict, provider_ids: list[str], day: date, size: int, now: datetime) -> list[dict]:
    """`size` active bookings on `day` (the clinic's date, in the template's zone), copies of `template`
    (as bookings stored it) spread over the providers, each provider's from 08:00 every DAY_STEP, never
    judged (`disruption` None), version 1, nothing in their outbox."""
    zone, length = ZoneInfo(template["timezone"]), template["end"] - template["start"]
    block = template["blocked_until"] - template["start"]
    opening = datetime.combine(day, datetime.min.time().replace(hour=8), zone)
    docs = []
    for n in range(size):
        provider_id = provider_ids[n % len(provider_ids)]
        start = (opening + DAY_STEP * (n // len(provider_ids))).astimezone(timezone.utc)
        docs.append({**template, "_id": uuid.uuid4().hex, "provider_id": provider_id,
                     "provider": {**template["provider"], "name": f"Provider {provider_id}"},  # build_practice's name
                     "start": start, "end": start + length, "blocked_until": start + block,
                     "patient": {**template["patient"], "email": f"bench-disrupted-{size}-{n}@example.com"},
                     "disruption": None, "version": 1, "created_at": now, "updated_at": now, "outbox": []})
    return docs


class _CountedHttp:
    """Wraps the scan's locations adapter's one way out (LocationsHttp._get): each request's path, kept."""

    def __init__(self, adapter):
        self.paths: list[str] = []
        inner = adapter._get

        def counted(path: str):
            self.paths.append(path.split("?")[0])
            return inner(path)

        adapter._get = counted


def _scan_counted(own, template: dict, day: date, size: int) -> dict:
    from bench.synthetic import LOCATION_ID
    from bookings.config import load_booking_settings
    from bookings.disruption_operations import disruption_deps, scan

    stack = own.stack
    direct = MongoClient(stack.mongo_url, tz_aware=True, serverSelectionTimeoutMS=5000)
    providers = [f"synthetic-{n:03d}" for n in range(PROVIDERS)]
    direct[f"{stack.prefix}_bookings"]["bookings"].insert_many(
        day_of_bookings(template, providers, day, size, datetime.now(timezone.utc)))
    direct.close()
    listener = _Listener()
    counted = MongoClient(own.proxy.url, tz_aware=True, event_listeners=[listener], serverSelectionTimeoutMS=5000)
    settings = load_booking_settings({"CLINIC_ENV": "development", "MONGO_URL": own.proxy.url,
                                      "LOCATIONS_URL": stack.url("locations")})
    deps = disruption_deps(counted[f"{stack.prefix}_bookings"], settings)
    deps.standing.telehealth_locations()  # warm: the adapter's connection to locations
    http = _CountedHttp(deps.standing)
    listener.names.clear()
    before = own.proxy.counts()
    result = scan(deps, location_id=LOCATION_ID)
    tally, names = own.proxy.counts().minus(before), list(listener.names)
    counted.close()  # its endSessions comes after the count
    mine = {k: n for k, n in tally.commands.items() if k[0].endswith((".bookings", ".provider_ledgers"))}
    disrupted = len(result.disrupted)
    return {"commands": len(names), "disrupted": disrupted, "still": result.still, "http": list(http.paths),
            "names": tallied(names), "proxy": sum(mine.values()),
            "per_booking": len(names) / disrupted if disrupted else None}


def tallied(items: list[str]) -> str:
    """'find bookings ×1, update bookings ×100': commands or requests, counted, in order of first use."""
    tally: dict[str, int] = {}
    for item in items:
        tally[item] = tally.get(item, 0) + 1
    return ", ".join(f"{item} ×{n}" for item, n in tally.items())


def is_disrupted_email(raw: bytes, address: str) -> bool:
    """The patient's `booking_disrupted` email to `address` (not the confirmation that came before it)."""
    message = email.message_from_bytes(raw, policy=policy.default)
    return address in str(message.get("To") or "") and DISRUPTED_SUBJECT in str(message.get("Subject") or "")


def _disruption_latencies(own, api: str, staff: dict) -> list[tuple[float, float, bool]]:
    """(closure's 201 -> email, closure's POST -> 201, whether the staff write's own scan disrupted it) per sample:
    the bookings worker's scan of the closure's event may come first, and then the answer counts 0."""
    session, closed, timings = requests.Session(), set(), []
    for sample in range(SAMPLES + 1):  # the first warms every process's path (connections, caches, SMTP)
        elapsed = _one_disruption(session, api, staff, own.sink, closed,
                                  f"dis-{sample}-{uuid.uuid4().hex[:6]}@example.com")
        if sample:
            timings.append(elapsed)
    session.close()
    return timings


def _one_disruption(session, api: str, staff: dict, sink, closed: set, address: str) -> float:
    first = datetime.now(timezone.utc).date() + timedelta(days=3)
    slots = session.get(f"{api}/availability", timeout=30, params={
        "service_id": SERVICE, "location_id": LOCATION, "provider_id": PROVIDER, "from": first.isoformat(),
        "to": (first + timedelta(days=27)).isoformat()}).json()["slots"]
    slot = next(s for s in slots if s["start"][:10] not in closed)  # the clinic's date: shown in its zone
    patient = {"name": "Bench Patient", "email": address, "phone": "+15555550123", "language": "en", "state": "AR"}
    booked = session.post(f"{api}/bookings", timeout=30, json={
        "service_id": SERVICE, "provider_id": PROVIDER, "location_id": LOCATION, "start": slot["start"],
        "patient": patient})
    assert booked.status_code == 201 and booked.json()["status"] == "confirmed", booked.text
    _wait_email(sink, 0, lambda raw: address in _to(raw), address)  # its confirmation: not raced by the closure
    day = slot["start"][:10]
    closed.add(day)
    seen, sent_at = len(sink.arrivals), time.time()
    answer = session.post(f"{api}/locations/{LOCATION}/closures", headers=staff, timeout=30,
                          json={"from": day, "to": day, "reason": "Bench closure"})
    assert answer.status_code == 201, answer.text
    answered_at = time.time()
    arrived = _wait_email(sink, seen, lambda raw: is_disrupted_email(raw, address), address)
    return arrived - answered_at, answered_at - sent_at, answer.json()["disrupted_bookings"] == 1


def _wait_email(sink, seen: int, wanted, address: str) -> float:
    """The arrival time of the first message from `seen` on that `wanted` accepts."""
    deadline = time.monotonic() + EMAIL_LIMIT_S
    while time.monotonic() < deadline:
        for arrived, raw in sink.arrivals[seen:]:
            if wanted(raw):
                return arrived
        time.sleep(0.01)
    raise AssertionError(f"no awaited email to {address} within {EMAIL_LIMIT_S:.0f} s")


def _commands_figure(counted: dict, quiet: str) -> Figure:
    each = "; ".join(
        f"N={size}: {c['commands']} commands per scan ({c['names']}), "
        f"{c['per_booking']:.2f} per disrupted booking, {c['disrupted']}/{size} disrupted, {c['still']} "
        f"already disrupted left alone, the proxy saw {c['proxy']} on the bookings and ledger namespaces"
        for size, c in counted.items())
    largest = counted[max(SIZES)]
    how = (f"{each}; disruption_operations.scan for a full-day closure at the synthetic clinic "
           f"({PROVIDERS} providers), run in the bench process through the counting proxy, counted exactly by a "
           f"command listener on its own client; the day's bookings written directly beforehand, copies of one "
           f"booked through the API, the closure added through the gateway before them; the figure's own stack, "
           f"quiet before ({quiet}); target: one read plus one write per disrupted booking")
    return Figure("disruption", f"disruption scan datastore commands per disrupted booking (N={max(SIZES)})",
                  largest["per_booking"], how, op="<=", target=TARGET_PER_BOOKING)


def _http_figure(counted: dict) -> Figure:
    calls = {size: len(c["http"]) for size, c in counted.items()}
    same = "the same" if len(set(calls.values())) == 1 else "NOT the same"
    each = "; ".join(f"N={size}: {len(c['http'])} ({tallied(['GET ' + p for p in c['http']])})"
                     for size, c in counted.items())
    how = (f"HTTP requests from the scan to locations, {same} for {' and '.join(map(str, SIZES))} bookings ({each}); "
           f"counted at the adapter's one way out; target: per group of bookings (clinic, visit type), never per "
           f"booking")
    return Figure("disruption", "disruption scan HTTP calls to locations per scan", max(calls.values()), how,
                  op="<=", target=TARGET_HTTP)


def _latency_figure(samples: list[tuple[float, float, bool]]) -> Figure:
    latencies, answers = [after for after, _, _ in samples], [took for _, took, _ in samples]
    counted = sum(mine for _, _, mine in samples)
    shown = ", ".join(f"{t:.2f}" for t in sorted(latencies))
    how = (f"p50 {p50(latencies):.2f} s from the closure's 201 to the booking_disrupted email's arrival at the SMTP "
           f"sink over {len(latencies)} closures (sorted, s: {shown}; below 0: the email came before the answer, "
           f"which waits for bookings' synchronous scan, p50 {p50(answers):.2f} s from POST to 201; that scan "
           f"disrupted the booking in {counted} of {len(samples)}, the bookings worker's scan of the event in the "
           f"rest; in order taken: {', '.join(f'{t:.2f}' for t in latencies)}), after one warm-up and after the "
           f"command figure's emails had all arrived; each: a confirmed booking "
           f"of {PROVIDER}'s first free slot at {LOCATION} on a day not closed yet, its confirmation awaited, then "
           f"POST /locations/{LOCATION}/closures for its day through the gateway as staff; locations' synchronous "
           f"scan at bookings (or the bookings worker's on the event) -> booking.disrupted -> notifications worker "
           f"-> SMTP; idle stack, the datastore behind the counting proxy")
    return Figure("disruption", "booking_disrupted email after a closure (p50, idle stack)", p50(latencies), how,
                  unit="s", op="<=", target=TARGET_LATENCY_S)
