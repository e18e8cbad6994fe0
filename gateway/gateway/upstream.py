"""Parallel probes of every service (health, OpenAPI) over the process's one pooled session (clinic_common.http)."""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from clinic_common.http import SessionPool, is_timeout


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


def probe_all(pool: SessionPool, service_urls: dict[str, str], path: str, timeout,
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
