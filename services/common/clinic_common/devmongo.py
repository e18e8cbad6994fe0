"""The embedded MongoDB-wire server for machines with no MongoDB: mongoeco's wire server over TCP.

Real pymongo clients talk to it. `make run` keeps its data in a SQLite file under
var/; tests use memory. It is a development stand-in, never a production datastore.

    python -m clinic_common.devmongo --port 27017 [--sqlite var/mongo.sqlite]
"""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading


def _engine(sqlite_path: str | None):
    from mongoeco.engines import MemoryEngine, SQLiteEngine  # dev-only dependency, imported on use

    return SQLiteEngine(sqlite_path) if sqlite_path else MemoryEngine()


def _server(host: str, port: int, sqlite_path: str | None):
    from mongoeco.wire import AsyncMongoEcoProxyServer

    return AsyncMongoEcoProxyServer(engine=_engine(sqlite_path), host=host, port=port)


def mongo_url(host: str, port: int) -> str:
    return f"mongodb://{host}:{port}/?directConnection=true"


class EmbeddedMongo:
    """A wire server on its own event-loop thread, for tests in this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, sqlite_path: str | None = None):
        self._args = (host, port, sqlite_path)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="embedded-mongo", daemon=True)
        self._server = None
        self.url = ""

    def start(self) -> "EmbeddedMongo":
        self._thread.start()
        self._server = _server(*self._args)
        address = asyncio.run_coroutine_threadsafe(self._server.start(), self._loop).result(timeout=30)
        self.url = mongo_url(address.host, address.port)
        return self

    def stop(self) -> None:
        if self._server is not None:
            asyncio.run_coroutine_threadsafe(self._server.close(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


async def _serve_forever(host: str, port: int, sqlite_path: str | None) -> None:
    server = _server(host, port, sqlite_path)
    address = await server.start()
    print(f"mongo-wire server ready at {mongo_url(address.host, address.port)}", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    await stopped.wait()
    await server.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="MongoDB-wire dev server (mongoeco)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=27017)
    parser.add_argument("--sqlite", default=None, help="keep data in this SQLite file (default: memory)")
    args = parser.parse_args(argv)
    asyncio.run(_serve_forever(args.host, args.port, args.sqlite))
    return 0


if __name__ == "__main__":
    sys.exit(main())
