"""The gateway's own environment names, and what its log lines must never contain."""
from __future__ import annotations

import json

import pytest

from clinic_common.auth import issue_token
from clinic_common.config import ConfigError
from gateway import create_app
from gateway.config import load_gateway_config

SECRET = "gateway-test-secret-at-least-32-bytes-long"


def log_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_query_strings_tokens_and_bodies_never_reach_the_logs(make_gateway, capsys, dead_url):
    gateway = make_gateway(LOCATIONS_URL=dead_url)  # a refused connect makes urllib3 log its retry
    token = issue_token(SECRET, "staff-1", "staff")
    secrets = {"Authorization": f"Bearer {token}", "X-Manage-Token": "manage-token-secret"}
    gateway.post("/api/v1/bookings?email=pat%40example.com", headers={**secrets, "X-Request-ID": "trace-1"},
                 json={"patient": {"name": "Pat Example", "phone": "555-0100"}})
    gateway.get("/api/v1/locations?patient_state=TX&email=pat%40example.com", headers={"X-Request-ID": "trace-2"})
    out = capsys.readouterr().out
    for secret in ("pat%40example.com", "pat@example.com", "Pat Example", "555-0100", token,
                   "manage-token-secret", "patient_state"):
        assert secret not in out
    lines = log_lines(out)
    access = [line for line in lines if line["logger"] == "clinic.access"]
    assert [(line["request_id"], line["path"], line["status"]) for line in access] == [
        ("trace-1", "/api/v1/bookings", 201), ("trace-2", "/api/v1/locations", 502)]
    assert any(line["logger"] == "urllib3.connectionpool" and line["request_id"] == "trace-2" for line in lines)


def test_the_gateway_environment_names_have_defaults():
    config = load_gateway_config({"CLINIC_ENV": "development"})
    assert (config.rate_limit_enabled, config.rate_limit_default, config.rate_limit_writes) == (
        True, "600/minute", "60/minute")
    assert (config.health_timeout_s, config.openapi_cache_s, config.trusted_proxies) == (2.0, 60.0, 0)
    assert config.rate_limit_storage == "memory://"
    redis = load_gateway_config({"CLINIC_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert redis.rate_limit_storage == "redis://127.0.0.1:6379/0"
    assert load_gateway_config({"CLINIC_ENV": "development", "REDIS_URL": "redis://r"}).redis_url == "redis://r"


@pytest.mark.parametrize("name, value", [("RATE_LIMIT_WRITES", "lots"), ("RATE_LIMIT_ENABLED", "maybe"),
                                         ("HEALTH_TIMEOUT_S", "soon"), ("TRUSTED_PROXIES", "-1")])
def test_a_value_the_gateway_cannot_use_stops_it_at_start(name, value):
    with pytest.raises(ConfigError, match=name):
        load_gateway_config({"CLINIC_ENV": "development", name: value})


def test_production_refuses_to_start_without_a_jwt_secret():
    with pytest.raises(ConfigError, match="JWT_SECRET"):
        create_app({})


def test_nothing_connects_when_the_app_is_built(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("connected while building the app")

    monkeypatch.setattr("socket.socket.connect", refuse)
    app = create_app({"CLINIC_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert app.extensions["gateway"].pool._session is None
