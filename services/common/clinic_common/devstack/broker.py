"""Make sure a RabbitMQ broker answers; start the local one if it is installed and stopped.

    python -m clinic_common.devstack.broker   # exit 0 when a broker answers, 1 with directions otherwise
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pika

from clinic_common.config import load_settings, redact_url
from clinic_common.messaging.topology import connection_parameters

START_WAIT_S = 90


def broker_problem(amqp_url: str, timeout_s: float = 3.0) -> str:
    """'' when an AMQP handshake succeeds, else a sentence saying how to get a broker."""
    try:
        pika.BlockingConnection(connection_parameters(amqp_url, timeout_s)).close()
        return ""
    except Exception as exc:
        return (f"RabbitMQ is not reachable at {redact_url(amqp_url)} ({type(exc).__name__}). "
                "Start one (`rabbitmq-server -detached`, or `docker run -p 5672:5672 rabbitmq:3`) "
                "or point AMQP_URL at a running broker.")


def _is_local(amqp_url: str) -> bool:
    return (urlsplit(amqp_url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def ensure_broker(amqp_url: str, out=sys.stderr) -> bool:
    """True when a broker answers, starting the local rabbitmq-server if that is what is missing."""
    if not broker_problem(amqp_url):
        return True
    if not (_is_local(amqp_url) and shutil.which("rabbitmq-server")):
        print(broker_problem(amqp_url), file=out)
        return False
    print("RabbitMQ is not running; starting it with `rabbitmq-server -detached` …", file=out)
    subprocess.run(["rabbitmq-server", "-detached"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        if not broker_problem(amqp_url, timeout_s=2.0):
            print("RabbitMQ is up.", file=out)
            return True
        time.sleep(1.0)
    print(broker_problem(amqp_url), file=out)
    return False


def main() -> int:
    return 0 if ensure_broker(load_settings(needs_jwt_secret=False).amqp_url) else 1


if __name__ == "__main__":
    sys.exit(main())
