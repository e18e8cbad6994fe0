"""Turn a stored notification into the words and attachment that go out, in the patient's language.

Rendered at send time from the booking snapshot kept with the notification, so a template fix
reaches every message not yet sent. Templates: templates/<language>/<kind>.j2, each with a
`subject`, a `body` (email) and an `sms` block.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined

from notifications.domain.appointment import appointment_from, language_of
from notifications.domain.calendar import CANCEL, PUBLISH, Wording, calendar_invite, calendar_publish, invite_method
from notifications.domain.careplan import plan_from
from notifications.domain.context import appointment_context, plan_context, request_context
from notifications.domain.offer_link import waitlist_context


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    sms: str
    ics: bytes | None = None
    ics_method: str = ""


class Composer:
    def __init__(self, organizer: str, join_base_url: str, booking_page_url: str = "http://127.0.0.1:8080/book",
                 offer_link_key: bytes = b""):
        self._organizer, self._join_base_url = organizer, join_base_url
        self._page_url, self._link_key = booking_page_url, offer_link_key
        self._env = Environment(loader=PackageLoader("notifications", "templates"), undefined=StrictUndefined,
                                autoescape=False, keep_trailing_newline=True)

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
        context = appointment_context(appt, self._join_base_url, note.get("offset_hours"))
        message = self._render(note["kind"], appt.language, context)
        method = invite_method(note["kind"], appt.status)
        if method is None:
            return message
        ics = calendar_invite(appt, cancel=method == CANCEL, organizer=self._organizer, summary=_summary(context),
                              location=_where(context), description=_description(context), now=now)
        return Message(message.subject, message.text, message.sms, ics, method)

    def _compose_plan(self, note: dict, now: datetime) -> Message:
        """A series' or combined visit's one message, with every visit it lists in one calendar file."""
        plan = plan_from(note["event_type"], note["data"], note.get("occurred_at", ""))
        contexts = [(visit, appointment_context(visit, self._join_base_url)) for visit in plan.visits]
        message = self._render(note["kind"], plan.language, plan_context(plan, contexts))
        ics = calendar_publish([(visit, _wording(context)) for visit, context in contexts], organizer=self._organizer,
                               now=now)
        return Message(message.subject, message.text, message.sms, ics, PUBLISH)

    def _render(self, kind: str, language: str, context: dict) -> Message:
        template = self._env.get_template(f"{language}/{kind}.j2")
        parts = {name: "".join(template.blocks[name](template.new_context({"c": context}))).strip()
                 for name in ("subject", "body", "sms")}
        return Message(parts["subject"], parts["body"] + "\n", parts["sms"])


def _wording(context: dict) -> Wording:
    return Wording(_summary(context), _where(context), _description(context))


def _summary(context: dict) -> str:
    joiner = " con " if context["language"] == "es" else " with "
    return joiner.join(p for p in (context["service"], context["provider"]) if p) or "Appointment"


def _where(context: dict) -> str:
    if context["telehealth"]:
        return context["join_url"]
    place = context["place"]
    return ", ".join(p for p in (place["name"], place["address"].replace("\n", ", ")) if p)


def _description(context: dict) -> str:
    if context["telehealth"]:
        return f"Telehealth: {context['join_url']}"
    return f"{context['place']['name']} {context['place']['phone']}".strip()
