"""Brokers that misbehave, for tests: one that accepts TCP and never speaks AMQP (a node booting,
frozen, or a load balancer's black hole). The proving ground (`make prove`) has the full proxy."""
from __future__ import annotations

import socket
import threading

import pytest


class HungListener:
    """Accepts connections and holds them open without a byte in reply."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                continue
            self._held.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self._server.close()


@pytest.fixture
def hung_broker():
    listener = HungListener()
    yield listener
    listener.close()
