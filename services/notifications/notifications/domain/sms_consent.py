"""Whether a patient may be texted at all (issue 12, shared decision 4). Pure.

A patient's SMS consent travels with them in every event (`patient.sms_consent`: when, which wording,
which language; null without it). Without it no SMS is sent, of any kind, reminders included: the
record is still written, as skipped with the reason, so the delivery log shows why nothing went out.
Whether the number has since replied STOP is asked just before sending (delivery/sender.py), since
that can change after the record is written.
"""
from __future__ import annotations

NO_CONSENT = "no SMS consent: the patient did not agree to texts when booking"
OPTED_OUT = "the number replied STOP: no SMS until it replies START"


def has_sms_consent(patient: dict | None) -> bool:
    consent = (patient or {}).get("sms_consent") if isinstance(patient, dict) else None
    return isinstance(consent, dict) and bool(consent.get("given_at"))


def skip_fields(channel: str, patient: dict | None, off: dict[str, str] | None = None) -> dict:
    """The fields that store a record as skipped at once, or {} for one a sender may claim: a channel that
    is off (`off`: channel -> why) is skipped for that reason first, then an SMS without consent."""
    if channel in (off or {}):
        return {"status": "skipped", "last_error": off[channel]}
    if channel == "sms" and not has_sms_consent(patient):
        return {"status": "skipped", "last_error": NO_CONSENT}
    return {}
