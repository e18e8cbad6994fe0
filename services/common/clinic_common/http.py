"""The one way a process calls another service over HTTP: a pooled `requests` session per process.

- Every call has a connect and a read timeout: the session's own unless the caller passes one.
- Proxies and .netrc credentials from the environment are never used (`trust_env = False`).
- Only a failed connect is retried, once and at once: nothing was sent, so even a POST is safe.
  A read error or a read timeout is never retried, whatever the method: the service may have
  acted, and a retry would double the wait. One exception: a GET, HEAD or OPTIONS whose pooled
  connection the service closed without answering (its keep-alive ran out as the request went) is
  sent once more on a fresh connection: reading twice changes nothing, and it is not a timeout.
- The session is made on first use in each process (after gunicorn forks, never at import).

Use `SessionPool(timeout).session()` and the two helpers that say what a failure means:
`is_timeout` (no answer in time) and `never_sent` (the request never left: nothing was done).
"""
from __future__ import annotations

import os
import threading
from typing import Callable

from http.client import RemoteDisconnected

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

Timeout = tuple[float, float]  # (connect seconds, read seconds)
# Connections kept open per service and process: four times what a service serves at once (2 workers
# x 4 threads). A gevent worker may run more requests than that; the extra ones are opened and closed.
POOL_SIZE = 32


def timeout_from(settings) -> Timeout:
    """The (connect, read) timeout of calls between services, from the shared settings."""
    return (settings.upstream_connect_timeout_s, settings.upstream_read_timeout_s)


class ServiceSession(requests.Session):
    """A session whose calls always carry a timeout: the caller's, or the one it was made with."""

    def __init__(self, timeout: Timeout):
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)


SAFE_TO_RESEND = frozenset({"GET", "HEAD", "OPTIONS"})
DROPPED = (RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class ServiceRetry(Retry):
    """Connect failures only (as Retry is configured below), plus a read that found its connection closed
    without an answer, for methods that only read."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        dropped = (isinstance(error, ProtocolError) and any(isinstance(arg, DROPPED) for arg in error.args)
                   and response is None)
        if dropped and (method or "").upper() in SAFE_TO_RESEND and self.total:
            return self.new(total=self.total - 1)
        return super().increment(method, url, response, error, _pool, _stacktrace)


def make_session(timeout: Timeout, pool_size: int = POOL_SIZE) -> requests.Session:
    session = ServiceSession(timeout)
    session.trust_env = False
    # read=False re-raises a read timeout as itself, so it surfaces as a timeout rather than a refusal.
    retry = ServiceRetry(total=1, connect=1, read=False, status=0, other=0, redirect=0, backoff_factor=0,
                  raise_on_status=False)
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class SessionPool:
    """Hands out this process's session, made on first use; `factory` lets a test fake the calls."""

    def __init__(self, timeout: Timeout, factory: Callable[[], requests.Session] | None = None):
        self._factory = factory or (lambda: make_session(timeout))
        self._session: requests.Session | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def session(self) -> requests.Session:
        if self._session is None or self._pid != os.getpid():
            with self._lock:
                # A session inherited through fork shares sockets with the parent: start afresh.
                if self._session is None or self._pid != os.getpid():
                    self._session, self._pid = self._factory(), os.getpid()
        return self._session

    def close(self) -> None:
        with self._lock:
            if self._session is not None and self._pid == os.getpid():
                self._session.close()
            self._session = None


def _cause(exc: requests.RequestException):
    cause = exc.args[0] if exc.args else None
    return getattr(cause, "reason", cause)


def is_timeout(exc: requests.RequestException) -> bool:
    """requests reports a body that stopped arriving as a ConnectionError; it is a timeout all the same."""
    return isinstance(exc, requests.Timeout) or isinstance(_cause(exc), ReadTimeoutError)


def never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never made: refused, unresolvable or timed out while connecting."""
    return isinstance(exc, requests.ConnectTimeout) or isinstance(_cause(exc), (ConnectTimeoutError,
                                                                                NewConnectionError))
