"""Catalog texts in the languages the product speaks.

A visit type, a location or a provider has its English `name` (and optional `description`) as
its own fields: English is the canonical text staff write first and every consumer falls back to.
`translations` holds the other languages, {"es": {"name": ..., "description": ...}}; a language or
a text that is missing falls back to English, so a half-translated catalog still reads whole.
"""
from __future__ import annotations

TRANSLATED_LANGUAGES = ("es",)  # the product speaks en and es; en is the record's own fields
TRANSLATED_TEXTS = ("name", "description")


def translations_of(doc: dict) -> dict[str, dict[str, str]]:
    """A stored record's translations as shown: always present (empty for a record made before them)."""
    return {language: dict(texts) for language, texts in (doc.get("translations") or {}).items()}
