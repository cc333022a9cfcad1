"""The emulator (or another loopback server) in a child process of a benchmark suite.

Both halves of one small protocol live here. The child serves on 127.0.0.1,
prints one line ``PORT <n>`` once it listens, and stops when its stdin closes
(the parent is done or gone) or its time runs out: :func:`serve_until_stdin_eof`
for the emulator, :func:`announce` and :func:`wait_for_stdin_eof` for another
server. The parent, :class:`EmulatorProcess`, waits for that line with a
timeout and stops the child: closes its stdin, then terminates it, then kills
it; :func:`running` does both around a block.

The top level is stdlib only: ``run.py`` imports the suites (which import
this) in an interpreter that may lack ``zenoo_rpc``. The suites' scripts find
it because their directory is ``sys.path[0]``, whichever venv runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- parent


class EmulatorProcess:
    """A server child process on a loopback port: spawned now, waited for by :meth:`start`.

    ``command`` runs in ``bench/``; ``name`` opens the error raised when no
    ``PORT <n>`` line comes within ``timeout`` seconds (``"<name> did not start: ..."``).
    """

    def __init__(self, command: list[str], *, name: str, timeout: float) -> None:
        self.name = name
        self.timeout = timeout
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=BENCH
        )
        self.url = ""

    def start(self) -> None:
        """Wait for its ``PORT <n>`` line (it builds its emulator first); stop it if none comes."""
        stdout = self.process.stdout
        assert stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.timeout)
        words = lines[0].split() if lines else []
        if len(words) != 2 or words[0] != "PORT":
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {words!r}")
        self.url = f"http://127.0.0.1:{words[1]}"

    def stop(self) -> None:
        """Close its stdin (it exits by itself), then terminate, then kill; again is harmless."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        for action in (None, self.process.terminate, self.process.kill):
            if action is not None:
                with contextlib.suppress(OSError):
                    action()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue
            break
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.contextmanager
def running(*servers: EmulatorProcess) -> Iterator[tuple[EmulatorProcess, ...]]:
    """Start each server in turn (spawned already, they boot side by side); stop all after."""
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


# --------------------------------------------------------------------------- child


def announce(port: int | str) -> None:
    """Tell the parent where to connect: the ``PORT <n>`` line."""
    print("PORT", port, flush=True)


async def wait_for_stdin_eof(max_seconds: float | None = None) -> None:
    """Return once stdin closes (the parent is done or gone) or ``max_seconds`` have passed."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), max_seconds)


async def serve_until_stdin_eof(version: int, size: int, max_seconds: float | None = None) -> None:
    """``Emulator(version, size)`` over uvicorn (HTTP and websockets) on 127.0.0.1.

    Prints ``PORT <n>``; serves until stdin closes or ``max_seconds`` have passed.
    """
    from zenoo_rpc.testing.emulator.serve import serve_emulator
    from zenoo_rpc.testing.emulator.server import Emulator

    emulator = Emulator(version=version, size=size)
    async with serve_emulator(emulator, host="127.0.0.1") as url:
        announce(url.rsplit(":", 1)[1])
        await wait_for_stdin_eof(max_seconds)
