"""zenoo-rpc-audit: an audit trail of every Odoo call a zenoo-rpc client makes.

Enable it by name and choose where records go::

    # zenoo.toml
    [plugins]
    enabled = ["audit"]

    [plugins.audit]
    path = "audit.jsonl"               # a JSON Lines file (the "jsonl" sink)
    include_values = ["res.partner"]   # keep the values written to these models

Each call becomes one :class:`AuditRecord` (time, server, db, uid, model,
method, record ids, the field names written, duration, outcome, error name).
Passwords, API keys, session ids and the fields named in ``redact_fields`` never
reach a sink; written values are left out unless their model is listed in
``include_values``. In code::

    from zenoo_rpc import ZenooClient
    from zenoo_rpc_audit import get_audit_log

    async with ZenooClient("memory://demo", plugins=["audit"]) as client:
        await client.login("demo", "admin", "admin")
        await client.write("res.partner", [7], {"email": "a@example.com"})
        print(get_audit_log(client)[-1])  # the records of the memory sink

:func:`read_audit_log` reads a JSON Lines file back (torn lines skipped).
Settings: :mod:`zenoo_rpc_audit.settings`; file guarantees:
:mod:`zenoo_rpc_audit.sinks.jsonl`.
"""

from zenoo_rpc_audit.__about__ import __version__
from zenoo_rpc_audit.errors import AuditConfigError, AuditError
from zenoo_rpc_audit.reader import iter_audit_log, read_audit_log
from zenoo_rpc_audit.record import AuditRecord, Outcome
from zenoo_rpc_audit.redaction import DEFAULT_REDACTED_FIELDS, Redactor
from zenoo_rpc_audit.registry import audit_trail, get_audit_log
from zenoo_rpc_audit.settings import AuditSettings, parse_settings
from zenoo_rpc_audit.sinks import AuditSink, JsonLinesSink, LoggingSink, MemorySink
from zenoo_rpc_audit.trail import AuditTrail

__all__ = [
    "DEFAULT_REDACTED_FIELDS",
    "AuditConfigError",
    "AuditError",
    "AuditRecord",
    "AuditSettings",
    "AuditSink",
    "AuditTrail",
    "JsonLinesSink",
    "LoggingSink",
    "MemorySink",
    "Outcome",
    "Redactor",
    "__version__",
    "audit_trail",
    "get_audit_log",
    "iter_audit_log",
    "parse_settings",
    "read_audit_log",
]
