"""Shell blocks (``bash``, ``sh``, ``shell``, ``console``, or no language): commands, run.

A ``console`` block's commands are its ``$ `` lines (the rest is output, not
compared); in the others every line is a command (``\\`` continues a line,
``#`` starts a comment). Each command is one of:

- ``zenoo ...``: run in this process through :func:`zenoo_rpc.cli.main`, the
  function the ``zenoo`` script calls, in the block's directory;
- ``python -m <module> ...`` / ``python <file>``: run in this process with
  :mod:`runpy`, as the interpreter would;
- in a block that starts a server (a terminal session, like the README's
  newcomer path), ``zenoo`` and ``python`` commands run as real subprocesses
  of this interpreter instead, talking to that server over HTTP;
- a server, ``zenoo emulator`` (or ``zenoo-emulator``, ``python -m zenoo_rpc.testing``):
  started as a real subprocess on a free port (``--port N`` becomes
  ``--port 0``); the URL it prints replaces ``http://127.0.0.1:N`` (and
  ``localhost:N``) in later commands; stopped with SIGTERM when the block
  ends, which must exit 0;
- ``export NAME=value ...`` or a ``NAME=value`` prefix: environment variables;
- ``cat``, ``head``, ``ls``, ``wc``: run as subprocesses on the files the block wrote;
- a command of :data:`NOT_EXECUTED` (``pip install``, ``nox``...): not run, for
  the reason given there.

Anything else fails the block: make it runnable, or add it to
:data:`NOT_EXECUTED` with a reason. A command must exit 0, unless its line
ends with a comment ``# exit N`` (``zenoo call res.nothing read  # exit 1``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock
from zenoo_rpc.testing.markdown.sandbox import Sandbox

__all__ = [
    "NOT_EXECUTED",
    "ShellBlockError",
    "ShellCommand",
    "not_executed_reason",
    "parse_commands",
    "run_shell",
]

_INSTALLS = (
    "installs packages: the test environment has them, and a page's own project is built "
    "and installed from its file= blocks"
)
#: Commands shown but never run, by pattern on the command text, with the reason.
NOT_EXECUTED: dict[str, str] = {
    r"^python3? -m pip install -q nox uv && nox\b": "runs nox sessions; CI runs each of them",
    r"^(python3? -m )?pip install\b": _INSTALLS,
    r"^uv (pip install|add|sync)\b": _INSTALLS,
    r"^nox\b": "runs a nox session; CI runs each session itself",
    r"^(sudo )?apt(-get)? install\b": "installs system packages",
    r"^git clone\b": "fetches the repository the tests already run in",
    r"^zenoo shell\b": "starts an interactive REPL",
    r"^python3? -m pytest core/tests/docs\b": "runs this runner itself",
    r"^kill %\d+$": "stops a background server; the runner stops it itself (SIGTERM)",
}

_SERVERS = (("zenoo", "emulator"), ("zenoo-emulator",), ("python", "-m", "zenoo_rpc.testing"))
_FILE_TOOLS = ("cat", "head", "ls", "wc")
_EXPECTED_EXIT = re.compile(r"\s#\s*exit\s+(\d+)\b")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_URL_LINE = re.compile(r"(https?://\S+)")


class ShellBlockError(ZenooError, AssertionError):
    """A command of a shell block failed, or cannot be run by the documentation runner."""


@dataclass(frozen=True)
class ShellCommand:
    """One command of a shell block.

    :ivar text: the command as shown (prompt, comment and continuation removed).
    :ivar line: its line in the page.
    :ivar expected_exit: the exit status it must end with (``# exit N``, default 0).
    :ivar background: it ends with ``&``.
    """

    text: str
    line: int
    expected_exit: int = 0
    background: bool = False


def parse_commands(block: CodeBlock) -> list[ShellCommand]:
    """The commands of a shell block, in order."""
    raw = block.source.splitlines()
    console = block.language == "console" or any(line.startswith("$ ") for line in raw)
    commands: list[ShellCommand] = []
    pending, start = "", 0
    for offset, line in enumerate(raw):
        number = block.first_source_line + offset
        if not pending:
            if console:
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            start = number
        expected = _EXPECTED_EXIT.search(line)
        code = _strip_comment(line).rstrip()
        if code.endswith("\\"):
            pending += code[:-1] + " "
            continue
        text = (pending + code).strip()
        pending = ""
        if not text:
            continue
        background = text.endswith("&") and not text.endswith("&&")
        commands.append(
            ShellCommand(
                text=text.rstrip("&").strip() if background else text,
                line=start,
                expected_exit=int(expected.group(1)) if expected else 0,
                background=background,
            )
        )
    return commands


def not_executed_reason(command: ShellCommand) -> str | None:
    """Why ``command`` is shown but not run (:data:`NOT_EXECUTED`), or None if it runs."""
    for pattern, reason in NOT_EXECUTED.items():
        if re.search(pattern, command.text):
            return reason
    return None


def run_shell(blocks: list[CodeBlock], sandbox: Sandbox) -> list[str]:
    """Run the commands of ``blocks`` (a chain, the block under test last) in order.

    :return: one line per command not run, with its reason.
    :raises ShellBlockError: a command failed or is not runnable.
    """
    skipped: list[str] = []
    commands = [(block, command) for block in blocks for command in parse_commands(block)]
    session = any(_is_server(shlex.split(command.text)) for _, command in commands)
    with contextlib.ExitStack() as servers:
        for block, command in commands:
            reason = not_executed_reason(command)
            if reason is not None:
                skipped.append(f"{block.path.name}:{command.line}: {command.text} ({reason})")
                continue
            _run(command, block, sandbox, servers, subprocesses=session)
    return skipped


def _is_server(words: list[str]) -> bool:
    return any(tuple(words[: len(server)]) == server for server in _SERVERS)


def _run(
    command: ShellCommand,
    block: CodeBlock,
    sandbox: Sandbox,
    servers: contextlib.ExitStack,
    *,
    subprocesses: bool,
) -> None:
    where = f"{block.path.name}:{command.line}"
    words = shlex.split(command.text)
    env: dict[str, str] = {}
    while words and _ASSIGNMENT.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = sandbox.substitute(value)
    if not words:
        os.environ.update(env)
        return
    if words[0] == "export":
        for word in words[1:]:
            name, _, value = word.partition("=")
            os.environ[name] = sandbox.substitute(value)
        return
    if _is_server(words):
        servers.enter_context(_server(words, where, command, sandbox, env))
        return
    words = [sandbox.substitute(word) for word in words]
    with _environment(env):
        if subprocesses and words[0] in ("zenoo", "python", "python3"):
            status, output = _subprocess(words, sandbox)
        elif words[0] == "zenoo":
            status, output = _in_process(lambda: _zenoo(words[1:]))
        elif words[0] in ("python", "python3") and len(words) > 1:
            status, output = _in_process(lambda: _python(words[1:]))
        elif words[0] in _FILE_TOOLS:
            done = subprocess.run(  # noqa: S603 - a fixed set of POSIX tools
                words, capture_output=True, text=True, timeout=30, check=False
            )
            status, output = done.returncode, done.stdout + done.stderr
        else:
            raise ShellBlockError(
                f"{where}: the documentation runner cannot run `{command.text}`: make it a "
                "zenoo / python -m command, or add it to NOT_EXECUTED with a reason"
            )
    sys.stdout.write(output)
    if status != command.expected_exit:
        raise ShellBlockError(
            f"{where}: `{command.text}` exited with {status}, expected "
            f"{command.expected_exit}; its output:\n{output}"
        )


def _subprocess(words: list[str], sandbox: Sandbox) -> tuple[int, str]:
    """Run a ``zenoo`` / ``python`` command as a real process of this interpreter."""
    if words[0] == "zenoo":
        argv = [sys.executable, "-m", "zenoo_rpc.cli", *words[1:]]
    else:
        argv = [sys.executable, *words[1:]]
    done = subprocess.run(  # noqa: S603 - this interpreter, the page's command
        argv,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=sandbox.workdir,
        env=sandbox.environment(),
    )
    return done.returncode, done.stdout + done.stderr


def _zenoo(args: list[str]) -> int:
    from zenoo_rpc.cli import main

    return main(args)


def _python(args: list[str]) -> int:
    saved = list(sys.argv)
    try:
        if args[0] == "-m" and len(args) > 1:
            sys.argv = [args[1], *args[2:]]
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        elif not args[0].startswith("-"):
            sys.argv = list(args)
            runpy.run_path(args[0], run_name="__main__")
        else:
            raise ShellBlockError(f"unsupported python invocation: python {' '.join(args)}")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    finally:
        sys.argv = saved
    return 0


def _in_process(function: Callable[[], int]) -> tuple[int, str]:
    """Run ``function``, capturing stdout and stderr (text and ``.buffer``, as a terminal's)."""
    raw_out, raw_err = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(raw_out, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(raw_err, encoding="utf-8", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = function()
    out.flush()
    err.flush()
    text = (raw_out.getvalue() + raw_err.getvalue()).decode("utf-8", "replace")
    return int(status), text


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _server(
    words: list[str], where: str, command: ShellCommand, sandbox: Sandbox, env: dict[str, str]
) -> Iterator[None]:
    """Start a server command on a free port; bind its URL to the one the page shows."""
    shown_port = "8069"
    args = list(words)
    if "--port" in args:
        position = args.index("--port")
        shown_port = args[position + 1]
        args[position + 1] = "0"
    else:
        args += ["--port", "0"]
    if args[0] == "zenoo":
        argv = [sys.executable, "-m", "zenoo_rpc.cli", *args[1:]]
    elif args[0] == "zenoo-emulator":
        argv = [sys.executable, "-m", "zenoo_rpc.testing", *args[1:]]
    else:
        argv = [sys.executable, *args[1:]]
    log = sandbox.workdir / f".server-{command.line}.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, the page's command
            argv,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**sandbox.environment(), **env},
            cwd=sandbox.workdir,
        )
    try:
        url = _first_url(process, timeout=60)
        if url is None:
            raise ShellBlockError(
                f"{where}: `{command.text}` printed no URL; it said:\n{log.read_text()}"
            )
        for host in ("127.0.0.1", "localhost"):
            sandbox.bind_loopback(f"http://{host}:{shown_port}", url)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise ShellBlockError(f"{where}: `{command.text}` did not stop on SIGTERM") from None
        finally:
            if process.stdout is not None:
                process.stdout.close()
    if status != 0:
        raise ShellBlockError(
            f"{where}: `{command.text}` exited with {status} on SIGTERM; it said:\n"
            f"{log.read_text()}"
        )


def _first_url(process: subprocess.Popen[str], timeout: float) -> str | None:
    found: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            match = _URL_LINE.search(line)
            if match:
                found.append(match.group(1).rstrip("/"))
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(timeout)
    return found[0] if found else None


def _strip_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or line[position - 1].isspace()):
            return line[:position]
    return line
