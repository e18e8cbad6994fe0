"""Cheap odd input is a 4xx problem, never a 500, for every service: the JSON body is checked once, centrally."""
import json

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from clinic_common.config import load_settings
from clinic_common.web import create_service_app

SETTINGS = load_settings({"CLINIC_ENV": "development", "LOG_LEVEL": "CRITICAL"})


class Anything(Schema):
    name = fields.Raw()
    count = fields.Raw()


@pytest.fixture
def client():
    app, api, context = create_service_app("probe", SETTINGS, "Probe")
    stored = []
    blp = Blueprint("things", __name__, url_prefix="/api/v1/things")

    @blp.route("")
    class Things(MethodView):
        @blp.arguments(Anything)
        @blp.response(201, Anything)
        def post(self, body):
            json.dumps(body, ensure_ascii=False).encode()  # what storing or answering does with it
            stored.append(body)
            return body

    api.register_blueprint(blp)
    client = app.test_client()
    client.stored = stored
    yield client
    context.close()


def _post(client, text: str):
    return client.post("/api/v1/things", data=text, headers={"Content-Type": "application/json"})


ODD_BODIES = {
    "an integer past Python's int-string limit": '{"count": %s}' % ("9" * 4301),
    "an integer past 64 bits (the datastore's limit)": '{"count": %d}' % 2**63,
    "nesting 10,000 deep": '{"name": ' + "[" * 10_000 + "]" * 10_000 + "}",
    "nesting past the depth limit": '{"name": ' + "[" * 100 + "]" * 100 + "}",
    "a lone high surrogate": '{"name": "Ana \\ud800"}',
    "a lone low surrogate in a key": '{"\\udfff": "x"}',
    "NaN": '{"count": NaN}',
    "Infinity": '{"count": -Infinity}',
    "a float that overflows": '{"count": 1e400}',
}


@pytest.mark.parametrize("text", ODD_BODIES.values(), ids=ODD_BODIES.keys())
def test_odd_json_is_a_400_problem_and_stores_nothing(client, text):
    response = _post(client, text)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "/problems/malformed-request" and response.json["detail"]
    assert client.stored == []


@pytest.mark.parametrize("text", ['{"count": -9223372036854775808, "name": "Zoë \\ud83d\\ude00"}',
                                  '{"name": [[[["deep enough"]]]], "count": 1.5e300}'])
def test_ordinary_json_still_passes(client, text):
    assert _post(client, text).status_code == 201
