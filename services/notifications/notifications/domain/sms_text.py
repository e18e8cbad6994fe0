"""What an SMS may say and how long it is. Pure.

Lock-screen privacy: an SMS shows on a locked phone to whoever picks it up, so it names only the clinic,
the day, the time and the link (plus STOP / HELP); never the visit type, the provider or their role, nor
anything clinical. The templates' `sms` blocks are written that way; tests hold every kind to it.

Length: a message in the GSM 7-bit alphabet goes 160 characters in one part (153 a part when split); one
character outside it (á, í, ó, ú, a curly quote) sends the whole message as UCS-2 at 70 (67) a part, which
would split a Spanish message with its manage link into five parts. So an SMS longer than two parts as it
is written is spelled in the GSM alphabet: the accents it lacks are dropped (más -> mas, clínica ->
clinica), as Spanish SMS often are; a short one keeps them.
"""
from __future__ import annotations

import math
import unicodedata

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€")  # two septets each
SPELLED = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...",
                         "\u202f": " ", "\u00a0": " "})
SINGLE, PART = 160, 153  # GSM septets: one message, one part of a split message
SINGLE_UCS2, PART_UCS2 = 70, 67


MAX_PARTS = 2


def sms_text(text: str) -> str:
    """The SMS as written when it fits in MAX_PARTS, else spelled in the GSM alphabet (which fits more)."""
    return text if segments(text) <= MAX_PARTS else gsm_spelled(text)


def gsm_spelled(text: str) -> str:
    """`text` in the GSM alphabet: punctuation replaced, letters it lacks without their accent."""
    out = []
    for ch in text.translate(SPELLED):
        if ch in GSM_BASIC or ch in GSM_EXTENDED:
            out.append(ch)
            continue
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        out.append(bare if bare and all(c in GSM_BASIC for c in bare) else "?")
    return "".join(out)


def segments(text: str) -> int:
    """How many parts the SMS `text` goes out in."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        septets = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        return 1 if septets <= SINGLE else math.ceil(septets / PART)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= SINGLE_UCS2 else math.ceil(units / PART_UCS2)
