"""Faults in the stack `make run` starts: a killed worker is named by the gateway's /health with how it
died, the rest keeps serving meanwhile, and it recovers; the gateway counts rate limits in the local Redis.

Its own stack (the module-scoped fixture), so killing a worker never disturbs test_stack.py.
"""
from __future__ import annotations

import os
import signal

import pytest
import requests

from clinic_common.devstack.ratelimits import LOCAL_REDIS_URL, redis_answers
from testsupport.waiting import wait_for

pytestmark = [pytest.mark.system, pytest.mark.integration, pytest.mark.timeout(300)]


def pid_running(stack, module: str) -> int:
    """The stack's process started as `python -m <module>` (gunicorn apps: their master)."""
    for pid in stack.leftovers():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                argv = cmdline.read().split(b"\0")
        except OSError:
            continue
        if module.encode() in argv and os.getpgid(pid) == pid:
            return pid
    pytest.fail(f"no process of the stack runs {module}\n{stack.log_tail()}")


def environment_of(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as environ:
        pairs = [item.split(b"=", 1) for item in environ.read().split(b"\0") if b"=" in item]
    return {key.decode(): value.decode(errors="replace") for key, value in pairs}


def test_a_killed_worker_is_named_by_health_while_the_rest_serves_then_recovers(stack):
    victim = pid_running(stack, "bookings.worker")
    os.killpg(victim, signal.SIGKILL)

    seen = {}

    def worker_reported_down():
        status, seen["body"] = stack.health()
        entry = seen["body"].get("components", {}).get("bookings-worker", {})
        return status == 503 and entry.get("last_exit") == "signal SIGKILL"

    assert wait_for(worker_reported_down, 15, every_s=0.3), f"/health never named it: {seen}\n{stack.log_tail()}"
    body = seen["body"]
    entry = body["components"]["bookings-worker"]
    assert "bookings-worker" in body["failing"]
    assert entry["restarts"] >= 0 and entry["failing_since"] and "SIGKILL" in entry["detail"]
    assert requests.get(f"{stack.base_url}/api/v1/locations", timeout=10).status_code == 200
    assert wait_for(lambda: stack.health()[0] == 200, 60, every_s=0.5), f"no recovery: {stack.health()}\n{stack.log_tail()}"
    assert pid_running(stack, "bookings.worker") != victim


@pytest.mark.skipif("REDIS_URL" in os.environ, reason="REDIS_URL is set: make run keeps it as given")
def test_the_gateway_counts_rate_limits_in_the_local_redis_when_one_answers(stack):
    gateway_env = environment_of(pid_running(stack, "gateway.wsgi:app"))
    expected = LOCAL_REDIS_URL if redis_answers(LOCAL_REDIS_URL) else None
    assert gateway_env.get("REDIS_URL") == expected


def test_ctrl_c_still_stops_everything(stack):
    assert stack.stop() == 0, stack.log_tail()
    assert not stack.leftovers(), stack.log_tail()
