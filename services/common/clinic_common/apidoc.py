"""The OpenAPI document of every service says what the service really answers: errors are RFC 7807
problem+json (clinic_common.errors), and staff routes need a bearer token (clinic_common.auth).

flask-smorest would document its own error shape ({code, status, message}) as application/json;
every error here is a Problem instead, so the spec is true for contract tests and clients alike.
"""
from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from clinic_common.errors import PROBLEM_JSON

BEARER = "bearerAuth"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "HS256 JWT with claims sub, role (staff | clinician | admin), provider_id, exp. "
                                "Optional on public routes, but a token that is sent must be valid."}


class ProblemSchema(Schema):
    type = fields.String(required=True, metadata={"example": "/problems/validation"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "field -> messages (nested for nested fields)"})
    request_id = fields.String()


class ServiceApi(Api):
    """flask-smorest's Api with problem+json error responses and the bearer security scheme."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        # As flask-smorest's, but every error response is a Problem in application/problem+json.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error, as a problem document", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
        self.spec.components.security_scheme(BEARER, BEARER_SCHEME)
