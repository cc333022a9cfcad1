"""``zenoo doctor``: check the whole path from the config file to a logged-in client.

One line per step, ``OK`` / ``WARN`` / ``FAIL`` / ``SKIP`` with details:
the configuration file and profile, the server URL (passwords masked), the
plugins loaded, whether the server answers and its version, the protocol
chosen and why, the login, deprecation warnings, and a set/get round trip on
the cache backend. Steps that depend on a failed one are skipped. The exit
code is the one of the first failure (2 configuration, 3 unreachable,
4 authentication, 1 anything else); ``--json`` prints the same report as
one JSON object.
"""

from __future__ import annotations

import asyncio
import time
import uuid
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import click

from zenoo_rpc.cli.arguments import json_option
from zenoo_rpc.cli.exit_codes import CommandFailed, ExitCode, classify, describe
from zenoo_rpc.cli.state import CliState, login_client, pass_state
from zenoo_rpc.errors import ZenooError

if TYPE_CHECKING:
    from zenoo_rpc.client import ZenooClient
    from zenoo_rpc.config import ZenooConfig
    from zenoo_rpc.events import Event

__all__ = ["Checkup", "Step", "doctor", "run_checks"]

Status = Literal["ok", "warn", "fail", "skip"]


@dataclass
class Step:
    """One check: its name, outcome, a one-line detail, and extra data for ``--json``."""

    name: str
    status: Status
    detail: str
    exit_code: int = 0
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {"name": self.name, "status": self.status, "detail": self.detail}
        if self.exit_code:
            row["exit_code"] = self.exit_code
        row.update(self.data)
        return row


@dataclass
class Checkup:
    """The steps so far; the first failure decides the exit code."""

    steps: list[Step] = field(default_factory=list)

    def add(self, name: str, status: Status, detail: str, **data: Any) -> Step:
        step = Step(name, status, detail, data=data)
        self.steps.append(step)
        return step

    def fail(self, name: str, exc: BaseException) -> Step:
        step = self.add(name, "fail", describe(exc), error=type(exc).__name__)
        step.exit_code = int(classify(exc))
        return step

    @property
    def first_failure(self) -> Step | None:
        return next((step for step in self.steps if step.status == "fail"), None)

    @property
    def exit_code(self) -> int:
        failure = self.first_failure
        return failure.exit_code if failure is not None else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.first_failure is None,
            "exit_code": self.exit_code,
            "steps": [step.as_dict() for step in self.steps],
        }


async def run_checks(state: CliState) -> Checkup:
    """Run every check; never raises for what it checks (failures become steps)."""
    checkup = Checkup()
    try:
        config = state.load_config()
    except ZenooError as exc:
        checkup.fail("config", exc)
        return checkup
    source = state.config_source()
    where = source or "no config file (options and ZENOO_* variables only)"
    profile = f", profile {config.profile}" if config.profile else ""
    checkup.add("config", "ok", where + profile, file=source, profile=config.profile)
    try:
        from zenoo_rpc.connection import redact_url, server_url

        url = redact_url(server_url(config))
    except ZenooError as exc:
        checkup.fail("server url", exc)
        return checkup
    checkup.add("server url", "ok", url, url=url)
    try:
        client = state.build_client(config)
    except ZenooError as exc:
        checkup.fail("plugins", exc)
        return checkup
    names = client.plugins.plugin_names()
    checkup.add("plugins", "ok", ", ".join(names), plugins=names)
    async with client:
        if await _check_server(checkup, client):
            await _check_login(checkup, client, state.with_prompted_password(config))
        await _check_cache(checkup, client, config)
    return checkup


async def _check_server(checkup: Checkup, client: ZenooClient) -> bool:
    started = time.perf_counter()
    try:
        version = await client.version()
    except ZenooError as exc:
        checkup.fail("server", exc)
        checkup.add("login", "skip", "the server did not answer")
        return False
    elapsed = (time.perf_counter() - started) * 1000
    checkup.add(
        "server",
        "ok",
        f"Odoo {version.server_version} answered in {elapsed:.0f} ms",
        server_version=version.server_version,
        major=version.major,
    )
    return True


async def _check_login(checkup: Checkup, client: ZenooClient, config: ZenooConfig) -> None:
    chosen: dict[str, Any] = {}
    deprecations: list[str] = []

    def listen(event: Event) -> None:
        if event.name == "protocol_selected":
            chosen.update(event.data)
        elif event.name == "deprecation":
            deprecations.append(str(event.data.get("message", "")))

    client.register_event_handler(listen)
    if config is not client.config:  # a prompted password
        client.config = config
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            await login_client(client)
    except ZenooError as exc:
        _protocol_step(checkup, chosen)
        checkup.fail("login", exc)
        return
    _protocol_step(checkup, chosen)
    session = client.session
    assert session is not None
    checkup.add(
        "login",
        "ok",
        f"{config.username} on database {session.db} (uid {session.uid}) over {client.protocol}",
        uid=session.uid,
        database=session.db,
        protocol=client.protocol,
    )
    if deprecations:
        for message in deprecations:
            checkup.add("deprecation", "warn", message)
    else:
        checkup.add("deprecation", "ok", "none")


def _protocol_step(checkup: Checkup, chosen: dict[str, Any]) -> None:
    if chosen:
        protocol, reason = chosen.get("protocol"), chosen.get("reason")
        checkup.add("protocol", "ok", f"{protocol}: {reason}", protocol=protocol, reason=reason)


async def _check_cache(checkup: Checkup, client: ZenooClient, config: ZenooConfig) -> None:
    settings = config.cache
    state = "enabled" if settings.enabled else "disabled in config"
    manager = client.cache_manager
    key = f"zenoo-doctor:{uuid.uuid4().hex}"
    try:
        await manager.setup_cache(
            "calls",
            settings.backend,
            max_size=settings.max_size,
            ttl=settings.ttl,
            namespace=settings.namespace,
            **settings.settings,
        )
        await asyncio.wait_for(manager.set(key, {"ok": True}, ttl=60), config.timeout)
        value = await asyncio.wait_for(manager.get(key), config.timeout)
        await asyncio.wait_for(manager.delete(key), config.timeout)
        if value != {"ok": True}:
            raise ZenooError(f"the cache gave back {value!r} for what was stored")
    except (ZenooError, asyncio.TimeoutError) as exc:
        if isinstance(exc, asyncio.TimeoutError):
            exc = ZenooError(f"no answer from the cache backend in {config.timeout:g} s")
        if settings.enabled:
            step = checkup.fail("cache", exc)
            step.detail = f"{settings.backend} backend ({state}): {step.detail}"
        else:
            checkup.add("cache", "warn", f"{settings.backend} backend ({state}): {describe(exc)}")
        return
    checkup.add(
        "cache",
        "ok",
        f"{settings.backend} backend ({state}): set/get round trip ok",
        backend=settings.backend,
        enabled=settings.enabled,
        health=manager.health(),
    )


_LABELS = {"ok": "OK", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}


def format_report(checkup: Checkup) -> str:
    """The plain-text report: one line per step."""
    width = max((len(step.name) for step in checkup.steps), default=0)
    return "\n".join(
        f"{_LABELS[step.status]:<5} {step.name:<{width}}  {step.detail}" for step in checkup.steps
    )


@click.command()
@json_option
@pass_state
def doctor(state: CliState) -> None:
    """Check config, server, protocol, login and cache.

    One line per step with OK / WARN / FAIL / SKIP; the exit code is the one of
    the first failure.
    """
    checkup = asyncio.run(run_checks(state))
    state.output.data(checkup.as_dict(), format_report(checkup))
    failure = checkup.first_failure
    if failure is not None:
        raise CommandFailed(
            f"{failure.name}: {failure.detail}", failure.exit_code or ExitCode.FAILED
        )
