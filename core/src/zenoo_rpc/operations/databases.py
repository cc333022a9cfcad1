"""The database manager: list, create, duplicate, drop, back up and restore Odoo databases.

Two ways exist, and the manager picks one per server, on its first use:

1. **The web database manager**, ``/web/database/*``: what the browser's
   "Manage databases" page posts (HTML forms with ``master_pwd``). Every
   Odoo version has it, including 19.1+; backups come back as a stream
   written straight to the destination, and restores are uploaded from the
   file as it is read (on transports that stream: the built-in HTTP ones).
   Odoo answers a ``303`` redirect when an action worked, and its manager
   page with the error in an ``alert-danger`` box when it did not; that text
   becomes a typed error (:class:`~zenoo_rpc.errors.AccessDenied` for a wrong
   master password, :class:`~zenoo_rpc.errors.DatabaseExists`,
   :class:`~zenoo_rpc.errors.DatabaseNotFound`, else
   :class:`~zenoo_rpc.errors.DatabaseManagerError`).
2. **The legacy ``db`` service** over ``/jsonrpc``, used only when the web
   manager is not there (its page answers 403/404/405: a proxy blocks it).
   Backups and restores then travel base64-encoded inside one JSON message,
   in memory (restores are refused above ``memory_limit``). Odoo 19.1
   removed this service.

The master password comes from the method's ``master_password``, else the
manager's, else ``master_password`` in the client's configuration
(``ZENOO_MASTER_PASSWORD``); it never appears in a message or log line.
Beware of an Odoo quirk the manager cannot prevent: while a server still has
the default master password ``admin``, its web manager takes the first master
password it is given as the new one.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from zenoo_rpc.config.secret import Secret, reveal
from zenoo_rpc.errors import (
    AccessDenied,
    ConfigError,
    DatabaseExists,
    DatabaseManagerError,
    DatabaseNotFound,
    InvalidArgument,
    LegacyRpcDisabled,
    OdooServerError,
    TransferError,
    redact,
)
from zenoo_rpc.operations.arguments import require_text
from zenoo_rpc.operations.files import Destination, Source, open_destination, open_source
from zenoo_rpc.operations.multipart import MultipartBody
from zenoo_rpc.protocols.envelope import (
    JSON_HEADERS,
    decode_jsonrpc_response,
    encode_jsonrpc_request,
)
from zenoo_rpc.protocols.html_page import HtmlPage
from zenoo_rpc.transports.base import (
    HttpRequest,
    HttpResponse,
    RequestBody,
    StreamingTransport,
    open_stream,
)

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["DATABASE_NAME", "DatabaseManager"]

_log = logging.getLogger(__name__)

#: Odoo's rule for database names (``DBNAME_PATTERN``).
DATABASE_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Answers of a manager page that is not there (a proxy blocks it, or no such route).
_ABSENT = frozenset({403, 404, 405})
_PAGE_LIMIT = 256 * 1024

Route = Literal["web", "legacy"]


class _RouteMissing(Exception):
    """Internal: ``/web/database/*`` is not served here."""


class DatabaseManager:
    """Manage the databases of one Odoo server (see the module docstring).

    ``client.databases`` is one for a client's server; standalone::

        async with DatabaseManager("https://odoo.example.com", master_password="...") as dbm:
            await dbm.backup("prod", "prod.zip")

    :param url: the server (as for :class:`~zenoo_rpc.ZenooClient`), when no
        ``client`` is given; ``client_options`` (``timeout``, ``transport``,
        ``verify_ssl``, ``http_client``...) go to the client built for it.
    :param master_password: the default master password of this manager.
    :param client: an existing client to talk through (not closed by :meth:`aclose`).
    :param operation_timeout: seconds an operation may wait for the server
        (creating a database with demo data takes minutes on a real server);
        for streamed backups and restores it bounds each wait for bytes.
    :param memory_limit: largest restore held in memory, when the transport
        cannot stream an upload or the legacy service is used.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        master_password: str | Secret | None = None,
        client: ZenooClient | None = None,
        operation_timeout: float = 900.0,
        memory_limit: int = 512 * 2**20,
        **client_options: Any,
    ) -> None:
        if client is None:
            from zenoo_rpc.client import ZenooClient

            client = ZenooClient(url, **client_options)
            self._owns_client = True
        elif url is not None or client_options:
            raise InvalidArgument("give either a client or a url (and client options), not both")
        else:
            self._owns_client = False
        self._client = client
        self._master = reveal(master_password) if master_password is not None else None
        self.operation_timeout = operation_timeout
        self.memory_limit = memory_limit
        self._route: Route | None = None

    @classmethod
    def for_client(
        cls, client: ZenooClient, *, master_password: str | Secret | None = None
    ) -> DatabaseManager:
        """A manager talking through ``client`` (its transport, retry policy and config)."""
        return cls(client=client, master_password=master_password)

    def __repr__(self) -> str:
        return f"<DatabaseManager {self._client.redacted_url} via {self._route or '?'}>"

    async def __aenter__(self) -> DatabaseManager:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client this manager built (not one it was given). Idempotent."""
        if self._owns_client:
            await self._client.close()

    # ------------------------------------------------------------------ public API

    async def list(self) -> list[str]:
        """Names of the server's databases (refused where the server hides its list)."""
        client = self._client
        if self._route != "legacy":
            request_id, body = encode_jsonrpc_request({}, method="/web/database/list")
            response = await client.transport.request(
                HttpRequest(path="/web/database/list", headers=JSON_HEADERS, content=body)
            )
            if response.status not in _ABSENT:
                result = decode_jsonrpc_response(
                    response, "/web/database/list", request_id=request_id
                )
                return [str(name) for name in result]
        return [str(name) for name in await self._legacy("list")]

    async def exists(self, name: str) -> bool:
        """Whether database ``name`` exists (from the list, else the legacy ``db_exist``)."""
        _check_name(name, "name", strict=False)
        try:
            return name in await self.list()
        except AccessDenied:  # the server hides its list
            return bool(await self._legacy("db_exist", name))

    async def create(
        self,
        name: str,
        *,
        admin_password: str,
        admin_login: str = "admin",
        lang: str = "en_US",
        country_code: str | None = None,
        phone: str | None = None,
        demo: bool = False,
        master_password: str | Secret | None = None,
    ) -> None:
        """Create database ``name`` whose administrator logs in with ``admin_login`` /
        ``admin_password``.

        :raises DatabaseExists: when it exists already.
        :raises AccessDenied: for a wrong master password.
        """
        _check_name(name, "name")
        require_text(admin_password, "admin_password")
        master = self._master_password(master_password)
        secrets = (master, admin_password)
        if await self._uses_web():
            fields = {
                "master_pwd": master,
                "name": name,
                "lang": lang,
                "password": admin_password,
                "login": admin_login,
                "phone": phone or "",
            }
            if country_code:
                fields["country_code"] = country_code
            if demo:
                fields["demo"] = "1"
            await self._post_form("create", fields, secrets)
            return
        await self._legacy(
            "create_database",
            master,
            name,
            demo,
            lang,
            admin_password,
            admin_login,
            country_code or False,
            phone or False,
            secrets=secrets,
        )

    async def duplicate(
        self,
        name: str,
        new_name: str,
        *,
        neutralize: bool = False,
        master_password: str | Secret | None = None,
    ) -> None:
        """Copy database ``name`` to ``new_name`` (``neutralize``: disable its mail servers,
        crons and payment providers, as Odoo's duplicate form offers).

        :raises DatabaseNotFound: when ``name`` does not exist.
        :raises DatabaseExists: when ``new_name`` exists.
        """
        _check_name(name, "name", strict=False)
        _check_name(new_name, "new_name")
        master = self._master_password(master_password)
        if await self._uses_web():
            fields = {"master_pwd": master, "name": name, "new_name": new_name}
            if neutralize:
                fields["neutralize_database"] = "true"
            await self._post_form("duplicate", fields, (master,))
            return
        await self._legacy(
            "duplicate_database", master, name, new_name, neutralize, secrets=(master,)
        )

    async def drop(self, name: str, *, master_password: str | Secret | None = None) -> None:
        """Delete database ``name`` and its files. There is no undo.

        :raises DatabaseNotFound: when it does not exist (Odoo's own answer is silence).
        """
        _check_name(name, "name", strict=False)
        master = self._master_password(master_password)
        if await self._uses_web():
            try:
                exists = await self.exists(name)
            except (AccessDenied, DatabaseManagerError):  # the list is hidden: let Odoo decide
                exists = True
            if not exists:
                raise _not_found(name)
            await self._post_form("drop", {"master_pwd": master, "name": name}, (master,))
            return
        if not await self._legacy("drop", master, name, secrets=(master,)):
            raise _not_found(name)

    async def backup(
        self,
        name: str,
        destination: Destination,
        *,
        backup_format: Literal["zip", "dump"] = "zip",
        master_password: str | Secret | None = None,
    ) -> int:
        """Back up database ``name`` to ``destination``; the number of bytes written.

        ``zip`` holds the SQL dump, the filestore and Odoo's ``manifest.json``;
        ``dump`` is PostgreSQL's custom format without the filestore. Over the
        web manager the backup is streamed to the destination as it arrives.
        """
        _check_name(name, "name", strict=False)
        if backup_format not in ("zip", "dump"):
            raise InvalidArgument(
                f"backup_format must be 'zip' or 'dump', not {backup_format!r}",
                argument="backup_format",
            )
        master = self._master_password(master_password)
        if await self._uses_web():
            request = HttpRequest(
                path="/web/database/backup",
                headers=_FORM_HEADERS,
                content=urlencode(
                    {"master_pwd": master, "name": name, "backup_format": backup_format}
                ).encode(),
                timeout=self.operation_timeout,
            )
            async with open_stream(self._client.transport, request) as stream:
                if stream.status == 200 and stream.content_type != "text/html":
                    async with open_destination(destination) as sink:
                        async for chunk in stream:
                            sink.write(chunk)
                        return sink.size
                page = await stream.read(_PAGE_LIMIT)
                answer = HttpResponse(status=stream.status, headers=stream.headers, content=page)
                raise self._failure(answer, "backup", (master,))
        text = await self._legacy("dump", master, name, backup_format, secrets=(master,))
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise DatabaseManagerError("the db service sent a backup that is not base64") from exc
        async with open_destination(destination) as sink:
            sink.write(data)
            return sink.size

    async def restore(
        self,
        name: str,
        source: Source,
        *,
        copy: bool = False,
        neutralize: bool = False,
        master_password: str | Secret | None = None,
    ) -> None:
        """Create database ``name`` from a backup (``zip`` or ``dump``).

        :param copy: say the database is a copy (Odoo gives it a new uuid so both
            can run side by side), as opposed to moved.
        :param neutralize: disable its mail servers, crons and payment providers.
        :raises DatabaseExists: when ``name`` exists.
        """
        _check_name(name, "name")
        master = self._master_password(master_password)
        opened = open_source(source)
        transport = self._client.transport
        if await self._uses_web():
            fields = {"master_pwd": master, "name": name, "copy": "true" if copy else "false"}
            if neutralize:
                fields["neutralize_database"] = "true"
            if opened.size is None or not isinstance(transport, StreamingTransport):
                if opened.size is not None and opened.size > self.memory_limit:
                    raise TransferError(
                        f"the backup is {opened.size} bytes and this transport cannot stream an "
                        f"upload: restores held in memory are limited to {self.memory_limit} "
                        "bytes (memory_limit)"
                    )
                opened = open_source(await opened.read(self.memory_limit))
            body = MultipartBody(fields, "backup_file", opened.name or f"{name}.zip", opened)
            request = HttpRequest(
                path="/web/database/restore",
                headers={"Content-Type": body.content_type},
                timeout=self.operation_timeout,
            )
            async with open_stream(
                transport, request, body=RequestBody(body.length, body.chunks())
            ) as stream:
                page = await stream.read(_PAGE_LIMIT)
                answer = HttpResponse(status=stream.status, headers=stream.headers, content=page)
            self._outcome(answer, "restore", (master,))
            return
        if neutralize:
            raise InvalidArgument(
                "neutralize is not available through the legacy db service", argument="neutralize"
            )
        data = await opened.read(self.memory_limit)
        await self._legacy(
            "restore", master, name, base64.b64encode(data).decode("ascii"), copy, secrets=(master,)
        )

    async def change_master_password(
        self, new: str | Secret, *, master_password: str | Secret | None = None
    ) -> None:
        """Set the server's master password to ``new`` (this manager then uses it too)."""
        new_password = reveal(new)
        if not isinstance(new_password, str) or not new_password:
            raise InvalidArgument("the new master password must be a non-empty str", argument="new")
        master = self._master_password(master_password)
        secrets = (master, new_password)
        if await self._uses_web():
            fields = {"master_pwd": master, "master_pwd_new": new_password}
            await self._post_form("change_password", fields, secrets)
        else:
            await self._legacy("change_admin_password", master, new_password, secrets=secrets)
        if self._master is not None:
            self._master = new_password

    # ------------------------------------------------------------------ internals

    def _master_password(self, given: str | Secret | None) -> str:
        master = reveal(given) if given is not None else self._master
        if master is None:
            master = reveal(self._client.config.master_password)
        if not isinstance(master, str) or not master:
            raise ConfigError(
                "the database manager needs the master password: pass master_password=, "
                "or set ZENOO_MASTER_PASSWORD / master_password in zenoo.toml",
                path="$.master_password",
            )
        return master

    async def _uses_web(self) -> bool:
        """Whether this server has the web manager (asked once: ``GET /web/database/manager``)."""
        if self._route is None:
            response = await self._client.transport.request(
                HttpRequest(method="GET", path="/web/database/manager")
            )
            self._route = "legacy" if response.status in _ABSENT else "web"
            _log.info(
                "database manager of %s: %s",
                self._client.redacted_url,
                "the legacy db service" if self._route == "legacy" else "/web/database/*",
            )
        return self._route == "web"

    async def _post_form(
        self, action: str, fields: dict[str, str], secrets: tuple[str, ...]
    ) -> None:
        response = await self._client.transport.request(
            HttpRequest(
                path=f"/web/database/{action}",
                headers=_FORM_HEADERS,
                content=urlencode(fields).encode(),
                timeout=self.operation_timeout,
            )
        )
        self._outcome(response, action, secrets)

    def _outcome(self, response: HttpResponse, action: str, secrets: tuple[str, ...]) -> None:
        """Return when ``action`` worked (a redirect), raise what its page says otherwise."""
        if response.status in _REDIRECTS:
            return
        raise self._failure(response, action, secrets)

    def _failure(
        self, response: HttpResponse, action: str, secrets: tuple[str, ...]
    ) -> OdooServerError:
        page = HtmlPage(response.content) if "html" in response.content_type else None
        if page is not None and page.alerts:
            return _manager_error(page.message(), response.status, secrets=secrets)
        shown = redact(page.message(), secrets) if page is not None else ""
        return DatabaseManagerError(
            f"/web/database/{action} answered HTTP {response.status}"
            + (f": {shown}" if shown else " without saying why"),
            status=response.status,
        )

    async def _legacy(self, method: str, *args: Any, secrets: tuple[str, ...] = ()) -> Any:
        """``db.<method>(*args)`` over ``/jsonrpc``; typed errors, secrets scrubbed."""
        try:
            return await self._client.call_method(
                "db", method, *args, timeout=self.operation_timeout
            )
        except LegacyRpcDisabled as exc:
            raise DatabaseManagerError(
                "this server has neither the web database manager nor the legacy db service"
            ) from exc
        except (AccessDenied, DatabaseNotFound):
            raise
        except OdooServerError as exc:
            if exc.name.endswith("KeyError") and exc.message.strip("'\"") == "db":
                raise DatabaseManagerError(
                    "this server has neither the web database manager nor the legacy db "
                    "service (removed in Odoo 19.1)"
                ) from exc
            raise _manager_error(exc.message, exc.status, name=exc.name, secrets=secrets) from exc


def _check_name(name: object, argument: str, *, strict: bool = True) -> None:
    """Odoo's database name rule (``strict``) or just a non-empty str."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidArgument(f"{argument} must be a database name", argument=argument)
    if strict and not DATABASE_NAME.match(name):
        raise InvalidArgument(
            f"{argument} {name!r} is not a valid database name: letters, digits, '_', '-' and "
            "'.', not starting with one of the last three",
            argument=argument,
        )


def _not_found(name: str) -> DatabaseNotFound:
    error = DatabaseNotFound(f"database {name!r} does not exist", status=None)
    error.db = name
    return error


def _manager_error(
    said: str, status: int | None, *, name: str = "", secrets: tuple[str, ...] = ()
) -> OdooServerError:
    """The typed error for what the manager said (``Database backup error: Access Denied``).

    Classified on the server's words, shown with ``secrets`` scrubbed from them.
    """
    lowered = said.lower()
    message = redact(said, secrets)
    if "access denied" in lowered:
        return AccessDenied(message, name="odoo.exceptions.AccessDenied", status=status)
    if "already exists" in lowered:
        return DatabaseExists(message, name=name, status=status)
    if "does not exist" in lowered:
        found = re.search(r'database "([^"]+)" does not exist', said)
        error = DatabaseNotFound(message, name=name, status=status)
        error.db = found.group(1) if found else ""
        return error
    return DatabaseManagerError(message, name=name, status=status)
