"""Test doubles shared by the notifications tests, the contract tests, bench and the proving ground: a real SMTP
server (aiosmtpd, a dev dependency imported on use), a local SMS webhook, a settable clock, and a booking
event's data as bookings publishes it. Lives with the other test helpers, outside the service package."""
from __future__ import annotations

import email
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from clinic_common.devstack.datastore import free_port


class FakeClock:
    """Real time, shifted to start at `now`; set `now` to jump (to the day before a visit, say)."""

    def __init__(self, now: datetime):
        self.now = now

    @property
    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._set_at)

    @now.setter
    def now(self, value: datetime) -> None:
        self._base, self._set_at = value, time.monotonic()

    def __call__(self) -> datetime:
        return self.now


class SmtpSink:
    """A real SMTP server on a free port; `messages` holds every email.message.EmailMessage it took."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages, self.port, self.refuse, self._started = [], free_port(), None, False
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(parsed)
        return "250 OK"

    def start(self) -> "SmtpSink":
        self._controller.start()
        self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._controller.stop()
            self._started = False
        elif not self._controller.loop.is_closed():
            self._controller.loop.close()  # made in __init__ even if never started

    def env(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port)}

    def snapshot(self) -> list:
        with self._lock:
            return list(self.messages)


class SmsSink:
    """A local SMS webhook: records each JSON POST; answers `statuses` in turn, then 200."""

    def __init__(self):
        sink = self
        self.posts, self.statuses = [], []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                sink.posts.append({"body": body, "idempotency_key": self.headers.get("Idempotency-Key")})
                status = sink.statuses.pop(0) if sink.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/sms"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "SmsSink":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def sms_consent(language: str = "en") -> dict:
    """A patient's SMS consent as bookings records it: without one, no SMS is sent (pass sms_consent=None)."""
    return {"given_at": "2026-11-30T12:00:00+00:00", "wording_version": "1.test", "language": language}


def booking_data(booking_id: str, *, start="2026-12-07T09:00:00-06:00", end=None, status="confirmed",
                 language="en", modality="in_person", updated_at="2026-12-01T12:00:00+00:00", version=1,
                 **patient) -> dict:
    """A booking as bookings' public_view shows it (and its events carry it): its patient agreed to texts."""
    start_at = datetime.fromisoformat(start)
    end_at = datetime.fromisoformat(end) if end else start_at.replace(minute=50)
    location = ({"name": "Telehealth", "address": None, "phone": "+18705550160", "timezone": "America/Chicago"}
                if modality == "telehealth" else
                {"name": "Jonesboro Clinic", "phone": "+18705550100", "timezone": "America/Chicago",
                 "address": {"line1": "2400 Caraway Rd", "city": "Jonesboro", "state": "AR", "postal_code": "72401"}})
    return {
        "id": booking_id, "status": status, "service_id": "therapy-cbt", "provider_id": "lucia-ramirez",
        "location_id": "telehealth" if modality == "telehealth" else "jonesboro", "modality": modality,
        "start": start_at.isoformat(), "end": end_at.isoformat(),
        "service": {"name": "Individual therapy: CBT", "duration_minutes": 50, "buffer_minutes": 10},
        "provider": {"name": "Lucía Ramírez", "credentials": "LCSW"}, "location": location,
        "patient": {"name": "Ana Diaz", "email": "ana@example.com", "phone": "+15555550123", "language": language,
                    "state": "AR", "timezone": None, "sms_consent": sms_consent(language), **patient},
        "notes": "prefers mornings", "cancel_reason": None,
        "created_at": "2026-12-01T12:00:00+00:00", "updated_at": updated_at, "version": version,
    }


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def series_data(series_id: str, starts: list[str], *, statuses: list[str] | None = None, versions: list[int] | None = None,
                version: int = 1, every_weeks: int = 1, language: str = "en", modality: str = "in_person") -> dict:
    """A series as bookings' series.* events carry it: the shared fields once, each occurrence's own times."""
    shared = booking_data("x" * 32, language=language, modality=modality)
    occurrences = []
    for index, start in enumerate(starts):
        one = booking_data(f"{series_id[:30]}{index:02d}", start=start)
        occurrences.append({"booking_id": one["id"], "start": one["start"], "end": one["end"],
                            "status": (statuses or ["confirmed"] * len(starts))[index],
                            "version": (versions or [1] * len(starts))[index]})
    return {"id": series_id, "status": "active", "accept": "all", "service_id": shared["service_id"],
            "provider_id": shared["provider_id"], "location_id": shared["location_id"], "modality": modality,
            "every_weeks": every_weeks, "timezone": "America/Chicago", "patient": shared["patient"],
            "service": shared["service"], "provider": shared["provider"], "location": shared["location"],
            "occurrences": occurrences, "cancelled_from": None, "version": version,
            "created_at": "2026-12-01T12:00:00+00:00", "updated_at": "2026-12-01T12:00:00+00:00"}


def visit_data(visit_id: str, *, status: str = "confirmed", version: int = 1, language: str = "en") -> dict:
    """A combined visit as visit.* events carry it: therapy at 9:00, medication management at 10:00."""
    therapy = booking_data("t" * 32, start="2026-12-07T09:00:00-06:00", status=status, language=language)
    medication = {**booking_data("m" * 32, start="2026-12-07T10:00:00-06:00", status=status, language=language),
                  "service_id": "med-follow-up", "provider_id": "grace-okafor",
                  "service": {"name": "Medication management", "duration_minutes": 30, "buffer_minutes": 0},
                  "provider": {"name": "Grace Okafor", "credentials": "PMHNP"}}
    parts = [{k: v for k, v in {**part, "visit_id": visit_id}.items() if k != "notes"} for part in (therapy, medication)]
    return {"id": visit_id, "status": "booked" if status != "cancelled" else "cancelled", "location_id": "jonesboro",
            "modality": "in_person", "timezone": "America/Chicago", "patient": therapy["patient"], "version": version,
            "parts": parts}
