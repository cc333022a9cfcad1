"""One ``redis-server`` on loopback: :class:`RedisServerProcess`, :func:`start_redis_server`."""

from __future__ import annotations

import atexit
import contextlib
import random
import shutil
import socket
import subprocess
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

import redis

from zenoo_rpc_redis_cluster.errors import RedisLaunchError, RedisServerNotFound

__all__ = ["HOST", "RedisServerProcess", "find_executable", "start_redis_server"]

HOST = "127.0.0.1"
BUS_OFFSET = 10000
_LIVE: weakref.WeakSet[RedisServerProcess] = weakref.WeakSet()


def find_executable(name: str) -> str:
    """The path of ``redis-server`` or ``redis-cli``; raises :class:`RedisServerNotFound`."""
    path = shutil.which(name)
    if path is None:
        raise RedisServerNotFound(
            f"{name} is not installed or not on PATH; the Redis tests need a real server "
            "(Debian/Ubuntu: apt-get install redis-server, which also brings redis-cli)"
        )
    return path


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_port(cluster: bool) -> int:
    """A loopback port free now (and its cluster bus port, port + 10000, too)."""
    for _ in range(200):
        port = random.randrange(20000, 55000)
        if _port_free(port) and (not cluster or _port_free(port + BUS_OFFSET)):
            return port
    raise RedisLaunchError("found no free loopback port for redis-server")


class RedisServerProcess:
    """One ``redis-server`` process on 127.0.0.1, started by :meth:`start`.

    :param directory: where its log (and, in a cluster, its node file) go.
    :param cluster: start it with ``--cluster-enabled yes``.
    :param node_timeout_ms: ``cluster-node-timeout``: how long a silent master
        stays a master before its replica is promoted.
    :param port: a fixed port (default: a free one).
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        cluster: bool = False,
        node_timeout_ms: int = 1000,
        port: int | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.cluster = cluster
        self.node_timeout_ms = node_timeout_ms
        self.port = port or _free_port(cluster)
        self.host = HOST
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>``."""
        return f"redis://{self.host}:{self.port}"

    @property
    def address(self) -> str:
        """``127.0.0.1:<port>``, as ``CLUSTER NODES`` and ``redis-cli`` write it."""
        return f"{self.host}:{self.port}"

    @property
    def log_file(self) -> Path:
        """The server's log."""
        return self.directory / f"redis-{self.port}.log"

    @property
    def running(self) -> bool:
        """Whether the process is alive (it may still be starting)."""
        return self.process is not None and self.process.poll() is None

    def _command(self) -> list[str]:
        command = [
            find_executable("redis-server"),
            "--bind",
            self.host,
            "--port",
            str(self.port),
            "--protected-mode",
            "yes",
            "--daemonize",
            "no",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
            "--logfile",
            str(self.log_file),
        ]
        if self.cluster:
            command += [
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                f"nodes-{self.port}.conf",
                "--cluster-node-timeout",
                str(self.node_timeout_ms),
            ]
        return command

    def start(self, timeout: float = 10.0) -> None:
        """Start the server (again, after :meth:`kill`) and wait until it answers PING.

        :raises RedisServerNotFound: ``redis-server`` is not installed.
        :raises RedisLaunchError: it exited or did not answer within ``timeout``.
        """
        if self.running:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        command = self._command()
        with self._stderr_file.open("wb") as stderr:
            process = subprocess.Popen(  # noqa: S603 - our own argument list, no shell
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
            )
        self.process = process
        _LIVE.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                words = self._last_words()
                self.kill()
                raise RedisLaunchError(f"redis-server on port {self.port} exited at start: {words}")
            if self._answers_as_ours():
                return
            time.sleep(0.02)
        self.kill()
        raise RedisLaunchError(
            f"redis-server on port {self.port} did not answer within {timeout}s: "
            f"{self._last_words()}"
        )

    @property
    def _stderr_file(self) -> Path:
        return self.directory / f"redis-{self.port}.stderr"

    def _last_words(self) -> str:
        lines: list[str] = []
        for path in (self.log_file, self._stderr_file):
            with contextlib.suppress(OSError):
                lines += path.read_text(errors="replace").strip().splitlines()
        lines = [line for line in lines if line.strip()]
        return lines[-1] if lines else "(no log)"

    def client(self, timeout: float = 1.0, *, db: int = 0) -> redis.Redis:
        """A synchronous redis-py client to this node (close it after use)."""
        return redis.Redis(
            host=self.host,
            port=self.port,
            db=db,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )

    def command(self, *args: Any, timeout: float = 2.0) -> Any:
        """Run one command on this node and return redis-py's reply."""
        with self.client(timeout) as conn:
            return conn.execute_command(*args)

    def ping(self) -> bool:
        """True when the server answers PING now."""
        try:
            return bool(self.command("PING", timeout=0.5))
        except (redis.RedisError, OSError):
            return False

    def _answers_as_ours(self) -> bool:
        # Another server already on the port would answer PING too.
        try:
            pid = self.info("server").get("process_id")
        except (redis.RedisError, OSError):
            return False
        return self.process is not None and pid == self.process.pid

    def info(self, section: str) -> dict[str, Any]:
        """``INFO <section>`` as a dict."""
        value: dict[str, Any] = self.command("INFO", section)
        return value

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), like a crash; no-op when not running."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        _LIVE.discard(self)

    def restart(self, timeout: float = 10.0) -> None:
        """Kill (if running) and start again on the same port, with the same node file."""
        self.kill()
        self.start(timeout)

    def __enter__(self) -> RedisServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.kill()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"RedisServerProcess({self.address}, {state})"


def start_redis_server(directory: str | Path, *, timeout: float = 10.0) -> RedisServerProcess:
    """Start one plain (non-cluster) ``redis-server`` on a free loopback port.

    :raises RedisServerNotFound: ``redis-server`` is not installed.
    """
    node = RedisServerProcess(directory)
    node.start(timeout)
    return node


def _kill_leftovers() -> None:
    for server in list(_LIVE):
        server.kill()


atexit.register(_kill_leftovers)
