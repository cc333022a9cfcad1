"""Cache keys for model calls, and the encoding of cached values.

A cached answer is only valid for the same server, database, user, model,
method, arguments and context (the context changes language, company and
active-record filters, so it changes results). The key is a blake2b digest of
a canonical JSON encoding of all of them (keys sorted, tuples and lists
alike), so it is stable across processes and Python versions, unlike
``hash()``. It also carries the model's *generation*: a token that each write
to the model replaces, so that every earlier entry of that model stops being
found at once, without listing or deleting keys (which Redis Cluster and
memcached cannot do cheaply).

Layout (Redis Cluster hash tags: only the part in braces picks the slot)::

    zenoo:{<server digest>|<db>|<model>}:gen
    zenoo:{<server digest>|<db>|<model>}:call:<generation>:<fingerprint>

A model's generation and its entries share one tag, so they live in one
hash slot, on one master: they move together when slots migrate, and fail
over together (a replica promoted in place of a dead master holds a
*consistent* prefix of both, never entries newer than its generation).
The server URL is a 16-hex-digit blake2b digest in the tag, to keep keys
short; the database and model stay readable (a name containing a brace,
which neither Odoo database nor model names can, is digested too, since a
brace would end the tag). The memory backend ignores tags.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import msgspec

from zenoo_rpc.call import Call

__all__ = [
    "KEY_PREFIX",
    "call_fingerprint",
    "decode_value",
    "encode_value",
    "entry_key",
    "generation_key",
    "model_tag",
]

#: Every key zenoo-rpc writes starts with this, so a shared backend can be inspected.
KEY_PREFIX = "zenoo"

_canonical = msgspec.json.Encoder(order="sorted")
_value_encoder = msgspec.msgpack.Encoder()
_value_decoder = msgspec.msgpack.Decoder()


def call_fingerprint(server: str, db: str, uid: int | str | None, call: Call) -> str:
    """A stable digest of everything that decides a read call's answer.

    ``call.timeout`` is left out: it changes how long the client waits, not
    what the server returns. Raises ``TypeError`` for arguments msgspec cannot
    encode (such a call is simply not cached).
    """
    payload = (
        server,
        db,
        uid,
        call.model,
        call.method,
        call.args,
        call.kwargs,
        call.context,
    )
    return hashlib.blake2b(_canonical.encode(payload), digest_size=20).hexdigest()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _tag_part(text: str) -> str:
    return f"~{_digest(text)}" if "{" in text or "}" in text else text


@functools.lru_cache(maxsize=1024)
def model_tag(server: str, db: str, model: str) -> str:
    """The hash tag shared by ``model``'s generation key and entry keys (braces included)."""
    return "{" + f"{_digest(server)}|{_tag_part(db)}|{_tag_part(model)}" + "}"


def generation_key(server: str, db: str, model: str) -> str:
    """Where ``model``'s generation token lives in the backend.

    It lives in the backend, not in the client, so that every client sharing
    the backend (other processes, other machines behind Redis) sees a write's
    invalidation at once, instead of serving what it cached before.
    """
    return f"{KEY_PREFIX}:{model_tag(server, db, model)}:gen"


def entry_key(server: str, db: str, model: str, generation: str, fingerprint: str) -> str:
    """The key of one cached answer, valid while ``model``'s generation is ``generation``."""
    return f"{KEY_PREFIX}:{model_tag(server, db, model)}:call:{generation}:{fingerprint}"


def encode_value(value: Any) -> bytes:
    """Encode a value to store: msgpack bytes, safe to keep in any backend that keeps bytes.

    Unlike pickle, decoding it cannot run code, which matters for a cache that
    other processes can write to. Raises ``TypeError`` for unsupported types.
    """
    return _value_encoder.encode(value)


def decode_value(data: Any) -> Any:
    """Decode what :func:`encode_value` stored.

    Round-trips JSON-like values (what Odoo returns) exactly; as with JSON,
    tuples come back as lists and naive datetimes as ISO strings.
    """
    if isinstance(data, memoryview | bytearray):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"cached value is {type(data).__name__}, expected msgpack bytes")
    return _value_decoder.decode(data)
