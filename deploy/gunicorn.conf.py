"""Gunicorn settings shared by every service and the gateway; the environment picks port and size.

PORT (required), WEB_WORKERS [2], WEB_THREADS [4], WEB_TIMEOUT_S [30].
Apps are created in the master (no connections there); each worker makes its own
MongoClient on first use, after the fork.
"""
import os

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ['PORT']}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT_S", "30"))
graceful_timeout = 10
keepalive = 5
accesslog = None  # the apps log each request as a JSON line with its request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
preload_app = False
# gunicorn's control socket defaults to one path per user: several masters on one host (make run
# starts four) would fight over it, and nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    """Say once, in one line, if the datastore is unreachable when this worker starts."""
    startup_check = getattr(worker.wsgi, "extensions", {}).get("clinic_startup_check")
    if startup_check:
        startup_check()
