"""clinic_common.http: the one way to call another service (timeouts always, no environment, connect retries only)."""
from __future__ import annotations

import socket
import threading

import pytest
import requests

from clinic_common.http import SessionPool, is_timeout, make_session, never_sent


@pytest.fixture
def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


@pytest.fixture
def silent_server():
    """Accepts, reads the request, never answers; counts the connections it was offered."""
    listener, accepted = socket.create_server(("127.0.0.1", 0)), []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.recv(65536)

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", accepted
    listener.close()
    for conn in accepted:
        conn.close()


def test_the_session_ignores_the_environment_and_retries_connects_only():
    session = make_session((1.0, 2.0))
    retry = session.get_adapter("http://service/").max_retries
    assert session.trust_env is False
    assert (retry.total, retry.connect, retry.read, retry.status, retry.redirect) == (1, 1, False, 0, 0)


def test_a_call_without_a_timeout_gets_the_sessions(silent_server):
    url, _ = silent_server
    with pytest.raises(requests.RequestException) as raised:
        make_session((1.0, 0.2)).get(url)
    assert is_timeout(raised.value) and not never_sent(raised.value)


def test_a_write_that_timed_out_reading_is_sent_once(silent_server):
    url, accepted = silent_server
    with pytest.raises(requests.RequestException) as raised:
        make_session((1.0, 0.2)).post(url, data=b"{}")
    assert is_timeout(raised.value) and len(accepted) == 1


def test_a_refused_connection_was_never_sent(refused_url):
    with pytest.raises(requests.RequestException) as raised:
        make_session((0.5, 0.5)).post(refused_url, data=b"{}")
    assert never_sent(raised.value) and not is_timeout(raised.value)


def test_the_pool_makes_its_session_on_first_use_and_once():
    made = []
    pool = SessionPool((1.0, 1.0), factory=lambda: made.append(1) or requests.Session())
    assert made == []
    assert pool.session() is pool.session() and made == [1]
    pool.close()


@pytest.fixture
def hangs_up_once():
    """Reads the first request and closes without a word (a keep-alive that ran out as it arrived); answers
    200 on every later connection. Counts the connections."""
    listener, accepted = socket.create_server(("127.0.0.1", 0)), []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.recv(65536)
            if len(accepted) > 1:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", accepted
    listener.close()


def test_a_read_whose_connection_was_closed_unanswered_is_sent_once_more(hangs_up_once):
    url, accepted = hangs_up_once
    response = make_session((1.0, 1.0)).get(url)
    assert response.status_code == 200 and len(accepted) == 2


def test_a_write_whose_connection_was_closed_unanswered_is_not_sent_again(hangs_up_once):
    url, accepted = hangs_up_once
    with pytest.raises(requests.ConnectionError) as raised:
        make_session((1.0, 1.0)).post(url, data=b"{}")
    assert len(accepted) == 1 and not never_sent(raised.value) and not is_timeout(raised.value)
