"""Real processes for the deployment tests: gunicorn started as `make run` starts it
(`gunicorn -c deploy/gunicorn.conf.py <app>`) on a free loopback port, and a tiny upstream."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parents[2]
SECRET = "deploy-test-secret-at-least-32-bytes-long"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raw_exchange(port: int, data: bytes, timeout_s: float = 10.0) -> bytes:
    """Send raw bytes, read until the server closes: what an HTTP client library would never send."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


class Gunicorn:
    """One gunicorn master with its workers; stopped (and reaped) by stop()."""

    def __init__(self, app: str, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        full_env = {**os.environ, "CLINIC_ENV": "development", "JWT_SECRET": SECRET, "REDIS_URL": "",
                    "LOG_LEVEL": "WARNING", "BIND_HOST": "127.0.0.1", **env, "PORT": str(self.port)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", app],
            cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        """Until an HTTP answer comes back (any status: the app may lack its datastore)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                if raw_exchange(self.port, b"GET /api/docs HTTP/1.0\r\n\r\n", 2).startswith(b"HTTP/"):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer in {timeout_s} s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Upstream:
    """A stand-in service: answers every /api/v1/* request with what it saw, as JSON."""

    def __init__(self):
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    @Request.application
    def _app(request: Request) -> Response:
        seen = {"method": request.method, "path": request.path, "body": request.get_data(as_text=True)}
        return Response(json.dumps(seen), 201 if request.method == "POST" else 200, mimetype="application/json")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
