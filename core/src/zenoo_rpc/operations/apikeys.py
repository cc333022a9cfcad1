"""API keys of the logged-in user (``res.users.apikeys``): generate, list, revoke.

Odoo makes keys the way its preferences dialog does, and so does this
module: a ``res.users.apikeys.description`` record (name, and from Odoo 17 a
duration or an expiration date) whose ``make_key`` is guarded by an identity
check. The check answers a ``res.users.identitycheck`` wizard instead of the
key; the user's password is written on it and its ``run_check`` returns the
key (once: Odoo keeps only a hash). Revoking is ``res.users.apikeys.remove``,
behind the same check. A web session that passed the check in the last ten
minutes skips it, which this module follows.

The password comes from ``password=``, else from the client's login. The
calls that carry the password or return the new key go straight to the
protocol: no middleware, event, cache or audit record ever sees either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from zenoo_rpc.call import Call
from zenoo_rpc.errors import (
    AccessDenied,
    InvalidArgument,
    PasswordRequired,
    ProtocolError,
    UserError,
)
from zenoo_rpc.operations.arguments import require_id, require_text

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["ApiKeyInfo", "ApiKeyManager"]

_KEYS = "res.users.apikeys"
_DESCRIPTION = "res.users.apikeys.description"
_CHECK = "res.users.identitycheck"
#: First Odoo version whose keys expire.
EXPIRATION_SINCE = 17


class ApiKeyInfo(msgspec.Struct, frozen=True, kw_only=True):
    """An API key as Odoo lists it (the key itself is never shown again).

    Dates are UTC; ``expiration_date`` is ``None`` for a persistent key (and
    before Odoo 17, which has no expiration).
    """

    id: int
    name: str
    #: ``None``: valid for every use (what Odoo's dialog makes).
    scope: str | None = None
    create_date: dt.datetime | None = None
    expiration_date: dt.datetime | None = None


class ApiKeyManager:
    """``client.api_keys``: the logged-in user's API keys."""

    def __init__(self, client: ZenooClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<ApiKeyManager {self._client!r}>"

    async def generate(
        self,
        name: str,
        *,
        scope: str | None = None,
        expiration: dt.datetime | dt.date | None = None,
        password: str | None = None,
    ) -> str:
        """Make a new API key named ``name`` for the logged-in user; the key (shown once).

        :param scope: must be ``None``: Odoo's dialog makes keys for every use,
            and scoped keys can only be made by server-side code.
        :param expiration: when the key stops working (Odoo 17+; a naive
            datetime is UTC). ``None`` makes a persistent key, which Odoo allows
            administrators only: other users get Odoo's ValidationError.
        :param password: the user's password for Odoo's identity check
            (default: the one the client logged in with).
        :raises PasswordRequired: when there is no password to give.
        :raises AccessDenied: for a wrong password.
        """
        require_text(name, "name", "a non-empty description")
        if scope is not None:
            raise InvalidArgument(
                "Odoo makes API keys for every scope (scope=None); a scoped key can only be "
                "made by code on the server",
                argument="scope",
            )
        values: dict[str, Any] = {"name": name}
        if await self._major() >= EXPIRATION_SINCE:
            if expiration is None:
                values["duration"] = "0"
            else:
                values["duration"] = "-1"
                values["expiration_date"] = _utc(expiration)
        elif expiration is not None:
            raise InvalidArgument(
                f"API keys have expiration dates from Odoo {EXPIRATION_SINCE} on",
                argument="expiration",
            )
        description = await self._client.create(_DESCRIPTION, values)
        result = await self._guarded(_DESCRIPTION, "make_key", description, password)
        context = result.get("context") if isinstance(result, dict) else None
        key = context.get("default_key") if isinstance(context, dict) else None
        if not isinstance(key, str) or not key:
            raise ProtocolError(
                f"{_DESCRIPTION}.make_key answered {type(result).__name__} without the key "
                "(context.default_key)"
            )
        return key

    async def list(self) -> list[ApiKeyInfo]:
        """The logged-in user's keys, oldest first."""
        client = self._client
        fields = ["name", "scope", "create_date"]
        if await self._major() >= EXPIRATION_SINCE:
            fields.append("expiration_date")
        rows = await client.search_read(_KEYS, [("user_id", "=", client.uid)], fields, order="id")
        return [
            ApiKeyInfo(
                id=int(row["id"]),
                name=str(row.get("name") or ""),
                scope=row.get("scope") or None,
                create_date=_parse(row.get("create_date")),
                expiration_date=_parse(row.get("expiration_date")),
            )
            for row in rows
        ]

    async def revoke(self, key_id: int, *, password: str | None = None) -> None:
        """Remove API key ``key_id``: logins with it fail from now on.

        :raises MissingError: when there is no such key.
        :raises AccessError: when it is another user's and the user is no administrator.
        :raises PasswordRequired: when there is no password for the identity check.
        """
        require_id(key_id, "key_id")
        await self._guarded(_KEYS, "remove", key_id, password)

    # ------------------------------------------------------------------ internals

    async def _major(self) -> int:
        client = self._client
        version = client.server_version or await client.version()
        return version.major

    async def _direct(self, model: str, method: str, args: Sequence[Any]) -> Any:
        """Run a call as the client's user, past middleware, events and the cache."""
        client = self._client
        protocol = client._require_protocol()
        call = Call(model=model, method=method, args=tuple(args), context=client.context)
        return await client._execute(protocol, call)

    async def _guarded(self, model: str, method: str, record_id: int, password: str | None) -> Any:
        """Call a method behind Odoo's ``@check_identity``, passing the check when asked."""
        result = await self._direct(model, method, [[record_id]])
        if not (isinstance(result, dict) and result.get("res_model") == _CHECK):
            return result
        check_id = result.get("res_id")
        if type(check_id) is not int:
            raise ProtocolError(f"{model}.{method}: the identity check came without its record id")
        secret = password
        if secret is None:
            credentials = self._client._state.credentials
            secret = credentials.password if credentials is not None else None
        if not secret:
            raise PasswordRequired(
                "Odoo asks for the user's password before it makes or removes an API key "
                "(its identity check), and the client logged in with an API key: pass password="
            )
        await self._direct(_CHECK, "write", [[check_id], {"password": secret}])
        try:
            return await self._direct(_CHECK, "run_check", [[check_id]])
        except UserError as exc:
            if "password" in exc.message.lower() and not isinstance(exc, AccessDenied):
                raise AccessDenied(
                    exc.message, name=exc.name, status=exc.status, code=exc.code
                ) from exc
            raise


def _utc(moment: dt.datetime | dt.date) -> dt.datetime:
    """A naive UTC datetime (what Odoo stores) for ``moment``; a date means its midnight UTC."""
    if not isinstance(moment, dt.datetime):
        if not isinstance(moment, dt.date):
            raise InvalidArgument("expiration must be a datetime or a date", argument="expiration")
        return dt.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _parse(value: Any) -> dt.datetime | None:
    """Odoo's ``"YYYY-MM-DD HH:MM:SS"`` (UTC) as an aware datetime; ``False`` as ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.timezone.utc) if parsed.tzinfo is None else parsed
