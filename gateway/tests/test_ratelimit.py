"""Rate limits per client IP: a tight one for creating, a generous one for everything."""
from __future__ import annotations


def test_creating_beyond_the_write_limit_is_a_429_problem_with_retry_after(make_gateway, services):
    gateway = make_gateway(RATE_LIMIT_WRITES="2/minute")
    statuses = [gateway.post("/api/v1/bookings", json={}).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    refused = gateway.post("/api/v1/appointment-requests", json={})
    assert refused.status_code == 429  # one budget for every creating route
    assert refused.content_type == "application/problem+json"
    assert refused.get_json()["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-Request-ID"]
    assert len(services["bookings"].calls) == 2


def test_the_write_limit_spares_reads_and_actions(make_gateway):
    gateway = make_gateway(RATE_LIMIT_WRITES="1/minute")
    assert gateway.post("/api/v1/bookings", json={}).status_code == 201
    assert gateway.get("/api/v1/bookings").status_code == 200
    assert gateway.post("/api/v1/bookings/b-1/cancel", json={}).status_code == 201


def test_the_default_limit_covers_every_route(make_gateway):
    gateway = make_gateway(RATE_LIMIT_DEFAULT="2/minute")
    assert [gateway.get("/api/v1/locations").status_code for _ in range(2)] == [200, 200]
    assert gateway.get("/api/v1/openapi.json").status_code == 429


def test_clients_are_counted_apart(make_gateway):
    gateway = make_gateway(RATE_LIMIT_WRITES="1/minute")
    assert gateway.post("/api/v1/bookings", json={}).status_code == 201
    other = gateway.post("/api/v1/bookings", json={}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 201


def test_a_trusted_proxy_hop_names_the_client(make_gateway):
    gateway = make_gateway(RATE_LIMIT_WRITES="1/minute", TRUSTED_PROXIES="1")
    for client in ("203.0.113.1", "203.0.113.2"):
        assert gateway.post("/api/v1/bookings", json={}, headers={"X-Forwarded-For": client}).status_code == 201
    assert gateway.post("/api/v1/bookings", json={}, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429


def test_limits_can_be_switched_off(make_gateway):
    gateway = make_gateway(RATE_LIMIT_ENABLED="false", RATE_LIMIT_WRITES="1/minute")
    assert [gateway.post("/api/v1/bookings", json={}).status_code for _ in range(3)] == [201, 201, 201]


REDIS_URL = "redis://127.0.0.1:6379/0"


def test_with_redis_every_worker_draws_on_one_count(make_gateway, unique):
    # Two apps stand for two gunicorn workers of one gateway; the namespace keeps this test's keys apart.
    workers = [make_gateway(REDIS_URL=REDIS_URL, AMQP_NAMESPACE=unique, RATE_LIMIT_WRITES="3/minute")
               for _ in range(2)]
    statuses = [workers[i % 2].post("/api/v1/bookings", json={}).status_code for i in range(6)]
    assert statuses == [201, 201, 201, 429, 429, 429]
    assert workers[0].application.extensions["gateway"].limiter._storage_uri == REDIS_URL


def test_stacks_sharing_one_redis_count_apart(make_gateway, unique):
    stacks = [make_gateway(REDIS_URL=REDIS_URL, AMQP_NAMESPACE=f"{unique}-{n}", RATE_LIMIT_WRITES="1/minute")
              for n in range(2)]
    assert [stack.post("/api/v1/bookings", json={}).status_code for stack in stacks] == [201, 201]


def test_the_pages_static_files_do_not_spend_the_clients_budget(make_gateway):
    """A page load fetches dozens of files (the staff app about 30); desks behind one clinic address share a
    budget, so the pages' own files (fixed, cacheable, no upstream call) are not counted; API reads still are."""
    gateway = make_gateway(RATE_LIMIT_DEFAULT="3/minute")
    for _ in range(5):
        assert gateway.get("/book/book.js").status_code in (200, 404)
        assert gateway.get("/staff/staff.js").status_code in (200, 404)
    assert [gateway.get("/api/v1/locations").status_code for _ in range(4)] == [200, 200, 200, 429]
