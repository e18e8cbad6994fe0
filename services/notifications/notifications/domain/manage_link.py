"""The manage link a message about a booking, series or combined visit carries (clinic_common/manage_links.py
is the credential; bookings checks it). Pure.

Minted per message from the event alone: events carry no token, so nothing on the shared exchange or in a
parking queue can open a booking. The link lives until MANAGE_LINK_DAYS_AFTER_VISIT after the (last) visit.
A cancelled booking refuses its links, so a cancellation carries none: it says where to book again instead.
"""
from __future__ import annotations

from dataclasses import dataclass

from clinic_common.manage_links import DEFAULT_DAYS_AFTER_VISIT, expiry_after, link_key, manage_url

from notifications.domain.appointment import Appointment
from notifications.domain.careplan import CarePlan


@dataclass(frozen=True)
class ManageLinks:
    page_url: str  # the booking page (BOOKING_PAGE_URL)
    key: bytes
    days_after_visit: int = DEFAULT_DAYS_AFTER_VISIT

    @classmethod
    def from_secrets(cls, page_url: str, secret: str, jwt_secret: str,
                     days_after_visit: int = DEFAULT_DAYS_AFTER_VISIT) -> "ManageLinks":
        return cls(page_url, link_key(secret, jwt_secret), days_after_visit)

    @property
    def book_url(self) -> str:
        """The page itself, to book again (a cancelled booking's message)."""
        return self.page_url.split("#")[0]

    def for_booking(self, appt: Appointment) -> str:
        """The link that opens this one booking; "" for a cancelled one (its links are revoked)."""
        if appt.status == "cancelled":
            return ""
        expires = expiry_after(appt.end, self.days_after_visit)
        return manage_url(self.page_url, self.key, appt.booking_id, "booking", appt.booking_id, expires)

    def for_plan(self, plan: CarePlan, visit: Appointment | None = None) -> str:
        """The link that opens any booking of a series / combined visit, landing on `visit` (default: the first
        still booked); "" when none is still booked."""
        active = plan.active
        if not active or (visit is not None and visit not in active):
            return ""
        landing = visit or active[0]
        expires = expiry_after(max(v.end for v in active), self.days_after_visit)
        return manage_url(self.page_url, self.key, landing.booking_id, plan.kind, plan.plan_id, expires)
