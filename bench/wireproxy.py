"""A TCP proxy in front of the datastore that counts every command passing through it (bench/wire.py).

The stack is given the proxy's URL as MONGO_URL, while the bench's own calls (building the practice,
waiting for confirmations) go straight to the datastore: what is counted is the stack's work only.
It runs on an event-loop thread of the bench process, as clinic_common.devmongo.EmbeddedMongo does;
it costs the stack some speed but no command, and this figure is a count. A message the parser
cannot read is still forwarded, and counted as unparsed.
"""
from __future__ import annotations

import asyncio
import threading

from clinic_common.devmongo import mongo_url

from bench.wire import Command, MessageStream, Tally, command_of

HOST, CHUNK = "127.0.0.1", 65536


class CountingProxy:
    def __init__(self, upstream_port: int):
        self._upstream_port = upstream_port
        self._tally, self._lock = Tally(), threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-wire-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self.url = ""

    def start(self) -> "CountingProxy":
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._serve, HOST, 0))
        self.url = mongo_url(HOST, self._server.sockets[0].getsockname()[1])
        return self

    def counts(self) -> Tally:
        with self._lock:
            return self._tally.copy()

    def stop(self) -> None:
        if self._server is not None:
            self._run(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _close(self) -> None:
        self._server.close()
        self._server.close_clients()  # the stack has stopped by now; a lingering connection must not hold us
        await self._server.wait_closed()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _serve(self, client_reader, client_writer) -> None:
        upstream_writer = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(HOST, self._upstream_port)
            await asyncio.gather(self._pipe(client_reader, upstream_writer, MessageStream()),
                                 self._pipe(upstream_reader, client_writer, None))
        except OSError:
            pass  # a side went away: the client sees its connection close, as it would without us
        finally:
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    writer.transport.abort()

    async def _pipe(self, reader, writer, stream: MessageStream | None) -> None:
        while data := await reader.read(CHUNK):
            writer.write(data)
            if stream is not None:
                self._count(stream, data)
            await writer.drain()
        writer.transport.abort()  # one side closed: close the other at once, not half-open

    def _count(self, stream: MessageStream, data: bytes) -> None:
        try:
            commands = [command_of(opcode, payload) for opcode, payload in stream.feed(data)]
        except Exception:  # noqa: BLE001 - a message we misread must never break the stack's connection
            commands = [Command("?", "unparsed", 1)]
        with self._lock:
            for command in commands:
                self._tally.add(command)
