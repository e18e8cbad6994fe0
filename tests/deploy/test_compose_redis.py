"""The stack from images keeps the gateway's rate-limit counts in Redis: with memory storage each
gunicorn worker counts alone, so 60 writes a minute would really be 60 × WEB_WORKERS."""
from __future__ import annotations

from tests.deploy.test_compose import environment


def test_a_redis_service_runs_on_the_stack_network_only(compose, services):
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert redis["restart"] == "unless-stopped"
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert not redis.get("ports"), "rate-limit counts are nobody's business outside the stack"


def test_the_gateway_counts_in_redis_and_waits_for_it(services):
    gateway = services["gateway"]
    assert environment(gateway)["REDIS_URL"] == "redis://redis:6379/0"
    assert gateway["depends_on"]["redis"]["condition"] == "service_healthy"


def test_only_the_gateway_uses_redis(services):
    # The services never touch it: an operator can size and restart it for the gateway alone.
    for name, svc in services.items():
        if name != "gateway" and "build" in svc:
            assert not environment(svc).get("REDIS_URL"), name
