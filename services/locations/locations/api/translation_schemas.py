"""The translatable texts of catalog records: the canonical English `description` and `translations`.

Shared by visit types, locations and providers (catalog_schemas.py, schemas.py), so the three
take and show translations in one shape.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from locations.domain.translations import TRANSLATED_LANGUAGES

NAME = validate.Length(min=1, max=120)
DESCRIPTION_LENGTH = validate.Length(min=1, max=1000)


class Translation(Schema):
    name = fields.String(validate=NAME, metadata={"example": "Terapia cognitivo-conductual (TCC)"})
    description = fields.String(validate=DESCRIPTION_LENGTH)

    @validates_schema
    def _something(self, data, **_kw):
        if not data:
            raise ValidationError("Give a name, a description or both (leave the language out to use English).")


LANGUAGE = validate.OneOf(TRANSLATED_LANGUAGES, error="Translations are for {choices}: English is the record's own "
                                                     "name and description.")


def Translations(**kwargs):
    """language -> texts; a language or text left out falls back to the English fields."""
    return fields.Dict(keys=fields.String(validate=LANGUAGE), values=fields.Nested(Translation),
                       metadata={"description": "Texts in other languages than English (only 'es'); a text left "
                                                "out falls back to the English one. A change replaces them all.",
                                 "example": {"es": {"name": "Terapia cognitivo-conductual (TCC)"}}},
                       **kwargs)


def Description(example: str | None = None):
    """The record's English description (optional)."""
    metadata = {"description": "in English"} | ({"example": example} if example else {})
    return fields.String(allow_none=True, validate=DESCRIPTION_LENGTH, metadata=metadata)
