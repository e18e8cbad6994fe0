"""A figure's own isolated stack, mailing to a stamping SMTP sink in the bench process, and optionally
with its datastore behind a counting proxy (bench/wireproxy.py).

The stack the other figures share is started without mail on purpose (stack.NOT_INHERITED): mail
there would add sending work to their loads. SMS stays off, as there. With `counted`, the bench
runs the datastore itself (the in-memory emulator, as the runner would) and gives the stack the
proxy's URL as MONGO_URL, so the runner leaves the datastore alone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from clinic_common.devmongo import mongo_url
from clinic_common.devstack.datastore import free_port, ping
from clinic_common.devstack.stack import find_repo_root

from bench import cpu
from bench import stack as stacks
from bench.notify_sink import StampingSink
from bench.wireproxy import CountingProxy

DATASTORE_READY_S = 30.0


@dataclass
class OwnStack:
    stack: stacks.Stack
    sink: StampingSink
    proxy: CountingProxy | None

    def cpu_note(self) -> str:
        used = sum(cpu_s for _name, cpu_s in cpu.snapshot(self.stack.marker).values())
        return f"this figure's own stack used {used:.0f} CPU-s, which the 'other processes' line counts as others"

    def settle(self) -> str:
        """The bench's wait for quiet (cpu.settle, as __main__.wait_quiet), on this stack."""
        waited, busy = cpu.settle(self.stack.marker)
        return f"NOT quiet within {cpu.QUIET_MAX_S:.0f} s: {busy}" if waited is None else f"{waited:.0f} s"


@contextmanager
def own_stack(counted: bool = False):
    """Yields an OwnStack; everything it started is stopped on the way out, the stack first."""
    with ExitStack() as started:
        sink = StampingSink().start()
        started.callback(sink.stop)
        extra_env, direct_url, proxy = sink.env(), "", None
        if counted:
            direct_url = started.enter_context(_datastore())
            proxy = CountingProxy(urlsplit(direct_url).port).start()
            started.callback(proxy.stop)
            extra_env["MONGO_URL"] = proxy.url
        stack = stacks.start(find_repo_root(), extra_env=extra_env, direct_mongo_url=direct_url)
        started.callback(_stop, stack)
        yield OwnStack(stack, sink, proxy)


@contextmanager
def _datastore():
    """The emulator in memory, in its own process; it dies with the bench if the bench is killed outright."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "clinic_common.devmongo", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=stacks.die_with_us())
    url = mongo_url("127.0.0.1", port)
    try:
        deadline = time.monotonic() + DATASTORE_READY_S
        while not ping(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bench's own datastore did not answer at {url} (exit code {proc.poll()})")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _stop(stack: stacks.Stack) -> None:
    code = stacks.stop(stack)
    if code != 0 or stack.leftovers:
        print(f"(a figure's own stack stopped with exit code {code}, {len(stack.leftovers)} leftover processes "
              f"killed by pid; its log: {stack.log_path})", flush=True)
    else:
        shutil.rmtree(os.path.dirname(stack.log_path), ignore_errors=True)
