"""Waiting for something that happens in another thread or process, without sleeping a fixed time."""
from __future__ import annotations

import time


def wait_for(predicate, timeout_s: float = 10.0, every_s: float = 0.05) -> bool:
    """True as soon as `predicate()` is; False if it still is not after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every_s)
    return bool(predicate())


def wait_for_queue(settings, queue: str, timeout_s: float = 15.0) -> None:
    """A consumer declares its queue once connected; publishing before that would be unroutable."""
    import pika

    from clinic_common.messaging.topology import connection_parameters

    connection = pika.BlockingConnection(connection_parameters(settings.amqp_url, 5))
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                connection.channel().queue_declare(queue, passive=True)
                return
            except pika.exceptions.ChannelClosedByBroker:
                time.sleep(0.05)
        raise TimeoutError(f"queue {queue} was not declared within {timeout_s} s")
    finally:
        connection.close()
