"""Where audit records go: a JSON Lines file, stdlib logging, or memory."""

from zenoo_rpc_audit.sinks.base import AuditSink
from zenoo_rpc_audit.sinks.jsonl import JsonLinesSink
from zenoo_rpc_audit.sinks.logger import LoggingSink
from zenoo_rpc_audit.sinks.memory import MemorySink

__all__ = ["AuditSink", "JsonLinesSink", "LoggingSink", "MemorySink"]
