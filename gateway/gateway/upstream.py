"""The connection to the services: one pooled HTTP session per process, and parallel probes of every service."""
from __future__ import annotations

import contextvars
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

# Connections kept open per service and worker: four times what a service serves at once (2 workers x 4
# threads). A gevent worker may run more requests than that; the extra connections are opened and closed.
POOL_SIZE = 32


def make_session() -> requests.Session:
    session = requests.Session()
    # Internal calls must never pick up a proxy or .netrc credentials from the environment.
    session.trust_env = False
    # Retry only a failed connect: nothing was sent, so even a POST is safe. A read error or a
    # timeout is never retried: the service may have acted, and a retry would double the wait.
    # read=False re-raises a read timeout as itself, so it surfaces as a timeout rather than a refusal.
    retry = Retry(total=1, connect=1, read=False, status=0, other=0, redirect=0, backoff_factor=0,
                  raise_on_status=False)
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_SIZE, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class UpstreamPool:
    """Hands out this process's session, made on first use: after gunicorn forks, never at import."""

    def __init__(self, factory: Callable[[], requests.Session] = make_session):
        self._factory = factory
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


def is_timeout(exc: requests.RequestException) -> bool:
    """requests reports a body that stopped arriving as a ConnectionError; it is a timeout all the same."""
    if isinstance(exc, requests.Timeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(getattr(cause, "reason", cause), ReadTimeoutError)


@dataclass(frozen=True)
class Probe:
    """One service's answer to a GET, or why there was none (error: unreachable | timeout | invalid response)."""

    service: str
    status: int | None = None
    body: object = None
    error: str = ""


def _probe(session: requests.Session, service: str, url: str, timeout, request_id: str) -> Probe:
    try:
        answer = session.get(url, timeout=timeout, allow_redirects=False,
                             headers={"Accept": "application/json", "X-Request-ID": request_id})
    except requests.RequestException as exc:
        return Probe(service, error="timeout" if is_timeout(exc) else "unreachable")
    try:
        body = answer.json()
    except ValueError:
        body = None
    return Probe(service, answer.status_code, body, "" if body is not None else "invalid response")


def probe_all(pool: UpstreamPool, service_urls: dict[str, str], path: str, timeout,
              request_id: str) -> dict[str, Probe]:
    """GET `path` from every service at once, so the slowest one bounds the wait, not their sum."""
    session = pool.session()
    with ThreadPoolExecutor(max_workers=max(1, len(service_urls)), thread_name_prefix="probe") as workers:
        futures = {
            # A context copy each, so log lines from these threads carry the request id too.
            name: workers.submit(contextvars.copy_context().run, _probe, session, name,
                                 base.rstrip("/") + path, timeout, request_id)
            for name, base in service_urls.items()
        }
        return {name: future.result() for name, future in futures.items()}
