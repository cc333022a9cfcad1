"""Web sessions of the emulated Odoo (the ``session_id`` cookie) and the login cooldown.

Odoo keeps a session per browser: anonymous until ``/web/session/authenticate``
puts a database and a user in it, then used by ``/web/dataset/call_kw``, the
bus websocket and ``/report``. Tests expire them all at once to check that a
client re-authenticates (:meth:`WebSessions.expire_all`, also a fault).

A user with two-factor authentication first gets a half-open session (Odoo's
``pre_uid``: the password was right, the code is still due); ``/web/login/totp``
finishes it with :meth:`WebSessions.finalize`, which gives it a new id as Odoo
does. Form posts carry the session's CSRF token (:meth:`WebSession.csrf_token`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["LoginCooldown", "WebSession", "WebSessions"]


@dataclass
class WebSession:
    """One session: ``uid`` is ``None`` until someone logs in."""

    sid: str
    db: str | None = None
    uid: int | None = None
    login: str | None = None
    created: float = field(default_factory=time.time)
    #: The next answer must (re)send the cookie: Odoo saves a new or changed
    #: session and sends its cookie again on the first request after a login.
    dirty: bool = True
    #: The user whose password was checked, when a second factor is still due.
    pre_uid: int | None = None
    _csrf: str = ""

    @property
    def authenticated(self) -> bool:
        return self.uid is not None and self.db is not None

    def csrf_token(self) -> str:
        """The token forms of this session carry (Odoo's ``request.csrf_token()``)."""
        if not self._csrf:
            self._csrf = f"{secrets.token_hex(20)}o{int(time.time()) + 48 * 3600}"
        return self._csrf

    def check_csrf(self, token: str) -> bool:
        return bool(self._csrf) and secrets.compare_digest(self._csrf, token)


class WebSessions:
    """The session store; a session id that is not here is an expired session."""

    def __init__(self) -> None:
        self._sessions: dict[str, WebSession] = {}

    def new(
        self, db: str | None = None, uid: int | None = None, login: str | None = None
    ) -> WebSession:
        session = WebSession(secrets.token_urlsafe(30), db, uid, login)
        self._sessions[session.sid] = session
        return session

    def get(self, sid: str | None) -> WebSession | None:
        return self._sessions.get(sid) if sid else None

    def authenticated(self, sid: str | None) -> WebSession | None:
        session = self.get(sid)
        return session if session is not None and session.authenticated else None

    def destroy(self, sid: str) -> None:
        self._sessions.pop(sid, None)

    def finalize(self, session: WebSession) -> WebSession:
        """Finish a 2FA login: the user is logged in, under a new session id."""
        self.destroy(session.sid)
        done = self.new(session.db, session.pre_uid, session.login)
        return done

    def expire_all(self) -> int:
        """Forget every session (as if the server's session store was wiped). Returns how many."""
        count = len(self._sessions)
        self._sessions.clear()
        return count

    def expire_db(self, db: str) -> None:
        """Forget the sessions of a database (it was dropped or renamed)."""
        for sid in [s.sid for s in self._sessions.values() if s.db == db]:
            del self._sessions[sid]

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[WebSession]:
        return iter(list(self._sessions.values()))


class LoginCooldown:
    """Odoo's brute-force guard of ``/web/session/authenticate`` (not of ``/jsonrpc``).

    After ``attempts`` failed logins from one source, every login from it
    (right password or not) fails with "Too many login failures" until
    ``seconds`` passed since the last failure; a successful login resets it.
    """

    MESSAGE = "Too many login failures, please wait a bit before trying again."

    def __init__(self, attempts: int = 10, seconds: float = 60.0) -> None:
        self.attempts = attempts
        self.seconds = seconds
        self._failures: dict[str, tuple[int, float]] = {}

    def blocked(self, source: str = "127.0.0.1") -> bool:
        failures, previous = self._failures.get(source, (0, 0.0))
        return failures >= self.attempts > 0 and time.monotonic() - previous < self.seconds

    def failed(self, source: str = "127.0.0.1") -> None:
        failures, _ = self._failures.get(source, (0, 0.0))
        self._failures[source] = (failures + 1, time.monotonic())

    def succeeded(self, source: str = "127.0.0.1") -> None:
        self._failures.pop(source, None)

    def reset(self) -> None:
        self._failures.clear()
