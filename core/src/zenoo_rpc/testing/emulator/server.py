"""The emulated Odoo server: databases, web sessions, faults, and every HTTP route.

``Emulator.handle`` takes an :class:`~zenoo_rpc.transports.base.HttpRequest`
and answers exactly like an Odoo 16-19 server would (status, headers, body),
so the same client code runs against it in-process (``memory://``), over
loopback HTTP (:mod:`~zenoo_rpc.testing.emulator.serve`) or against a real
Odoo. Version differences live in the routes: JSON-2, ``/json/version`` and
``/doc-bearer`` exist only on 19, where legacy RPC logs a deprecation warning.

Handlers are synchronous and run on the event loop, so each ORM call is
atomic: concurrent requests never interleave inside one call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from email.utils import formatdate
from typing import Any

from zenoo_rpc.testing.emulator.bus import Bus
from zenoo_rpc.testing.emulator.database import Database
from zenoo_rpc.testing.emulator.faults import ConnectionDropped, Faults
from zenoo_rpc.testing.emulator.routes.doc import doc_route
from zenoo_rpc.testing.emulator.routes.http import (
    WebRequest,
    html_error_page,
    not_found_page,
    text_response,
)
from zenoo_rpc.testing.emulator.routes.json2 import json2_route
from zenoo_rpc.testing.emulator.routes.jsonrpc import jsonrpc_route
from zenoo_rpc.testing.emulator.routes.report import report_route
from zenoo_rpc.testing.emulator.routes.web import (
    WEB_HTTP_ROUTES,
    WEB_JSON_ROUTES,
    health_route,
    version_route,
)
from zenoo_rpc.testing.emulator.routes.xmlrpc import xmlrpc_route
from zenoo_rpc.testing.emulator.sessions import LoginCooldown, WebSessions
from zenoo_rpc.transports.base import HttpRequest, HttpResponse

__all__ = ["SUPPORTED_VERSIONS", "ConnectionDropped", "Emulator"]

SUPPORTED_VERSIONS = (16, 17, 18, 19)
SERVER_HEADER = "Werkzeug/3.0.1 Python/3.11"

Route = Callable[["Emulator", WebRequest], HttpResponse]

_logger = logging.getLogger(__name__)
_INTERNAL_ERROR = (
    "The server encountered an internal error and was unable to complete your request. "
    "Either the server is overloaded or there is an error in the application."
)
_BAD_GATEWAY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class Emulator:
    """An in-memory Odoo server holding one or more databases.

    :param version: the Odoo major version to behave like (16-19).
    :param size: how many demo records of each kind the databases hold.
    :param databases: names of the databases to create.
    :param master_password: the master password of the database manager
        (``/web/database/*`` and the ``db`` service). While it is Odoo's
        default ``"admin"``, the web database manager takes the first master
        password it is given as the new one, as Odoo does.
    :param seed: seed of the demo data (same seed, same data).
    :param database_manager: serve ``/web/database/*`` (off: they answer 404,
        as behind a proxy that blocks them).
    :param db_service: serve the legacy ``db`` service on ``/jsonrpc`` and
        XML-RPC (off: like Odoo 19.1+, where it is gone; the emulated
        versions stop at 19.0, which still has it).
    """

    def __init__(
        self,
        *,
        version: int = 18,
        size: int = 10,
        databases: Sequence[str] = ("demo",),
        master_password: str = "admin",  # noqa: S107 - Odoo's default, for a test server
        seed: int = 0,
        database_manager: bool = True,
        db_service: bool = True,
    ) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"Odoo version {version} is not emulated; use one of {SUPPORTED_VERSIONS}"
            )
        if isinstance(databases, str):
            databases = (databases,)
        self.version = version
        self.size = size
        self.seed = seed
        self.master_password = master_password
        self.database_manager = database_manager
        self.db_service = db_service
        self.databases: dict[str, Database] = {}
        for name in databases:
            self.add_database(name)
        self.sessions = WebSessions()
        self.faults = Faults()
        self.login_cooldown = LoginCooldown()
        #: ``web.base.url`` reported in ``session_info``; set by the server that serves it.
        self.base_url = "http://127.0.0.1:8069"
        #: The ``memory://`` URL this emulator is registered under, when it is.
        self.memory_url: str | None = None

    # ----------------------------------------------------------------------- facts

    @property
    def server_version(self) -> str:
        return f"{self.version}.0"

    @property
    def version_info(self) -> list[Any]:
        return [self.version, 0, 0, "final", 0, ""]

    @property
    def websocket_worker_version(self) -> str:
        return f"{self.version}.0-{2 if self.version >= 18 else 1}"

    def version_dict(self) -> dict[str, Any]:
        """``common.version()``."""
        return {
            "server_version": self.server_version,
            "server_version_info": self.version_info,
            "server_serie": self.server_version,
            "protocol_version": 1,
        }

    # ----------------------------------------------------------------------- state

    def add_database(self, name: str, *, size: int | None = None, demo: bool = True) -> Database:
        """Create a database, with demo data unless ``demo`` is false (``db.create_database``)."""
        db = Database(
            name,
            version=self.version,
            size=self.size if size is None else size,
            seed=self.seed,
            demo=demo,
        )
        self.databases[name] = db
        return db

    def database(self, name: str | None = None) -> Database:
        """A database by name; without a name, the only (or first) one."""
        if name is None:
            return next(iter(self.databases.values()))
        return self.databases[name]

    def bus_for(self, db: str) -> Bus:
        """The notification bus of database ``db``."""
        return self.databases[db].bus

    def expire_sessions(self) -> int:
        """Invalidate every web session (cookies, bus websockets). Returns how many."""
        return self.sessions.expire_all()

    # ----------------------------------------------------------------------- HTTP

    async def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one HTTP request; raise :class:`ConnectionDropped` for a dropped connection."""
        web = WebRequest(request)
        faults = self.faults.take(web)
        for fault in faults:
            if fault.kind == "latency":
                await asyncio.sleep(fault.delay)
        kinds = {fault.kind for fault in faults}
        if "expire_sessions" in kinds:
            self.sessions.expire_all()
        if "bad_gateway" in kinds:
            return text_response(
                _BAD_GATEWAY, status=502, content_type="text/html", extra=[("Server", "nginx")]
            )
        if "drop_before" in kinds:
            raise ConnectionDropped(ran=False)
        try:
            response = self.route(web)(self, web)
        except Exception:  # a bug below the routes: answer like Werkzeug, keep the traceback
            _logger.exception("emulator failed on %s %s", web.method, web.path)
            response = html_error_page(500, _INTERNAL_ERROR)
        if "drop_after" in kinds:
            raise ConnectionDropped(ran=True)
        if "truncate" in kinds:
            response = _truncated(response)
        headers = [
            ("Server", SERVER_HEADER),
            ("Date", formatdate(time.time(), usegmt=True)),
            *response.headers,
        ]
        return HttpResponse(status=response.status, headers=headers, content=response.content)

    def route(self, request: WebRequest) -> Route:
        """The handler of ``request``'s path for the emulated version."""
        path = request.path
        modern = self.version >= 19
        if path == "/jsonrpc":
            return jsonrpc_route
        if path.startswith("/xmlrpc/"):
            return xmlrpc_route
        for pattern, route in WEB_JSON_ROUTES:
            if path == pattern or (pattern.endswith("/") and path.startswith(pattern)):
                return route
        for pattern, route in WEB_HTTP_ROUTES:
            if path == pattern or (pattern.endswith("/") and path.startswith(pattern)):
                return route
        if modern and path in ("/json/version", "/web/version"):
            return version_route
        if modern and (path == "/json/2" or path.startswith("/json/2/")):
            return json2_route
        if modern and path.startswith("/doc-bearer/"):
            return doc_route
        if path.startswith("/report/"):
            return report_route
        if path == "/websocket/health":
            return health_route
        return _not_found

    def __repr__(self) -> str:
        return f"<Emulator Odoo {self.server_version} databases={sorted(self.databases)}>"


def _not_found(emulator: Emulator, request: WebRequest) -> HttpResponse:
    return not_found_page()


def _truncated(response: HttpResponse) -> HttpResponse:
    """The first half of the body, with a ``Content-Length`` that says so (a cut proxy answer)."""
    body = response.content[: len(response.content) // 2]
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    return HttpResponse(status=response.status, headers=headers, content=body)
