"""The working-windows query costs the same few MongoDB commands for 1 or 50 providers, 1 or 31 days."""
import uuid

import pytest
from pymongo import MongoClient, monitoring

from clinic_common.mongo import LazyMongo

from locations import create_app
from bench.synthetic import build_practice, windows_path

HANDSHAKE = {"hello", "isMaster", "ismaster", "ping", "endSessions", "saslStart", "saslContinue"}


class CommandCounter(monitoring.CommandListener):
    def __init__(self):
        self.names = []

    def started(self, event):
        if event.command_name not in HANDSHAKE:
            self.names.append(event.command_name)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def _commands(settings, make_app, providers: int, first: str, last: str) -> tuple[list[str], dict]:
    """The commands one working-windows request sends, on a practice of `providers` of its own."""
    isolated = settings.with_overrides(mongo_db_prefix=f"c{uuid.uuid4().hex[:10]}")
    seeder = MongoClient(settings.mongo_url)
    build_practice(seeder[isolated.db_name("locations")], providers)
    seeder.close()
    counter = CommandCounter()
    mongo = LazyMongo(isolated, isolated.db_name("locations"), "count-test", event_listeners=[counter])
    client = make_app(create_app, deps={"mongo": mongo}, MONGO_DB_PREFIX=isolated.mongo_db_prefix).test_client()
    client.get(windows_path(first, last))  # warm-up: indexes are ensured once per process
    counter.names.clear()
    response = client.get(windows_path(first, last))
    assert response.status_code == 200, response.json
    return list(counter.names), response.json


@pytest.mark.parametrize("providers, last, weekdays", [(1, "2027-01-06", 23), (50, "2026-12-07", 1), (50, "2027-01-06", 23)])
def test_command_count_does_not_grow_with_providers_or_days(settings, make_app, providers, last, weekdays):
    baseline, _ = _commands(settings, make_app, 1, "2026-12-07", "2026-12-07")
    commands, body = _commands(settings, make_app, providers, "2026-12-07", last)
    assert len(body["providers"]) == providers
    assert len({w["date"] for w in body["providers"][-1]["windows"]}) == weekdays
    assert commands == baseline
    assert len(commands) <= 3, commands  # the location, the service, the providers
