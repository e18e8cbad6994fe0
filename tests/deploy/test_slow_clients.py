"""Slow and idle clients must not stall the gateway: 200 connections that never finish their
request (no bytes, half the headers, half the body) stay open while other clients are answered.
Against the real gateway served by gunicorn with deploy/gunicorn.conf.py, as `make run` serves it."""
from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.deploy.served import Gunicorn, Upstream

SLOW_CONNECTIONS = 200
NORMAL_REQUESTS = 40
PARTIAL_HEADERS = b"GET /api/v1/locations HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Still-Typing: "
PARTIAL_BODY = (b"POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 20\r\n\r\n{\"slow\": ")
REST_OF_BODY = b"\"patient\"}".ljust(20 - len(b"{\"slow\": "), b" ")


@pytest.fixture
def served_gateway():
    upstream = Upstream()
    urls = {f"{name}_URL": upstream.url for name in ("LOCATIONS", "BOOKINGS", "NOTIFICATIONS")}
    # The shipped pool size: 2 workers (WEB_THREADS=4 matters only to a threaded worker class).
    gateway = Gunicorn("gateway.wsgi:app", {**urls, "WEB_WORKERS": "2", "WEB_THREADS": "4"})
    try:
        gateway.wait_ready()
        yield gateway
    finally:
        gateway.stop()
        upstream.stop()


def open_slow(port: int, kind: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall([b"", PARTIAL_HEADERS, PARTIAL_BODY][kind])
    return sock


def answered(url: str) -> int:
    return requests.get(url, timeout=(5, 15)).status_code


def test_two_hundred_slow_or_idle_connections_do_not_stall_other_clients(served_gateway):
    slow = [open_slow(served_gateway.port, i % 3) for i in range(SLOW_CONNECTIONS)]
    try:
        urls = [f"{served_gateway.url}/api/v1/locations", f"{served_gateway.url}/api/docs"] * (NORMAL_REQUESTS // 2)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(_status_or_error, urls))
        assert statuses == [200] * NORMAL_REQUESTS, served_gateway.output()[-2000:]
        # A slow client that does finish is served too: its connection was kept, not dropped.
        finishing = [sock for i, sock in enumerate(slow) if i % 3 == 2][:5]
        for sock in finishing:
            sock.sendall(REST_OF_BODY)
        assert [sock.recv(64).split(b"\r\n", 1)[0] for sock in finishing] == [b"HTTP/1.1 201 CREATED"] * 5
    finally:
        for sock in slow:
            sock.close()


def _status_or_error(url: str):
    try:
        return answered(url)
    except requests.RequestException as exc:
        return type(exc).__name__
