"""How many replicas must confirm a counter bump before it counts as done.

Redis replicates asynchronously: a master acknowledges ``INCRBY`` before any
replica has it. If the master then dies, the replica promoted in its place
never saw the bump. For the call cache that bump was an invalidation, so the
promoted replica would serve the old generation, and every entry cached under
it would be found again: stale reads. The cure is ``WAIT <n> <ms>`` on the
same connection right after the bump: it returns how many replicas have
everything that connection wrote. Fewer than asked means the bump may be
lost, and :class:`~zenoo_rpc_redis_cluster.errors.ReplicationUnconfirmed` is
raised so the call cache treats the invalidation as failed (and stops caching
that model until an invalidation is confirmed).

Waiting for a replica that does not exist would fail every bump, so with
``replica_acks = "auto"`` the master's connected replicas are counted
(``ROLE``, remembered for ``replica_check_interval`` seconds): none means
there is no replica to promote with a missing bump (a master that dies alone
takes its keys, the generation and its entries, with it), so nothing is
awaited. This is also how a promoted replica behaves before its old master
comes back as its replica.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

__all__ = ["ReplicaAcks", "connected_replicas"]


def connected_replicas(role: Any) -> int:
    """The number of replicas in a ``ROLE`` reply (0 for a replica or an unknown reply)."""
    if not isinstance(role, list | tuple) or not role:
        return 0
    kind = role[0].decode() if isinstance(role[0], bytes) else str(role[0])
    if kind != "master" or len(role) < 3 or not isinstance(role[2], list | tuple):
        return 0
    return len(role[2])


class ReplicaAcks:
    """The replica-acknowledgement policy of one backend, per node.

    :param policy: replicas to wait for, or ``"auto"`` (one if the node has any).
    :param timeout: seconds ``WAIT`` may block.
    :param check_interval: seconds a node's replica count is trusted.
    :param clock: monotonic clock; tests inject a fake one.
    """

    def __init__(
        self,
        policy: Literal["auto"] | int,
        *,
        timeout: float,
        check_interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self.timeout_ms = max(1, round(timeout * 1000))
        self.check_interval = check_interval
        self._clock = clock
        self._replicas: dict[str, tuple[int, float]] = {}

    async def required(self, node: str, role: Callable[[], Awaitable[Any]]) -> int:
        """How many replicas must confirm a bump on ``node``.

        :param node: the node's name (``host:port``).
        :param role: sends ``ROLE`` to that node; called only when the policy
            is ``"auto"`` and the remembered count is older than the interval.
        """
        if self.policy != "auto":
            return int(self.policy)
        now = self._clock()
        known = self._replicas.get(node)
        if known is None or now - known[1] >= self.check_interval:
            known = (connected_replicas(await role()), now)
            self._replicas[node] = known
        return 1 if known[0] else 0

    def forget(self, node: str) -> None:
        """Ask ``node`` again next time (its replicas did not confirm a bump)."""
        self._replicas.pop(node, None)

    def __repr__(self) -> str:
        return f"ReplicaAcks(policy={self.policy!r}, timeout_ms={self.timeout_ms})"
