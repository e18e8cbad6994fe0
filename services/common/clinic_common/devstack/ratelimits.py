"""Where `make run`'s gateway keeps its rate-limit counts: the local Redis when one answers, else memory.

In memory each gunicorn worker counts on its own, so the real limit is the configured one times
WEB_WORKERS; Redis gives every worker one shared count, as in production.
"""
from __future__ import annotations

import redis

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
PROBE_TIMEOUT_S = 0.5


def redis_answers(url: str, timeout_s: float = PROBE_TIMEOUT_S) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def rate_limit_storage(env: dict, answers=redis_answers) -> tuple[dict, str]:
    """(variables to add to the children's environment, one line for the terminal or '').

    A REDIS_URL already in the environment is someone's choice, even an empty one (memory): keep it.
    """
    if "REDIS_URL" in env:
        return {}, ""
    if answers(LOCAL_REDIS_URL):
        return {"REDIS_URL": LOCAL_REDIS_URL}, f"Rate limits are shared through the local Redis ({LOCAL_REDIS_URL})."
    return {}, ("No Redis answers at 127.0.0.1:6379: rate limits stay in memory, "
                "counted per gateway worker.")
