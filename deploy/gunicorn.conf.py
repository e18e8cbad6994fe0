"""Gunicorn settings shared by every service and the gateway; the environment picks port and size.

PORT (required), WEB_WORKERS [2], WEB_THREADS [4], WEB_TIMEOUT_S [30],
WEB_WORKER_CLASS [gevent for gateway.wsgi:app, gthread for the services].
Apps are created in each worker after the fork (no connections in the master); each worker makes
its own MongoClient on first use.
"""
import json
import os
import sys

from gunicorn import util

GATEWAY_APP = "gateway.wsgi:app"

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ['PORT']}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# The gateway faces the clients, so it must not be stalled by slow ones. A threaded worker gives a
# whole thread to each connection while it dribbles in its headers or body: 2 workers x 4 threads,
# so 8 slow clients stopped it answering anyone. gevent gives each connection a greenlet instead
# (up to worker_connections, 1000 per worker) and drops a connection whose headers take longer than
# `keepalive` seconds. The services stay threaded: only the gateway calls them, with whole requests,
# and their MongoDB and RabbitMQ clients are written for threads.
worker_class = os.environ.get("WEB_WORKER_CLASS") or ("gevent" if GATEWAY_APP in sys.argv else "gthread")
timeout = int(os.environ.get("WEB_TIMEOUT_S", "30"))
graceful_timeout = 10
keepalive = 5
accesslog = None  # the apps log each request as a JSON line with its request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
preload_app = False  # also keeps gevent's monkey-patching ahead of every import of the app
# gunicorn's control socket defaults to one path per user: several masters on one host (make run
# starts four) would fight over it, and nothing here uses it.
control_socket_disable = True

# Requests gunicorn refuses itself (bad request line, URL or headers too large) never reach an app.
PROBLEM_SLUGS = {400: "malformed-request", 403: "forbidden", 414: "uri-too-long", 417: "expectation-failed",
                 431: "headers-too-large", 500: "internal", 501: "not-implemented"}


def write_problem(sock, status_int, reason, mesg):
    """gunicorn.util.write_error with the API's one error shape, RFC 7807 problem+json, for its HTML page."""
    slug = PROBLEM_SLUGS.get(status_int)
    body = json.dumps({"type": f"/problems/{slug}" if slug else "about:blank", "title": reason,
                       "status": status_int, "detail": mesg or reason}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nCache-Control: no-store\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


def post_fork(server, worker):
    """Every worker class reports these refusals through util.write_error (workers/base.py handle_error):
    replacing that one writer keeps gunicorn's own choice of status for each error, where overriding
    handle_error in a subclass per worker class would copy its 90 lines of classification."""
    util.write_error = write_problem


def post_worker_init(worker):
    """Say once, in one line, if the datastore is unreachable when this worker starts."""
    startup_check = getattr(worker.wsgi, "extensions", {}).get("clinic_startup_check")
    if startup_check:
        startup_check()
