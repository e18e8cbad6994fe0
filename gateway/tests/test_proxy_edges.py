"""Edges of forwarding that a well-behaved service never shows: a fake session stands in for the network."""
from __future__ import annotations

import requests
from requests.structures import CaseInsensitiveDict


class ScriptedSession(requests.Session):
    """Answers every request with `answer`, or raises it when it is an exception."""

    def __init__(self, answer):
        super().__init__()
        self.answer, self.sent = answer, []

    def request(self, method, url, **kwargs):
        self.sent.append((method, url, kwargs))
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def scripted_answer(status=200, body=b"{}", headers=None) -> requests.Response:
    answer = requests.Response()
    answer.status_code, answer._content = status, body
    answer.headers = CaseInsensitiveDict(headers or {})
    return answer


def test_hop_by_hop_and_recomputed_headers_are_dropped(make_gateway):
    headers = {"Content-Type": "application/json", "Connection": "keep-alive, X-Private-Hop",
               "Keep-Alive": "timeout=5", "X-Private-Hop": "1", "Transfer-Encoding": "chunked",
               "Content-Length": "999", "Content-Encoding": "gzip", "Server": "internal/1.0",
               "X-Request-ID": "upstream-id", "Allow": "GET, POST", "Vary": "Accept"}
    session = ScriptedSession(scripted_answer(200, b'{"ok": true}', headers))
    gateway = make_gateway()
    gateway.application.extensions["gateway"].pool._factory = lambda: session
    response = gateway.get("/api/v1/services", headers={"X-Request-ID": "mine"})
    for dropped in ("Keep-Alive", "X-Private-Hop", "Transfer-Encoding", "Content-Encoding"):
        assert dropped not in response.headers
    assert response.headers["Content-Length"] == str(len(b'{"ok": true}'))
    assert response.headers["X-Request-ID"] == "mine"
    assert response.headers.get("Server") != "internal/1.0"
    assert (response.headers["Allow"], response.headers["Vary"]) == ("GET, POST", "Accept")


def test_a_body_less_answer_gets_no_invented_content_type(make_gateway):
    session = ScriptedSession(scripted_answer(204, b""))
    gateway = make_gateway()
    gateway.application.extensions["gateway"].pool._factory = lambda: session
    response = gateway.delete("/api/v1/locations/l-1/closures/c-1")
    assert response.status_code == 204
    assert "Content-Type" not in response.headers


def test_the_upstream_call_has_explicit_timeouts_and_never_follows_redirects(make_gateway):
    session = ScriptedSession(scripted_answer())
    gateway = make_gateway(UPSTREAM_CONNECT_TIMEOUT_S="0.5", UPSTREAM_READ_TIMEOUT_S="3")
    gateway.application.extensions["gateway"].pool._factory = lambda: session
    gateway.get("/api/v1/providers")
    _, url, kwargs = session.sent[0]
    assert url.endswith("/api/v1/providers")
    assert kwargs["timeout"] == (0.5, 3.0) and kwargs["allow_redirects"] is False


def test_an_unexpected_failure_is_a_500_problem_without_a_trace(make_gateway):
    gateway = make_gateway()
    gateway.application.extensions["gateway"].pool._factory = lambda: ScriptedSession(RuntimeError("boom at line 3"))
    response = gateway.get("/api/v1/locations")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert response.headers["X-Request-ID"]
    assert "boom" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_head_keeps_the_length_of_the_body_it_does_not_carry(gateway):
    response = gateway.head("/api/v1/locations")
    assert response.status_code == 200 and response.data == b""
    assert int(response.headers["Content-Length"]) > 0


def test_the_session_is_made_once_per_process_and_on_first_use(make_gateway, services):
    made = []
    gateway = make_gateway()
    pool = gateway.application.extensions["gateway"].pool
    original = pool._factory
    pool._factory = lambda: made.append(1) or original()
    assert made == []
    gateway.get("/api/v1/locations")
    gateway.get("/api/v1/bookings")
    assert made == [1]
