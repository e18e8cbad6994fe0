"""The SMTP end of the figures that follow a booking to its email (bench/pace.py, bench/datastore_ops.py): a
sink that stamps each message's arrival, and the matching of emails to bookings by the UID of their .ics
(notifications/domain/calendar.py)."""
from __future__ import annotations

import email
import re
import time
from email import policy

UID = re.compile(r"^UID:booking-([^@\s]+)@", re.MULTILINE)


class StampingSink:
    """testsupport.notifications.SmtpSink that stamps each message's arrival and keeps the raw bytes (parsed later,
    off the clock); `arrivals` is [(wall-clock time at DATA, bytes)], comparable with the server's timestamps."""

    def __init__(self):
        from testsupport.notifications import SmtpSink

        arrivals = self.arrivals = []

        class Sink(SmtpSink):
            async def handle_DATA(self, server, session, envelope):
                arrivals.append((time.time(), envelope.content))  # list.append is atomic
                return "250 OK"

        self._sink = Sink()

    def start(self) -> "StampingSink":
        self._sink.start()
        return self

    def stop(self) -> None:
        self._sink.stop()

    def env(self) -> dict:
        return self._sink.env()


class Arrivals:
    """booking id -> first arrival time, from the sink's messages, parsed incrementally."""

    def __init__(self, sink: StampingSink):
        self._sink, self._seen, self.first, self.copies, self.unmatched = sink, 0, {}, 0, 0

    def update(self) -> dict[str, float]:
        new = self._sink.arrivals[self._seen:]
        self._seen += len(new)
        for at, raw in new:
            booking_id = booking_of(raw)
            if booking_id is None:
                self.unmatched += 1
            elif booking_id in self.first:
                self.copies += 1
            else:
                self.first[booking_id] = at
        return self.first


def booking_of(raw: bytes) -> str | None:
    """The booking id in the UID of the email's text/calendar part; None for an email without one."""
    message = email.message_from_bytes(raw, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            text = part.get_payload(decode=True).decode(errors="replace").replace("\r\n ", "").replace("\n ", "")
            found = UID.search(text)
            if found:
                return found.group(1)
    return None


def wait_for_emails(arrivals: Arrivals, booking_ids, limit_s: float) -> dict[str, float]:
    """Until an email for each booking has arrived, or `limit_s` has passed: booking id -> first arrival."""
    wanted, deadline = set(booking_ids), time.monotonic() + limit_s
    while True:
        first = arrivals.update()
        if wanted <= first.keys() or time.monotonic() > deadline:
            return first
        time.sleep(0.2)
