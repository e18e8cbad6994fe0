"""Turn a stored notification into the words and attachment that go out, in the patient's language.

Rendered at send time from the booking snapshot kept with the notification, so a template fix
reaches every message not yet sent. Templates: templates/<language>/<kind>.j2, each with a
`subject`, a `body` (email) and an `sms` block (domain/sms_text.py: what an SMS may say).
Every message about a booking, series or combined visit carries the link that manages it, minted here
(domain/manage_link.py): events carry no credential.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined

from notifications.domain.appointment import appointment_from, language_of
from notifications.domain.calendar import CANCEL, PUBLISH, calendar_invite, calendar_publish, invite_method
from notifications.domain.careplan import plan_from
from notifications.domain.context import appointment_context, plan_context, request_context
from notifications.domain.invite_words import invite_wording
from notifications.domain.manage_link import ManageLinks
from notifications.domain.offer_link import link_key as offer_link_key_of, waitlist_context
from notifications.domain.sms_text import sms_text

DEFAULT_PAGE_URL = "http://127.0.0.1:8080/book"
# A cancelled booking's links are revoked (bookings refuses them), so its message carries none.
WITHOUT_MANAGE_LINK = ("cancellation",)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    sms: str
    ics: bytes | None = None
    ics_method: str = ""


class Composer:
    def __init__(self, organizer: str, join_base_url: str, booking_page_url: str = DEFAULT_PAGE_URL,
                 offer_link_key: bytes = b"", manage_links: ManageLinks | None = None):
        self._organizer, self._join_base_url = organizer, join_base_url
        self._page_url, self._link_key = booking_page_url, offer_link_key
        self._links = manage_links or ManageLinks.from_secrets(booking_page_url, "", "")
        self._env = Environment(loader=PackageLoader("notifications", "templates"), undefined=StrictUndefined,
                                autoescape=False, keep_trailing_newline=True)

    @classmethod
    def from_settings(cls, settings) -> "Composer":
        """The composer a sender uses: both links keyed as bookings keys the checks of them."""
        links = ManageLinks.from_secrets(settings.booking_page_url, settings.manage_link_secret, settings.jwt_secret,
                                         settings.manage_link_days_after_visit)
        return cls(settings.smtp_from, settings.telehealth_join_base_url, settings.booking_page_url,
                   offer_link_key_of(settings.offer_link_secret, settings.jwt_secret), links)

    def compose(self, note: dict, now: datetime) -> Message:
        """Raises InvalidEvent for a snapshot that cannot be rendered (a permanent failure)."""
        data = note["data"]
        if note.get("source") == "request":
            return self._render(note["kind"], language_of(data.get("patient") or {}), request_context(data))
        if note.get("source") == "plan":
            return self._compose_plan(note, now)
        if note.get("source") == "waitlist":
            return self._render(note["kind"], language_of(data["patient"]),
                                waitlist_context(data, self._page_url, self._link_key))
        appt = appointment_from(data, note.get("occurred_at", ""))
        manage = "" if note["kind"] in WITHOUT_MANAGE_LINK else self._links.for_booking(appt)
        context = appointment_context(appt, self._join_base_url, note.get("offset_hours"), manage_url=manage,
                                      book_url=self._links.book_url)
        message = self._render(note["kind"], appt.language, context)
        method = invite_method(note["kind"], appt.status)
        if method is None:
            return message
        words = invite_wording(context, cancelled=method == CANCEL)
        ics = calendar_invite(appt, cancel=method == CANCEL, organizer=self._organizer, summary=words.summary,
                              location=words.location, description=words.description, now=now, url=words.url)
        return Message(message.subject, message.text, message.sms, ics, method)

    def _compose_plan(self, note: dict, now: datetime) -> Message:
        """A series' or combined visit's one message, with every visit it lists in one calendar file (each
        still-booked visit's event links to the plan's manage page, opened on that visit)."""
        plan = plan_from(note["event_type"], note["data"], note.get("occurred_at", ""))
        contexts = [(visit, appointment_context(visit, self._join_base_url, manage_url=self._links.for_plan(plan, visit),
                                                book_url=self._links.book_url)) for visit in plan.visits]
        message = self._render(note["kind"], plan.language, plan_context(plan, contexts, self._links.for_plan(plan)))
        ics = calendar_publish([(visit, invite_wording(context, cancelled=visit.status == "cancelled"))
                                for visit, context in contexts], organizer=self._organizer, now=now)
        return Message(message.subject, message.text, message.sms, ics, PUBLISH)

    def _render(self, kind: str, language: str, context: dict) -> Message:
        template = self._env.get_template(f"{language}/{kind}.j2")
        parts = {name: "".join(template.blocks[name](template.new_context({"c": context}))).strip()
                 for name in ("subject", "body", "sms")}
        return Message(parts["subject"], parts["body"] + "\n", sms_text(parts["sms"]))
