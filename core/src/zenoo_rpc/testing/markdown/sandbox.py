"""Where a documentation block runs: its directory, environment, servers and substitutions.

Examples show what readers will type: a production URL, a production
database, credentials from the environment. The runner never edits what the
page shows; it runs the block against emulators through this explicit table
(:data:`SUBSTITUTIONS`), applied to the text it executes or writes to disk:

==================================  ===========================================================
shown on the page                   what the block runs against
==================================  ===========================================================
``https://odoo.example.com``        the *production* emulator: Odoo 19, database ``prod``,
``https://staging.odoo.example.com``  user ``integration-bot`` (password ``$ODOO_PASSWORD``,
                                    API key ``$ODOO_API_KEY``) with the admin's rights, served
                                    over HTTP on a free loopback port
``http://127.0.0.1:8069``,          an emulator (Odoo 18, database ``demo``, admin / admin)
``http://localhost:8069``           served on a free loopback port, unless the block starts
                                    ``zenoo emulator`` itself (then: that server)
``memory://<name>``                 unchanged: a fresh in-process emulator for each block
``/var/log/...`` (a file path)      the same path inside the block's directory, its parent
                                    directories created (a log file of a production config)
==================================  ===========================================================

Environment: every ``ZENOO_*`` variable of the outer environment is removed
and :data:`ENVIRONMENT` is set (``ODOO_API_KEY`` and ``ODOO_PASSWORD`` are the
production emulator's). The block runs in its own empty directory. When it
ends, the working directory, ``os.environ``, ``sys.path``, modules imported
from the block's directory, the model registry and the root logger are put
back as they were, and every server is stopped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from zenoo_rpc.testing.transport import unregister_emulator

__all__ = [
    "ENVIRONMENT",
    "LOOPBACK_URLS",
    "PRODUCTION",
    "PRODUCTION_URLS",
    "SUBSTITUTIONS",
    "Sandbox",
]

#: The production server the examples show, and the emulator that plays it.
PRODUCTION = {
    "version": "19",
    "database": "prod",
    "login": "integration-bot",
    "password": "docs-bot-password",
}
#: Production URLs shown in examples (longest first: ``staging.`` must win).
PRODUCTION_URLS = ("https://staging.odoo.example.com", "https://odoo.example.com")
#: The emulator ``zenoo emulator`` would start, as examples address it.
LOOPBACK_URLS = ("http://127.0.0.1:8069", "http://localhost:8069")
#: Environment variables every block gets (``ODOO_API_KEY`` is set when the sandbox opens).
ENVIRONMENT = {
    "ODOO_PASSWORD": PRODUCTION["password"],
    "REDIS_PASSWORD": "docs-redis-password",
}
#: The table the module docstring shows, for tools that print it.
SUBSTITUTIONS = {
    **dict.fromkeys(PRODUCTION_URLS, "production emulator (Odoo 19, db prod), loopback HTTP"),
    **dict.fromkeys(LOOPBACK_URLS, "demo emulator (Odoo 18, db demo), loopback HTTP"),
    "/var/log/...": "the same path inside the block's directory",
}

_MEMORY_URL = re.compile(r"memory://([A-Za-z0-9_.\-]+)")
_LOG_PATH = re.compile(r"(?<![\w/.])/var/log/[\w./-]+")


class Sandbox:
    """The directory, environment, emulators and substitutions of one block's run.

    Use it as a context manager; :meth:`substitute` turns a page's text into
    what runs. Servers start on first need and stop when the sandbox closes.

    :param workdir: an empty directory the block runs in.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        #: ``sys.path`` entries the block may import from (its files, an installed example).
        self.import_paths: list[Path] = []
        self._stack = contextlib.ExitStack()
        self._loopback: dict[str, str] = {}
        self._production_url: str | None = None
        self._demo_url: str | None = None
        self._saved: dict[str, Any] = {}
        self._production: tuple[Any, str] | None = None
        self._api_key = ""
        self._memory_names: set[str] = set()

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Sandbox:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._saved = {
            "cwd": os.getcwd(),
            "environ": dict(os.environ),
            "path": list(sys.path),
            "modules": set(sys.modules),
            "models": _model_snapshot(),
            "root": _logging_snapshot(),
        }
        try:
            for name in [name for name in os.environ if name.startswith("ZENOO_")]:
                del os.environ[name]
            self._production = _production_emulator()
            self._api_key = self._production[1]
            os.environ.update(ENVIRONMENT, ODOO_API_KEY=self._api_key)
            os.chdir(self.workdir)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        saved = self._saved
        try:
            self._stack.close()
        finally:
            os.chdir(saved["cwd"])
            os.environ.clear()
            os.environ.update(saved["environ"])
            sys.path[:] = saved["path"]
            self._forget_modules(saved["modules"])
            _restore_models(saved["models"])
            _restore_logging(saved["root"])
            for name in self._memory_names:
                unregister_emulator(name)

    @property
    def api_key(self) -> str:
        """The production emulator's API key for ``integration-bot`` (``$ODOO_API_KEY``)."""
        return self._api_key

    # ------------------------------------------------------------------ substitutions

    def substitute(self, text: str) -> str:
        """``text`` as it runs: production and loopback URLs replaced (see the module doc).

        Servers for the URLs found are started here; ``memory://`` names found
        are forgotten so that the block gets fresh in-process emulators.
        """
        for url in PRODUCTION_URLS:
            if url in text:
                text = text.replace(url, self._serve_production())
        for url in LOOPBACK_URLS:
            if url in text:
                text = text.replace(url, self._serve_loopback(url))
        text = _LOG_PATH.sub(self._log_path, text)
        names = set(_MEMORY_URL.findall(text))
        for name in names - self._memory_names:
            unregister_emulator(name)
        self._memory_names = self._memory_names | names
        return text

    def _log_path(self, match: re.Match[str]) -> str:
        path = self.workdir / match.group(0).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    def bind_loopback(self, shown_url: str, real_url: str) -> None:
        """Make ``shown_url`` (``http://127.0.0.1:8069``) mean a server the block started."""
        self._loopback[shown_url] = real_url

    def _serve_production(self) -> str:
        if self._production_url is None:
            if self._production is None:
                raise RuntimeError("Sandbox.substitute() runs inside `with Sandbox(...)`")
            self._production_url = self._serve(self._production[0])
        return self._production_url

    def _serve_loopback(self, url: str) -> str:
        if url in self._loopback:
            return self._loopback[url]
        if self._demo_url is None:
            from zenoo_rpc.testing.emulator.server import Emulator

            self._demo_url = self._serve(Emulator())
        return self._demo_url

    def _serve(self, emulator: Any) -> str:
        from zenoo_rpc.testing.emulator.serve import serve_emulator_in_thread

        url: str = self._stack.enter_context(serve_emulator_in_thread(emulator))
        return url

    def _forget_modules(self, before: set[str]) -> None:
        roots = [str(path) for path in (self.workdir, *self.import_paths)]
        for name in set(sys.modules) - before:
            module = sys.modules.get(name)
            where = str(getattr(module, "__file__", None) or "")
            if any(where.startswith(root) for root in roots):
                del sys.modules[name]

    def environment(self) -> dict[str, str]:
        """The environment of a subprocess started by the block (``os.environ`` plus paths)."""
        env = dict(os.environ)
        paths = [str(path) for path in self.import_paths]
        if paths:
            env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep
            )
        return env


def _production_emulator() -> tuple[Any, str]:
    """The emulator playing ``https://odoo.example.com`` and its bot's API key."""
    from zenoo_rpc.testing.emulator.server import Emulator

    emulator = Emulator(version=int(PRODUCTION["version"]), databases=(PRODUCTION["database"],))
    database = emulator.database(PRODUCTION["database"])
    admin_uid = 2
    groups = "group_ids" if emulator.version >= 19 else "groups_id"
    (admin,) = database.call(admin_uid, "res.users", "read", [[admin_uid], [groups]], {})
    uid = database.call(
        admin_uid,
        "res.users",
        "create",
        [
            {
                "name": "Integration Bot",
                "login": PRODUCTION["login"],
                "password": PRODUCTION["password"],
                groups: [(6, 0, admin[groups])],
            }
        ],
        {},
    )
    return emulator, database.create_api_key(uid, "documentation examples")


def _model_snapshot() -> dict[str, Any]:
    from zenoo_rpc.models.registry import default_registry

    return {name: default_registry.get(name) for name in default_registry.names()}


def _restore_models(snapshot: dict[str, Any]) -> None:
    from zenoo_rpc.models.registry import default_registry

    for name in default_registry.names():
        if name not in snapshot:
            default_registry.unregister(name)
    for name, model_class in snapshot.items():
        if default_registry.get(name) is not model_class:
            default_registry.register(name, model_class)


def _logging_snapshot() -> tuple[int, list[logging.Handler], dict[str, Any]]:
    root = logging.getLogger()
    levels = {
        name: (logger.level, list(logger.handlers), logger.propagate)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    return root.level, list(root.handlers), levels


def _restore_logging(snapshot: tuple[int, list[logging.Handler], dict[str, Any]]) -> None:
    level, handlers, levels = snapshot
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        with contextlib.suppress(Exception):
            handler.close()
    root.setLevel(level)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        if name in levels:
            saved_level, saved_handlers, propagate = levels[name]
            for handler in [h for h in logger.handlers if h not in saved_handlers]:
                logger.removeHandler(handler)
                with contextlib.suppress(Exception):
                    handler.close()
            logger.setLevel(saved_level)
            logger.propagate = propagate
        else:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                with contextlib.suppress(Exception):
                    handler.close()
