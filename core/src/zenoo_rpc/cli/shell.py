"""``zenoo shell``: a Python REPL with a logged-in ``client``, ``env`` and top-level ``await``.

::

    $ zenoo shell
    >>> await client.search_count("res.partner", [])
    42
    >>> partners = env["res.partner"]
    >>> await partners.search_read([("is_company", "=", True)], ["name"], limit=3)

Statements are compiled with ``ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`` and run on
the one event loop the client was connected on. ``env["model"]`` is
``client.model("model")`` when the ORM is installed, else a small proxy
whose methods call the server (``await env["res.partner"].search_count([])``).

Input can be piped: ``echo 'await client.version()' | zenoo shell``; then no
prompt or banner is printed, results go to stdout, and the exit code is 1
when any statement raised.
"""

from __future__ import annotations

import ast
import asyncio
import code
import inspect
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from zenoo_rpc.cli.state import CliState, pass_state, stdin_is_tty

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["AsyncConsole", "ModelProxy", "ModelRegistry", "shell"]

#: Client methods that take the model name first (``client.search_read(model, ...)``).
_CLIENT_MODEL_METHODS = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "read",
        "create",
        "write",
        "unlink",
        "fields_get",
        "name_search",
        "read_group",
    }
)


class ModelProxy:
    """``env["res.partner"]`` without the ORM: each attribute is an async method call.

    ``await proxy.search_read(domain, fields, limit=5)`` is
    ``client.search_read("res.partner", domain, fields, limit=5)``; any other
    name calls that method on the server (``await proxy.action_archive([7])``).
    """

    def __init__(self, client: ZenooClient, model: str) -> None:
        self._client = client
        self._model = model

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        client, model = self._client, self._model
        if name in _CLIENT_MODEL_METHODS:
            method: Callable[..., Any] = getattr(client, name)

            async def bound(*args: Any, **kwargs: Any) -> Any:
                return await method(model, *args, **kwargs)

        else:

            async def bound(*args: Any, **kwargs: Any) -> Any:
                return await client.call(model, name, *args, **kwargs)

        bound.__name__ = bound.__qualname__ = f"{model}.{name}"
        return bound

    def __repr__(self) -> str:
        return f"<model {self._model} (without the ORM: methods are server calls)>"


class ModelRegistry:
    """``env``: ``env["res.partner"]`` gives a model to call methods on."""

    def __init__(self, client: ZenooClient) -> None:
        self._client = client

    def __getitem__(self, model: str) -> Any:
        factory = getattr(self._client, "model", None)
        if callable(factory):
            return factory(model)
        return ModelProxy(self._client, model)

    def __repr__(self) -> str:
        return f"<env of {self._client!r}>"


class AsyncConsole(code.InteractiveConsole):
    """An interactive console that runs top-level ``await`` on one event loop."""

    def __init__(
        self, namespace: dict[str, Any], loop: asyncio.AbstractEventLoop, *, interactive: bool
    ) -> None:
        super().__init__(namespace, filename="<zenoo shell>")
        self.compile.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        self.loop = loop
        self.interactive = interactive
        self.failures = 0

    def runcode(self, code_object: types.CodeType) -> None:
        function = types.FunctionType(code_object, self.locals)
        try:
            result = function()
            if inspect.iscoroutine(result):
                self.loop.run_until_complete(result)
        except SystemExit:
            raise
        except BaseException:
            self.failures += 1
            self.showtraceback()

    def showsyntaxerror(self, filename: str | None = None, **kwargs: Any) -> None:
        self.failures += 1
        super().showsyntaxerror(filename, **kwargs)

    def raw_input(self, prompt: str = "") -> str:
        if self.interactive:
            return input(prompt)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")


@click.command()
@pass_state
def shell(state: CliState) -> None:
    """Python REPL with a logged-in client (await works)."""
    interactive = stdin_is_tty()
    loop = asyncio.new_event_loop()
    context = state.client()
    try:
        client = loop.run_until_complete(context.__aenter__())
        try:
            failures = _interact(client, loop, interactive=interactive)
        finally:
            loop.run_until_complete(context.__aexit__(None, None, None))
    finally:
        loop.close()
    if failures and not interactive:
        raise SystemExit(1)


def _interact(client: ZenooClient, loop: asyncio.AbstractEventLoop, *, interactive: bool) -> int:
    """Run the console until end of input; return how many statements failed."""
    namespace: dict[str, Any] = {
        "__name__": "__zenoo_shell__",
        "__builtins__": __builtins__,
        "asyncio": asyncio,
        "client": client,
        "env": ModelRegistry(client),
    }
    console = AsyncConsole(namespace, loop, interactive=interactive)
    banner = ""
    if interactive:
        _enable_completion(namespace)
        session = client.session
        who = f"uid {session.uid} on {session.db}" if session else "not logged in"
        banner = (
            f"zenoo shell: {client.redacted_url}, {who}, over {client.protocol}\n"
            'client, env["res.partner"] and asyncio are ready; `await` works here. '
            "Ctrl-D quits."
        )
    console.interact(banner=banner, exitmsg="")
    return console.failures


def _enable_completion(namespace: dict[str, Any]) -> None:
    try:
        import readline
        import rlcompleter
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return
    readline.set_completer(rlcompleter.Completer(namespace).complete)
    readline.parse_and_bind("tab: complete")
