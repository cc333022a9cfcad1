"""``AuditTrail``: the middleware that turns each call of one client into an audit record.

It sits in the client's middleware chain, so it sees every model call the
application makes (cache hits included: they are calls the application made),
times it, and after the call writes one :class:`~zenoo_rpc_audit.record.AuditRecord`
to each sink. The call's result or exception passes through untouched: a
failing sink is logged and counted in :attr:`AuditTrail.sink_errors`, never
raised into the call.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zenoo_rpc.call import Call
from zenoo_rpc.config import reveal
from zenoo_rpc.errors import OdooServerError, OutcomeUnknownError
from zenoo_rpc.middleware import Handler
from zenoo_rpc_audit.errors import AuditConfigError, AuditError
from zenoo_rpc_audit.record import LOGIN_METHOD, AuditRecord, Outcome, iso_utc
from zenoo_rpc_audit.redaction import Redactor, public_url
from zenoo_rpc_audit.settings import PLUGIN_NAME, AuditSettings
from zenoo_rpc_audit.sinks import AuditSink, JsonLinesSink, LoggingSink, MemorySink

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient

__all__ = ["AuditTrail", "build_sinks"]

log = logging.getLogger(__name__)

_time_ns = time.time_ns
_perf_counter = time.perf_counter
_WRITE_METHODS = frozenset({"write", "web_save"})
_VALUE_METHODS = frozenset({"create", *_WRITE_METHODS})
#: Methods called on no records (``Call.record_ids`` is empty for them): skip asking.
_NO_IDS = frozenset(
    {"search", "search_read", "search_count", "read_group", "name_search", "fields_get"}
)


class AuditTrail:
    """The audit trail of one client: a middleware ``await trail(call, call_next)``.

    The plugin makes one per client from ``[plugins.audit]``; get it back with
    :func:`zenoo_rpc_audit.audit_trail`. Built by hand, it can be added to any
    client with ``client.add_middleware(AuditTrail(client, settings))``.

    :param client: the client whose calls are recorded (its login gives ``db``,
        ``uid`` and ``protocol``; its URL, without credentials, gives ``server``).
    :param settings: the settings (default: every default, a memory sink).
    :param sinks: sinks to use instead of those ``settings`` names.
    :raises AuditConfigError: the JSON Lines file cannot be opened.
    """

    def __init__(
        self,
        client: ZenooClient,
        settings: AuditSettings | None = None,
        *,
        sinks: Sequence[AuditSink] | None = None,
    ) -> None:
        self.settings = settings = settings or AuditSettings()
        self._client = client
        self.server = public_url(client.url)
        self.redactor = Redactor(settings.redact_fields, settings.include_values)
        self.sinks: tuple[AuditSink, ...] = tuple(build_sinks(settings) if sinks is None else sinks)
        self._durable = tuple(sink for sink in self.sinks if sink.durable)
        self._memory = next((s for s in self.sinks if isinstance(s, MemorySink)), None)
        self._session: object = None
        self._login: tuple[str | None, int | None, str | None] = (None, None, None)
        #: How many times a sink failed to take a record (each failure is logged).
        self.sink_errors = 0

    # ------------------------------------------------------------------ middleware

    async def __call__(self, call: Call, call_next: Handler) -> Any:
        ts = _time_ns()
        started = _perf_counter()
        try:
            result = await call_next(call)
        except Exception as exc:
            self._record(call, ts, started, None, exc)
            if self._durable:
                await self.sync()
            raise
        except BaseException as exc:
            # Cancelled (or the interpreter is stopping): written, not waited on.
            self._record(call, ts, started, None, exc)
            raise
        self._record(call, ts, started, result, None)
        if self._durable:
            await self.sync()
        return result

    def _record(
        self,
        call: Call,
        ts: int,
        started: float,
        result: Any,
        error: BaseException | None,
    ) -> None:
        # The hot path of every call: kept flat on purpose (see bench/audit_bench.py).
        duration_ms = int((_perf_counter() - started) * 1e6) / 1e3
        try:
            session = self._client.session
            if session is not self._session:
                self._session = session
                self._login = (
                    (session.db, session.uid, self._client.protocol)
                    if session is not None
                    else (None, None, None)
                )
            db, uid, protocol = self._login
            method = call.method
            ids = () if method in _NO_IDS else tuple(call.record_ids())
            fields: tuple[str, ...] = ()
            values: tuple[dict[str, Any], ...] | None = None
            if method in _VALUE_METHODS:
                fields, values = self._written(call)
            outcome: Outcome = "ok"
            error_name = None
            if error is None:
                if method == "create":
                    ids = tuple(_int_ids(result))
                elif method == "name_create" and isinstance(result, (list, tuple)) and result:
                    ids = tuple(_int_ids(result[0]))  # [id, display name]
            else:
                outcome = _outcome(error)
                error_name = (
                    error.name
                    if isinstance(error, OdooServerError) and error.name
                    else type(error).__name__
                )
            record = AuditRecord(
                ts=iso_utc(ts),
                server=self.server,
                db=db,
                uid=uid,
                model=call.model,
                method=method,
                ids=ids,
                fields=fields,
                values=values,
                duration_ms=duration_ms,
                outcome=outcome,
                error=error_name,
                protocol=protocol,
            )
        except Exception:
            self.sink_errors += 1
            log.exception("audit record of %r could not be built", call)
            return
        for sink in self.sinks:
            try:
                sink.write(record)
            except Exception:
                self._sink_failed(sink, record)

    def _written(self, call: Call) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...] | None]:
        """The field names ``create`` / ``write`` set and, if kept, their redacted values."""
        written = _written_values(call)
        fields = tuple(sorted({str(name) for vals in written for name in vals}))
        if not self.redactor.keeps_values(call.model):
            return fields, None
        secrets = self._secrets()
        return fields, tuple(self.redactor.values(vals, secrets) for vals in written)

    def _secrets(self) -> tuple[str, ...]:
        """The client's own password and API key (config and current login)."""
        client = self._client
        found = [reveal(client.config.password), reveal(client.config.api_key)]
        credentials = client.credentials
        if credentials is not None:
            found += [credentials.password, credentials.api_key]
        return tuple(secret for secret in found if isinstance(secret, str) and secret)

    # ------------------------------------------------------------------ sinks

    def write(self, record: AuditRecord) -> None:
        """Give ``record`` to every sink; a failing sink is logged and counted, not raised."""
        for sink in self.sinks:
            try:
                sink.write(record)
            except Exception:
                self._sink_failed(sink, record)

    def _sink_failed(self, sink: AuditSink, record: AuditRecord) -> None:
        self.sink_errors += 1
        log.exception("audit sink %r failed to record %s.%s", sink, record.model, record.method)

    async def sync(self) -> None:
        """Wait until the durable sinks (JSON Lines with ``fsync``) have every record on disk."""
        for sink in self._durable:
            try:
                await sink.sync()
            except Exception:
                self.sink_errors += 1
                log.exception("audit sink %r failed to sync", sink)

    def record_login(self, data: Mapping[str, Any]) -> AuditRecord:
        """Record a login (``db``, ``uid``, ``protocol`` of an ``authenticated`` event)."""
        record = AuditRecord(
            ts=iso_utc(_time_ns()),
            server=self.server,
            db=data.get("db"),
            uid=data.get("uid"),
            model=None,
            method=LOGIN_METHOD,
            protocol=data.get("protocol"),
        )
        self.write(record)
        return record

    @property
    def durable(self) -> bool:
        """Whether calls wait for their record to be on disk (a sink with ``fsync``)."""
        return bool(self._durable)

    async def aclose(self) -> None:
        """Sync the durable sinks off the event loop, then close every sink."""
        await self.sync()
        self.close()

    def close(self) -> None:
        """Close the sinks (the file); a later call opens it again."""
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                self.sink_errors += 1
                log.exception("audit sink %r failed to close", sink)

    # ------------------------------------------------------------------ memory

    def get_audit_log(self) -> list[AuditRecord]:
        """The records the memory sink holds, oldest first (at most ``max_records``).

        :raises AuditError: this trail has no memory sink.
        """
        return self._memory_sink().records()

    def clear_audit_log(self) -> None:
        """Forget the records the memory sink holds (files and logs are untouched).

        :raises AuditError: this trail has no memory sink.
        """
        self._memory_sink().clear()

    def _memory_sink(self) -> MemorySink:
        if self._memory is None:
            sinks = ", ".join(repr(sink) for sink in self.sinks)
            raise AuditError(
                f'this audit trail keeps no records in memory (sinks: {sinks}); add "memory" '
                f"to `sink` in [plugins.{PLUGIN_NAME}], or read the file with read_audit_log()"
            )
        return self._memory

    def __repr__(self) -> str:
        return f"<AuditTrail {self.server} sinks={[type(s).__name__ for s in self.sinks]}>"


def build_sinks(settings: AuditSettings) -> list[AuditSink]:
    """The sinks ``settings`` names, opened.

    :raises AuditConfigError: the JSON Lines file cannot be opened (names ``path``).
    """
    sinks: list[AuditSink] = []
    for name in settings.sinks:
        if name == "memory":
            sinks.append(MemorySink(settings.max_records))
        elif name == "logging":
            sinks.append(LoggingSink(settings.logger, settings.log_level))
        else:
            assert settings.path is not None  # parse_settings checked it
            try:
                sinks.append(
                    JsonLinesSink(
                        os.path.expanduser(settings.path),
                        fsync=settings.fsync,
                        max_bytes=settings.max_bytes,
                        backup_count=settings.backup_count,
                        file_mode=settings.file_mode,
                    )
                )
            except OSError as exc:
                for sink in sinks:
                    sink.close()
                key = f"$.plugins.{PLUGIN_NAME}.path"
                raise AuditConfigError(
                    f"[plugins.{PLUGIN_NAME}]: cannot open the audit log {settings.path!r}: "
                    f"{exc.strerror or exc} - at `{key}`",
                    path=key,
                ) from exc
    return sinks


def _outcome(error: BaseException) -> Outcome:
    if isinstance(error, OutcomeUnknownError) or not isinstance(error, Exception):
        return "unknown"  # may have run: lost answer, cancelled, interpreter stopping
    return "error"


def _written_values(call: Call) -> list[Mapping[Any, Any]]:
    """The values ``create`` / ``write`` set, one mapping per record."""
    method = call.method
    args, kwargs = call.args, call.kwargs
    if method == "create":
        vals = args[0] if args else kwargs.get("vals_list", kwargs.get("vals"))
        if isinstance(vals, Mapping):
            return [vals]
        if isinstance(vals, (list, tuple)):
            return [item for item in vals if isinstance(item, Mapping)]
        return []
    if method in _WRITE_METHODS:
        vals = args[1] if len(args) > 1 else kwargs.get("vals", kwargs.get("values"))
        return [vals] if isinstance(vals, Mapping) else []
    return []


def _int_ids(result: Any) -> list[int]:
    """The ids in a returned id or list of ids."""
    items = result if isinstance(result, (list, tuple)) else [result]
    return [i for i in items if isinstance(i, int) and not isinstance(i, bool)]
