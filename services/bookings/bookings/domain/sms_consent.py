"""The SMS consent a patient gives on the booking page: its exact wording, per version and language, in
this one place. The page shows the text `GET /bookings/sms-consent` serves; a booking whose patient ticked
it stores `{given_at, wording_version, language}`, so what they agreed to can be shown word for word
later. Without it notifications sends no SMS at all.

The version names the wording itself: a fixed edition plus a digest of both texts as this deployment
words them (PRACTICE_NAME fills in who sends). Changing a sentence or the practice's name therefore
gives a new version by itself, and a stored version always maps to one text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

EDITION = "1"
LANGUAGES = ("en", "es")
TEMPLATES = {
    "en": ("I agree to receive appointment text messages from {practice} at this number. Message frequency "
           "varies. Msg & data rates may apply. Reply STOP to opt out, HELP for help."),
    "es": ("Acepto recibir mensajes de texto sobre mis citas de {practice} en este número. La frecuencia de los "
           "mensajes varía. Pueden aplicarse tarifas de mensajes y datos. Responda STOP para no recibir más, "
           "AYUDA para obtener ayuda."),
}
# Who sends, when PRACTICE_NAME is not set: words that read right inside each sentence.
UNNAMED = {"en": "the clinic", "es": "la clínica"}


@dataclass(frozen=True)
class ConsentWording:
    version: str
    texts: dict[str, str]


def wording(practice_name: str = "") -> ConsentWording:
    texts = {lang: TEMPLATES[lang].format(practice=practice_name.strip() or UNNAMED[lang]) for lang in LANGUAGES}
    digest = hashlib.sha256("\n".join(texts[lang] for lang in LANGUAGES).encode()).hexdigest()[:8]
    return ConsentWording(version=f"{EDITION}.{digest}", texts=texts)


def consent_record(language: str, given_at: datetime, practice_name: str = "") -> dict:
    """What a booking stores when its patient ticked the consent: when, which wording, in which language."""
    return {"given_at": given_at.astimezone(timezone.utc), "wording_version": wording(practice_name).version,
            "language": language if language in LANGUAGES else "en"}
