"""`make run` keeps the gateway's rate limits in the local Redis when one answers, in memory otherwise."""
from __future__ import annotations

import pytest

from clinic_common.devstack.datastore import free_port
from clinic_common.devstack.ratelimits import LOCAL_REDIS_URL, rate_limit_storage, redis_answers


def test_a_local_redis_that_answers_is_used():
    updates, note = rate_limit_storage({}, lambda url: url == LOCAL_REDIS_URL)
    assert updates == {"REDIS_URL": LOCAL_REDIS_URL}
    assert LOCAL_REDIS_URL.startswith("redis://127.0.0.1:6379/")
    assert "Redis" in note


def test_without_redis_the_limits_stay_in_memory_and_one_line_says_so():
    updates, note = rate_limit_storage({}, lambda url: False)
    assert updates == {}
    assert "in memory" in note and "\n" not in note


@pytest.mark.parametrize("given", ["redis://cache.internal:6379/2", ""])
def test_a_redis_url_already_set_is_kept_and_nothing_is_probed(given):
    def probe(url):
        raise AssertionError("must not probe when REDIS_URL is set")

    updates, note = rate_limit_storage({"REDIS_URL": given}, probe)
    assert updates == {} and note == ""


def test_the_probe_says_no_quickly_when_nothing_listens():
    assert redis_answers(f"redis://127.0.0.1:{free_port()}/0") is False
