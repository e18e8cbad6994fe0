"""Which worker class deploy/gunicorn.conf.py gives each app (the real servers are in test_slow_clients.py)."""
from __future__ import annotations

import runpy

import pytest

from tests.deploy.served import ROOT

CONF = str(ROOT / "deploy" / "gunicorn.conf.py")


def settings_for(monkeypatch, app: str, **env) -> dict:
    monkeypatch.setattr("sys.argv", ["gunicorn", "-c", "deploy/gunicorn.conf.py", app])
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.delenv("WEB_WORKER_CLASS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


@pytest.mark.parametrize("app, expected", [("gateway.wsgi:app", "gevent"), ("locations.wsgi:app", "gthread"),
                                           ("bookings.wsgi:app", "gthread"), ("notifications.wsgi:app", "gthread")])
def test_the_client_facing_gateway_is_async_and_the_services_threaded(monkeypatch, app, expected):
    assert settings_for(monkeypatch, app)["worker_class"] == expected


def test_an_operator_can_choose_the_worker_class(monkeypatch):
    assert settings_for(monkeypatch, "gateway.wsgi:app", WEB_WORKER_CLASS="gthread")["worker_class"] == "gthread"
