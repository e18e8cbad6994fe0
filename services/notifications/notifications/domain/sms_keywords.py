"""What a patient's text back to us means (STOP, START, HELP and their Spanish words) and what we answer.
Pure: the inbound webhook (api/sms_inbound.py) records the opt-out and sends the reply.

Keywords are the whole message, any case, surrounding spaces and punctuation ignored ("Stop." stops;
"please stop the 9am one" is a message for a person, not a keyword). The reply is in the language of
the last message we sent that number; with none on file, in the keyword's own language (AYUDA, PARAR),
else English. Replies name the practice and, for HELP, its phone (the clinic of the number's last
message, else PRACTICE_PHONE).
"""
from __future__ import annotations

from dataclasses import dataclass

STOP, START, HELP = "stop", "start", "help"
KEYWORDS = {
    **{word: (STOP, "en") for word in ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT")},
    **{word: (STOP, "es") for word in ("PARAR", "ALTO", "BAJA")},
    **{word: (START, "en") for word in ("START", "UNSTOP")},
    **{word: (HELP, "en") for word in ("HELP", "INFO")},
    **{word: (HELP, "es") for word in ("AYUDA",)},
}
UNNAMED = {"en": "The clinic", "es": "La clínica"}
REPLIES = {
    (STOP, "en"): "{practice}: you will no longer get text messages from us at this number. Reply START to get "
                  "them again.",
    (STOP, "es"): "{practice}: ya no recibirá mensajes de texto nuestros en este número. Responda START para "
                  "volver a recibirlos.",
    (START, "en"): "{practice}: you will get appointment text messages again. Message frequency varies. Msg & data "
                   "rates may apply. Reply STOP to opt out, HELP for help.",
    (START, "es"): "{practice}: volverá a recibir mensajes de texto sobre sus citas. La frecuencia de los mensajes "
                   "varía. Pueden aplicarse tarifas de mensajes y datos. Responda STOP para no recibir más, AYUDA "
                   "para obtener ayuda.",
    (HELP, "en"): "{practice} appointment texts.{call} Msg & data rates may apply. Reply STOP to opt out.",
    (HELP, "es"): "{practice}: mensajes sobre sus citas.{call} Pueden aplicarse tarifas de mensajes y datos. "
                  "Responda STOP para no recibir más.",
}
CALL = {"en": " For help, call {phone}.", "es": " Para obtener ayuda, llame al {phone}."}


@dataclass(frozen=True)
class Keyword:
    action: str     # stop / start / help
    language: str   # the keyword's own language, used when the number has no message on file


def keyword_of(body: str | None) -> Keyword | None:
    """The keyword a whole message is, or None for anything else."""
    word = (body or "").strip().strip(".!¡¿?,;:'\"").strip().upper()
    found = KEYWORDS.get(word)
    return Keyword(*found) if found else None


def reply_language(keyword: Keyword, last_language: str | None) -> str:
    return last_language if last_language in ("en", "es") else keyword.language


def reply_text(action: str, language: str, practice_name: str = "", phone: str = "") -> str:
    practice = practice_name.strip() or UNNAMED[language]
    call = CALL[language].format(phone=phone) if phone else ""
    return REPLIES[(action, language)].format(practice=practice, call=call)
