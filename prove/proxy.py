"""A TCP proxy whose mode is switched at run time: how the proving ground breaks the broker and the datastore.

    python -m prove.proxy LISTEN_PORT UPSTREAM_PORT     # modes read from stdin, one per line; "ok" on stdout

Modes:
- up: bytes flow both ways.
- down: every connection is cut and the port refuses new ones (the listener is closed), as a dead host does.
- hung: connections stay open and new ones are accepted, but not one byte moves either way, as a frozen host
  does; back to up, the held bytes flow again (a host that thaws, rather than one that restarts).
- flapping SECONDS: up and down in turn, each for SECONDS.

It runs in its own process so that relaying every datastore byte never competes with the test's clients for
the GIL; it exits when stdin closes, so it cannot outlive the harness that drives it.
"""
from __future__ import annotations

import asyncio
import sys

HOST, CHUNK = "127.0.0.1", 65536


class Proxy:
    def __init__(self, listen_port: int, upstream_port: int):
        self.listen_port, self.upstream_port = listen_port, upstream_port
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.server: asyncio.base_events.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()
        self.flapper: asyncio.Task | None = None

    async def listen(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(self._serve, HOST, self.listen_port, reuse_address=True)

    async def refuse(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.links):  # cut: both ends of every live connection see it close
            writer.transport.abort()
        self.links.clear()

    async def set_mode(self, mode: str, arg: float | None = None) -> None:
        if self.flapper is not None:
            self.flapper.cancel()
            self.flapper = None
        if mode == "up":
            await self.listen()
            self.flowing.set()
        elif mode == "down":
            self.flowing.set()  # nothing waits on a frozen pipe once it is cut
            await self.refuse()
        elif mode == "hung":
            self.flowing.clear()
            await self.listen()  # a frozen host still completes the TCP handshake (the kernel does it)
        elif mode == "flapping":
            self.flapper = asyncio.create_task(self._flap(arg or 3.0))
        else:
            raise ValueError(mode)

    async def _flap(self, period_s: float) -> None:
        while True:
            await self.refuse()
            await asyncio.sleep(period_s)
            await self.listen()
            self.flowing.set()
            await asyncio.sleep(period_s)

    async def _serve(self, client_reader, client_writer) -> None:
        self.links.add(client_writer)
        upstream_writer = None
        try:
            await self.flowing.wait()  # hung: the connection is accepted but the upstream never hears of it
            upstream_reader, upstream_writer = await asyncio.open_connection(HOST, self.upstream_port)
            self.links.add(upstream_writer)
            await asyncio.gather(self._pipe(client_reader, upstream_writer),
                                 self._pipe(upstream_reader, client_writer))
        except OSError:
            pass  # the upstream refused or a side was cut: the client sees its connection close
        finally:
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    self.links.discard(writer)
                    writer.transport.abort()

    async def _pipe(self, reader, writer) -> None:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                writer.transport.abort()  # one side closed: close the other at once, not half-open
                return
            await self.flowing.wait()
            writer.write(data)
            await writer.drain()


async def control(proxy: Proxy) -> None:
    """One command per stdin line; EOF (the harness went away) ends the proxy."""
    loop = asyncio.get_running_loop()
    await proxy.listen()
    print("ok", flush=True)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        words = line.split()
        if not words:
            continue
        try:
            await proxy.set_mode(words[0], float(words[1]) if len(words) > 1 else None)
            print("ok", flush=True)
        except (ValueError, OSError) as exc:
            print(f"error {type(exc).__name__}: {exc}", flush=True)


def main(argv: list[str]) -> int:
    proxy = Proxy(int(argv[0]), int(argv[1]))
    asyncio.run(control(proxy))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
